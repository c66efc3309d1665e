"""The JSON Schema of rubric files, for editors (YAML language servers) and validation."""
from __future__ import annotations

from typing import Any

from adoptscore.rubric.models import Rubric


def rubric_schema() -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of a rubric document."""
    schema = Rubric.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "adoptscore rubric"
    return schema
