"""Benchmark: the scorecard web app under load, every page and API call, N accounts x M months.

    python benchmarks/bench_web.py                                   # 100k accounts x 24 months
    python benchmarks/bench_web.py --accounts 1000000 --label after  # the issue's scale
    python benchmarks/bench_web.py --accounts 20000 --seconds 20 --warmup 5   # a quick look

1. Demo usage for N accounts x M months is generated once and scored into a score store in the
   cache folder (``--cache``, default ``$ADOPTSCORE_BENCH_CACHE`` or ``/tmp/bench-cache``), reused by
   later runs and rebuilt when missing. The server's read model is cached beside the store by the
   server itself (``<store>.cache/``); ``--cold`` removes it first, so the start includes its build.
2. ``adoptscore serve --workers W`` starts as its own process, with a fresh team database. Every
   route of the app (read from ``app.routes`` of an app over a tiny store, so a new route is never
   forgotten: one the benchmark cannot drive is listed as NOT DRIVEN) is asked until it answers
   well; the seconds from the start to each route's first good answer, and to every worker saying
   it is warm, are the warm-up figures.
3. 10 s of load not counted (``--warmup``), then an open loop (the bar: Poisson arrivals at
   ``--rate`` per second over ``--open-clients`` connections, each latency counted from its
   scheduled arrival) and a closed loop (``--clients`` back to back: capacity). The mix: portfolio
   pages and their API with random filters, searches, sorts and pages, account pages and API for
   accounts from all over the id range (3% unknown ids), use-case pages, alerts, CSV downloads, meta,
   docs, OpenAPI, static files, and a few writes (notes, overrides set and ended, with the CSRF token).
4. Per route: n, p50, p95, p99 and max in ms; the server's own time (``Server-Timing``); per worker
   RSS, PSS, anonymous and file-backed PSS (``/proc/<pid>/smaps_rollup``: PSS splits a page shared
   by both workers between them, so a read model mapped by both counts once in the sum) at warm and
   at the peak under load; server CPU seconds beside wall seconds per phase; the load average.
   The table is printed and the figures written to ``--results`` (``web-<N>x<M>[-label].json``).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable
from urllib.parse import quote, urlencode

import httpx

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "results"
CACHE = Path(os.environ.get("ADOPTSCORE_BENCH_CACHE", "/tmp/bench-cache"))
_BIN = Path(sys.executable).parent / "adoptscore"
ADOPTSCORE = [str(_BIN)] if _BIN.exists() else [sys.executable, "-m", "adoptscore.cli"]
BAR_MS = 150.0
TICKS = os.sysconf("SC_CLK_TCK")


# -- the store --------------------------------------------------------------------------------
def prepare(cache: Path, accounts: int, months: int) -> Path:
    """The score store of ``accounts`` x ``months`` in ``cache``, generated and scored when missing."""
    cache.mkdir(parents=True, exist_ok=True)
    store = cache / f"web-{accounts}x{months}.duckdb"
    if store.exists():
        return store
    usage = cache / f"web-usage-{accounts}x{months}.parquet"
    if not usage.exists():
        from adoptscore.demo import write_usage

        print(f"generating {accounts:,} accounts x {months} months into {usage} ...", flush=True)
        write_usage(usage, accounts=accounts, months=months, seed=42)
    print(f"scoring into {store} ...", flush=True)
    started = time.perf_counter()
    partial = store.with_suffix(".partial.duckdb")
    partial.unlink(missing_ok=True)
    subprocess.run([*ADOPTSCORE, "score", str(usage), "--store", str(partial), "--quiet"], check=True)
    partial.rename(store)
    print(f"  scored and stored in {time.perf_counter() - started:.1f} s", flush=True)
    return store


def app_routes(cache: Path) -> list[tuple[str, str, str]]:
    """(name, method, path) of every route of the app as it is now, from an app over a tiny store."""
    from fastapi.routing import APIRoute
    from starlette.routing import Mount

    from adoptscore.web.app import create_app

    tiny = prepare(cache, 200, 3)
    with tempfile.TemporaryDirectory() as folder:
        app = create_app(tiny, team_database=Path(folder) / "team.sqlite")
        app.state.holder.close()
        found = []
        for route in app.routes:
            if isinstance(route, Mount):
                found.append((route.name or route.path, "GET", route.path + "/{path}"))
            elif isinstance(route, APIRoute) or hasattr(route, "methods"):
                for method in sorted(route.methods or ()):
                    if method != "HEAD":
                        found.append((route.name, method, route.path))
    return found


# -- the requests -----------------------------------------------------------------------------
@dataclass
class Call:
    """One request: the route's name (its kind), method, path and body; ``ok`` the good statuses."""

    kind: str
    method: str
    path: str
    ok: tuple[int, ...] = (200,)
    data: dict | None = None
    json: dict | None = None
    csrf: bool = False


