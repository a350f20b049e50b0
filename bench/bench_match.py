"""Benchmark of the Match engine: national preset, singles against algmatch, and scaling.

Run: .venv/bin/python bench/bench_match.py [--quick]. Prints Markdown tables for
bench/README.md. Times exclude market generation; "arrays" is building the integer arrays
from the instance (done once per instance), "kernel" is one engine attempt, "run_match" is the
whole public call (arrays cached, every attempt, result objects and the independent
stability audit in pure Python).
"""

from __future__ import annotations

import argparse
import platform
import resource
import subprocess
import time
from dataclasses import replace

from matchready.match import Instance, MarketSpec, generate, run_match
from matchready.match._fast import FastEngine, compile_market
from matchready.match._generate import PRESETS


def cpu_model() -> str:
    with open("/proc/cpuinfo") as handle:
        for line in handle:
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor()


def best_of(repeats: int, call: object) -> float:
    assert callable(call)
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return min(times)


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


def measure(instance: Instance) -> dict[str, float]:
    started = time.perf_counter()
    compile_market(instance)
    arrays = time.perf_counter() - started
    order = list(range(len(instance.couples)))
    engine = FastEngine(instance, 50)
    engine.attempt(order)  # compile or load the numba cache
    kernel = best_of(3, lambda: engine.attempt(order))
    result = run_match(instance)
    full = best_of(3, lambda: run_match(instance))
    no_audit = best_of(3, lambda: run_match(instance, audit=False))
    return {
        "arrays": arrays,
        "kernel": kernel,
        "run_match": full,
        "run_match_no_audit": no_audit,
        "attempts": result.attempts,
        "stable": float(result.stable),
        "blocking": len(result.blocking),
        "proposals": result.proposals,
    }


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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="skip 100k/200k and algmatch 10k")
    args = parser.parse_args()
    nproc = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
    print(
        f"date {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; nproc {nproc}; "
        f"CPU {cpu_model()}; Python {platform.python_version()}"
    )

    started = time.perf_counter()
    national = generate("national", 1)
    print(
        f"\nnational preset (seed 1) generated in {time.perf_counter() - started:.1f} s: "
        f"{national.size()}"
    )
    figures = measure(national)
    print(
        "| market | arrays s | kernel s | run_match s | run_match no audit s | attempts "
        "| stable | blocking | proposals |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    print(
        f"| national, couples + supplemental + reversions | {figures['arrays']:.3f} "
        f"| {figures['kernel']:.3f} | {figures['run_match']:.3f} "
        f"| {figures['run_match_no_audit']:.3f} | {figures['attempts']:.0f} "
        f"| {bool(figures['stable'])} | {figures['blocking']:.0f} | {figures['proposals']:.0f} |"
    )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory of this process so far (generation included): {peak:.0f} MB")

    print("\nsingles only, fast engine against algmatch 1.5 (same instance):")
    print("| applicants | fast run_match s | algmatch s | ratio |")
    print("|---|---|---|---|")
    sizes = [2_000, 5_000] if args.quick else [2_000, 5_000, 10_000]
    for size in sizes:
        instance = generate(spec_for(size, couples=False), 7)
        fast = best_of(3, lambda instance=instance: run_match(instance))
        theirs = algmatch_seconds(instance)
        print(f"| {size} | {fast:.4f} | {theirs:.2f} | {theirs / fast:.0f}x |")
    singles = generate(spec_for(47_000, couples=False), 7)
    fast = best_of(3, lambda: run_match(singles))
    print(
        f"| 47000 | {fast:.4f} | (not run: about 500 s per the reference §5) "
        f"| about {500 / fast:.0f}x |"
    )

    print("\nscaling (national proportions, couples + supplemental + reversions):")
    print(
        "| applicants | ranks | arrays s | kernel s | run_match s | no audit s | attempts "
        "| stable |"
    )
    print("|---|---|---|---|---|---|---|---|")
    scale = [1_000, 5_000, 10_000, 47_000]
    if not args.quick:
        scale += [100_000, 200_000]
    for size in scale:
        instance = generate(spec_for(size), 3)
        f = measure(instance)
        ranks = instance.size()["applicant_ranks"]
        print(
            f"| {size} | {ranks} | {f['arrays']:.3f} | {f['kernel']:.3f} | "
            f"{f['run_match']:.3f} | {f['run_match_no_audit']:.3f} | {f['attempts']:.0f} "
            f"| {bool(f['stable'])} |"
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak resident memory of the whole run: {peak:.0f} MB")


if __name__ == "__main__":
    main()
