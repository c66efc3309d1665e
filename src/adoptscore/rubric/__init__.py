"""Rubrics: typed models, YAML loading with locations, the expression language, bands, lint."""
from adoptscore.rubric.loader import bundled_rubrics, load_rubric, loads_rubric
from adoptscore.rubric.models import BandCase, BandTable, InputSpec, Metric, Points, Rubric, UseCase

__all__ = ["BandCase", "BandTable", "InputSpec", "Metric", "Points", "Rubric", "UseCase",
           "bundled_rubrics", "load_rubric", "loads_rubric"]
