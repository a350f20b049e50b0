"""The applicant inserted into simulated markets: who they are (type, latent quality from Step 2
CK) and how they rank (a strategy), and their outcome in each market.

Common random numbers: within one seed, the applicant's unobserved quality, the programs they
could interview at (in drawing order) and every utility are fixed, so strategies differ only
by what they add. Extra programs go below the ones already ranked, so in a market of singles a
longer list can never do worse (the engine's applicant-proposing run is unchanged until the
applicant would have gone unmatched).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt

from matchready.domain.applicant import Profile
from matchready.domain.facts import ApplicantType, Facts, SpecialtyStats
from matchready.errors import DataFileError, NotFoundError
from matchready.match import ArrayOutcome, MarketArrays
from matchready.simulation.layout import ADVANCED, PRELIM, Layout
from matchready.simulation.market import SimulatedMarket, pick_programs, redraw_window
from matchready.simulation.targets import TYPES

Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]

SCORE_WEIGHT = 0.5
"""Assumed correlation of the latent quality with Step 2 CK (within type): programs weigh much
more than the score, and the matched-unmatched gap is only about 0.4 SD (Charting Outcomes)."""
DEFAULT_PRELIM_RANKS = 3
DEFAULT_SUPPLEMENTAL = 5
BATCH = 4
"""Candidate programs are drawn in batches of BATCH, each batch with a wider spread
(`redraw_window`), as the market's applicants re-draw requests that fell on a program
already picked."""


@dataclass(frozen=True)
class Strategy:
    """A rank order list strategy: `ranks` programs in `specialty`, then optionally `also_ranks`
    programs in another specialty, then `prelim` preliminary programs; `supplemental`
    preliminary programs on the supplemental list of any advanced program."""

    specialty: str
    ranks: int
    prelim: int = 0
    also: str | None = None
    also_ranks: int = 0
    supplemental: int = DEFAULT_SUPPLEMENTAL

    def more_ranks(self, extra: int) -> Strategy:
        return replace(self, ranks=self.ranks + extra)

    def label(self) -> str:
        parts = [f"{self.ranks} {self.specialty} programs"]
        if self.also and self.also_ranks:
            parts.append(f"{self.also_ranks} {self.also} programs")
        if self.prelim:
            parts.append(f"{self.prelim} preliminary programs")
        return ", then ".join(parts)


@dataclass(frozen=True)
class SimApplicant:
    """The applicant as the simulator sees them."""

    kind: int  # applicant type code (US_IMG or NON_US_IMG)
    score_z: float | None  # Step 2 CK in SDs from their type's mean in the specialty
    step2ck: int | None


@dataclass(frozen=True)
class Placement:
    """The applicant's outcome in one market under one strategy."""

    matched: bool  # a PGY-1 place (categorical, preliminary, or supplemental)
    rank: int  # 1-based position on the primary list (0: unmatched)
    specialty: str  # of the primary match ("" if none)
    track: int  # of the primary match (-1 if none)
    tier: int  # prestige third within the specialty: 0 top, 1 middle, 2 bottom (-1 none)
    supplemental: bool  # also placed from the supplemental list


def step2_distribution(stats: SpecialtyStats, pooled: SpecialtyStats | None) -> tuple[float, str]:
    """Mean Step 2 CK of the specialty's non-US IMG applicants: matched and unmatched means
    (medians where means are not published) weighted by the match rate; else the pooled row."""
    for source in (stats, pooled):
        if source is None:
            continue
        matched = source.step2_matched_mean or source.step2_matched_median
        unmatched = source.step2_unmatched_mean or source.step2_unmatched_median
        if matched and unmatched and source.img_preferred and source.img_matched is not None:
            p = source.img_matched / source.img_preferred
            return p * matched + (1 - p) * unmatched, source.name
    raise DataFileError(f"no Step 2 CK figures for {stats.name} or all specialties")


def step2_z(facts: Facts, stats: SpecialtyStats, score: float) -> tuple[float, float, float, str]:
    """`score` in SDs from the mean of the specialty's non-US IMG applicants, with the mean,
    the SD (the middle of the facts' within-cohort range) and whose figures gave the mean."""
    low, high = facts.rule("odds.step2ck_cohort_sd_low"), facts.rule("odds.step2ck_cohort_sd_high")
    if low is None or high is None:
        raise DataFileError("the Step 2 CK spread within cohorts is not in our facts")
    sd = (low.number() + high.number()) / 2
    mean, where = step2_distribution(stats, facts.specialty("ALL"))
    return (score - mean) / sd, mean, sd, where


