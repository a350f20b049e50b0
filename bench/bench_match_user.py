"""The user's path through the Match engine, side by side with ``solve`` (issue 19).

Run: .venv/bin/python bench/bench_match_user.py [--seeds 0 1] [--repeats 3] [--no-cold]
[--no-write].
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
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _report import machine, others_running, publish
from matchready.match import Instance, generate, run_match, solve, to_arrays, write_instance

CLI = [str(Path(sys.executable).parent / "matchready")]


def timed(call: object, repeats: int) -> list[float]:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        call()  # type: ignore[operator]
        times.append(time.perf_counter() - started)
    return times


def cli(args: list[str], env: dict[str, str] | None = None) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (user + system) and peak resident memory (MB) of one CLI run in
    a new process (``os.wait4`` gives that child's own figures; a child it starts, such as the
    cold run's compiler, is not counted in them and is measured apart)."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [*CLI, *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env
    )
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise SystemExit(f"{' '.join(args)} failed with exit code {process.returncode}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def cold_cli(args: list[str], env: dict[str, str]) -> tuple[float, float, float, float]:
    """The cold run: wall, CPU of the CLI and the compiler it starts, the CLI's own peak MB and
    the largest peak of any child so far (run first, so that is the CLI or its compiler)."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall, _, own = cli(args, env)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return wall, cpu, own, after.ru_maxrss / 1024


def shown(times: list[float]) -> str:
    if len(times) == 1:
        return f"{times[0]:.2f}"
    return f"{statistics.median(times):.2f} ({min(times):.2f}-{max(times):.2f})"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--no-cold", dest="cold", action="store_false")
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
            cold_cell, peak_cold = "-", "-"
            if seed == args.seeds[0] and args.cold:  # before any other child process
                env = {**os.environ, "NUMBA_CACHE_DIR": str(Path(folder) / "numba-cache")}
                wall, cpu, own, largest = cold_cli(["match", "run", str(path)], env)
                cold_cell = f"{wall:.1f} / {cpu:.1f}"
                peak_cold = f"{own:.0f} (compiler {largest:.0f})"
            solve(arrays)  # compile or load the engine once
            solve_times = timed(lambda arrays=arrays: solve(arrays), args.repeats)
            build_times, run_times = [], []
            for _ in range(args.repeats):
                started = time.perf_counter()
                fresh = Instance(  # validated and turned into arrays anew
                    instance.programs, instance.applicants, instance.couples, instance.reversions
                )
                build_times.append(time.perf_counter() - started)
                started = time.perf_counter()
                result = run_match(fresh)
                run_times.append(time.perf_counter() - started)
            cli(["match", "run", str(path)])  # warm the page cache
            warm = [cli(["match", "run", str(path)]) for _ in range(args.repeats)]
            out = Path(folder) / "result.json"
            written = [
                cli(["match", "run", str(path), "-o", str(out)]) for _ in range(args.repeats)
            ]
            peak_warm = max(m for *_, m in warm + written)
            rows.append(
                f"| {seed} | {shown(solve_times)} | {shown(build_times)} | {shown(run_times)} | "
                f"{shown([w for w, *_ in warm])} / {shown([c for _, c, _ in warm])} | "
                f"{shown([w for w, *_ in written])} / {shown([c for _, c, _ in written])} | "
                f"{cold_cell} | {peak_warm:.0f} / {peak_cold} | "
                f"{'yes' if result.stable else 'no'} ({result.attempts}) |"
            )
    after = others_running()
    body = "\n".join(
        [
            "## Match engine: the user's path (issue 19)",
            "",
            "`bench/bench_match_user.py`: national preset, seconds, median (range) of "
            f"{args.repeats} runs. **solve** = `solve(MarketArrays)`; **Instance()** = building "
            "a new `Instance` from the same programs and applicants (validation, which now "
            "builds the arrays in the same pass); **run_match** = `run_match` on that new "
            "`Instance`; **CLI** = `matchready match run FILE.json` in a new process (start, "
            "imports, reading and validating the JSON, the Match, the summary), wall / CPU "
            "seconds; **CLI -o** also writing the result; **cold** = the CLI with an empty numba "
            "cache (`NUMBA_CACHE_DIR`), as on an install that skipped `make env`'s warm-up (first "
            "seed only), wall / CPU seconds including the compiler process it starts; peak = "
            "the largest resident memory of one CLI process (cold: the CLI, and in brackets the "
            "compiler process it starts).",
            "",
            "| seed | solve | Instance() | run_match | CLI wall / CPU | CLI -o wall / CPU | "
            "cold CLI wall / CPU | peak MB warm / cold | stable (attempts) |",
            "|---|---|---|---|---|---|---|---|---|",
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
