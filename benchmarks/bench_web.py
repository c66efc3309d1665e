"""Benchmark: the scorecard web app under load, 100,000 accounts x 12 months.

    python benchmarks/bench_web.py                          # 100k accounts x 12 months, 60 s of load
    python benchmarks/bench_web.py --accounts 20000 --seconds 20 --rate 40 --workers 1
    python benchmarks/bench_web.py --trace trace.csv        # also every request, for finding stalls

1. Demo usage for N accounts x M months is generated once into benchmarks/.data and scored into a
   score store there (``adoptscore score --store``), reused on later runs.
2. ``adoptscore serve`` starts as its own process; the load starts once it reports peers warm.
3. A load generator (a separate process) sends a mix of every page and API call: portfolio pages
   with random filters, searches, sorts and page numbers, CSV downloads of a filtered selection,
   account pages and their API for random accounts and periods, use-case pages, alerts, the API
   metadata, docs and OpenAPI document, static files, and unknown accounts (a 404 page).
   - open loop (the bar): requests arrive at ``--rate`` per second (Poisson), whether or not
     earlier ones have finished, and each latency counts from its arrival, so a server that
     falls behind shows it;
   - closed loop (capacity): ``--clients`` clients send back to back; this gives the throughput
     and the latency when the server is saturated.
4. It prints p50/p95/p99 latency per kind of request, and the ratio of each p95 to the p95 of
   ``/healthz`` measured in the same run (the floor: HTTP, routing and JSON with no query).
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import random
import subprocess
import sys
import threading
import time
from contextlib import closing
from pathlib import Path
from urllib.parse import urlencode

import httpx

HERE = Path(__file__).resolve().parent
DATA = HERE / ".data"
ROOT = HERE.parent
ADOPTSCORE = [sys.executable, "-m", "adoptscore.cli"] if not (Path(sys.executable).parent / "adoptscore").exists() \
    else [str(Path(sys.executable).parent / "adoptscore")]


def prepare(accounts: int, months: int) -> Path:
    DATA.mkdir(exist_ok=True)
    store = DATA / f"web-{accounts}x{months}.duckdb"
    if store.exists():
        return store
    usage = DATA / f"web-usage-{accounts}x{months}.parquet"
    if not usage.exists():
        from adoptscore.demo import write_usage

        print(f"generating {accounts:,} accounts x {months} months ...", flush=True)
        write_usage(usage, accounts=accounts, months=months, seed=42)
    print("scoring into the store ...", flush=True)
    started = time.perf_counter()
    partial = store.with_suffix(".partial.duckdb")
    partial.unlink(missing_ok=True)
    subprocess.run([*ADOPTSCORE, "score", str(usage), "--store", str(partial), "--quiet"], check=True)
    partial.rename(store)
    print(f"  scored and stored in {time.perf_counter() - started:.1f} s", flush=True)
    return store


def start_server(store: Path, port: int, workers: int = 1) -> subprocess.Popen:
    log = open(DATA / "serve.log", "w")  # noqa: SIM115 - the server's output, read when it fails
    process = subprocess.Popen([*ADOPTSCORE, "serve", "--store", str(store), "--port", str(port), "--workers", str(workers)],
                               stdout=log, stderr=subprocess.STDOUT, text=True)
    started = time.perf_counter()
    url = f"http://127.0.0.1:{port}/healthz"
    warm_in_a_row = 0  # with several workers a request reaches any one: ask until all answer warm
    while True:
        if process.poll() is not None:
            raise RuntimeError("the server exited: " + (DATA / "serve.log").read_text())
        try:
            state = httpx.get(url, timeout=2).json()
            warm_in_a_row = warm_in_a_row + 1 if state.get("periods_warm", 0) >= state.get("periods", 1) else 0
            if warm_in_a_row >= 10 * workers:
                break
            if warm_in_a_row:
                continue
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    print(f"server ready (read model open, every period's reports warm) in {time.perf_counter() - started:.1f} s", flush=True)
    return process


def request_mix(meta: dict, accounts: list[str], rng: random.Random) -> tuple[str, str]:
    """(kind, path) of one request, drawn from the mix a team of account owners would make."""
    periods = meta["periods"]
    filters = meta["filters"]
    use_cases = [u["id"] for u in meta["use_cases"]]
    roll = rng.random()
    if roll < 0.30:
        params: list[tuple[str, str]] = [("period", rng.choice(periods))]
        for column in ("segment", "industry", "tier", "owner"):
            if column in filters and rng.random() < 0.3:
                params.append((column, rng.choice(filters[column])))
        if rng.random() < 0.3:
            params.append(("color", rng.choice(["green", "yellow", "red"])))
        if rng.random() < 0.15:
            params.append(("dropped", "true"))
        if rng.random() < 0.15:
            params.append(("q", rng.choice(["acme", "labs", "bank", "A0001", "health"])))
        params.append(("sort", rng.choice(meta["sort_keys"])))
        params.append(("order", rng.choice(["asc", "desc"])))
        page = 1 if rng.random() < 0.6 else rng.randint(1, 20)
        kind = "portfolio" if rng.random() < 0.7 else "api_portfolio"
        path = "/" if kind == "portfolio" else "/api/portfolio"
        return kind, path + "?" + urlencode(params + [("page", str(page))])
    if roll < 0.65:
        if rng.random() < 0.03:
            # a mistyped or stale link: the error page must be as quick as the rest
            return "not_found", f"/accounts/NO-SUCH-ACCOUNT-{rng.randint(1, 10**6)}"
        account = rng.choice(accounts)
        period = rng.choice(periods[-3:]) if rng.random() < 0.7 else rng.choice(periods)
        kind = "account" if rng.random() < 0.7 else "api_account"
        return kind, ("/accounts/" if kind == "account" else "/api/accounts/") + account + "?period=" + period
    if roll < 0.80:
        kind = "use_case" if rng.random() < 0.7 else "api_use_case"
        base = "/use-cases/" if kind == "use_case" else "/api/use-cases/"
        return kind, base + rng.choice(use_cases) + "?period=" + rng.choice(periods)
    if roll < 0.92:
        kind = "alerts" if rng.random() < 0.7 else "api_alerts"
        page = 1 if rng.random() < 0.7 else rng.randint(1, 5)
        return kind, ("/alerts" if kind == "alerts" else "/api/alerts") + f"?period={rng.choice(periods)}&page={page}"
    if roll < 0.95:
        segment = rng.choice(filters.get("segment", [""]))
        industry = rng.choice(filters.get("industry", [""]))
        return "portfolio_csv", "/portfolio.csv?" + urlencode({"segment": segment, "industry": industry})
    if roll < 0.96:
        return "api_meta", "/api/meta"
    if roll < 0.97:
        return ("api_docs", "/api/docs") if rng.random() < 0.5 else ("openapi", "/api/openapi.json")
    if roll < 0.98:
        return "static", rng.choice(["/static/app.css", "/static/app.js"])
    return "healthz", "/healthz"


def accounts_of(base: str, seed: int) -> tuple[dict, list[str]]:
    meta = httpx.get(base + "/api/meta", timeout=30).json()
    first = httpx.get(base + "/api/portfolio", params={"page_size": 500}, timeout=30).json()
    accounts = [r["account_id"] for r in first["rows"]]
    # accounts from all over the id range, not only the first page
    total = first["total"]
    for page in random.Random(seed).sample(range(1, max(2, total // 500)), k=min(20, max(1, total // 500 - 1))):
        accounts += [r["account_id"] for r in httpx.get(base + "/api/portfolio", params={"page_size": 500, "page": page},
                                                       timeout=30).json()["rows"]]
    return meta, accounts


def load(base: str, seconds: float, clients: int, seed: int, rate: float | None = None,
         trace: list[tuple] | None = None) -> dict[str, list[float]]:
    """Latencies per kind: closed loop (``clients`` back to back) or, with ``rate``, open loop
    (Poisson arrivals at ``rate`` per second served by up to ``clients`` connections). ``trace``
    receives (arrival s, kind, status, latency ms, server ms, path) per request."""
    meta, accounts = accounts_of(base, seed)
    timings: dict[str, list[float]] = {}
    errors: list[str] = []
    lock = threading.Lock()
    # every client is made and connected before the clock starts: making an httpx client costs
    # tens of milliseconds of the generator's own CPU, which would count as the server's latency
    connections = [httpx.Client(base_url=base, timeout=60) for _ in range(clients)]
    for http in connections:
        http.get("/healthz")
    start = time.perf_counter()
    deadline = start + seconds
    schedule: list[float] = []
    if rate:
        arrivals, t = random.Random(seed), start
        while t < deadline:
            t += arrivals.expovariate(rate)
            schedule.append(t)
    cursor = [0]

    def next_arrival() -> float | None:
        with lock:
            if cursor[0] >= len(schedule):
                return None
            cursor[0] += 1
            return schedule[cursor[0] - 1]

    def client(index: int) -> None:
        rng = random.Random(seed * 1000 + index)
        with closing(connections[index]) as http:  # already open: no second __enter__
            while True:
                if rate:
                    arrival = next_arrival()
                    if arrival is None:
                        return
                    time.sleep(max(0.0, arrival - time.perf_counter()))
                else:
                    arrival = time.perf_counter()
                    if arrival >= deadline:
                        return
                kind, path = request_mix(meta, accounts, rng)
                response = http.get(path)
                elapsed = time.perf_counter() - arrival  # from arrival: waiting for a connection counts
                with lock:
                    # correct 404s: a random page past the end of a filtered selection, and a
                    # random period in which the account has no row (it started later, or skipped a month)
                    correct_404 = response.status_code == 404 and (
                        "page=" in path or "has no scores for period" in response.text)
                    expected = 404 if kind == "not_found" else 200
                    if response.status_code != expected and not correct_404:
                        errors.append(f"{response.status_code} {path}")
                    timings.setdefault(kind, []).append(elapsed)
                    timing = response.headers.get("server-timing", "")
                    served = float(timing[8:]) if timing.startswith("app;dur=") else None
                    if served is not None:
                        timings.setdefault("server:" + kind, []).append(served / 1000)
                    if trace is not None:
                        trace.append((round(arrival - start, 4), kind, response.status_code, round(elapsed * 1000, 1),
                                      served, path))

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        print(f"{len(errors)} requests failed, e.g. {errors[:3]}")
    return timings


def report(title: str, timings: dict[str, list[float]], seconds: float) -> dict:
    floor = percentile(timings.get("healthz", [0.001]), 0.95)
    # client kinds: from arrival to the last byte; server:<kind>: the app's own Server-Timing
    everything = [t for kind, values in timings.items() if not kind.startswith("server:") for t in values]
    served = [t for kind, values in timings.items() if kind.startswith("server:") for t in values]
    rows = []
    print(f"\n{title}: {len(everything):,} requests in {seconds:g} s ({len(everything) / seconds:.1f}/s)")
    print(f"{'request':16} {'n':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8} {'p95/healthz':>12}")
    for kind in sorted(timings):
        values = timings[kind]
        row = {"kind": kind, "n": len(values), "p50": percentile(values, 0.5) * 1000, "p95": percentile(values, 0.95) * 1000,
               "p99": percentile(values, 0.99) * 1000, "max": max(values) * 1000,
               "ratio": percentile(values, 0.95) / floor if floor else None}
        rows.append(row)
        print(f"{kind:16} {row['n']:>6} {row['p50']:>8.1f} {row['p95']:>8.1f} {row['p99']:>8.1f} {row['max']:>8.1f} "
              f"{row['ratio']:>12.1f}")
    worst = max((r for r in rows if not r["kind"].startswith("server:")), key=lambda r: r["p95"])
    print(f"all requests: p50 {percentile(everything, 0.5) * 1000:.1f} ms, p95 {percentile(everything, 0.95) * 1000:.1f} ms; "
          f"slowest p95: {worst['kind']} {worst['p95']:.1f} ms (bar: 150 ms)")
    if served:
        print(f"inside the server: p50 {percentile(served, 0.5) * 1000:.1f} ms, p95 {percentile(served, 0.95) * 1000:.1f} ms, "
              f"p99 {percentile(served, 0.99) * 1000:.1f} ms")
    return {"requests": len(everything), "per_second": len(everything) / seconds, "rows": rows}


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--accounts", type=int, default=100_000)
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--seconds", type=float, default=60, help="length of each load phase")
    parser.add_argument("--rate", type=float, default=20.0, help="open-loop arrivals per second")
    parser.add_argument("--clients", type=int, default=4, help="connections (closed loop: clients back to back)")
    parser.add_argument("--open-clients", type=int, default=16, help="connections for the open loop")
    parser.add_argument("--workers", type=int, default=2, help="server processes (serve --workers; one per core)")
    parser.add_argument("--warmup", type=float, default=10, help="seconds of load before measuring (not counted)")
    parser.add_argument("--port", type=int, default=8791)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--trace", type=Path, help="write every measured request here (CSV: phase, arrival s, kind, "
                                                   "status, latency ms, server ms, path)")
    args = parser.parse_args()
    store = prepare(args.accounts, args.months)
    server = start_server(store, args.port, args.workers)
    try:
        base = f"http://127.0.0.1:{args.port}"
        load(base, args.warmup, args.clients, args.seed + 1)  # warm-up, not counted
        traces: dict[str, list[tuple]] = {"open": [], "closed": []}
        open_loop = load(base, args.seconds, args.open_clients, args.seed, rate=args.rate, trace=traces["open"])
        closed_loop = load(base, args.seconds, args.clients, args.seed + 2, trace=traces["closed"])
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(f"\n{args.accounts:,} accounts x {args.months} months, serve --workers {args.workers}")
    figures = {"accounts": args.accounts, "months": args.months, "workers": args.workers, "seconds": args.seconds,
               "open_loop": {"rate": args.rate, **report(f"open loop, {args.rate:g} arrivals/s", open_loop, args.seconds)},
               "closed_loop": {"clients": args.clients,
                               **report(f"closed loop, {args.clients} clients back to back", closed_loop, args.seconds)}}
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))
    if args.trace:
        with args.trace.open("w", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(["phase", "arrival_s", "kind", "status", "latency_ms", "server_ms", "path"])
            writer.writerows((phase, *row) for phase, rows in traces.items() for row in sorted(rows))


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    main()
