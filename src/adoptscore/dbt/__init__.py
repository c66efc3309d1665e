"""dbt models of a rubric: the scoring SQL as models, with a schema.yml of tests, for a dbt project."""
from adoptscore.dbt.models import DbtModels, build_models, relation_for, write_models

__all__ = ["DbtModels", "build_models", "relation_for", "write_models"]
