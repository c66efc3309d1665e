"""The scorecard web app (``adoptscore serve``)."""
