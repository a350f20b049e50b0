"""Use case: simulate an applicant's Match in N seeded national markets, with what-ifs.

`simulate_applicant` is the one function the CLI (and later the tracker and the web) call.
Each seed builds one market, inserts the applicant under every strategy (the baseline and the
what-ifs) on the same market and draws (common random numbers) and runs the Match engine once
per strategy. `seed_task` is the picklable unit handed to the runner (local pool, Dask, Ray).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import partial

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from matchready.domain.applicant import Profile
from matchready.domain.facts import Facts
from matchready.domain.interval import Interval, WhatIf
from matchready.errors import NotFoundError
from matchready.match import solve
from matchready.simulation.applicant import (
    DEFAULT_PRELIM_RANKS,
    Placement,
    SimApplicant,
    Strategy,
    applicant_of,
    draws_for,
    insert,
    placement,
    rank_list,
)
from matchready.simulation.calibration import ASSUMED, Calibration, load_calibration
from matchready.simulation.layout import TRACK_NAMES, TYPE_LABELS, Layout, build_layout
from matchready.simulation.market import generate
from matchready.simulation.runner import Engine, Progress, run_seeds

Z95 = 1.959963984540054
DEFAULT_RUNS = 200
DEFAULT_SCALE = 0.1
"""200 markets at a tenth of the national size: about 0.13-0.2 CPU-s per market with four
strategies, so about 25 s on 2 idle cores; the interval on P(match) is about +/-7 points."""
DEFAULT_EXTRA = 3
TIERS = ("top third", "middle third", "bottom third")


@dataclass(frozen=True)
class Variant:
    """One strategy to run in every market: `extra` more specialty ranks below the others."""

    label: str
    strategy: Strategy
    extra: int = 0


@dataclass(frozen=True)
class Task:
    """Everything a worker needs for one seed (picklable; no facts file read in workers)."""

    layout: Layout
    calibration: Calibration
    applicant: SimApplicant
    variants: tuple[Variant, ...]


@dataclass(frozen=True)
class SeedResult:
    seed: int
    placements: tuple[Placement, ...]  # per variant
    market_rates: tuple[float, ...]  # PGY-1 rates by type in the baseline run (percent)
    cycled: bool


def run_seed(task: Task, seed: int) -> SeedResult:
    """One market: generate, insert the applicant under each variant, solve, read."""
    market = generate(task.layout, task.calibration.parameters, seed)
    draws = draws_for(market, task.applicant, seed)
    me = market.arrays.applicants
    found: list[Placement] = []
    rates: tuple[float, ...] = ()
    cycled = False
    for i, variant in enumerate(task.variants):
        primary, supplemental = rank_list(market, draws, variant.strategy, variant.extra)
        outcome = solve(insert(market, draws, primary, supplemental), seed=seed)
        found.append(placement(market, outcome, me))
        cycled |= outcome.cycled
        if i == 0:
            rates = tuple(float(r) for r in market.rates(outcome))
    return SeedResult(seed, tuple(found), rates, cycled)


def seed_task(task: Task) -> partial[SeedResult]:
    return partial(run_seed, task)


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True)


def wilson(successes: int, trials: int, z: float = Z95) -> Interval:
    """Wilson's score interval for a proportion."""
    if trials == 0:
        return Interval(estimate=0.0, low=0.0, high=1.0)
    p = successes / trials
    denominator = 1 + z * z / trials
    centre = (p + z * z / (2 * trials)) / denominator
    half = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials)) / denominator
    return Interval(estimate=p, low=max(0.0, centre - half), high=min(1.0, centre + half))


def paired_difference(base: Sequence[bool], other: Sequence[bool], z: float = Z95) -> Interval:
    """P(other) - P(base) on the same seeds, with a Wald interval on the discordant pairs after
    Agresti and Min's adjustment (half a success added to each cell), so that a what-if that
    changed nothing in N markets still gets an interval of width about 2/N, not zero."""
    n = len(base)
    gained = sum(1 for b, o in zip(base, other, strict=True) if o and not b)
    lost = sum(1 for b, o in zip(base, other, strict=True) if b and not o)
    estimate = (gained - lost) / n if n else 0.0
    g, lo, m = gained + 0.5, lost + 0.5, n + 2
    centre = (g - lo) / m
    half = z * math.sqrt(max((g + lo) / m - centre * centre, 0.0) / m)
    return Interval(estimate=estimate, low=max(-1.0, centre - half), high=min(1.0, centre + half))


class Share(_Out):
    label: str
    count: int
    share: float


class TypeRate(_Out):
    applicant_type: str
    simulated: float
    published: float


