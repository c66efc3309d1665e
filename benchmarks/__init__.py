"""Same-run performance benchmarks of adoptscore against hand-written baselines.

See benchmarks/README.md. The modules here are loaded by file path (see
``bench_score.load_baseline``), so they work both as scripts and from the tests.
"""
