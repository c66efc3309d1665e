"""Run one hand-written baseline in this (fresh) process: used by bench_score.py.

    python benchmarks/_run_variant.py MODULE INPUT_PARQUET OUT_DIR

Prints one JSON line: {"module", "seconds" (inside the process, after imports),
"import_seconds", "maxrss_mb" (this process, from getrusage)}.
"""

from __future__ import annotations

import importlib.util
import json
import resource
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def load_baseline(module: str):
    """Import benchmarks/baselines/<module>.py by path (no package import needed)."""
    path = HERE / "baselines" / f"{module}.py"
    spec = importlib.util.spec_from_file_location(f"_bench_baseline_{module}", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def main(argv: list[str]) -> int:
    module, input_parquet, out_dir = argv
    t0 = time.perf_counter()
    mod = load_baseline(module)
    t1 = time.perf_counter()
    mod.run(input_parquet, out_dir)
    t2 = time.perf_counter()
    ru = resource.getrusage(resource.RUSAGE_SELF)
    print(json.dumps({
        "module": module,
        "import_seconds": round(t1 - t0, 4),
        "seconds": round(t2 - t1, 4),
        "maxrss_mb": round(ru.ru_maxrss / 1024, 1),
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