class SimulationReport(_Out):
    specialty: str
    strategy: str
    applicant_type: str
    step2ck: int | None
    runs: int
    scale: float
    first_seed: int
    engine: str
    match_year: int
    probability: Interval = Field(description="P(PGY-1 match), Wilson 95% interval")
    in_specialty: Interval = Field(
        description="P(match to a program of the target specialty), Wilson 95% interval: the "
        "figure Charting Outcomes and the odds model give"
    )
    ranks: list[Share] = Field(description="Where on the list the match fell")
    tracks: list[Share] = Field(description="Specialty and track of the match")
    tiers: list[Share] = Field(description="Prestige third of the matched program")
    what_ifs: list[WhatIf]
    market_check: list[TypeRate]
    cycled_markets: int
    calibration: str
    warnings: list[str] = Field(default_factory=list)
    assumptions: list[str]


def _shares(counter: Counter[str], total: int, order: Sequence[str] = ()) -> list[Share]:
    """Shares in `order` (labels not in it follow, most common first)."""
    labels = [o for o in order if o in counter]
    labels += [label for label, _ in counter.most_common() if label not in labels]
    return [
        Share(label=label, count=counter[label], share=counter[label] / total if total else 0.0)
        for label in labels
    ]


def more_interviews(extra: int, specialty: str) -> str:
    """The what-if of a longer list, said as what it takes: a program can only be ranked after
    an interview there."""
    return f"if you had {extra} more {specialty} interviews"


