"""The user's path through the Match engine, side by side with ``solve`` (issue 19).

Run: .venv/bin/python bench/bench_match_user.py [--seeds 0 1] [--repeats 3] [--no-write].
For each national seed: ``solve(MarketArrays)`` (the simulator's entry), ``run_match`` on a
fresh ``Instance`` (what a library user calls), ``matchready match run FILE`` as a user runs it
(a new process: Python start, imports, reading and validating the JSON, the Match, the summary;
and with ``-o`` writing the result), and the cold first run (the same command with an empty numba
cache, so the engine compiles). Figures are wall seconds: median and range of ``--repeats``
runs (one cold run per seed), with the peak resident memory of the CLI process.
"""

from __future__ import annotations

import argparse
import os
import pickle
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _report import machine, others_running, publish
from matchready.match import generate, run_match, solve, to_arrays, write_instance

CLI = [str(Path(sys.executable).parent / "matchready")]


def timed(call: object, repeats: int) -> list[float]:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        call()  # type: ignore[operator]
        times.append(time.perf_counter() - started)
    return times


def cli(args: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one CLI run in a new process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    subprocess.run([*CLI, *args], check=True, capture_output=True, env=env)
    wall = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return wall, max(peak, before) / 1024


def shown(times: list[float]) -> str:
    if len(times) == 1:
        return f"{times[0]:.2f}"
    return f"{statistics.median(times):.2f} ({min(times):.2f}-{max(times):.2f})"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    before = others_running()
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for seed in args.seeds:
            instance = generate("national", seed)
            path = Path(folder) / f"national-{seed}.json"
            write_instance(instance, path)
            arrays = to_arrays(instance)
            solve(arrays)  # compile or load the engine once
            solve_times = timed(lambda arrays=arrays: solve(arrays), args.repeats)
            run_times = []
            blob = pickle.dumps(instance)
            for _ in range(args.repeats):
                fresh = pickle.loads(blob)  # a new Instance: nothing cached with it
                started = time.perf_counter()
                result = run_match(fresh)
                run_times.append(time.perf_counter() - started)
            cli(["match", "run", str(path)])  # warm the page cache
            warm = [cli(["match", "run", str(path)]) for _ in range(args.repeats)]
            out = Path(folder) / "result.json"
            written = [
                cli(["match", "run", str(path), "-o", str(out)]) for _ in range(args.repeats)
            ]
            cache = Path(folder) / f"numba-cache-{seed}"
            env = {**os.environ, "NUMBA_CACHE_DIR": str(cache)}
            cold = cli(["match", "run", str(path)], env=env)
            rows.append(
                f"| {seed} | {shown(solve_times)} | {shown(run_times)} | "
                f"{shown([w for w, _ in warm])} | {shown([w for w, _ in written])} | "
                f"{cold[0]:.1f} | {max(m for _, m in warm):.0f} / {cold[1]:.0f} | "
                f"{'yes' if result.stable else 'no'} ({result.attempts}) |"
            )
    after = others_running()
    body = "\n".join(
        [
            "## Match engine: the user's path (issue 19)",
            "",
            "`bench/bench_match_user.py`: national preset, wall seconds, median (range) of "
            f"{args.repeats} runs. **solve** = `solve(MarketArrays)`; **run_match** = "
            "`run_match` on a fresh `Instance` (an unpickled copy: no arrays cached with it); "
            "**CLI** = `matchready match run "
            "FILE.json` in a new process (start, imports, reading and validating the JSON, the "
            "Match, the summary), **CLI -o** also writing the result; **cold** = the CLI with an "
            "empty numba cache (`NUMBA_CACHE_DIR`), as on a fresh install.",
            "",
            "| seed | solve | run_match | CLI | CLI -o | cold CLI | peak MB warm / cold | "
            "stable (attempts) |",
            "|---|---|---|---|---|---|---|---|",
            *rows,
            "",
            "Targets (issue 19): run_match <= 0.10 s, CLI <= 1.5 s after the first run, cold "
            "first run <= 10 s, peak < 500 MB.",
            "",
            f"Taken on a loaded machine (other jobs running), 2 cores: {machine()}. Busiest "
            f"processes before: {before}; after: {after}.",
        ]
    )
    publish("match-user", body, write=not args.no_write)


if __name__ == "__main__":
    main()