def applicant_of(profile: Profile, facts: Facts, specialty: str) -> tuple[SimApplicant, list[str]]:
    """The profile as a simulated applicant, with the assumptions made."""
    stats = facts.specialty(specialty)
    if stats is None:
        raise NotFoundError(f"no published figures for specialty '{specialty}'")
    kind = TYPES.index(profile.applicant_type)
    us = profile.applicant_type is ApplicantType.US_IMG
    notes = [
        f"Applicant type: {profile.applicant_type.label} (NRMP counts only US citizens as US "
        "IMGs; permanent residents are non-US IMGs)."
    ]
    if us:
        notes.append(
            "US IMG figures used: the PGY-1 match rate of US IMGs (the market is fitted to it). "
            "Standing in, as our sources hold no US-IMG per-specialty table: non-US IMGs' "
            "Charting Outcomes figures (interviews, Step 2 CK cohorts), with programs' odds of "
            "ranking a US IMG a fixed multiple of their odds of ranking a non-US IMG."
        )
    exam = profile.exams.step2ck
    if not (exam.passed and exam.score is not None):
        notes.append("No passed Step 2 CK score: simulated as an average applicant of the type.")
        return SimApplicant(kind, None, None), notes
    z, mean, sd, where = step2_z(facts, stats, exam.score)
    notes.append(
        f"Latent quality = your type's mean + {SCORE_WEIGHT} x (Step 2 CK {exam.score} - "
        f"{mean:.0f}) / {sd:g} + unobserved factors drawn per market: {mean:.0f} is the mean of "
        f"non-US IMGs who ranked {where} first (matched and unmatched, weighted by the match "
        f"rate; Charting Outcomes 2026), {sd:g} the middle of the published 13-16 spread; the "
        f"weight {SCORE_WEIGHT} is assumed"
        + (
            " (US citizens are assumed to score like non-US IMGs)."
            if profile.applicant_type is ApplicantType.US_IMG
            else "."
        )
    )
    notes.append(
        "Not modelled: year of graduation, visa needs, US clinical experience and program "
        "screening rules; the score is the only individual input."
    )
    return SimApplicant(kind, z, exam.score), notes


@dataclass(frozen=True, eq=False)
class Draws:
    """The applicant's random draws in one market, shared by every strategy."""

    quality: float
    anchor: float  # the quality without the score's part: where the interviews fall
    utility: Floats  # per program
    score: Floats  # program utility of the applicant, per program
    ranked_by: npt.NDArray[np.bool_]  # per program: would rank the applicant after interview
    seed: int


def draws_for(market: SimulatedMarket, applicant: SimApplicant, seed: int) -> Draws:
    rng = np.random.default_rng([seed, 1])
    prm = market.parameters
    shift = prm.quality_shift[applicant.kind]
    unobserved = rng.normal()
    if applicant.score_z is None:
        anchor = quality = shift + unobserved
    else:
        anchor = shift + math.sqrt(1 - SCORE_WEIGHT**2) * unobserved
        quality = anchor + SCORE_WEIGHT * applicant.score_z
    programs = market.programs
    n_programs = len(programs.capacity)
    utility = prm.prestige_weight * programs.prestige + rng.normal(size=n_programs)
    score = quality + prm.program_noise * rng.normal(size=n_programs)
    share = prm.shares(market.layout.specialties)[applicant.kind, programs.specialty]
    ranked_by = rng.random(n_programs) < share
    return Draws(quality, anchor, utility, score, ranked_by, seed)


def candidates(market: SimulatedMarket, draws: Draws, specialty: int, count: int) -> Ints:
    """Up to `count` distinct programs of `specialty` the applicant could interview at, in
    drawing order (a fixed sequence per seed and specialty). Where they fall depends on the
    applicant's anchor, not on the Step 2 CK score: a higher score moves the applicant up the
    lists of the same programs and never sends them to other ones (monotone by
    construction)."""
    programs = market.programs
    available = int(programs.spec_programs[specialty])
    count = min(count, available)
    if count <= 0:
        return np.zeros(0, dtype=np.int64)
    peers = market.quality[market.applicant_specialty == specialty]
    quantile = float(np.mean(peers < draws.anchor)) if len(peers) else 0.5
    rng = np.random.default_rng([draws.seed, 2, specialty])
    found = np.zeros(0, dtype=np.int64)
    for batch in range(400):  # fixed-size batches: a longer request extends a shorter one
        picks = pick_programs(
            programs,
            np.full(BATCH, specialty, dtype=np.int64),
            np.full(BATCH, quantile),
            redraw_window(market.parameters.window, batch),
            rng,
        )
        merged = np.concatenate((found, picks))
        _, first = np.unique(merged, return_index=True)
        found = merged[np.sort(first)]
        if len(found) >= count:
            break
    return found[:count]


