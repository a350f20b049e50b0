"""The Match search on 100 random markets with couples (issue 19, "Done when").

Run: .venv/bin/python bench/bench_match_search.py [--quick] [--no-write]. Markets come from the
generator (``MarketSpec``, no reversions so the exact model applies to the small ones), with 10%
and 40% of applicants in couples:

* **small** (50 markets of 40-60 applicants): ``run_match`` with its default search, against
  the exact model (``exact_stable``) run on its own. The engine must never call a market
  unstable where the exact model finds a stable matching.
* **large** (50 markets of 1,000 applicants): ``run_match`` with its default search, against a
  longer search (``run_match(search=False, max_attempts=LONG)``: 2,000 couple orders).

Every result called stable is re-checked by the Python audit under the adopted definition.
"""

from __future__ import annotations

import argparse
import statistics
import time

from _report import how_busy, machine, others_running, publish
from matchready.match import MarketSpec, check_stability, exact_stable, generate, run_match

LONG = 2_000


def small_spec(applicants: int, share: float) -> MarketSpec:
    return MarketSpec(
        applicants=applicants,
        programs=max(3, applicants // 6),
        places=int(applicants * 0.9),
        couples=round(share * applicants / 2),
        specialties=2,
        reversion_share=0.0,
    )


def large_spec(share: float) -> MarketSpec:
    return MarketSpec(
        applicants=1_000,
        programs=140,
        places=915,
        couples=round(share * 1_000 / 2),
        reversion_share=0.0,
    )


def audited(instance: object, result: object) -> bool:
    found = check_stability(
        instance,  # type: ignore[arg-type]
        dict(result.assignments),  # type: ignore[attr-defined]
        dict(result.capacities),  # type: ignore[attr-defined]
    )
    return found.ok


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="10 markets of each kind")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    per_share = 5 if args.quick else 25
    before = others_running()
    rows: list[str] = []
    small = {"markets": 0, "stable": 0, "exact none": 0, "exact undecided": 0, "missed": 0}
    small_seconds: list[float] = []
    searched = 0
    for share in (0.1, 0.4):
        for seed in range(per_share):
            instance = generate(small_spec(40 + (seed % 3) * 10, share), seed)
            started = time.perf_counter()
            result = run_match(instance)
            small_seconds.append(time.perf_counter() - started)
            exact = exact_stable(instance, time_limit=60.0)
            small["markets"] += 1
            searched += result.search is not None
            if result.stable:
                assert audited(instance, result), (share, seed)
                small["stable"] += 1
            if exact.status == "none":
                small["exact none"] += 1
            elif exact.status == "unknown":
                small["exact undecided"] += 1
            if not result.stable and exact.status == "stable":
                small["missed"] += 1
                rows.append(f"small share {share} seed {seed}: engine unstable, exact stable")
    large = {"markets": 0, "stable": 0, "longer search stable": 0, "missed": 0}
    large_seconds: list[float] = []
    for share in (0.1, 0.4):
        for seed in range(per_share):
            instance = generate(large_spec(share), seed)
            started = time.perf_counter()
            result = run_match(instance)
            large_seconds.append(time.perf_counter() - started)
            large["markets"] += 1
            searched += result.search is not None
            longer = (
                result if result.stable else run_match(instance, search=False, max_attempts=LONG)
            )
            if result.stable:
                assert audited(instance, result), (share, seed)
                large["stable"] += 1
            if longer.stable:
                large["longer search stable"] += 1
                if not result.stable:
                    large["missed"] += 1
                    rows.append(f"large share {share} seed {seed}: engine unstable, longer stable")
    after = others_running()

    def spread(values: list[float]) -> str:
        return (
            f"median {statistics.median(values):.3f} s, min {min(values):.3f}, "
            f"max {max(values):.3f}"
        )

    body = "\n".join(
        [
            "## Match search (issue 19): 100 random markets with couples",
            "",
            "`bench/bench_match_search.py`: generated markets (no reversions), 10% and 40% of "
            "applicants in couples, seeds 0-"
            f"{per_share - 1} for each share. Small: 40-60 applicants, `run_match` (default "
            "search) against the exact model run on its own (60 s limit). Large: 1,000 "
            f"applicants, `run_match` against a longer search ({LONG} couple orders).",
            "",
            "| markets | count | engine stable (audited) | exact: none exists | "
            "exact: undecided | longer search stable | engine unstable where a stable one "
            "was found |",
            "|---|---|---|---|---|---|---|",
            f"| small (40-60) | {small['markets']} | {small['stable']} | {small['exact none']} | "
            f"{small['exact undecided']} | - | **{small['missed']}** |",
            f"| large (1,000) | {large['markets']} | {large['stable']} | - | - | "
            f"{large['longer search stable']} | **{large['missed']}** |",
            "",
            f"`run_match` wall time, small: {spread(small_seconds)}; large: "
            f"{spread(large_seconds)}. Markets that needed the search after the first 8 couple "
            f"orders: {searched}.",
            *(["", "Misses:", *[f"- {row}" for row in rows]] if rows else []),
            "",
            f"{how_busy(before, after)}, 2 cores: {machine()}. Busiest processes before: "
            f"{before}; after: {after}.",
        ]
    )
    publish("match-search", body, write=not args.no_write)


if __name__ == "__main__":
    main()
