"""The user's path through the Match engine, side by side with ``solve`` (issue 19).

Run: .venv/bin/python bench/bench_match_user.py [--seeds 0 1] [--repeats 3] [--no-cold]
[--no-write].
For each national seed: ``solve(MarketArrays)`` (the simulator's entry), ``run_match`` on a
fresh ``Instance`` (what a library user calls), ``matchready match run FILE`` as a user runs it
(a new process: Python start, imports, reading and validating the JSON, the Match, the summary;
and with ``-o`` writing the result), A/B in alternation: with the engine compiled ahead of time
(``_aot``, what ``make env`` builds) and with numba's JIT loading its on-disk cache (the module
moved aside), and the cold first run (the same command with an empty ``NUMBA_CACHE_DIR``, so
the engine compiles: the module and numba's cache, both then used by the warm runs). Figures
are wall / CPU (user + system) seconds: median and range of ``--repeats`` runs (one cold run),
with the peak resident memory of the CLI process and the load average before and after.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from _report import how_busy, machine, others_running, publish
from matchready.match import Instance, generate, run_match, solve, to_arrays, write_instance

CLI = [str(Path(sys.executable).parent / "matchready")]

JIT_WARM_UP = (
    "from matchready.match import _aot, _warmup; _aot._chosen = _aot.jit_kernels(); "
    "_warmup.warm_up()"
)
"""Compiles numba's JIT of the engine into its cache, for the runs with the module aside."""

Timing = tuple[float, float]
"""Wall and CPU seconds."""


def timed(call: Callable[[], object], repeats: int) -> list[Timing]:
    times = []
    for _ in range(repeats):
        wall, cpu = time.perf_counter(), time.process_time()
        call()
        times.append((time.perf_counter() - wall, time.process_time() - cpu))
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
    """The cold run: wall, CPU of the CLI and every process it starts (the compiler, gcc), the
    CLI's own peak MB and the largest peak of any child so far (run first, so that is the CLI
    or its compiler)."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall, _, own = cli(args, env)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return wall, cpu, own, after.ru_maxrss / 1024


def shown(values: list[float]) -> str:
    if len(values) == 1:
        return f"{values[0]:.2f}"
    return f"{statistics.median(values):.2f} ({min(values):.2f}-{max(values):.2f})"


def pair(times: list[Timing] | list[tuple[float, float, float]]) -> str:
    return f"{shown([t[0] for t in times])} / {shown([t[1] for t in times])}"


def load() -> str:
    return ", ".join(f"{value:.1f}" for value in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--no-cold", dest="cold", action="store_false")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    before, load_before = others_running(), load()
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        cache = Path(folder) / "numba-cache"
        env = {**os.environ, "NUMBA_CACHE_DIR": str(cache)}
        module, aside = cache / "matchready", Path(folder) / "module-aside"
        for seed in args.seeds:
            instance = generate("national", seed)
            path = Path(folder) / f"national-{seed}.json"
            write_instance(instance, path)
            arrays = to_arrays(instance)
            cold_cell, peak_cold = "-", "-"
            if not cache.exists():
                if args.cold:  # before any other child process
                    wall, cpu, own, largest = cold_cli(["match", "run", str(path)], env)
                    cold_cell = f"{wall:.1f} / {cpu:.1f}"
                    peak_cold = f"{own:.0f} (compiler {largest:.0f})"
                else:
                    subprocess.run([*CLI, "match", "warmup"], env=env, check=True)
                # the JIT's entry points too (the module's build compiles only their callees)
                subprocess.run([sys.executable, "-c", JIT_WARM_UP], env=env, check=True)
            solve(arrays)  # compile or load the engine once
            solve_times = timed(lambda arrays=arrays: solve(arrays), args.repeats)
            build_times, run_times = [], []
            for _ in range(args.repeats):
                wall, cpu = time.perf_counter(), time.process_time()
                fresh = Instance(  # validated and turned into arrays anew
                    instance.programs, instance.applicants, instance.couples, instance.reversions
                )
                build_times.append((time.perf_counter() - wall, time.process_time() - cpu))
                wall, cpu = time.perf_counter(), time.process_time()
                result = run_match(fresh)
                run_times.append((time.perf_counter() - wall, time.process_time() - cpu))
            cli(["match", "run", str(path)], env)  # warm the page cache
            compiled, jit = [], []
            for _ in range(args.repeats):  # A/B in alternation, same minutes
                compiled.append(cli(["match", "run", str(path)], env))
                module.rename(aside)
                try:
                    jit.append(cli(["match", "run", str(path)], env))
                finally:
                    aside.rename(module)
            out = Path(folder) / "result.json"
            written = [
                cli(["match", "run", str(path), "-o", str(out)], env) for _ in range(args.repeats)
            ]
            peak = (max(m for *_, m in compiled + written), max(m for *_, m in jit))
            rows.append(
                f"| {seed} | {pair(solve_times)} | {pair(build_times)} | {pair(run_times)} | "
                f"{pair(compiled)} | {pair(written)} | {pair(jit)} | {cold_cell} | "
                f"{peak[0]:.0f} / {peak[1]:.0f} / {peak_cold} | "
                f"{'yes' if result.stable else 'no'} ({result.attempts}) |"
            )
        shutil.rmtree(cache, ignore_errors=True)
    after, load_after = others_running(), load()
    body = "\n".join(
        [
            "## Match engine: the user's path (issue 19)",
            "",
            "`bench/bench_match_user.py`: national preset; wall / CPU (user + system) seconds, "
            f"median (range) of {args.repeats} runs. **solve** = `solve(MarketArrays)`; "
            "**Instance()** = building a new `Instance` from the same programs and applicants "
            "(validation, which builds the arrays in the same pass); **run_match** = "
            "`run_match` on that new `Instance`; **CLI** = `matchready match run FILE.json` in a "
            "new process (start, imports, reading and validating the JSON, the Match, the "
            "summary) with the engine compiled ahead of time (what `make env` builds); **CLI -o** "
            "also writing the result; **CLI, JIT** = the same with numba's JIT loading its "
            "on-disk cache (the compiled module moved aside; run in alternation with **CLI**); "
            "**cold** = the CLI with an empty `NUMBA_CACHE_DIR`, as on an install that skipped "
            "`make env`'s warm-up (first seed only), CPU including the compiler process and gcc "
            "it starts; peak = the largest resident memory of one CLI process (compiled / JIT / "
            "cold, and in brackets the compiler process).",
            "",
            "| seed | solve | Instance() | run_match | CLI | CLI -o | CLI, JIT | cold CLI | "
            "peak MB | stable (attempts) |",
            "|---|---|---|---|---|---|---|---|---|---|",
            *rows,
            "",
            "Targets (issue 19): run_match <= 0.10 s, CLI <= 1.5 s after the first run, cold "
            "first run <= 10 s, peak < 500 MB.",
            "",
            f"{how_busy(before, after)}, 2 cores: {machine()}. Load average "
            f"(1, 5, 15 min) before: {load_before}; after: {load_after}. Busiest processes "
            f"before: {before}; after: {after}.",
        ]
    )
    publish("match-user", body, write=not args.no_write)


if __name__ == "__main__":
    main()
