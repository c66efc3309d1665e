"""The monthly refresh of a project, end to end: score the period, store it, export it, send alerts.

Every step is idempotent, so a run can be repeated (by hand, or by a scheduler retrying a failed
task) and the second run changes nothing:

- scores: the period is scored and compared with the store; when the store already holds exactly
  these rows the store file is not touched (:meth:`Store.save` with ``skip_unchanged``);
- files (Gainsight measures, alert files): written beside their target and compared; an
  identical file is left as it was, so its modification time says when its content last changed;
- webhooks: each alert has a stable idempotency key; the keys a webhook accepted are remembered in
  the project's state file, and only alerts it has not accepted are posted.

One run of a project at a time: the state file's lock is held for the whole run.
"""
from __future__ import annotations

import fcntl
import json
import os
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Iterator

from adoptscore.errors import AdoptscoreError
from adoptscore.files import AtomicFiles, check_kind, claim_output, write_atomic
from adoptscore.project.config import AlertSpec, GainsightSpec, LoadedProject, ProjectError

STATE_FORMAT = 1
#: periods of delivered alert keys kept per webhook (older periods are never re-posted anyway)
KEPT_PERIODS = 36


@dataclass
class Step:
    """What one step did: ``changed`` is False when it found everything already as it would make it."""

    name: str
    target: str
    changed: bool
    detail: str


@dataclass
class RunSummary:
    """What a run did, step by step."""

    project: Path
    rubric: str
    version: str
    periods: list[str]
    #: the store held no scores of this rubric version, so every period in the data was scored
    backfill: bool = False
    steps: list[Step] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return any(step.changed for step in self.steps)


Report = Callable[[str], None]


def run_project(project: LoadedProject, *, period: str | None = None, quiet: bool = True,
                on_step: Report | None = None, on_rows: Callable[[int], None] | None = None,
                on_total: Callable[[int | None], None] | None = None) -> RunSummary:
    """Run ``project``'s refresh for ``period`` (default: the project's ``period``, normally the
    newest period in the data). ``on_step`` is told each step as it starts; ``on_total`` and
    ``on_rows`` drive a progress bar over the account-periods scored."""
    from adoptscore import api
    from adoptscore.store.history import ROLE, open_store

    say = on_step or (lambda _text: None)
    spec = project.spec
    with _one_run(project.state):
        store = project.store
        if isinstance(store, Path):
            claim_output(store, ROLE)
        target = open_store(store)
        target.check_writable()
        gainsight = spec.exports.gainsight
        if gainsight is not None:
            check_kind(_out(project, gainsight.out, "2000-01"), "exports.gainsight.out", (".csv", ".parquet"),
                       "a .csv or .parquet file")
        for alert in spec.alerts:
            if alert.out is not None:
                check_kind(_out(project, alert.out, "2000-01"), "alerts.out", (".csv", ".json"), "a .csv or .json file")
            if alert.webhook is not None:
                from adoptscore.exports.webhook import check_url

                check_url(alert.webhook)
        rubric = api.load_rubric(project.rubric)
        say("reading the usage data")
        usage = _usage(project, quiet=quiet)
        source = spec.source
        layout = "long" if source.long else None
        table = source.table
        wanted = period or spec.period
        backfill = wanted == "latest" and not _stored_periods(target, rubric)
        if backfill:
            # the first run of this rubric version: the history trends and alerts compare against
            say(f"no {rubric.name} {rubric.version} scores stored yet: scoring every period (backfill)")
            wanted = "all"
        periods = _periods(api.score(usage, rubric, table=table, layout=layout), wanted)
        result = api.score(usage, rubric, table=table, layout=layout, periods=periods)
        summary = RunSummary(project.path, rubric.name, str(rubric.version), periods or [], backfill=backfill)
        if on_total is not None:
            on_total(result.rows_scored)
        say(f"scoring {rubric.name} {rubric.version} into {target}")
        saved = target.save(result, attributes=spec.attributes, on_rows=on_rows, skip_unchanged=True,
                            on_stage=lambda stage: say(f"{stage} in {target}"))
        summary.periods = list(saved.periods)
        if saved.unchanged:
            summary.steps.append(Step("scores", str(target), False, "already stored, identical"))
        else:
            replaced = saved.replaced.get("overall", 0)
            summary.steps.append(Step("scores", str(target), True, f"{saved.rows['overall']:,} account-periods stored"
                                      + (f", replacing {replaced:,}" if replaced else "")))
        latest = summary.periods[-1]
        if gainsight is not None:
            say(f"exporting the {latest} measures for Gainsight")
            summary.steps.append(_gainsight(project, gainsight, rubric, latest))
        if spec.alerts:
            say(f"finding the color drops of {latest}")
            from adoptscore.exports.alerts import alert_rows
            from adoptscore.insights.scorecard import Scorecard

            card = Scorecard(target, rubric.name, str(rubric.version))
            by_use_case: dict[str | None, Any] = {}
            state = _State.read(project.state)
            try:
                for alert in spec.alerts:
                    if alert.use_case not in by_use_case:
                        by_use_case[alert.use_case] = alert_rows(card, latest, use_case=alert.use_case)
                    export = by_use_case[alert.use_case]
                    if alert.out is not None:
                        summary.steps.append(_alert_file(project, alert, export))
                    if alert.webhook is not None:
                        say(f"posting the {latest} alerts")
                        summary.steps.append(_alert_webhook(alert, export, state))
            finally:
                state.write(project.state)
        return summary


