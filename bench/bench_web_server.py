"""Server mode on PostgreSQL under 50 concurrent connections (issue 17).

Targets: p95 <= 100 ms for every main page, <= 250 ms for the tracker and a program page; one
session lookup per request; app CPU per cached page <= 1.5 ms.

`uvicorn --workers 2` (the app factory, multi-user mode) on a throwaway PostgreSQL cluster on
loopback (tests/pg_cluster.py) holding 13,000 generated (fictional) programs; one account with
the fictional example profile and 20 tracked programs, signed in by its session cookie. `wrk`
(apt-get install wrk) in its own process: 50 connections, each sending its next request as soon
as the last is answered; three rounds of 8 s per page, the spread being the range over rounds.
The workers' CPU time (user + system) is divided by the requests wrk counted; the statements and
transactions of one request are counted in-process (SQLAlchemy events) on the same database.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import psutil
from sqlalchemy import event
from sqlalchemy.engine import Engine

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parents[1] / "tests"))

from _report import how_busy, others_running, write_section
from bench_web import (
    CONNECTIONS,
    EXAMPLE,
    LUA,
    PROGRAMS,
    free_port,
    load_programs,
    start_server,
    warm,
    wrk,
)
from matchready.bootstrap import bootstrap
from matchready.domain.tracker_records import ApplicationRecord, ChangeRecord
from matchready.io.profile import dump_profile, load_profile
from matchready.services.accounts import register
from matchready.services.tracker import Tracking
from matchready.settings import Settings
from matchready.web.auth import SESSION_COOKIE
from pg_cluster import MISSING, Cluster, pg_bindir

SECONDS = 8
ROUNDS = 3
TRACKED = 20
MAIN = [
    "/",
    "/profile",
    "/plan",
    "/odds?ranks=5",
    "/specialties",
    "/programs",
    "/programs?specialty=IM",
    "/list?specialty=IM",
    "/calendar",
    "/costs",
    "/facts",
    "/api/plan",
]
SLOWER = ["/tracker", "/programs/{program}", "/tracker/program/{code}"]
"""The pages with the 250 ms target (the tracker and a program page)."""


def _setup(url: str, data: Path) -> tuple[str, str, str]:
    """The account, its profile and tracker; its session id, the first tracked program's key
    and its NRMP code (the tracker's key)."""
    settings = Settings(database_url=url, data_dir=data, multi_user=True, secret_key="bench")
    with bootstrap(settings) as runtime:
        assert runtime.accounts is not None and runtime.sessions is not None
        password = "correct horse battery staple 42"
        account = register(runtime.accounts, "bench@example.org", password)
        session = runtime.sessions.create(account.id, time.time() + 6 * 3600)
        runtime.profiles.write(account.id, dump_profile(load_profile(EXAMPLE)))
        with runtime.units() as unit:
            # one NRMP code names the track of a program that has several
            chosen = [p for p in unit.programs.all() if p.codes][:TRACKED]
        for program in chosen:
            code = program.codes[0].code
            Tracking(runtime.units(), account.id, runtime.facts).add(
                ApplicationRecord.parse({"program": code, "note": ""}),
                ChangeRecord.parse({"program": code, "state": "planned"}),
            )
    return session, chosen[0].key, chosen[0].codes[0].code


def _count_queries(url: str, data: Path, session: str, paths: list[str]) -> dict[str, str]:
    """Per page: statements / transactions / session lookups of one warm request."""
    from fastapi.testclient import TestClient

    from matchready.web.app import create_app

    counts = {"statements": 0, "begins": 0, "sessions": 0}

    def on_statement(*args: object) -> None:
        counts["statements"] += 1
        if "FROM sessions" in str(args[2]):
            counts["sessions"] += 1

    def on_begin(*_: object) -> None:
        counts["begins"] += 1

    event.listen(Engine, "before_cursor_execute", on_statement)
    event.listen(Engine, "begin", on_begin)
    out: dict[str, str] = {}
    settings = Settings(database_url=url, data_dir=data, multi_user=True, secret_key="bench")
    try:
        app = create_app(settings)
        with TestClient(app, base_url="http://127.0.0.1") as client:
            client.cookies.set(SESSION_COOKIE, session)
            for path in paths:
                for _ in range(2):  # builds the caches
                    assert client.get(path).status_code == 200, path
                counts.update(statements=0, begins=0, sessions=0)
                tries = 5
                for _ in range(tries):
                    client.get(path)
                out[path] = (
                    f"{counts['statements'] / tries:g} / {counts['begins'] / tries:g} / "
                    f"{counts['sessions'] / tries:g}"
                )
    finally:
        event.remove(Engine, "before_cursor_execute", on_statement)
        event.remove(Engine, "begin", on_begin)
    return out


def _cpu_seconds(server: psutil.Process) -> float:
    total = 0.0
    for process in [server, *server.children(recursive=True)]:
        try:
            times = process.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += times.user + times.system
    return total


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--only",
        metavar="TEXT",
        help="time only the pages whose path contains TEXT (prints, writes no section)",
    )
    only = parser.parse_args().only
    bindir = pg_bindir()
    if bindir is None:
        print(MISSING)
        return 1
    data = Path(tempfile.mkdtemp())
    with Cluster(bindir, max_connections=200) as cluster:
        cluster.create_database("matchready")
        url = cluster.database_url("matchready")
        load_programs(data, url)
        session, program, code = _setup(url, data)
        paths = MAIN + [p.format(program=program, code=code) for p in SLOWER]
        queries = _count_queries(url, data, session, paths)
        script = data / "p95.lua"
        script.write_text(LUA)
        port = free_port()
        load_before, busy_before = os.getloadavg()[0], others_running()
        env = {"MATCHREADY_DATABASE_URL": url, "MATCHREADY_MULTI_USER": "true"}
        try:
            server = start_server(data, port, env, probe="/login")
        except RuntimeError:
            print((cluster.base / "log").read_text()[-4000:])  # why PostgreSQL refused
            raise
        rows = [
            "| page | requests | non-2xx | p50 ms | p95 ms (range over rounds) | p99 ms "
            "| app CPU ms / request | statements / transactions / session lookups |",
            "|---|---|---|---|---|---|---|---|",
        ]
        worst = {False: 0.0, True: 0.0}
        cpu_cached: list[float] = []
        try:
            process = psutil.Process(server.pid)
            for path, template in zip(paths, MAIN + SLOWER, strict=True):
                if only is not None and only not in template:
                    continue
                target = f"http://127.0.0.1:{port}{path}"
                cookie = [f"Cookie: {SESSION_COOKIE}={session}"]
                warm(target, cookie)
                results, cpus = [], []
                for _ in range(ROUNDS):
                    before = _cpu_seconds(process)
                    result = wrk(target, script, SECONDS, cookie)
                    cpus.append(1000 * (_cpu_seconds(process) - before) / max(result.requests, 1))
                    results.append(result)
                requests = sum(r.requests for r in results)
                bad = sum(r.bad for r in results)
                p95s = sorted(r.p95 for r in results)
                p50 = statistics.median(r.p50 for r in results)
                p99 = statistics.median(r.p99 for r in results)
                slower = template in SLOWER
                worst[slower] = max(worst[slower], p95s[-1])
                cpu = statistics.median(cpus)
                if not slower:
                    cpu_cached.append(cpu)
                shown = template.replace("{program}", "KEY").replace("{code}", "CODE")
                p95 = statistics.median(p95s)
                rows.append(
                    f"| `{shown}` | {requests} | {bad} | {p50:.1f} | {p95:.1f} "
                    f"({p95s[0]:.1f}-{p95s[-1]:.1f}) | {p99:.1f} | {cpu:.2f} "
                    f"({min(cpus):.2f}-{max(cpus):.2f}) | {queries[path]} |"
                )
                print(rows[-1], flush=True)
        finally:
            server.terminate()
            server.wait(timeout=20)
    load_after = os.getloadavg()[0]
    body = (
        "## Web pages, server mode on PostgreSQL (issue 17)\n\n"
        f"`uvicorn --workers 2`, multi-user mode, PostgreSQL {bindir.parent.name} on loopback "
        f"(fsync off); {PROGRAMS:,} generated (fictional) programs; one signed-in account with "
        f"the example profile and {TRACKED} tracked programs. `wrk` with {CONNECTIONS} "
        f"connections, {ROUNDS} rounds of {SECONDS} s per page (figures: the median round, "
        "the range over rounds in brackets); wrk shares the 2 cores with the server and "
        "PostgreSQL. App CPU: the workers' user + system time over the requests served. "
        "Statements / transactions / session lookups: one warm request, counted in-process.\n\n"
        + "\n".join(rows)
        + "\n\nTargets: main pages p95 <= 100 ms "
        f"**{'met' if worst[False] <= 100 else 'not met'}** (worst round {worst[False]:.0f} ms); "
        f"tracker and program pages p95 <= 250 ms "
        f"**{'met' if worst[True] <= 250 else 'not met'}** (worst round {worst[True]:.0f} ms); "
        f"app CPU per cached page <= 1.5 ms: worst median "
        f"{max(cpu_cached, default=0):.2f} ms.\n\n"
        f"{how_busy(busy_before)}: load average {load_before:.1f} before the run (busiest "
        f"processes: {busy_before}), {load_after:.1f} after."
    )
    if only is None:
        write_section("web-server", body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