def rank_list(
    market: SimulatedMarket, draws: Draws, strategy: Strategy, extra: int = 0
) -> tuple[Ints, Ints]:
    """The strategy's primary and supplemental lists (program indices, best first); `extra`
    more specialty programs go below the strategy's own, above the other blocks."""
    layout = market.layout
    blocks: list[Ints] = []

    def by_utility(programs: Ints) -> Ints:
        return programs[np.argsort(-draws.utility[programs], kind="stable")]

    main = candidates(
        market, draws, layout.specialty_index(strategy.specialty), strategy.ranks + extra
    )
    blocks += [by_utility(main[: strategy.ranks]), by_utility(main[strategy.ranks :])]
    if strategy.also and strategy.also_ranks:
        other = candidates(
            market, draws, layout.specialty_index(strategy.also), strategy.also_ranks
        )
        blocks.append(by_utility(other))
    prelim_pool = candidates(
        market, draws, layout.prelim, max(strategy.prelim, strategy.supplemental)
    )
    blocks.append(by_utility(prelim_pool[: strategy.prelim]))
    primary = np.concatenate(blocks)
    _, first_seen = np.unique(primary, return_index=True)
    primary = primary[np.sort(first_seen)]
    supplemental = np.zeros(0, dtype=np.int64)
    if np.any(market.programs.track[primary] == ADVANCED):
        supplemental = by_utility(prelim_pool[: strategy.supplemental])
    return primary, supplemental


def insert(
    market: SimulatedMarket, draws: Draws, primary: Ints, supplemental: Ints
) -> MarketArrays:
    """The market's arrays with the applicant appended (index = number of applicants); each
    program they rank lists them at the place their program utility earns."""
    a = market.arrays
    me = a.applicants
    ranked = np.unique(np.concatenate((primary, supplemental)))
    ranked = ranked[draws.ranked_by[ranked]]
    offsets = a.program_offsets
    at = np.empty(len(ranked), dtype=np.int64)
    for i, p in enumerate(ranked.tolist()):
        segment = market.program_score[offsets[p] : offsets[p + 1]]
        at[i] = offsets[p] + int(np.searchsorted(-segment, -draws.score[p], side="right"))
    program_applicants = np.insert(a.program_applicants, at, me)
    added = np.zeros(a.programs, dtype=np.int64)
    added[ranked] = 1
    program_offsets = offsets + np.concatenate(([0], np.cumsum(added)))
    lists = len(a.supplemental_applicant)
    has_list = len(supplemental) > 0
    link = np.where((market.programs.track[primary] == ADVANCED) & has_list, lists, -1).astype(
        np.int64
    )
    return MarketArrays(
        capacity=a.capacity,
        applicant_offsets=np.append(a.applicant_offsets, a.applicant_offsets[-1] + len(primary)),
        applicant_programs=np.concatenate((a.applicant_programs, primary)),
        program_offsets=program_offsets,
        program_applicants=program_applicants,
        supplemental_link=np.concatenate((a.supplemental_link, link)),
        supplemental_applicant=np.append(a.supplemental_applicant, [me] if has_list else []),
        supplemental_offsets=np.append(
            a.supplemental_offsets,
            [a.supplemental_offsets[-1] + len(supplemental)] if has_list else [],
        ),
        supplemental_programs=np.concatenate((a.supplemental_programs, supplemental)),
        couple_first=a.couple_first,
        couple_second=a.couple_second,
        reversion_donor=a.reversion_donor,
        reversion_receiver=a.reversion_receiver,
    )


def placement(market: SimulatedMarket, outcome: ArrayOutcome, me: int) -> Placement:
    """Where the inserted applicant `me` matched."""
    program = int(outcome.program[me])
    supplemental = int(outcome.supplemental_program[me]) >= 0
    if program < 0:
        return Placement(False, 0, "", -1, -1, supplemental)
    programs = market.programs
    spec = int(programs.specialty[program])
    track = int(programs.track[program])
    within = (program - int(programs.spec_first[spec])) / max(int(programs.spec_programs[spec]), 1)
    return Placement(
        matched=track != ADVANCED or supplemental,
        rank=int(outcome.rank[me]),
        specialty=_code(market.layout, spec),
        track=track,
        tier=min(int(within * 3), 2),
        supplemental=supplemental,
    )


def _code(layout: Layout, spec: int) -> str:
    code = layout.specialties[spec]
    return "preliminary/transitional" if code == PRELIM else code
