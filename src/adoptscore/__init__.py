"""adoptscore: use-case adoption scoring from product-usage data.

>>> import adoptscore
>>> rubric = adoptscore.load_rubric("gitlab")
>>> result = adoptscore.score("usage.parquet", rubric)      # doctest: +SKIP
>>> result.use_cases.head()                                  # doctest: +SKIP
"""
from adoptscore.api import load_rubric, score
from adoptscore.engine.result import ScoreResult
from adoptscore.errors import AdoptscoreError, DataError, RubricError
from adoptscore.rubric.models import Metric, Rubric, UseCase

__version__ = "0.1.0"
__all__ = ["AdoptscoreError", "DataError", "Metric", "Rubric", "RubricError", "ScoreResult", "UseCase",
           "load_rubric", "score", "__version__"]
