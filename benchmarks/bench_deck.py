"""Benchmark: customer decks (`adoptscore deck`), one at a time and a whole portfolio, same run.

    python benchmarks/bench_deck.py                            # demo-sized store, 40 sampled decks, 500-deck portfolio
    python benchmarks/bench_deck.py --store demo-output/scores.duckdb --portfolio 500 --jobs 2

1. The score history: ``--store``, or a demo-sized one (2,000 accounts x 15 months, the bundled
   ``gitlab`` rubric) built once and cached in ``--data-dir``.
2. One deck at a time, in this process, for ``--sample`` accounts spread over the portfolio, the
   two variants interleaved account by account:
   * ``product``: ``render_pptx`` of the account's deck (text fitted to every box, colored native
     tables, formatted native charts, speaker notes, on the built-in template);
   * ``baseline`` (the ratio's denominator): benchmarks/baselines/deck_pptx.py, the same slides,
     tables, charts, texts and notes written directly with python-pptx's public API, unformatted.
   The product is also timed end to end (the account's scorecard read from the loaded history,
   the deck built, rendered and written atomically): that is the "per deck" figure.
3. A portfolio: the first ``--portfolio`` accounts of the latest period, written by
   ``run_portfolio`` (what ``adoptscore deck --all`` runs) with ``--jobs`` worker processes and the
   command's Rich progress bar; wall time includes starting the workers and loading the history
   in each. Every file is then opened with python-pptx and its slide count checked.

Results go to ``--results``/deck-<portfolio>.json (machine, load average, every figure).
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shutil
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _baseline():
    spec = importlib.util.spec_from_file_location("_deck_baseline", HERE / "baselines" / "deck_pptx.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.minimal_deck


def ensure_store(data_dir: Path, accounts: int, months: int) -> Path:
    path = data_dir / f"deck-store-{accounts}x{months}.duckdb"
    if path.exists():
        return path
    import adoptscore
    from adoptscore.demo import generate_usage
    from adoptscore.store import open_store

    data_dir.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    table = generate_usage(accounts=accounts, months=months, seed=42, end_period="2026-10")
    partial = path.with_suffix(".partial.duckdb")
    partial.unlink(missing_ok=True)
    open_store(partial).save(adoptscore.score(table, "gitlab"))
    partial.rename(path)
    print(f"built the score history {path} in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return path


def _stats(values: list[float]) -> dict:
    ordered = sorted(values)
    return {"n": len(values), "median": statistics.median(values), "p90": ordered[int(0.9 * (len(ordered) - 1))],
            "min": ordered[0], "max": ordered[-1], "mean": statistics.fmean(values)}


def single_decks(store: Path, sample: int, out: Path) -> dict:
    from adoptscore.deck.build import build_deck
    from adoptscore.deck.output import write_bytes_atomic
    from adoptscore.deck.powerpoint import render_pptx
    from adoptscore.deck.template import load_template
    from adoptscore.insights.account import account_view
    from adoptscore.insights.scorecard import Scorecard

    minimal_deck = _baseline()
    started = time.perf_counter()
    card = Scorecard(store)
    load_s = time.perf_counter() - started
    template = load_template()
    accounts = [r["account_id"] for r in card.rows("SELECT account_id FROM portfolio WHERE period = ? "
                                                   "ORDER BY account_id", [card.latest])]
    step = max(1, len(accounts) // sample)
    chosen = accounts[::step][:sample]
    out.mkdir(parents=True, exist_ok=True)
    warm = build_deck(account_view(card, chosen[0]), card.rubric)  # peer ranks of the period, imports
    render_pptx(warm, template)
    minimal_deck(warm)
    end_to_end, product, baseline, slides = [], [], [], []
    for account in chosen:
        t0 = time.perf_counter()
        deck = build_deck(account_view(card, account), card.rubric)
        t1 = time.perf_counter()
        blob = render_pptx(deck, template)
        t2 = time.perf_counter()
        write_bytes_atomic(out / f"{account}.pptx", blob)
        t3 = time.perf_counter()
        plain = minimal_deck(deck)
        t4 = time.perf_counter()
        end_to_end.append(t3 - t0)
        product.append(t2 - t1)
        baseline.append(t4 - t3)
        slides.append(len(deck.slides))
        assert plain and blob
    return {"accounts": len(chosen), "history_load_s": load_s, "slides_per_deck": statistics.median(slides),
            "end_to_end_s": _stats(end_to_end), "product_render_s": _stats(product),
            "baseline_render_s": _stats(baseline),
            "ratio_render_median": statistics.median(product) / statistics.median(baseline)}


def portfolio(store: Path, count: int, jobs: int, out: Path) -> dict:
    from pptx import Presentation
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    from adoptscore.deck.run import (
        DeckOptions,
        open_card,
        run_portfolio,
        select_accounts,
    )

    shutil.rmtree(out, ignore_errors=True)
    options = DeckOptions(store, formats=("pptx",))
    card = open_card(options)
    accounts = select_accounts(card, card.latest, limit=count)
    del card
    console = Console(stderr=True, force_terminal=True)
    started = time.perf_counter()
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=console) as progress:
        task = progress.add_task(f"{len(accounts)} decks, {jobs} workers", total=len(accounts))
        result = run_portfolio(options, accounts, out, jobs=jobs, on_deck=lambda n: progress.advance(task, n))
    wall = time.perf_counter() - started
    files = sorted(out.glob("*.pptx"))
    bad = [f.name for f in files if len(Presentation(str(f)).slides) < 10]
    busy = sum(result.deck_seconds)
    return {"decks": len(accounts), "jobs": jobs, "wall_s": wall, "per_deck_wall_s": wall / len(accounts),
            "decks_per_s": len(accounts) / wall, "worker_deck_s": _stats(result.deck_seconds),
            "worker_busy_s": busy, "cores_busy": busy / wall, "files": len(files), "failed": result.failed,
            "unreadable": bad}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--store", type=Path, help="score history to read (default: a cached demo-sized one)")
    parser.add_argument("--accounts", type=int, default=2000)
    parser.add_argument("--months", type=int, default=15)
    parser.add_argument("--sample", type=int, default=40, help="decks timed one by one")
    parser.add_argument("--portfolio", type=int, default=500, help="decks in the portfolio run")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--data-dir", type=Path, default=HERE / ".data")
    parser.add_argument("--results", type=Path, default=HERE / "results")
    args = parser.parse_args(argv)

    store = args.store or ensure_store(args.data_dir, args.accounts, args.months)
    load_before = os.getloadavg()
    single = single_decks(store, args.sample, args.data_dir / "deck-single")
    many = portfolio(store, args.portfolio, args.jobs, args.data_dir / "deck-portfolio")
    report = {"store": str(store), "cpu_count": os.cpu_count(), "loadavg_before": load_before,
              "loadavg_after": os.getloadavg(), "single": single, "portfolio": many}
    args.results.mkdir(parents=True, exist_ok=True)
    target = args.results / f"deck-{args.portfolio}.json"
    target.write_text(json.dumps(report, indent=2) + "\n")

    e2e, ours, base = single["end_to_end_s"], single["product_render_s"], single["baseline_render_s"]
    print(f"one deck ({single['accounts']} accounts, {single['slides_per_deck']:.0f} slides): "
          f"median {e2e['median']:.3f} s end to end (p90 {e2e['p90']:.3f} s); render {ours['median']:.3f} s vs "
          f"baseline {base['median']:.3f} s: ratio {single['ratio_render_median']:.2f}x")
    print(f"portfolio: {many['decks']} decks with {many['jobs']} workers in {many['wall_s']:.1f} s "
          f"({many['per_deck_wall_s']:.3f} s per deck, {many['decks_per_s']:.1f} decks/s); per deck in a worker "
          f"median {many['worker_deck_s']['median']:.3f} s; cores busy {many['cores_busy']:.2f} of {many['jobs']}")
    print(f"load average before {load_before[0]:.2f}, after {report['loadavg_after'][0]:.2f}; results: {target}")
    problems = []
    if many["failed"] or many["unreadable"] or many["files"] != many["decks"]:
        problems.append(f"{len(many['failed'])} failed, {len(many['unreadable'])} unreadable, "
                        f"{many['files']} files for {many['decks']} decks")
    if e2e["median"] >= 1.0:
        problems.append(f"median deck {e2e['median']:.3f} s is not under 1 s")
    for problem in problems:
        print("FAIL:", problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
