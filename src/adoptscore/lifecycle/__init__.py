"""The rubric lifecycle: calibrate thresholds, validate against known accounts, diff two versions,
backtest against outcomes.

Each stage is a function returning a typed result (a dataclass) with ``report()`` (a
:class:`adoptscore.report.document.Report` for the terminal and HTML renderers) and ``to_dict()``
(JSON-ready: no NaN, no numpy scalars). They read scores through the public engine API and hold
no scoring logic of their own.
"""
