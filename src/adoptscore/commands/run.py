"""``adoptscore run``: a project's monthly refresh (score, store, export, alert), safe to repeat."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer
from rich.markup import escape

from adoptscore.commands._common import _errors, _progress, out


def run_command(
    project: Optional[Path] = typer.Argument(None, help="the project file, or its folder (default: ./adoptscore.yaml)"),
    period: Optional[str] = typer.Option(None, "--period", "-p", help="score this period instead of the project's "
                                         "'period:' (latest, all, or e.g. 2026-10)"),
    summary_json: Optional[Path] = typer.Option(None, "--json", help="also write the run's summary to this JSON "
                                                "file (for an orchestrator)"),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="print nothing but errors"),
) -> None:
    """Run a project's refresh: score the new period, store it, export it to Gainsight and post its
    alerts, as adoptscore.yaml says. Run it again and it changes nothing (docs/run.md)."""
    from adoptscore.files import check_kind, claim_output, write_atomic
    from adoptscore.project import load_project, run_project
    from adoptscore.project.config import ProjectError
    from adoptscore.sources.periods import FORMS, is_period

    with _errors():
        if period is not None and period not in ("latest", "all") and not is_period(period):
            raise ProjectError(f"--period {period!r} is not a period", hint=f"latest, all, or {FORMS}")
        if summary_json is not None:
            check_kind(summary_json, "--json", (".json",), "a .json file")
            claim_output(summary_json, "--json")
        loaded = load_project(project)
        with _progress() as progress:
            task = progress.add_task(f"running {loaded.path.name}", total=None)
            summary = run_project(
                loaded, period=period, quiet=quiet,
                on_step=lambda text: progress.update(task, description=escape(text)),
                on_total=lambda total: progress.update(task, total=total if progress.live.is_started else None,
                                                       completed=0),
                on_rows=lambda n: progress.advance(task, n))
        if summary_json is not None:
            document = {"project": str(summary.project), "rubric": summary.rubric, "version": summary.version,
                        "periods": summary.periods, "changed": summary.changed,
                        "steps": [step.__dict__ for step in summary.steps]}
            write_atomic(summary_json, json.dumps(document, indent=2) + "\n", role="--json")
    if quiet:
        return
    from adoptscore.sources.periods import span

    if summary.backfill:
        out.print(f"first run of {escape(summary.rubric)} {escape(summary.version)} in this store: every period "
                  "in the data was scored, so trends and alerts have a history", soft_wrap=True)
    head = (f"{summary.rubric} {summary.version}, {span(summary.periods)}: "
            + ("changed" if summary.changed else "nothing changed; everything was already up to date"))
    out.print(escape(head), soft_wrap=True)
    for step in summary.steps:
        mark = "[green]updated  [/]" if step.changed else "[dim]unchanged[/]"
        out.print(f"  {step.name:10} {mark}  {escape(_shown(step.target))}: {escape(step.detail)}", soft_wrap=True)

def _shown(target: str) -> str:
    """A file as a path relative to the current folder when it is under it (shorter), else as it is."""
    try:
        return str(Path(target).relative_to(Path.cwd()))
    except ValueError:
        return target