@dataclass
class World:
    """What the requests are drawn from: the API's metadata, account ids, a review if one exists."""

    meta: dict
    accounts: list[str]
    reviews: list[str] = field(default_factory=list)


def _portfolio_params(w: World, rng: random.Random) -> list[tuple[str, str]]:
    params: list[tuple[str, str]] = [("period", rng.choice(w.meta["periods"]))]
    filters = w.meta["filters"]
    for column in ("segment", "industry", "tier", "owner"):
        if column in filters and rng.random() < 0.3:
            params.append((column, rng.choice(filters[column])))
    if rng.random() < 0.3:
        params.append(("color", rng.choice(["green", "yellow", "red"])))
    if rng.random() < 0.15:
        params.append(("dropped", "true"))
    if rng.random() < 0.15:
        params.append(("q", rng.choice(["acme", "labs", "bank", "A0001", "health"])))
    params.append(("sort", rng.choice(w.meta["sort_keys"])))
    params.append(("order", rng.choice(["asc", "desc"])))
    params.append(("page", "1" if rng.random() < 0.6 else str(rng.randint(1, 20))))
    return params


def _account(w: World, rng: random.Random) -> str:
    return quote(rng.choice(w.accounts), safe="")


def _period(w: World, rng: random.Random) -> str:
    periods = w.meta["periods"]
    return rng.choice(periods[-3:]) if rng.random() < 0.7 else rng.choice(periods)


def _use_case(w: World, rng: random.Random) -> str:
    return rng.choice([u["id"] for u in w.meta["use_cases"]])


def _color(rng: random.Random) -> str:
    return rng.choice(["green", "yellow", "red"])


def _review(w: World, rng: random.Random) -> str:
    return rng.choice(w.reviews)


