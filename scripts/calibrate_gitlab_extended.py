#!/usr/bin/env python3
"""Derive the thresholds of the bundled ``gitlab-extended`` rubric, reproducibly.

GitLab never published metrics or thresholds for Compliance, Package, GitOps and Agile. The
rubric's metrics are chosen in ``scripts/gitlab-extended.draft.yaml``; its thresholds come from
running adoptscore's own calibration the way the handbook describes (population quartiles combined
with the median of customers known to be healthy) on demo Service Ping payloads:

1. generate the demo population's payloads (``adoptscore.demo.service_ping``: ACCOUNTS customers,
   MONTHS months, seed SEED; every instance, old GitLab versions, failure codes included) and ingest
   them with the bundled mapping, exactly as ``adoptscore ingest service-ping`` does;
2. keep each subscription's primary instance per month (the most billable users), as GitLab's
   account roll-up does;
3. the healthy cohort: the instances of customers whose hidden latent adoption of all four use cases
   stayed healthy for six months (``healthy_instances``: chosen from the truth, not the scores);
4. ``adoptscore.calibrate`` with strategy ``healthy`` over the latest 6 months: Red below the
   population p25, Green from the cohort's median, cuts rounded to 3 significant digits;
5. write the calibrated rubric (the draft's comments kept, version bumped, ``provenance.calibration``
   added by the calibrate writer) to ``src/adoptscore/rubrics/gitlab-extended.yaml``.

Usage (from the repository root)::

    python scripts/calibrate_gitlab_extended.py            # write the bundled rubric
    python scripts/calibrate_gitlab_extended.py --check    # exit 1 when the bundled bands differ
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DRAFT = REPO / "scripts" / "gitlab-extended.draft.yaml"
BUNDLED = REPO / "src" / "adoptscore" / "rubrics" / "gitlab-extended.yaml"
ACCOUNTS, MONTHS, SEED, END = 400, 12, 42, "2026-10"
VERSION = "2026.2"


def population(accounts: int = ACCOUNTS, months: int = MONTHS, seed: int = SEED, end: str = END):
    """The ingested demo payloads (an :class:`~adoptscore.ingest.service_ping.Ingest`) and the healthy cohort."""
    from adoptscore.demo.service_ping import generate_payloads, healthy_instances
    from adoptscore.ingest.service_ping import ingest_payloads

    payloads = generate_payloads(accounts, months, seed, end, filler=False)
    ingest = ingest_payloads(payloads, source="demo")
    return ingest, healthy_instances(accounts, months, seed, end)


def primary_instances(table):
    """Each subscription's primary instance per month: the one with the most billable users, as GitLab's
    account roll-up takes it (staging and team instances would otherwise pull every quantile down).
    Instances without a subscription id or billable users (GitLab before 14.0) cannot be placed and are left out."""
    import pyarrow as pa

    frame = table.select(["license_subscription_id", "period", "billable_users", "instance_id"]).to_pandas()
    frame["row"] = range(len(frame))
    frame = frame.dropna(subset=["license_subscription_id", "billable_users"])
    frame = frame.sort_values(["billable_users", "instance_id"], ascending=[False, True], kind="stable")
    keep = sorted(frame.drop_duplicates(["license_subscription_id", "period"])["row"])
    return table.take(pa.array(keep, type=pa.int64()))


def calibrate_extended(accounts: int = ACCOUNTS, months: int = MONTHS, seed: int = SEED, end: str = END,
                       people=None):
    """Run the calibration; returns the :class:`~adoptscore.lifecycle.calibrate.Calibration`.

    ``people``: the ``population()`` result when already computed (the tests share it)."""
    from adoptscore.lifecycle.calibrate import calibrate
    from adoptscore.sources.read import default_connection

    ingest, cohort = people or population(accounts, months, seed, end)
    table = primary_instances(ingest.table)
    present = set(table.column("instance_id").to_pylist())
    cohort = [instance for instance in cohort if instance in present]  # their primary instances
    label = (f"demo Service Ping payloads (adoptscore.demo.service_ping: {accounts} customers, {months} months "
             f"to {end}, seed {seed}), primary instance of each subscription: {table.num_rows} instance-months")
    # An Ibis table carries the label into provenance.calibration.data; made by the adapter's own
    # DDL (Ibis 12's create_table of an Arrow table fails with SQLGlot >= 30.18, ibis-project/ibis#12101)
    from adoptscore.engine.backends import adapter_for

    usage = adapter_for(default_connection()).load("service_ping", table, temporary=True)
    return calibrate(usage, DRAFT, strategy="healthy", cohort=cohort, window=6,
                     precision=3, version=VERSION, table=label, preview=False)


def bands_of(rubric) -> dict[str, dict[str, str]]:
    return {f"{u.id}.{m.id}": dict(m.bands or {}) for u, m in rubric.metrics}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only compare with the bundled rubric; exit 1 if it differs")
    parser.add_argument("--out", type=Path, default=BUNDLED, help="where to write the calibrated rubric")
    args = parser.parse_args(argv)
    result = calibrate_extended()
    for band_set in result.bands:
        print(f"{band_set.label:52} n={band_set.n:5}  healthy median={band_set.healthy.median if band_set.healthy else None!s:>10}"
              f"  {band_set.proposed_bands}")
    if result.warnings:
        print("\n".join(f"warning: {w}" for w in result.warnings), file=sys.stderr)
    if args.check:
        from adoptscore.rubric.loader import load_rubric

        bundled = bands_of(load_rubric(args.out))
        proposed = bands_of(result.proposed)
        differ = [k for k in proposed if proposed[k] != bundled.get(k)]
        for key in differ:
            print(f"{key}: bundled {bundled.get(key)} != recomputed {proposed[key]}", file=sys.stderr)
        return 1 if differ else 0
    result.write_rubric(args.out, force=True)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
