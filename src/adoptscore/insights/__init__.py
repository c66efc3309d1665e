"""Insights over score results: explanations, account scorecards (trends, peers, why a score
changed, areas of focus), the portfolio, use-case reports and alerts, read from the score store."""
from adoptscore.insights.explain import Explanation, explain

__all__ = ["Explanation", "explain", "Scorecard", "open_scorecard", "account_view", "AccountView", "NotFound"]


def __getattr__(name: str):  # lazy: the scorecard pulls in DuckDB and the store
    if name in ("Scorecard", "open_scorecard"):
        from adoptscore.insights import scorecard

        return getattr(scorecard, name)
    if name in ("account_view", "AccountView", "NotFound"):
        from adoptscore.insights import account

        return getattr(account, name)
    raise AttributeError(name)