# route name -> (share of the mix, how to make one of its requests). The shares follow what a team
# of account owners does: portfolio and account pages most, a few writes.
Maker = Callable[[World, random.Random], Call]
MIX: dict[str, tuple[float, Maker]] = {
    "page_portfolio": (0.21, lambda w, r: Call("page_portfolio", "GET", "/?" + urlencode(_portfolio_params(w, r)))),
    "api_portfolio": (0.09, lambda w, r: Call("api_portfolio", "GET",
                                              "/api/portfolio?" + urlencode(_portfolio_params(w, r)))),
    "page_portfolio_csv": (0.03, lambda w, r: Call("page_portfolio_csv", "GET", "/portfolio.csv?" + urlencode({
        "period": _period(w, r), "segment": r.choice(w.meta["filters"].get("segment", [""])),
        "industry": r.choice(w.meta["filters"].get("industry", [""]))}))),
    "page_account": (0.235, lambda w, r: Call("page_account", "GET", f"/accounts/{_account(w, r)}?period={_period(w, r)}")
                     if r.random() > 0.03 else
                     Call("page_account", "GET", f"/accounts/NO-SUCH-ACCOUNT-{r.randint(1, 10**6)}", ok=(404,))),
    "api_account": (0.10, lambda w, r: Call("api_account", "GET", f"/api/accounts/{_account(w, r)}?period={_period(w, r)}")),
    "page_use_case": (0.10, lambda w, r: Call("page_use_case", "GET",
                                              f"/use-cases/{_use_case(w, r)}?period={r.choice(w.meta['periods'])}")),
    "api_use_case": (0.045, lambda w, r: Call("api_use_case", "GET",
                                              f"/api/use-cases/{_use_case(w, r)}?period={r.choice(w.meta['periods'])}")),
    "page_alerts": (0.08, lambda w, r: Call("page_alerts", "GET", f"/alerts?period={r.choice(w.meta['periods'])}"
                                            f"&page={1 if r.random() < 0.7 else r.randint(1, 5)}")),
    "api_alerts": (0.035, lambda w, r: Call("api_alerts", "GET", f"/api/alerts?period={r.choice(w.meta['periods'])}"
                                            f"&page={1 if r.random() < 0.7 else r.randint(1, 5)}"
                                            + (f"&use_case={_use_case(w, r)}" if r.random() < 0.3 else ""))),
    "api_meta": (0.01, lambda w, r: Call("api_meta", "GET", "/api/meta")),
    "api_docs": (0.005, lambda w, r: Call("api_docs", "GET", "/api/docs")),
    "openapi": (0.005, lambda w, r: Call("openapi", "GET", "/api/openapi.json")),
    "static": (0.01, lambda w, r: Call("static", "GET", r.choice(["/static/app.css", "/static/app.js"]))),
    "health": (0.01, lambda w, r: Call("health", "GET", "/healthz")),
    "api_audit": (0.003, lambda w, r: Call("api_audit", "GET", "/api/audit?limit=50")),
    # writes: each client holds a session and its CSRF token (from a page), as a browser does
    "api_note": (0.004, lambda w, r: Call("api_note", "POST", f"/api/accounts/{_account(w, r)}/notes", ok=(201,),
                                          json={"body": "benchmark note", "use_case": _use_case(w, r)}, csrf=True)),
    "form_note": (0.003, lambda w, r: Call("form_note", "POST", f"/accounts/{_account(w, r)}/notes", ok=(303,),
                                           data={"body": "benchmark note"}, csrf=True)),
    "api_set_override": (0.003, lambda w, r: Call(
        "api_set_override", "POST", f"/api/accounts/{_account(w, r)}/overrides", ok=(201,),
        json={"use_case": _use_case(w, r), "color": _color(r), "reason": "benchmark", "days": 30}, csrf=True)),
    "form_override": (0.002, lambda w, r: Call(
        "form_override", "POST", f"/accounts/{_account(w, r)}/overrides", ok=(303,),
        data={"use_case": _use_case(w, r), "color": _color(r), "reason": "benchmark"}, csrf=True)),
    # an override that is not in force is a correct 404: the account is drawn at random
    "api_end_override": (0.002, lambda w, r: Call("api_end_override", "DELETE",
                                                  f"/api/accounts/{_account(w, r)}/overrides/{_use_case(w, r)}",
                                                  ok=(200, 404), csrf=True)),
    "form_end_override": (0.001, lambda w, r: Call("form_end_override", "POST",
                                                   f"/accounts/{_account(w, r)}/overrides/{_use_case(w, r)}/end",
                                                   ok=(303, 404), csrf=True)),
    "page_reviews": (0.003, lambda w, r: Call("page_reviews", "GET", "/reviews")),
    "api_reviews": (0.002, lambda w, r: Call("api_reviews", "GET", "/api/reviews")),
}
# routes that need a published review (adoptscore review publish): driven only when one exists
NEEDS_REVIEW = {
    "page_review": (0.003, lambda w, r: Call("page_review", "GET", f"/reviews/{_review(w, r)}")),
    "api_review": (0.002, lambda w, r: Call("api_review", "GET", f"/api/reviews/{_review(w, r)}")),
    "page_labels": (0.001, lambda w, r: Call("page_labels", "GET", f"/reviews/{_review(w, r)}/labels.csv")),
}
# routes a load of readers must not call: closing a review ends it for everyone
NOT_IN_THE_MIX = {"form_close", "api_close", "form_answer", "api_answer"}


def mix_for(routes: list[tuple[str, str, str]], world: World) -> tuple[list[tuple[float, Maker]], list[str]]:
    """The mix over the app's routes and the routes it cannot drive (named, never silently left out)."""
    makers = dict(MIX)
    if world.reviews:
        makers.update(NEEDS_REVIEW)
    chosen, missing = [], []
    for name, method, path in routes:
        if name in makers:
            chosen.append(makers[name])
        else:
            why = "needs a published review" if name in NEEDS_REVIEW else \
                "not in the mix (changes shared state)" if name in NOT_IN_THE_MIX else "the benchmark has no request for it"
            missing.append(f"{method} {path} ({name}): {why}")
    return chosen, missing


def draw(mix: list[tuple[float, Maker]], world: World, rng: random.Random) -> Call:
    total = sum(share for share, _ in mix)
    roll = rng.random() * total
    for share, make in mix:
        roll -= share
        if roll <= 0:
            return make(world, rng)
    return mix[-1][1](world, rng)


