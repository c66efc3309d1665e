"""adoptscore: use-case adoption scoring from product-usage data."""
__version__ = "0.1.0"
