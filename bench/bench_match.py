"""Benchmark of the Match engine: national preset, singles against algmatch, scaling, compile.

Run: .venv/bin/python bench/bench_match.py [--quick]. Prints Markdown tables for
bench/README.md. Times exclude market generation. Every figure is the best of ``REPEATS`` runs,
as wall time and as CPU time of this process (``time.process_time``): the machine is shared, so
CPU time is the steadier figure. Columns:

* **solve** - ``solve(market)`` on ``MarketArrays``: validation, rank tables, every attempt
  (the singles phase once, the couples phase per couple order), the numba audit after a cycle.
* **solve audit** - ``solve(market, audit=True)``: the numba audit also without a cycle.
* **run_match first** - ``run_match(instance)`` on a new instance: converting the objects to
  arrays (Python, once per instance), then as solve, plus the numba audit; the result's
  mappings are built lazily. **run_match again** - the same instance once more (arrays and the
  singles phase are cached with the instance). **+ mappings** - also reading every mapping.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from _report import write_section
from matchready.match import Instance, MarketSpec, generate, run_match, solve, to_arrays
from matchready.match._fast import compile_arrays
from matchready.match._generate import PRESETS

REPEATS = 5


def cpu_model() -> str:
    with open("/proc/cpuinfo") as handle:
        for line in handle:
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor()


def best_of(repeats: int, call: Callable[[], Any]) -> tuple[float, float]:
    """Best wall and best CPU seconds of ``repeats`` calls."""
    walls, cpus = [], []
    for _ in range(repeats):
        wall, cpu = time.perf_counter(), time.process_time()
        call()
        cpus.append(time.process_time() - cpu)
        walls.append(time.perf_counter() - wall)
    return min(walls), min(cpus)


def once(call: Callable[[], Any]) -> tuple[float, float]:
    return best_of(1, call)


def spec_for(applicants: int, couples: bool = True) -> MarketSpec:
    national = PRESETS["national"]
    scale = applicants / national.applicants
    return replace(
        national,
        applicants=applicants,
        programs=max(4, round(national.programs * scale)),
        places=round(national.places * scale),
        couples=round(national.couples * scale) if couples else 0,
        advanced_share=national.advanced_share if couples else 0.0,
        reversion_share=national.reversion_share if couples else 0.0,
    )


def fmt(pair: tuple[float, float]) -> str:
    return f"{pair[0]:.3f} / {pair[1]:.3f}"


def measure(instance: Instance) -> dict[str, Any]:
    market = to_arrays(instance)  # also caches the arrays on the instance
    solve(market)  # compile or load the numba cache
    figures: dict[str, Any] = {
        "solve": best_of(REPEATS, lambda: solve(market)),
        "solve_audit": best_of(REPEATS, lambda: solve(market, audit=True)),
    }
    fresh = replace(instance)  # a new object: nothing cached
    figures["run_match_first"] = once(lambda: run_match(fresh))
    figures["run_match_again"] = best_of(REPEATS, lambda: run_match(fresh))
    figures["mappings"] = best_of(REPEATS, lambda: [len(m) for m in _mappings(run_match(fresh))])
    found = solve(market, audit=True)
    figures.update(
        attempts=found.attempts,
        cycled=found.cycled,
        stable=found.stable,
        blocking=found.blocking,
        proposals=found.proposals,
    )
    return figures


def _mappings(result: Any) -> list[Any]:
    return [result.assignments, result.programs, result.capacities, result.unfilled]


def algmatch_seconds(instance: Instance) -> float:
    from algmatch import HospitalResidentsProblem

    r_index = {a.id: i + 1 for i, a in enumerate(instance.applicants)}
    h_index = {p.id: i + 1 for i, p in enumerate(instance.programs)}
    ranked_by = {p.id: set(p.ranks) for p in instance.programs}
    ranks_of = {a.id: set(a.ranks) for a in instance.applicants}
    data = {
        "residents": {
            r_index[a.id]: [h_index[p] for p in a.ranks if p and a.id in ranked_by[p]]
            for a in instance.applicants
        },
        "hospitals": {
            h_index[p.id]: {
                "capacity": p.capacity,
                "preferences": [r_index[a] for a in p.ranks if p.id in ranks_of[a]],
            }
            for p in instance.programs
        },
    }
    started = time.perf_counter()
    HospitalResidentsProblem(dictionary=data).get_stable_matching()
    return time.perf_counter() - started


COLD = """
import time
from matchready.match import generate, solve, to_arrays
market = to_arrays(generate("toy", 1))
wall, cpu = time.perf_counter(), time.process_time()
solve(market, audit=True)
print(time.perf_counter() - wall, time.process_time() - cpu)
"""


MEMORY = """
import resource
from matchready.match import generate, solve, to_arrays
market = to_arrays(generate("national", 0))
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
solve(market, audit=True)
print(before / 1024, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""


def national_memory() -> tuple[float, float]:
    """Peak resident MB of a fresh process after generating national, and after solving it."""
    out = subprocess.run(
        [sys.executable, "-c", MEMORY], capture_output=True, text=True, check=True
    ).stdout.split()
    return float(out[0]), float(out[1])


def cold_compile() -> tuple[float, float]:
    """Compiling the kernel and the audit with an empty numba cache (as on a fresh clone)."""
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "NUMBA_CACHE_DIR": cache}
        out = subprocess.run(
            [sys.executable, "-c", COLD], env=env, capture_output=True, text=True, check=True
        ).stdout.split()
    return float(out[0]), float(out[1])