def send(http: httpx.Client, call: Call, token: str | None) -> httpx.Response:
    headers = {"x-csrf-token": token} if call.csrf and token and call.data is None else {}
    data = {**call.data, "csrf_token": token or ""} if call.data is not None else None
    return http.request(call.method, call.path, data=data, json=call.json, headers=headers, follow_redirects=False)


def session_token(http: httpx.Client) -> str | None:
    """Open a page as a browser does: the session cookie and the CSRF token its forms carry."""
    page = http.get("/api/docs")
    if page.status_code != 200:
        return None
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    if found:
        return found.group(1)
    account = http.get("/api/portfolio?page_size=1").json()["rows"][0]["account_id"]
    found = re.search(r'name="csrf_token" value="([^"]+)"', http.get(f"/accounts/{quote(account, safe='')}").text)
    return found.group(1) if found else None


def correct_404(call: Call, response: httpx.Response) -> bool:
    """A 404 that is right: a page past the end of a filtered selection, a period in which the
    account has no row (it started later or skipped a month)."""
    return response.status_code == 404 and ("page=" in call.path or "has no scores for period" in response.text)


# -- the server -------------------------------------------------------------------------------
def smaps(pid: int) -> dict[str, float]:
    """The process's memory in MB from /proc/<pid>/smaps_rollup (empty when it is gone)."""
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return {}
    values = {}
    for line in text.splitlines()[1:]:
        key, _, rest = line.partition(":")
        if rest.strip().endswith("kB"):
            values[key] = int(rest.split()[0]) / 1024
    private = values.get("Private_Clean", 0) + values.get("Private_Dirty", 0)
    return {"rss": values.get("Rss", 0), "pss": values.get("Pss", 0), "pss_anon": values.get("Pss_Anon", 0),
            "pss_file": values.get("Pss_File", 0), "anonymous": values.get("Anonymous", 0), "private": private}


def cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICKS


def children(pid: int) -> list[int]:
    out = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            out += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            pass
    return out


class Server:
    """``adoptscore serve`` as its own process, and its worker processes' memory and CPU."""

    def __init__(self, store: Path, port: int, workers: int, log: Path, team_db: Path):
        self.workers_wanted = workers
        self.log = log
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            [*ADOPTSCORE, "serve", "--store", str(store), "--port", str(port), "--workers", str(workers),
             "--team-db", str(team_db)],
            stdout=log.open("w"), stderr=subprocess.STDOUT, text=True)
        self.base = f"http://127.0.0.1:{port}"

    def workers(self) -> list[int]:
        """The processes answering requests: the children running the app (not multiprocessing's
        resource tracker), or the serve process itself with one worker."""
        if self.workers_wanted == 1:
            return [self.process.pid]
        found = []
        for pid in children(self.process.pid):
            try:
                command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
            except OSError:
                continue
            if "resource_tracker" not in command:
                found.append(pid)
        return sorted(found)

    def memory(self) -> dict[int, dict[str, float]]:
        return {pid: smaps(pid) for pid in self.workers()}

    def cpu(self) -> float:
        """CPU seconds of the server's processes so far (workers and the supervisor)."""
        return sum(cpu_seconds(pid) for pid in {self.process.pid, *self.workers()})

    def alive(self) -> None:
        if self.process.poll() is not None:
            raise RuntimeError("the server exited:\n" + self.log.read_text()[-4000:])

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()


