"""Generate docs/rubric-reference.md from the rubric models (run after changing a model field).

    python scripts/gen_docs.py          # write the file
    python scripts/gen_docs.py --check  # exit 1 when the file is out of date (the tests do this)
"""
from __future__ import annotations

import sys
from pathlib import Path

from pydantic import BaseModel

from adoptscore.rubric.models import (BandCase, BandTable, InputColumn, InputSpec, Metric, Overall, Points,
                                      Rollup, RollupPrimary, Rubric, UseCase)

TARGET = Path(__file__).resolve().parent.parent / "docs" / "rubric-reference.md"
MODELS: list[tuple[str, type[BaseModel]]] = [
    ("rubric (the document)", Rubric), ("input", InputSpec), ("input.columns.<name>", InputColumn),
    ("points", Points), ("overall", Overall), ("use_cases[]", UseCase), ("use_cases[].metrics[]", Metric),
    ("metrics[].bands_by", BandTable), ("metrics[].bands_by.cases[]", BandCase),
    ("rollup", Rollup), ("rollup.primary", RollupPrimary),
]


def _type(field) -> str:
    text = str(field.annotation).replace("typing.", "").replace("adoptscore.rubric.models.", "")
    return text.replace("<class '", "").replace("'>", "").replace("|", "\\|")


def render() -> str:
    lines = ["# Rubric reference", "",
             "Generated from the rubric models by `scripts/gen_docs.py`; do not edit by hand. "
             "`adoptscore schema` prints the same as JSON Schema for editors. The scoring rules these "
             "fields feed are in [scoring-semantics.md](scoring-semantics.md).", ""]
    for title, model in MODELS:
        lines += [f"## `{title}`", "", (model.__doc__ or "").strip().splitlines()[0], "",
                  "| field | type | default | meaning |", "|---|---|---|---|"]
        for name, field in model.model_fields.items():
            default = "required" if field.is_required() else (
                "(computed)" if field.default_factory else repr(field.default))
            lines.append(f"| `{name}` | {_type(field)} | {default} | {(field.description or '').strip()} |")
        lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    text = render()
    if "--check" in sys.argv:
        sys.exit(0 if TARGET.exists() and TARGET.read_text(encoding="utf-8") == text else 1)
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET}")
