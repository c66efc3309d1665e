#!/usr/bin/env python3
"""Build the bundled example data of the ``innovation-graph`` rubric from GitHub Innovation Graph CSVs.

Reads developers.csv, git_pushes.csv, organizations.csv and repositories.csv (columns
``<metric>,iso2_code,year,quarter``) from the GitHub Innovation Graph (CC0-1.0) and writes one
LONG file, ``economy,period,metric,value``:

- ``economy``: the ISO 3166-1 alpha-2 code as published (``EU`` is kept: it is an aggregate of
  member states and the rubric's scope excludes it, so the example shows the scope at work);
- ``period``: ``YYYY-Qn`` (e.g. ``2024-Q1``);
- ``metric``: developers, git_pushes, organizations or repositories;
- ``value``: the published integer count.

Economy-quarters the Innovation Graph suppresses (fewer than 100 developers) have no row in the
source and get no row here: they stay missing, never 0. Rows are sorted by economy, period and
metric, so the output is byte-for-byte deterministic.

Usage (from the repository root)::

    python scripts/build_innovationgraph.py                       # ../shared/data/innovationgraph
    python scripts/build_innovationgraph.py SOURCE_DIR --out FILE

The CSVs are read with the csv module, not pandas: Namibia's code ``NA`` must stay a code, not
become a missing value.
"""
from __future__ import annotations

import argparse
import csv
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = REPO / ".." / "shared" / "data" / "innovationgraph"
DEFAULT_OUT = REPO / "src" / "adoptscore" / "rubrics" / "data" / "innovationgraph-long.csv"
METRICS = ("developers", "git_pushes", "organizations", "repositories")
ECONOMY = re.compile(r"^[A-Z]{2}$")


def read_metric(folder: Path, metric: str) -> list[tuple[str, str, str, int]]:
    """Rows (economy, period, metric, value) of one source file, with the file checked."""
    path = folder / f"{metric}.csv"
    rows: list[tuple[str, str, str, int]] = []
    seen: set[tuple[str, str]] = set()
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        expected = [metric, "iso2_code", "year", "quarter"]
        if reader.fieldnames != expected:
            raise SystemExit(f"{path}: expected columns {','.join(expected)}, found {reader.fieldnames}")
        for record in reader:
            line = reader.line_num
            economy = record["iso2_code"]
            if not ECONOMY.match(economy or ""):
                raise SystemExit(f"{path}:{line}: economy {economy!r} is not a two-letter code")
            try:
                year, quarter, value = int(record["year"]), int(record["quarter"]), int(record[metric])
            except (TypeError, ValueError):
                raise SystemExit(f"{path}:{line}: year, quarter and {metric} must be integers") from None
            if not (2000 <= year <= 2100 and 1 <= quarter <= 4):
                raise SystemExit(f"{path}:{line}: bad year/quarter {year}/{quarter}")
            if value < 0:
                raise SystemExit(f"{path}:{line}: negative {metric} {value}")
            period = f"{year:04d}-Q{quarter}"
            if (economy, period) in seen:
                raise SystemExit(f"{path}:{line}: {economy} {period} appears twice")
            seen.add((economy, period))
            rows.append((economy, period, metric, value))
    return rows


def build(source: Path) -> list[tuple[str, str, str, int]]:
    """All rows of the long file, sorted by economy, period, metric."""
    rows: list[tuple[str, str, str, int]] = []
    for metric in METRICS:
        rows.extend(read_metric(source, metric))
    rows.sort(key=lambda r: (r[0], r[1], r[2]))
    return rows


def write(rows: list[tuple[str, str, str, int]], out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["economy", "period", "metric", "value"])
        writer.writerows(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", nargs="?", type=Path, default=DEFAULT_SOURCE,
                        help="folder with the Innovation Graph CSVs (default: ../shared/data/innovationgraph)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help="output CSV (default: src/adoptscore/rubrics/data/innovationgraph-long.csv)")
    args = parser.parse_args(argv)
    if not args.source.is_dir():
        print(f"error: {args.source} is not a folder", file=sys.stderr)
        return 2
    rows = build(args.source)
    write(rows, args.out)
    economies = len({r[0] for r in rows})
    periods = sorted({r[1] for r in rows})
    print(f"wrote {args.out}: {len(rows)} rows, {economies} economies, {periods[0]} to {periods[-1]}, "
          f"{args.out.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