def warm_up(server: Server, routes: list[tuple[str, str, str]], timeout: float) -> tuple[dict, World, list, list]:
    """Ask every route until it answers well; returns (seconds from start to each route's first good
    answer and to every worker warm, the world, the mix, the routes not driven)."""
    firsts: dict[str, float] = {}
    http = httpx.Client(base_url=server.base, timeout=120)
    deadline = time.perf_counter() + timeout
    while True:  # the first answer at all
        server.alive()
        try:
            if http.get("/healthz").status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if time.perf_counter() > deadline:
            raise RuntimeError("the server did not answer in time")
        time.sleep(0.2)
    firsts["(first answer)"] = time.perf_counter() - server.started
    world = World(http.get("/api/meta").json(), accounts_of(http))
    listed = http.get("/api/reviews")
    if listed.status_code == 200:
        body = listed.json()
        items = body.get("reviews", body) if isinstance(body, dict) else body
        world.reviews = [str(r["id"]) for r in items if isinstance(r, dict) and "id" in r]
    mix, missing = mix_for(routes, world)
    token = session_token(http)
    rng = random.Random(1)
    pending = {make(world, rng).kind: make for _, make in mix}
    warm_in_a_row, workers_warm = 0, None
    while pending or workers_warm is None:
        server.alive()
        if time.perf_counter() > deadline:
            raise RuntimeError(f"not warm after {timeout:.0f} s: still waiting for {sorted(pending)}"
                               + ("" if workers_warm else " and the workers' warm-up"))
        for kind, make in list(pending.items()):
            call = make(world, rng)
            try:
                response = send(http, call, token)
            except httpx.HTTPError:
                continue
            if response.status_code in call.ok or correct_404(call, response):
                firsts[kind] = time.perf_counter() - server.started
                del pending[kind]
        if workers_warm is None:
            state = http.get("/healthz").json()
            # with several workers a request reaches any one: ask until all answer warm
            warm_in_a_row = warm_in_a_row + 1 if state.get("periods_warm", 0) >= state.get("periods", 1) else 0
            if warm_in_a_row >= 10 * server.workers_wanted:
                workers_warm = time.perf_counter() - server.started
                firsts["(every worker warm)"] = workers_warm
            elif warm_in_a_row:
                continue
        time.sleep(0.2)
    http.close()
    return firsts, world, mix, missing


def accounts_of(http: httpx.Client, seed: int = 7) -> list[str]:
    """Account ids from all over the id range, not only the first page."""
    first = http.get("/api/portfolio", params={"page_size": 500, "sort": "account_id"}).json()
    accounts = [r["account_id"] for r in first["rows"]]
    pages = max(1, first["pages"])
    for page in random.Random(seed).sample(range(1, pages + 1), k=min(20, pages)):
        accounts += [r["account_id"] for r in http.get("/api/portfolio", params={
            "page_size": 500, "page": page, "sort": "account_id"}).json()["rows"]]
    return sorted(set(accounts))


