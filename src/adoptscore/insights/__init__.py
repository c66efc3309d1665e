"""Insights over score results: explanations (and later peers, why-it-changed, areas of focus)."""
from adoptscore.insights.explain import Explanation, explain

__all__ = ["Explanation", "explain"]
