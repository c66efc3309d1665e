"""bench_scale.py runs end to end at small sizes and reports a row per size with a 1M-relative rate."""
from __future__ import annotations

import importlib.util
import json
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_scale.py"


def test_the_scale_curve_at_two_small_sizes(tmp_path, capsys):
    spec = importlib.util.spec_from_file_location("bench_scale", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    out = tmp_path / "scale.json"
    assert module.main(["--sizes", "1200,2400", "--baseline-up-to", "1200", "--data-dir", str(tmp_path / "data"),
                        "--json", str(out)]) == 0
    report = json.loads(out.read_text())
    rows = [(r["variant"], r["rows"]) for r in report["results"]]
    assert [v for v, _ in rows] == ["engine", "duckdb_sql", "engine"]
    assert all(r["wall"] > 0 and r["cpu"] > 0 and r["peak_mb"] > 0 and r["output_bytes"] > 0 for r in report["results"])
    # no 1M size given: rates are relative to the first size
    assert report["results"][0]["rate_vs_1m"] == 1.0
    assert "s per 1M" in capsys.readouterr().out
