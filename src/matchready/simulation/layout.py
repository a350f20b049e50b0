"""The shape of a simulated national market, from the facts: places by specialty and track,
applicants by type, what each type applies to, and the couples.

Sourced (the facts, with their source and year): applicants and PGY-1 match rates by type, all
positions, PGY-1 positions, program tracks and couples of the latest Main Match (`targets.py`);
positions per specialty and non-US IMGs' preferred specialties (Charting Outcomes, 2026).
Derived or assumed where the facts are silent: every such step adds a sentence to
`Layout.assumptions`, which the simulator prints with its results.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from matchready.domain.facts import ApplicantType, Facts, SpecialtyStats
from matchready.errors import DataFileError
from matchready.simulation.targets import TYPES, market_targets

Floats = npt.NDArray[np.float64]

# Applicant type codes: a type's index in TYPES (into Layout.applicants and the calibration's
# shifts), OTHER after them. The names are the domain's ApplicantType, here as array indexes.
MD, DO, US_IMG, NON_US_IMG = (
    TYPES.index(kind)
    for kind in (
        ApplicantType.US_MD_SENIOR,
        ApplicantType.DO_SENIOR,
        ApplicantType.US_IMG,
        ApplicantType.NON_US_IMG,
    )
)
OTHER = len(TYPES)
TYPE_KEYS = (*(kind.value for kind in TYPES), "other")
TYPE_LABELS = (*(f"{kind.label}s" for kind in TYPES), "other applicants")

# Tracks.
CATEGORICAL, PRELIMINARY, ADVANCED = range(3)
TRACK_NAMES = ("categorical", "preliminary", "advanced")

PRELIM = "PRELIM"
"""The group of preliminary and transitional PGY-1 tracks (no specialty of its own)."""

ADVANCED_SPECIALTIES = ("ANES", "DERM", "DR", "IR", "NEURO", "PMR", "RADONC")
"""Specialties assumed to offer advanced (PGY-2) tracks. NRMP's per-specialty track split is not
in our facts; these are the specialties commonly entered after a preliminary year."""

MAX_INTERVIEWS = 60
"""Assumed cap on interviews (and so ranks) per applicant and specialty in the generator."""

FOCUS_PROGRAMS = 50
"""In a reduced market the applicant's own specialties keep at least this many programs (up
to their national size): at a tenth of the national size Pathology would have 10 programs and
an applicant's 5 interviews would cover half of them, where nationally they cover one in 20,
so each interview would be worth more than the national market (the calibration) says."""


@dataclass(frozen=True)
class Group:
    """The programs of one specialty and track."""

    specialty: int  # index into Layout.specialties
    track: int
    positions: int
    programs: int


@dataclass(frozen=True)
class SpecialtyTarget:
    """What Charting Outcomes publishes for non-US IMGs who ranked a specialty first, and
    whether the simulator is calibrated to it (refused where the matched cohort's figures are
    suppressed: fewer than 5 or not reported)."""

    code: str
    preferred: int
    matched: int
    calibrated: bool
    reason: str = ""  # why not calibrated

    @property
    def rate(self) -> float:
        """Percent matched to the specialty among those who ranked it first."""
        return 100.0 * self.matched / self.preferred if self.preferred else 0.0


@dataclass(frozen=True)
class Layout:
    """A market's shape at `scale` (1 = national), reused by every seed."""

    match_year: int
    scale: float
    specialties: tuple[str, ...]  # codes; the last is PRELIM
    groups: tuple[Group, ...]
    applicants: tuple[int, ...]  # per type code
    demand: tuple[tuple[float, ...], ...]  # per type: share choosing each specialty (no PRELIM)
    couples: int
    published_rates: tuple[float, ...]  # percent per type code (OTHER: derived)
    assumptions: tuple[str, ...]
    img_interviews: tuple[float, ...] = ()  # per specialty (PRELIM: pooled): median interviews
    specialty_targets: tuple[SpecialtyTarget, ...] = ()  # per specialty (no PRELIM)
    focus: tuple[tuple[str, float], ...] = ()  # specialties kept at a larger scale, and it

    @property
    def prelim(self) -> int:
        return len(self.specialties) - 1

    @property
    def total_applicants(self) -> int:
        return sum(self.applicants)

    def target(self, code: str) -> SpecialtyTarget | None:
        wanted = code.strip().upper()
        return next((t for t in self.specialty_targets if t.code == wanted), None)

    def specialty_index(self, code: str) -> int:
        wanted = code.strip().upper()
        if wanted in self.specialties[:-1]:
            return self.specialties.index(wanted)
        raise KeyError(code)