def variants_for(strategy: Strategy, extra: int = DEFAULT_EXTRA) -> tuple[Variant, ...]:
    """The baseline and the standard what-ifs: more ranks, the preliminary track toggled,
    another specialty toggled (FM as the backup, or IM when the target is FM)."""
    found = [Variant("your strategy", strategy)]
    if extra > 0:
        found.append(Variant(more_interviews(extra, strategy.specialty), strategy, extra=extra))
    if strategy.prelim:
        found.append(Variant("without the preliminary programs", replace(strategy, prelim=0)))
    else:
        found.append(
            Variant(
                f"add {DEFAULT_PRELIM_RANKS} preliminary programs",
                replace(strategy, prelim=DEFAULT_PRELIM_RANKS),
            )
        )
    if strategy.also and strategy.also_ranks:
        found.append(Variant(f"without {strategy.also}", replace(strategy, also=None)))
    else:
        backup = "IM" if strategy.specialty.upper() == "FM" else "FM"
        ranks = max(strategy.ranks // 2, 1)
        found.append(
            Variant(
                f"also rank {ranks} {backup} programs",
                replace(strategy, also=backup, also_ranks=ranks),
            )
        )
    return tuple(found)


def prepare(
    profile: Profile,
    facts: Facts,
    strategy: Strategy,
    *,
    scale: float = DEFAULT_SCALE,
    variants: tuple[Variant, ...] | None = None,
    calibration: Calibration | None = None,
) -> tuple[Task, list[str]]:
    """The task of one simulation (validated) and the assumptions to print with it."""
    calibration = calibration or load_calibration()
    layout = build_layout(facts, calibration.match_year, scale)
    codes = set(layout.specialties[:-1])
    for code in (strategy.specialty, strategy.also):
        if code is not None and code.upper() not in codes:
            raise NotFoundError(
                f"specialty '{code}' is not in the simulated market; known: "
                + ", ".join(sorted(codes))
            )
    strategy = replace(
        strategy,
        specialty=strategy.specialty.upper(),
        also=strategy.also.upper() if strategy.also else None,
    )
    applicant, notes = applicant_of(profile, facts, strategy.specialty)
    chosen = variants or variants_for(strategy)
    for variant in chosen:
        wanted = variant.strategy.more_ranks(variant.extra)
        for code, ranks in ((wanted.specialty, wanted.ranks), (wanted.also, wanted.also_ranks)):
            if code is None:
                continue
            index = layout.specialty_index(code)
            programs = sum(g.programs for g in layout.groups if g.specialty == index)
            note = (
                f"At scale {scale:g} the simulated market has only {programs} {code} programs: "
                f"lists longer than that are cut to {programs}."
            )
            if ranks > programs and note not in notes:
                notes.append(note)
    task = Task(layout, calibration, applicant, chosen)
    return task, [*notes, *layout.assumptions, *ASSUMED]


def summarise(
    task: Task,
    results: Sequence[SeedResult],
    *,
    engine: Engine,
    notes: Sequence[str],
) -> SimulationReport:
    """The outcome distribution and the what-ifs over the seeds' results."""
    n = len(results)
    base = [r.placements[0] for r in results]
    matched = [p.matched for p in base]
    ranks: Counter[str] = Counter()
    tracks: Counter[str] = Counter()
    tiers: Counter[str] = Counter()
    for p in base:
        if p.rank == 0:
            ranks["unmatched"] += 1
            continue
        ranks[f"rank {p.rank}"] += 1
        tracks[f"{p.specialty} {TRACK_NAMES[p.track]}"] += 1
        tiers[TIERS[p.tier]] += 1
        if not p.matched:
            tracks["advanced, no PGY-1 place (not a PGY-1 match)"] += 1
    what_ifs = []
    for i, variant in enumerate(task.variants[1:], start=1):
        other = [r.placements[i].matched for r in results]
        shown = variant.strategy.more_ranks(variant.extra)
        what_ifs.append(
            WhatIf(
                label=variant.label,
                strategy=shown.label(),
                estimate=wilson(sum(other), n),
                change=paired_difference(matched, other),
            )
        )
    layout = task.layout
    mean_rates = np.mean([r.market_rates for r in results], axis=0) if n else []
    labels = [*TYPE_LABELS[:-1], f"{TYPE_LABELS[-1]} (rate derived)"]
    check = [
        TypeRate(applicant_type=label, simulated=float(sim), published=float(pub))
        for label, sim, pub in zip(labels, mean_rates, layout.published_rates, strict=False)
    ]
    cal = task.calibration
    applicant = task.applicant
    target = task.variants[0].strategy.specialty
    return SimulationReport(
        specialty=task.variants[0].strategy.specialty,
        strategy=task.variants[0].strategy.label(),
        applicant_type=TYPE_LABELS[applicant.kind],
        step2ck=applicant.step2ck,
        runs=n,
        scale=layout.scale,
        first_seed=results[0].seed if results else 0,
        engine=engine.value,
        match_year=layout.match_year,
        probability=wilson(sum(matched), n),
        in_specialty=wilson(sum(1 for p in base if p.specialty == target), n),
        ranks=_shares(ranks, n, [*(f"rank {k}" for k in range(1, 301)), "unmatched"]),
        tracks=_shares(tracks, n),
        tiers=_shares(tiers, n, TIERS),
        what_ifs=what_ifs,
        market_check=check,
        cycled_markets=sum(1 for r in results if r.cycled),
        calibration=(
            f"fitted {cal.fitted_on} on the {cal.match_year} Match at scale {cal.scale:g} "
            f"({len(cal.seeds)} seeds): {cal.method}"
        ),
        warnings=calibration_warnings(cal, layout, target),
        assumptions=list(notes),
    )


def calibration_warnings(calibration: Calibration, layout: Layout, code: str) -> list[str]:
    """What the result must say about the calibration of `code`'s market."""
    fitted = calibration.specialty(code)
    wanted = layout.target(code)
    if fitted is not None and fitted.calibrated:
        return []
    if wanted is not None and not wanted.calibrated:
        why = wanted.reason
    elif fitted is not None:
        why = fitted.status
    else:
        why = "the calibration file has no figures for it"
    return [
        f"{code} is not calibrated to Charting Outcomes ({why}): its programs rank non-US IMGs "
        "with the share fitted for preliminary programs, so this figure is the market's shape "
        "only, not checked against published outcomes."
    ]


def simulate_applicant(
    profile: Profile,
    facts: Facts,
    strategy: Strategy,
    *,
    runs: int = DEFAULT_RUNS,
    scale: float = DEFAULT_SCALE,
    seed: int = 0,
    engine: Engine = Engine.LOCAL,
    workers: int | None = None,
    address: str | None = None,
    progress: Progress | None = None,
    variants: tuple[Variant, ...] | None = None,
) -> SimulationReport:
    """Run `runs` markets (seeds `seed`, `seed + 1`, ...) and summarise the applicant's Match."""
    task, notes = prepare(profile, facts, strategy, scale=scale, variants=variants)
    seeds = list(range(seed, seed + runs))
    results = run_seeds(
        seed_task(task),
        seeds,
        engine=engine,
        workers=workers,
        address=address,
        progress=progress,
    )
    return summarise(task, results, engine=engine, notes=notes)


def what_if_more_ranks(
    profile: Profile,
    facts: Facts,
    strategy: Strategy,
    extra: int = DEFAULT_EXTRA,
    *,
    runs: int = DEFAULT_RUNS,
    scale: float = DEFAULT_SCALE,
    seed: int = 0,
    engine: Engine = Engine.LOCAL,
    workers: int | None = None,
) -> WhatIf:
    """For the tracker: "what if my draft rank list had `extra` more programs" — the list's
    length and track mix are `strategy` (specialty ranks, preliminary, another specialty)."""
    variants = (
        Variant("your draft list", strategy),
        Variant(more_interviews(extra, strategy.specialty), strategy, extra=extra),
    )
    report = simulate_applicant(
        profile,
        facts,
        strategy,
        runs=runs,
        scale=scale,
        seed=seed,
        engine=engine,
        workers=workers,
        variants=variants,
    )
    return report.what_ifs[0]
