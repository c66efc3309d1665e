"""Hand-written DuckDB baseline for calibrating the `gitlab` rubric 2025.1: the same quantiles.

The exact population quantiles calibrate computes (min, p1, p10, p25, p50, p75, p90, p99, max;
linear interpolation) of every metric's scored values over the latest six periods of the data,
for License utilization per band-table case (account age 3-7, 7-10, 10+ months). Values, scope and "scored" come from the hand-written scoring
baseline's views (gitlab_duckdb.py), so the rubric is hard-coded here too.

    python benchmarks/baselines/calibrate_duckdb.py INPUT.parquet OUT.json
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import duckdb

HERE = Path(__file__).resolve().parent
GRID = [0.0, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 1.0]
WINDOW = 6


def _scoring_views():
    spec = importlib.util.spec_from_file_location("_gitlab_duckdb", HERE / "gitlab_duckdb.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run(input_parquet: str, out_json: str) -> dict:
    gl = _scoring_views()
    views = gl._views(input_parquet)  # builds the ENUM lists the types need
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    con.execute(gl._create_types())
    con.execute(views)
    periods = [r[0] for r in con.execute(
        "SELECT DISTINCT period FROM gl_src ORDER BY period DESC LIMIT ?", [WINDOW]).fetchall()]
    grid = "[" + ", ".join(repr(p) for p in GRID) + "]"
    sets = [(f"{uc}.{metric}", key, "TRUE") for key, uc, metric, _case in gl.METRICS if key != "lic"]
    sets += [("license.license_utilization [account_age_months >= 3 and < 7]", "lic", "age >= 3 AND age < 7"),
             ("license.license_utilization [account_age_months >= 7 and < 10]", "lic", "age >= 7 AND age < 10"),
             ("license.license_utilization [account_age_months >= 10]", "lic", "age >= 10")]
    select = ",\n".join(
        f"quantile_cont({key}_v, {grid}) FILTER (WHERE {key}_b IS NOT NULL AND {cond}) AS q{i}"
        for i, (_label, key, cond) in enumerate(sets))
    window = ", ".join("'" + p.replace("'", "''") + "'" for p in periods)
    row = con.execute(f"SELECT {select} FROM gl_band WHERE period IN ({window})").fetchone()
    result = {"periods": sorted(periods), "quantiles": {label: row[i] for i, (label, _k, _c) in enumerate(sets)}}
    Path(out_json).write_text(json.dumps(result))
    return result


if __name__ == "__main__":
    run(sys.argv[1], sys.argv[2])
