"""Metric discovery: which usage counters measure adoption (``adoptscore metrics evaluate``)."""