# -- load ---------------------------------------------------------------------------------------
class Sampler:
    """Every worker's memory once a second while a phase runs: the peak per worker and figure."""

    def __init__(self, server: Server):
        self.server, self.peak = server, {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> "Sampler":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            for pid, figures in self.server.memory().items():
                worst = self.peak.setdefault(pid, {})
                for key, value in figures.items():
                    worst[key] = max(worst.get(key, 0.0), value)
            self._stop.wait(1.0)


def load(server: Server, world: World, mix: list, seconds: float, clients: int, seed: int,
         rate: float | None = None) -> dict:
    """Latencies per kind: closed loop (``clients`` back to back) or, with ``rate``, open loop
    (Poisson arrivals at ``rate`` per second served by up to ``clients`` connections)."""
    timings: dict[str, list[float]] = {}
    served: dict[str, list[float]] = {}
    errors: list[str] = []
    lock = threading.Lock()
    # every client is made, connected and given its session before the clock starts: making an
    # httpx client costs tens of milliseconds of the generator's own CPU, which would count as latency
    connections = [httpx.Client(base_url=server.base, timeout=120) for _ in range(clients)]
    tokens = [session_token(http) for http in connections]
    schedule: list[float] = []
    cpu0, rusage0, load0 = server.cpu(), os.times(), os.getloadavg()
    start = time.perf_counter()
    deadline = start + seconds
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
        with closing(connections[index]) as http:
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
                call = draw(mix, world, rng)
                try:
                    response = send(http, call, tokens[index])
                except httpx.HTTPError as exc:
                    with lock:
                        errors.append(f"{type(exc).__name__} {call.method} {call.path}")
                    continue
                elapsed = time.perf_counter() - arrival  # from arrival: waiting for a connection counts
                with lock:
                    if response.status_code not in call.ok and not correct_404(call, response):
                        errors.append(f"{response.status_code} {call.method} {call.path}")
                    timings.setdefault(call.kind, []).append(elapsed)
                    timing = response.headers.get("server-timing", "")
                    if timing.startswith("app;dur="):
                        served.setdefault(call.kind, []).append(float(timing[8:]) / 1000)

    with Sampler(server) as sampler:
        threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    wall = time.perf_counter() - start
    rusage1 = os.times()
    if errors:
        print(f"{len(errors)} requests failed, e.g. {errors[:5]}")
    return {"timings": timings, "served": served, "errors": errors, "wall_s": wall,
            "server_cpu_s": server.cpu() - cpu0,
            "generator_cpu_s": (rusage1.user - rusage0.user) + (rusage1.system - rusage0.system),
            "loadavg_before": load0, "loadavg_after": os.getloadavg(), "peak_memory": sampler.peak}


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def report(title: str, phase: dict, routes: list[tuple[str, str, str]]) -> dict:
    timings, served = phase["timings"], phase["served"]
    paths = {name: f"{method} {path}" for name, method, path in routes}
    everything = [t for values in timings.values() for t in values]
    print(f"\n{title}: {len(everything):,} requests in {phase['wall_s']:.1f} s ({len(everything) / phase['wall_s']:.1f}/s); "
          f"server CPU {phase['server_cpu_s']:.1f} s, load generator CPU {phase['generator_cpu_s']:.1f} s; "
          f"load average {phase['loadavg_before'][0]:.2f} -> {phase['loadavg_after'][0]:.2f}")
    print(f"{'route':22} {'':40} {'n':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8} {'server p95':>11}")
    rows = []
    for kind in sorted(timings, key=lambda k: -percentile(timings[k], 0.95)):
        values = timings[kind]
        row = {"route": kind, "path": paths.get(kind, ""), "n": len(values), "p50_ms": percentile(values, 0.5) * 1000,
               "p95_ms": percentile(values, 0.95) * 1000, "p99_ms": percentile(values, 0.99) * 1000,
               "max_ms": max(values) * 1000,
               "server_p50_ms": percentile(served[kind], 0.5) * 1000 if served.get(kind) else None,
               "server_p95_ms": percentile(served[kind], 0.95) * 1000 if served.get(kind) else None}
        rows.append(row)
        server_p95 = f"{row['server_p95_ms']:>11.1f}" if row["server_p95_ms"] is not None else f"{'':>11}"
        flag = "" if row["p95_ms"] <= BAR_MS else "  over the bar"
        print(f"{kind:22} {row['path'][:40]:40} {row['n']:>6} {row['p50_ms']:>8.1f} {row['p95_ms']:>8.1f} "
              f"{row['p99_ms']:>8.1f} {row['max_ms']:>8.1f} {server_p95}{flag}")
    worst = rows[0] if rows else None
    if worst:
        print(f"all requests: p50 {percentile(everything, 0.5) * 1000:.1f} ms, p95 {percentile(everything, 0.95) * 1000:.1f} ms; "
              f"slowest p95: {worst['route']} {worst['p95_ms']:.1f} ms (bar: {BAR_MS:g} ms)")
    return {"requests": len(everything), "per_second": len(everything) / phase["wall_s"], "wall_s": phase["wall_s"],
            "server_cpu_s": phase["server_cpu_s"], "generator_cpu_s": phase["generator_cpu_s"],
            "loadavg_before": phase["loadavg_before"], "loadavg_after": phase["loadavg_after"],
            "errors": len(phase["errors"]), "error_examples": phase["errors"][:10],
            "peak_memory_mb": {str(pid): m for pid, m in phase["peak_memory"].items()}, "routes": rows,
            "worst_p95_ms": worst["p95_ms"] if worst else None}


def print_memory(title: str, memory: dict) -> None:
    print(f"\n{title}")
    print(f"{'worker pid':>10} {'RSS MB':>8} {'PSS MB':>8} {'PSS anon':>9} {'PSS file':>9} {'private':>8}")
    for pid, m in sorted(memory.items()):
        print(f"{pid:>10} {m.get('rss', 0):>8.0f} {m.get('pss', 0):>8.0f} {m.get('pss_anon', 0):>9.0f} "
              f"{m.get('pss_file', 0):>9.0f} {m.get('private', 0):>8.0f}")


def read_model_size(store: Path) -> float:
    folder = store.with_name(store.name + ".cache")
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 2**20 if folder.exists() else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--accounts", type=int, default=100_000)
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--seconds", type=float, default=60, help="length of each load phase")
    parser.add_argument("--rate", type=float, default=20.0, help="open-loop arrivals per second")
    parser.add_argument("--clients", type=int, default=4, help="connections of the closed loop (back to back)")
    parser.add_argument("--open-clients", type=int, default=16, help="connections of the open loop")
    parser.add_argument("--workers", type=int, default=2, help="server processes (serve --workers; one per core)")
    parser.add_argument("--warmup", type=float, default=10, help="seconds of load before measuring (not counted)")
    parser.add_argument("--warm-timeout", type=float, default=1800, help="give up when not warm after this long")
    parser.add_argument("--no-closed", action="store_true", help="skip the closed loop")
    parser.add_argument("--cold", action="store_true", help="remove the cached read model first (the start builds it)")
    parser.add_argument("--port", type=int, default=8791)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--cache", type=Path, default=CACHE, help="where stores are generated and kept")
    parser.add_argument("--results", type=Path, default=RESULTS)
    parser.add_argument("--label", default="", help="added to the JSON file's name (e.g. before, after)")
    args = parser.parse_args()

    routes = app_routes(args.cache)
    store = prepare(args.cache, args.accounts, args.months)
    if args.cold:
        shutil.rmtree(store.with_name(store.name + ".cache"), ignore_errors=True)
    run_folder = Path(tempfile.mkdtemp(prefix="bench-web-", dir=args.cache))
    print(f"\n{args.accounts:,} accounts x {args.months} months, serve --workers {args.workers}; "
          f"load average {os.getloadavg()[0]:.2f}", flush=True)
    server = Server(store, args.port, args.workers, run_folder / "serve.log", run_folder / "team.sqlite")
    try:
        firsts, world, mix, missing = warm_up(server, routes, args.warm_timeout)
        warm_memory = server.memory()
        warm_cpu = server.cpu()
        print(f"\nwarm-up: seconds from start to the first good answer (server CPU {warm_cpu:.1f} s)")
        for kind, seconds in sorted(firsts.items(), key=lambda kv: kv[1]):
            print(f"  {kind:28} {seconds:7.1f}")
        for line in missing:
            print(f"  NOT DRIVEN: {line}")
        print_memory("memory when warm (MB)", warm_memory)
        load(server, world, mix, args.warmup, args.clients, args.seed + 1)  # not counted
        phases = {"open_loop": load(server, world, mix, args.seconds, args.open_clients, args.seed, rate=args.rate)}
        if not args.no_closed:
            phases["closed_loop"] = load(server, world, mix, args.seconds, args.clients, args.seed + 2)
        end_memory = server.memory()
    finally:
        server.stop()
    figures = {"accounts": args.accounts, "months": args.months, "workers": args.workers, "label": args.label,
               "when": time.strftime("%Y-%m-%d %H:%M:%S"), "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                                                                       "kernel": platform.release()},
               "read_model_mb": read_model_size(store), "cold": args.cold,
               "warm_s": firsts, "warm_cpu_s": warm_cpu, "warm_memory_mb": {str(p): m for p, m in warm_memory.items()},
               "end_memory_mb": {str(p): m for p, m in end_memory.items()}, "not_driven": missing}
    titles = {"open_loop": f"open loop, {args.rate:g} arrivals/s over {args.open_clients} connections",
              "closed_loop": f"closed loop, {args.clients} clients back to back"}
    for name, phase in phases.items():
        figures[name] = report(titles[name], phase, routes)
    for name, phase in phases.items():
        print_memory(f"peak memory during the {name.replace('_', ' ')} (MB)", phase["peak_memory"])
    print_memory("memory at the end (MB)", end_memory)
    worst_rss = max((m.get("rss", 0) for phase in phases.values() for m in phase["peak_memory"].values()), default=0)
    worst_pss = max((m.get("pss", 0) for phase in phases.values() for m in phase["peak_memory"].values()), default=0)
    ready = max(firsts.values())
    open_worst = figures["open_loop"]["worst_p95_ms"]
    print(f"\nsummary: warm in {ready:.1f} s (bar 60 s); open-loop worst route p95 {open_worst:.1f} ms (bar {BAR_MS:g} ms); "
          f"peak per worker RSS {worst_rss:.0f} MB, PSS {worst_pss:.0f} MB (bar 1,536 MB); "
          f"read model on disk {figures['read_model_mb']:.0f} MB")
    args.results.mkdir(parents=True, exist_ok=True)
    out = args.results / f"web-{args.accounts}x{args.months}{'-' + args.label if args.label else ''}.json"
    out.write_text(json.dumps(figures, indent=2))
    print(f"figures: {out}")
    shutil.rmtree(run_folder, ignore_errors=True)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    main()