def _stored_periods(store: Any, rubric: Any) -> list[str]:
    if not store.exists():
        return []
    stored = store.rubrics()
    return next((s.periods for s in stored if s.name == rubric.name and s.version == str(rubric.version)), [])


def _usage(project: LoadedProject, *, quiet: bool) -> Any:
    source = project.spec.source
    if source.kind == "service-ping":
        from adoptscore.commands.ingest import service_ping_table

        return service_ping_table(project.data, project.mapping, quiet=quiet)
    return project.data[0]


def _periods(result: Any, wanted: str) -> list[str] | None:
    """The periods to score: ``all`` (None: every period), ``latest`` (the newest in the data) or one."""
    if wanted == "all":
        return None
    if wanted != "latest":
        return [wanted]
    from adoptscore.engine.into import scored_periods

    found = scored_periods(result)
    if not found:
        raise ProjectError(f"{result.source}: the data has no rows in the rubric's scope, so there is no period to "
                           "score", hint="check the source and the rubric's input scope")
    return [found[-1]]


def _out(project: LoadedProject, template: str, period: str) -> Path:
    return Path(project.local(template.replace("{period}", period)))


def _write_if_changed(target: Path, role: str, write: Callable[[Path], None]) -> bool:
    """Write through a temporary file beside ``target``; keep the old file when the bytes are the same."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        from adoptscore.files import cannot_write

        raise cannot_write(target, role, exc) from None
    with AtomicFiles() as files:
        temporary = files.temporary(target, role=role)
        write(temporary)
        if target.is_file() and _same_bytes(temporary, target):
            files.discard()
            return False
    return True


def _same_bytes(a: Path, b: Path) -> bool:
    if a.stat().st_size != b.stat().st_size:
        return False
    with open(a, "rb") as left, open(b, "rb") as right:
        while True:
            chunk = left.read(1 << 20)
            if chunk != right.read(1 << 20):
                return False
            if not chunk:
                return True


def _gainsight(project: LoadedProject, spec: GainsightSpec, rubric: Any, period: str) -> Step:
    from adoptscore.exports.gainsight import measure_rows
    from adoptscore.exports.output import write_into
    from adoptscore.exports.source import StoredScores

    target = _out(project, spec.out, period)
    fmt = target.suffix.lower().lstrip(".")
    with StoredScores(project.store, rubric.name, str(rubric.version)) as scores:
        rows = measure_rows(scores, period, company_id=spec.company_id, scored_only=spec.scored_only,
                            comment_limit=spec.comment_length, snapshot_at=spec.snapshot)
        changed = _write_if_changed(target, "exports.gainsight.out",
                                    lambda path: write_into(path, rows.schema, rows.batches, fmt))
    counts = rows.counts
    detail = f"{counts.rows:,} measure rows, {len(counts.companies):,} companies"
    return Step("gainsight", str(target), changed, detail if changed else f"{detail}, file already up to date")


def _alert_file(project: LoadedProject, spec: AlertSpec, export: Any) -> Step:
    from adoptscore.exports.output import write_into

    target = _out(project, spec.out or "", export.period)
    if target.suffix.lower() == ".json":
        text = json.dumps(export.document(), indent=2, ensure_ascii=False, allow_nan=False, default=str) + "\n"

        def write(path: Path) -> None:
            path.write_text(text, encoding="utf-8")
    else:
        table = export.table()

        def write(path: Path) -> None:
            write_into(path, table.schema, table.to_batches(), "csv")
    changed = _write_if_changed(target, "alerts.out", write)
    detail = f"{len(export.alerts):,} alerts"
    return Step("alerts", str(target), changed, detail if changed else f"{detail}, file already up to date")


def _alert_webhook(spec: AlertSpec, export: Any, state: "_State") -> Step:
    from adoptscore.exports.webhook import post_alerts, shown_url

    shown = shown_url(spec.webhook or "")
    scope = f"{export.rubric}\x1f{export.rubric_version}\x1f{export.period}\x1f{spec.use_case or ''}"
    delivered = state.delivered(shown, scope)
    pending = [a for a in export.alerts if a["idempotency_key"] not in delivered]
    if not pending:
        detail = (f"all {len(export.alerts):,} alerts already delivered" if export.alerts
                  else f"no alerts in {export.period}")
        return Step("alerts", shown, False, detail)
    result = post_alerts(replace(export, alerts=pending), spec.webhook or "", headers=spec.headers,
                         batch_size=spec.batch_size, timeout=spec.timeout, retries=spec.retries)
    state.record(shown, scope, [a["idempotency_key"] for a in pending])
    return Step("alerts", shown, True, f"posted {result.alerts:,} alerts in {result.requests} request(s)")


class _State:
    """The project's memory between runs: which alert keys each webhook accepted."""

    def __init__(self, data: dict[str, Any]):
        self.data = data
        self.dirty = False

    @classmethod
    def read(cls, path: Path) -> "_State":
        if not path.exists():
            return cls({"format": STATE_FORMAT, "deliveries": {}})
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ProjectError(f"the run state cannot be read: {exc}", file=str(path),
                               hint="it is written by adoptscore run; remove it to post every alert again") from None
        if not isinstance(data, dict) or data.get("format") != STATE_FORMAT or \
                not isinstance(data.get("deliveries"), dict):
            raise ProjectError("not a run state file of this adoptscore", file=str(path),
                               hint="point state: elsewhere, or remove it to post every alert again")
        return cls(data)

    def delivered(self, target: str, scope: str) -> set[str]:
        return set(self.data["deliveries"].get(target, {}).get(scope, []))

    def record(self, target: str, scope: str, keys: list[str]) -> None:
        scopes = self.data["deliveries"].setdefault(target, {})
        scopes[scope] = sorted(set(scopes.get(scope, [])) | set(keys))
        for old in sorted(scopes, key=lambda s: s.split("\x1f")[2])[:-KEPT_PERIODS]:
            del scopes[old]
        self.dirty = True

    def write(self, path: Path) -> None:
        if self.dirty:
            write_atomic(path, json.dumps(self.data, indent=1, sort_keys=True) + "\n", role="run state")
            self.dirty = False


@contextmanager
def _one_run(state: Path) -> Iterator[None]:
    """Hold the project's run lock (``<state>.lock``) for the whole run; a second run is refused at once."""
    lock_path = state.with_name(state.name + ".lock")
    try:
        lock_path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(lock_path, "a+")  # noqa: SIM115 - held for the run
    except OSError as exc:
        raise AdoptscoreError(f"cannot make the run lock: {exc.strerror or exc}", file=str(lock_path),
                              hint="set state: to a path in a folder you can write") from None
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip()
            raise ProjectError("another run of this project is in progress" + (f" (process {holder})" if holder else ""),
                               file=str(lock_path), hint="wait for it to finish; runs of one project never overlap") \
                from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        try:
            yield
        finally:
            handle.seek(0)
            handle.truncate()