LINES: list[str] = []


def emit(line: str = "") -> None:
    """Print a line and keep it for the README section."""
    print(line, flush=True)
    LINES.append(line)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="skip 100k/200k and algmatch 10k")
    parser.add_argument("--no-write", action="store_true", help="do not update README.md")
    args = parser.parse_args()
    nproc = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
    emit(
        f"date {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; nproc {nproc}; "
        f"CPU {cpu_model()}; Python {platform.python_version()}; "
        f"load average at start {os.getloadavg()}"
    )
    emit(f"\ncold compile (empty numba cache), wall / CPU s: {fmt(cold_compile())}")

    emit(f"\nnational preset; seconds as wall / CPU, best of {REPEATS}")
    emit(
        "| seed | solve | solve audit | run_match first | run_match again | + mappings "
        "| attempts | cycled | stable | blocking | proposals |"
    )
    emit("|---|---|---|---|---|---|---|---|---|---|---|")
    for seed in (0, 1, 3):
        national = generate("national", seed)
        f = measure(national)
        emit(
            f"| {seed} | {fmt(f['solve'])} | {fmt(f['solve_audit'])} "
            f"| {fmt(f['run_match_first'])} | {fmt(f['run_match_again'])} "
            f"| {fmt(f['mappings'])} | {f['attempts']} | {f['cycled']} | {f['stable']} "
            f"| {f['blocking']} | {f['proposals']} |"
        )
        del national
    before, after = national_memory()
    emit(
        f"peak resident memory of a fresh process: {before:.0f} MB after generating national "
        f"seed 0, {after:.0f} MB after solve(audit=True)"
    )

    emit("\nsingles only, solve against algmatch 1.5 (same instance), wall s:")
    emit("| applicants | solve | algmatch | ratio |")
    emit("|---|---|---|---|")
    sizes = [2_000, 5_000] if args.quick else [2_000, 5_000, 10_000]
    for size in sizes:
        instance = generate(spec_for(size, couples=False), 7)
        market = to_arrays(instance)
        fast = best_of(REPEATS, lambda market=market: solve(market))[0]
        theirs = algmatch_seconds(instance)
        emit(f"| {size} | {fast:.4f} | {theirs:.2f} | {theirs / fast:.0f}x |")
    singles = to_arrays(generate(spec_for(47_000, couples=False), 7))
    fast = best_of(REPEATS, lambda: solve(singles))[0]
    emit(f"| 47000 | {fast:.4f} | (not run: 503 s per the reference §5) | {503 / fast:.0f}x |")

    emit("\nscaling (national proportions, couples + supplemental + reversions, seed 3):")
    emit(
        "| applicants | ranks | proposals | solve wall / CPU s | CPU us per rank "
        "| CPU us per proposal | attempts | stable | buffers MB |"
    )
    emit("|---|---|---|---|---|---|---|---|---|")
    scale = [1_000, 5_000, 10_000, 47_000]
    if not args.quick:
        scale += [100_000, 200_000]
    for size in scale:
        instance = generate(spec_for(size), 3)
        market = to_arrays(instance)
        solve(market)
        timing = best_of(REPEATS, lambda market=market: solve(market))
        found = solve(market, audit=True)
        ranks = len(market.applicant_programs)
        compiled = compile_arrays(market)
        megabytes = (compiled.buffer.nbytes + compiled.start.nbytes) / 2**20
        emit(
            f"| {size} | {ranks} | {found.proposals} | {fmt(timing)} "
            f"| {1e6 * timing[1] / ranks:.3f} | {1e6 * timing[1] / found.proposals:.3f} "
            f"| {found.attempts} | {found.stable} | {megabytes:.0f} |"
        )
        del instance, market, compiled
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    emit(f"\npeak resident memory of the whole run: {peak:.0f} MB")
    emit(f"load average at the end {os.getloadavg()}")
    if not args.no_write and not args.quick:
        write_section("match", "## Match engine: measured tables\n\n" + "\n".join(LINES))


if __name__ == "__main__":
    main()
