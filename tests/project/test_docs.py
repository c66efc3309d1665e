"""docs/run.md says what the code does: its project file loads as written, the cron line runs the
command the tests run, and its orchestrator examples are valid Python."""
from __future__ import annotations

import re
from pathlib import Path

DOC = Path(__file__).resolve().parents[2] / "docs" / "run.md"


def blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", DOC.read_text(), flags=re.S)


def test_the_documented_project_file_loads(tmp_path, monkeypatch):
    from adoptscore.project import load_project

    (text,) = [b for b in blocks("yaml") if "source:" in b]
    monkeypatch.setenv("ADOPTION_HOOK_TOKEN", "t")
    (tmp_path / "adoptscore.yaml").write_text(text)
    loaded = load_project(tmp_path)
    spec = loaded.spec
    assert spec.exports.gainsight.company_id == "crm_id"
    assert [a.webhook for a in spec.alerts] == [None, "https://hooks.example.com/adoption"]
    assert spec.alerts[1].headers == {"Authorization": "Bearer t"}
    assert spec.schedule.cron == "0 6 3 * *" and spec.attributes == ["owner", "arr", "crm_id"]


def test_the_examples_are_valid_python():
    examples = blocks("python")
    assert len(examples) == 3
    for code in examples:
        compile(code, str(DOC), "exec")
    assert all("adoptscore" in code and "run" in code for code in examples)