def _split(total: int, weights: Floats) -> list[int]:
    """`total` split in proportion to `weights` (largest remainders), summing exactly."""
    raw = total * weights / weights.sum()
    parts = np.floor(raw).astype(np.int64)
    short = total - int(parts.sum())
    parts[np.argsort(parts - raw, kind="stable")[:short]] += 1
    return [int(p) for p in parts]


def build_layout(
    facts: Facts,
    match_year: int = 2025,
    scale: float = 1.0,
    focus: Sequence[str | None] = (),
) -> Layout:
    """The market of `match_year` at `scale`; refuses when a needed figure is missing. The
    specialties in `focus` (the applicant's) keep at least FOCUS_PROGRAMS programs, up to their
    national size, with their positions and the applicants who choose them scaled alike."""
    national = market_targets(facts, match_year, 1.0)
    scaled = market_targets(facts, match_year, scale)
    stats = [s for s in facts.specialties if s.positions and s.code != "ALL"]
    if not stats:
        raise DataFileError("specialties.csv gives no positions per specialty")
    codes = tuple(s.code for s in stats)
    listed = sum(int(s.positions or 0) for s in stats)
    advanced = national.positions - national.pgy1_positions
    prelim = national.positions - listed
    if advanced <= 0 or prelim <= advanced:
        raise DataFileError(
            f"cannot derive tracks: positions {national.positions}, PGY-1 "
            f"{national.pgy1_positions}, listed specialties {listed}"
        )
    assumptions = [
        f"Positions per specialty are NRMP's 2026 Charting Outcomes counts ({listed:,} in "
        f"{len(codes)} specialties), used as shares of the {match_year} market.",
        f"Advanced (PGY-2) positions = all positions - PGY-1 positions = {advanced:,} "
        f"(derived), split over {', '.join(c for c in ADVANCED_SPECIALTIES if c in codes)} in "
        "proportion to their positions (assumed: the split by track is not in our facts).",
        f"Preliminary/transitional PGY-1 positions = all positions - the listed specialties' = "
        f"{prelim:,} (assumed: specialties not in Charting Outcomes are counted here).",
        "Programs per track are in proportion to positions; capacities are skewed at random "
        "(log-normal weights, at least 1) — assumed.",
    ]
    adv_codes = [c for c in ADVANCED_SPECIALTIES if c in codes]
    adv_weights = np.array([float(stats[codes.index(c)].positions or 0) for c in adv_codes])
    adv_split = dict(zip(adv_codes, _split(advanced, adv_weights), strict=True))
    national_groups: list[tuple[int, int, int]] = []  # (specialty, track, positions)
    for i, s in enumerate(stats):
        adv = adv_split.get(s.code, 0)
        national_groups.append((i, CATEGORICAL, int(s.positions or 0) - adv))
        if adv:
            national_groups.append((i, ADVANCED, adv))
    national_groups.append((len(codes), PRELIMINARY, prelim))
    group_positions = np.array([g[2] for g in national_groups], dtype=np.float64)
    positions = [max(1, p) for p in _split(scaled.positions, group_positions)]
    programs = _split(scaled.programs, group_positions)
    national_programs = _split(national.programs, group_positions)
    factor = _focus_factors(codes, national_groups, national_programs, scale, focus)
    for g, (spec, _, pos) in enumerate(national_groups):
        if spec in factor:
            positions[g] = max(1, round(pos * factor[spec]))
            programs[g] = round(national_programs[g] * factor[spec])
    groups = tuple(
        Group(spec, track, pos, max(1, min(pos, prog)))
        for (spec, track, _), pos, prog in zip(national_groups, positions, programs, strict=True)
    )
    if factor:
        assumptions.append(
            f"Your specialties are simulated at a larger scale than the rest of the market "
            f"(scale {scale:g}): "
            + ", ".join(f"{codes[i]} at {f:.2g}" for i, f in factor.items())
            + f", so that each keeps at least {FOCUS_PROGRAMS} programs (or all of its "
            "national ones) with its positions and applicants in the same proportion: with "
            "fewer, an applicant's interviews would cover a large share of the specialty's "
            "programs and each would be worth more than in the national market the simulator "
            "is calibrated on."
        )

    img_preferred = np.array([float(s.img_preferred or 0) for s in stats])
    by_positions = np.array([float(s.positions or 0) for s in stats])
    us_demand = tuple(float(x) for x in by_positions / by_positions.sum())
    img_demand = tuple(float(x) for x in img_preferred / img_preferred.sum())
    demand: tuple[tuple[float, ...], ...] = (
        us_demand,
        us_demand,
        img_demand,
        img_demand,
        us_demand,
    )
    assumptions += [
        "Non-US IMGs choose a specialty in proportion to the non-US IMGs who ranked it first "
        "(Charting Outcomes 2026); US IMGs are assumed to choose like them; US seniors and "
        "others in proportion to positions (assumed).",
    ]

    counts = [scaled.applicants[kind] for kind in TYPES] + [scaled.others]
    if factor:
        national_counts = [national.applicants[kind] for kind in TYPES] + [national.others]
        counts, demand = _focus_demand(counts, national_counts, demand, factor, scale)
    rates = [national.match_rates[kind] for kind in TYPES]
    everyone = facts.outcome(ApplicantType.ALL, match_year)
    matched = [facts.outcome(kind, match_year) for kind in TYPES]
    if (
        everyone is None
        or everyone.matched is None
        or any(m is None or m.matched is None for m in matched)
    ):
        raise DataFileError(f"the {match_year} Match figures lack matched counts by type")
    others_matched = everyone.matched - sum(int(m.matched or 0) for m in matched if m)
    other_rate = 100.0 * others_matched / national.others
    rates.append(other_rate)
    assumptions.append(
        f"Other applicants' PGY-1 match rate = (all matched - the four types' matched) / others "
        f"= {others_matched:,} / {national.others:,} = {other_rate:.1f}% (derived)."
    )
    couples = scaled.couples
    if couples:
        note = "" if scaled.couples_verified else " (an unverified secondary figure)"
        assumptions.append(
            f"{national.couples:,} couples{note}; partners are assumed to be US MD or DO "
            "seniors, each applying in their own specialty, ranking every pair of their "
            "programs by joint preference (at most 300 rows), then 'No Match' rows for each."
        )
    seniors = counts[MD] + counts[DO]
    couples = min(couples, seniors // 2)
    interviews, targets, notes = _img_figures(facts, stats)
    assumptions += notes
    return Layout(
        match_year=match_year,
        scale=scale,
        specialties=(*codes, PRELIM),
        groups=groups,
        applicants=tuple(counts),
        demand=demand,
        couples=couples,
        published_rates=tuple(rates),
        assumptions=tuple(assumptions),
        img_interviews=interviews,
        specialty_targets=targets,
        focus=tuple((codes[i], f) for i, f in factor.items()),
    )


def _focus_factors(
    codes: tuple[str, ...],
    national_groups: list[tuple[int, int, int]],
    national_programs: list[int],
    scale: float,
    focus: Sequence[str | None],
) -> dict[int, float]:
    """Per focused specialty (index) whose programs at `scale` would be fewer than
    FOCUS_PROGRAMS: its own scale, at most 1."""
    found: dict[int, float] = {}
    for code in focus:
        if code is None or code.strip().upper() not in codes:
            continue
        i = codes.index(code.strip().upper())
        pairs = zip(national_groups, national_programs, strict=True)
        total = sum(p for (spec, _, _), p in pairs if spec == i)
        wanted = min(1.0, max(scale, FOCUS_PROGRAMS / max(total, 1)))
        if wanted > scale:
            found[i] = wanted
    return found


def _focus_demand(
    counts: list[int],
    national_counts: list[int],
    demand: tuple[tuple[float, ...], ...],
    factor: dict[int, float],
    scale: float,
) -> tuple[list[int], tuple[tuple[float, ...], ...]]:
    """Applicant counts and specialty choices with the focused specialties' applicants at
    their own scale: type t gains national_t x demand_t[s] x (factor_s - scale) applicants,
    all choosing s."""
    new_counts, new_demand = [], []
    for t, (count, national_count) in enumerate(zip(counts, national_counts, strict=True)):
        wanted = np.asarray(demand[t], dtype=np.float64) * count
        for i, f in factor.items():
            wanted[i] += round(national_count * demand[t][i] * (f - scale))
        total = round(float(wanted.sum()))
        new_counts.append(total)
        new_demand.append(tuple(float(x) for x in wanted / wanted.sum()))
    return new_counts, tuple(new_demand)


def _img_figures(
    facts: Facts, stats: list[SpecialtyStats]
) -> tuple[tuple[float, ...], tuple[SpecialtyTarget, ...], list[str]]:
    """Median interviews of IMGs per specialty (the geometric mean of the matched and
    unmatched non-US IMGs' median contiguous ranks, derived; the pooled figures where a
    specialty's are suppressed) and the per-specialty calibration targets."""
    pooled = facts.specialty("ALL")
    if (
        pooled is None
        or not pooled.contiguous_ranks_matched_median
        or not pooled.contiguous_ranks_unmatched_median
    ):
        raise DataFileError("specialties.csv lacks the pooled (ALL) contiguous ranks medians")
    pooled_median = math.sqrt(
        pooled.contiguous_ranks_matched_median * pooled.contiguous_ranks_unmatched_median
    )
    interviews: list[float] = []
    targets: list[SpecialtyTarget] = []
    stand_in: list[str] = []
    for s in stats:
        crm, cru = s.contiguous_ranks_matched_median, s.contiguous_ranks_unmatched_median
        if crm and cru:
            interviews.append(math.sqrt(crm * cru))
        else:
            interviews.append(pooled_median)
            stand_in.append(s.code)
        published = s.img_preferred is not None and s.img_matched is not None
        suppressed = s.step2_matched_median is None and s.step2_matched_mean is None
        reason = ""
        if not published:
            reason = "Charting Outcomes gives no match rate"
        elif suppressed:
            reason = (
                f"Charting Outcomes suppresses the matched cohort's figures "
                f"({s.img_matched} matched)"
            )
        targets.append(
            SpecialtyTarget(
                code=s.code,
                preferred=int(s.img_preferred or 0),
                matched=int(s.img_matched or 0),
                calibrated=not reason,
                reason=reason,
            )
        )
    interviews.append(pooled_median)  # PRELIM
    notes = [
        "IMGs' and others' median interviews per specialty = the geometric mean of matched and "
        "unmatched non-US IMGs' median contiguous ranks in it (Charting Outcomes 2026, derived; "
        f"e.g. IM sqrt(5 x 2) = 3.2); the pooled {pooled_median:.1f} where a specialty's are "
        "suppressed" + (f" ({', '.join(stand_in)})." if stand_in else ".")
    ]
    return tuple(interviews), tuple(targets), notes
