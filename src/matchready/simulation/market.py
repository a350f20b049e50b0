"""A vectorised generator of NRMP-like national markets (reference §6), straight to arrays.

One seed gives one market: programs in specialty tracks with skewed capacities and a prestige;
applicants of five types with a latent quality whose mean shifts by type (the calibrated
parameters); an interview graph drawn first (an applicant interviews in their specialty at
programs whose capacity-weighted prestige quantile is near their own quality quantile, so
strong applicants meet strong programs); then rank order lists from correlated utilities:
applicant utility = alpha * prestige + noise, program utility = quality + noise. Applicants who
interview at advanced programs attach one supplemental list of preliminary programs; some
applicants rank preliminary programs as a backup after their specialty; couples rank pairs.

Everything is numpy over flat arrays: no Python loop over applicants or programs, only over
the few dozen specialty tracks. The result is a :class:`matchready.match.MarketArrays` plus
what the simulator needs to read the outcome (types, specialties, tracks, prestige).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from matchready.match import ArrayOutcome, MarketArrays, solve
from matchready.simulation.calibration import Parameters
from matchready.simulation.layout import (
    ADVANCED,
    DO,
    MAX_INTERVIEWS,
    MD,
    NON_US_IMG,
    US_IMG,
    Layout,
)

Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]

MAX_COUPLE_ROWS = 300
"""NRMP's limit of ranks per partner (reference §1.2)."""
MAX_COUPLE_PAIRS = 100
"""Assumed: a couple ranks at most its 100 best pairs (then the "No Match" rows)."""


def _frac(values: Floats) -> Floats:
    """A decreasing map of `values` into (0.05, 0.95): `_order(index, _frac(v))` orders each
    index's entries by descending v."""
    return 0.5 - 0.45 * values / (np.abs(values) + 4.0)


def _order(groups: Ints, fraction: Floats) -> Ints:
    """The permutation that sorts by `groups`, then by `fraction` (in [0, 1)), ties by
    position: one sort of packed int64 keys (group | fraction's leading bits | position),
    about three times faster here than `np.argsort` on floats. The fraction keeps at least
    24 bits (a resolution finer than 1e-7)."""
    n = len(groups)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    index_bits = max(int(n - 1).bit_length(), 1)
    group_bits = max(int(groups.max()).bit_length(), 1)
    value_bits = 62 - index_bits - group_bits
    if value_bits < 24:
        return np.lexsort((np.arange(n), fraction, groups)).astype(np.int64)
    value = (fraction * float(1 << value_bits)).astype(np.int64)
    key = (groups.astype(np.int64) << (value_bits + index_bits)) | (value << index_bits)
    key |= np.arange(n, dtype=np.int64)
    return np.sort(key) & ((1 << index_bits) - 1)


def _distinct(keys: Ints) -> Ints:
    """The distinct values of `keys`, ascending (a sort, faster here than np.unique)."""
    keys = np.sort(keys)
    keep = np.ones(len(keys), dtype=bool)
    keep[1:] = keys[1:] != keys[:-1]
    return keys[keep]


def _ranks_in_groups(groups: Ints, values: Floats, sizes: Ints) -> Floats:
    """For each item, the quantile (0-1, higher = better) of its value within its group."""
    order = np.lexsort((values, groups))
    starts = np.concatenate(([0], np.cumsum(sizes)[:-1]))
    position = np.empty(len(values), dtype=np.int64)
    position[order] = np.arange(len(values), dtype=np.int64)
    rank = position - starts[groups]
    return (rank + 0.5) / np.maximum(sizes[groups], 1)


@dataclass(frozen=True, eq=False)
class Programs:
    """Program metadata; programs of a specialty are contiguous and best-first by prestige."""

    specialty: Ints
    track: Ints
    capacity: Ints
    prestige: Floats
    at_place: Ints  # the program holding each place (places numbered in program order)
    spec_start: Floats  # per specialty: cumulative capacity before its first program
    spec_capacity: Floats  # per specialty: its positions
    spec_first: Ints  # per specialty: index of its first program
    spec_programs: Ints  # per specialty: number of programs


def draw_programs(layout: Layout, rng: np.random.Generator) -> Programs:
    """Programs of every track with skewed capacities (log-normal weights, at least 1 place)."""
    specialty, track, capacity = [], [], []
    for group in layout.groups:
        n = group.programs
        weights = rng.lognormal(0.0, 0.8, n)
        extra = rng.multinomial(group.positions - n, weights / weights.sum())
        specialty.append(np.full(n, group.specialty, dtype=np.int64))
        track.append(np.full(n, group.track, dtype=np.int64))
        capacity.append(1 + extra.astype(np.int64))
    spec = np.concatenate(specialty)
    prestige = rng.normal(size=len(spec))
    order = np.lexsort((-prestige, spec))
    spec, prestige = spec[order], prestige[order]
    cap = np.concatenate(capacity)[order]
    n_spec = len(layout.specialties)
    spec_programs = np.bincount(spec, minlength=n_spec).astype(np.int64)
    spec_first = np.concatenate(([0], np.cumsum(spec_programs)[:-1])).astype(np.int64)
    spec_capacity = np.bincount(spec, weights=cap, minlength=n_spec).astype(np.float64)
    spec_start = np.concatenate(([0.0], np.cumsum(spec_capacity)[:-1]))
    return Programs(
        specialty=spec,
        track=np.concatenate(track)[order],
        capacity=cap,
        prestige=prestige,
        at_place=np.repeat(np.arange(len(cap), dtype=np.int64), cap),
        spec_start=spec_start,
        spec_capacity=spec_capacity,
        spec_first=spec_first,
        spec_programs=spec_programs,
    )


def pick_programs(
    programs: Programs,
    specialty: Ints,
    quantile: Floats,
    window: float,
    rng: np.random.Generator,
) -> Ints:
    """One program per request: in `specialty`, at a capacity-weighted prestige quantile near
    1 - `quantile` (spread `window`), so a program is picked in proportion to its places."""
    target = np.clip(1.0 - quantile + window * rng.normal(size=len(quantile)), 0.0, 1 - 1e-9)
    place = programs.spec_start[specialty] + target * programs.spec_capacity[specialty]
    return programs.at_place[place.astype(np.int64)]


DRAW_ROUNDS = 8
"""Rounds of re-drawing for requests that fell on a program already picked."""
REDRAW_FACTOR = 3
"""A re-drawing round asks for this many times the applicant's shortfall."""


def redraw_window(window: float, round_: int) -> float:
    """The spread of the `round_`-th round of interview requests (0: the first): doubled each
    round up to 16 times, so an applicant whose requests fell on programs already picked
    reaches further from their own level, as applicants do when their first choices are
    full. Shared by the market's applicants and the inserted one."""
    return window * 2.0 ** min(round_, 4)


def distinct_interviews(
    programs: Programs,
    specialty: Ints,
    quantile: Floats,
    wanted: Ints,
    window: float,
    rng: np.random.Generator,
) -> Ints:
    """`wanted[i]` distinct programs of `specialty[i]` near applicant i's quantile, as sorted
    keys applicant * programs + program. Requests that hit a program already picked are drawn
    again (at most DRAW_ROUNDS rounds), as the inserted applicant's candidates are, so an
    applicant holds the interviews drawn for them even where a specialty has few programs (in
    small markets most of a narrow window's requests would otherwise collapse onto the same
    few programs, and the market's applicants would hold fewer interviews than the one inserted
    with the same count)."""
    n_programs = len(programs.capacity)
    n = len(wanted)
    owner = np.repeat(np.arange(n, dtype=np.int64), wanted)
    picked = pick_programs(programs, specialty[owner], quantile[owner], window, rng)
    keys = _distinct(owner * n_programs + picked)  # the first round: what is wanted
    short = wanted - np.bincount(keys // n_programs, minlength=n)
    extra = np.zeros(0, dtype=np.int64)  # sorted; the later rounds' programs
    for round_ in range(1, DRAW_ROUNDS):
        # later rounds ask for 3 times the shortfall and keep, per applicant, the first new
        # programs drawn; only the applicants still short take part
        active = np.flatnonzero(short > 0)
        if len(active) == 0:
            break
        owner = np.repeat(active, REDRAW_FACTOR * short[active])
        spread = redraw_window(window, round_)
        picked = pick_programs(programs, specialty[owner], quantile[owner], spread, rng)
        new = owner * n_programs + picked
        new = new[~(_member(keys, new) | _member(extra, new))]
        by_key = np.argsort(new, kind="stable")
        first = np.ones(len(new), dtype=bool)
        first[1:] = new[by_key][1:] != new[by_key][:-1]
        new = new[np.sort(by_key[first])]  # each new program once, in drawing order
        if len(new) == 0:
            continue
        mine = new // n_programs  # grouped by applicant, ascending
        change = np.ones(len(new), dtype=bool)
        change[1:] = mine[1:] != mine[:-1]
        run_start = np.flatnonzero(change)
        rank = np.arange(len(new)) - run_start[np.cumsum(change) - 1]
        new = new[rank < short[mine]]
        extra = np.sort(np.concatenate((extra, new)))
        got, count = np.unique(new // n_programs, return_counts=True)
        short[got] -= count
    if len(extra):
        keys = np.insert(keys, np.searchsorted(keys, extra), extra)
    return keys


def _member(sorted_keys: Ints, values: Ints) -> Bools:
    """Whether each of `values` is in `sorted_keys` (ascending)."""
    if len(sorted_keys) == 0:
        return np.zeros(len(values), dtype=bool)
    at = np.minimum(np.searchsorted(sorted_keys, values), len(sorted_keys) - 1)
    found: Bools = sorted_keys[at] == values
    return found


@dataclass(frozen=True, eq=False)
class SimulatedMarket:
    """One generated market: the engine's arrays and the metadata to read its outcome."""

    arrays: MarketArrays
    applicant_type: Ints
    applicant_specialty: Ints
    quality: Floats
    quantile: Floats  # quality quantile within the applicant's specialty
    program_score: Floats  # each program_applicants entry's program utility (descending)
    programs: Programs
    layout: Layout
    parameters: Parameters

    def matched_pgy1(self, outcome: ArrayOutcome) -> Bools:
        """NRMP's PGY-1 match: a categorical or preliminary place, or a supplemental one."""
        program = outcome.program[: len(self.applicant_type)]
        track = np.where(program >= 0, self.programs.track[np.maximum(program, 0)], -1)
        supplemental = outcome.supplemental_program[: len(self.applicant_type)]
        matched: Bools = ((program >= 0) & (track != ADVANCED)) | (supplemental >= 0)
        return matched

    def specialty_counts(self, outcome: ArrayOutcome, kind: int = NON_US_IMG) -> tuple[Ints, Ints]:
        """Per specialty: applicants of type `kind` who chose it, and how many of them matched
        to one of its programs (any track), as Charting Outcomes counts a preferred-specialty
        match."""
        n = len(self.applicant_type)
        mine = self.applicant_type == kind
        spec = self.applicant_specialty
        program = outcome.program[:n]
        placed = np.where(program >= 0, self.programs.specialty[np.maximum(program, 0)], -1)
        hit = mine & (placed == spec)
        size = len(self.layout.specialties)
        totals = np.bincount(spec[mine], minlength=size).astype(np.int64)
        hits = np.bincount(spec[hit], minlength=size).astype(np.int64)
        return hits, totals

    def rates(self, outcome: ArrayOutcome) -> Floats:
        """PGY-1 match rate (percent) per applicant type code."""
        matched = self.matched_pgy1(outcome)
        kinds = len(self.layout.applicants)
        total = np.bincount(self.applicant_type, minlength=kinds)
        hits = np.bincount(self.applicant_type, weights=matched, minlength=kinds)
        return np.asarray(100.0 * hits / np.maximum(total, 1), dtype=np.float64)


def generate(layout: Layout, parameters: Parameters, seed: int) -> SimulatedMarket:
    """The market of `seed` (numpy's Generator: the same seed gives the same market)."""
    rng = np.random.default_rng(seed)
    prm = parameters
    programs = draw_programs(layout, rng)
    n_programs = len(programs.capacity)
    n_types = len(layout.applicants)

    kind = np.repeat(np.arange(n_types, dtype=np.int64), layout.applicants)
    n = len(kind)
    shift = np.asarray(prm.quality_shift, dtype=np.float64)
    quality = shift[kind] + rng.normal(size=n)
    specialty = np.empty(n, dtype=np.int64)
    for t in range(n_types):
        members = kind == t
        specialty[members] = rng.choice(
            len(layout.demand[t]), size=int(members.sum()), p=np.asarray(layout.demand[t])
        )
    img_median = np.asarray(layout.img_interviews, dtype=np.float64)
    median = np.where((kind == MD) | (kind == DO), prm.senior_interviews, img_median[specialty])
    wanted = np.exp(
        np.log(median)
        + prm.interview_slope * (quality - shift[kind])
        + prm.interview_spread * rng.normal(size=n)
    )
    room = np.minimum(programs.spec_programs[specialty], MAX_INTERVIEWS)
    interviews = np.clip(np.rint(wanted), 1, room).astype(np.int64)
    sizes = np.bincount(specialty, minlength=len(layout.specialties)).astype(np.int64)
    quantile = _ranks_in_groups(specialty, quality, sizes)

    # The interview graph: distinct programs in the applicant's specialty.
    pairs = distinct_interviews(programs, specialty, quantile, interviews, prm.window, rng)
    owner, picked = pairs // n_programs, pairs % n_programs

    # Supplemental lists (one per applicant with an advanced interview) and backup prelims.
    advanced = np.zeros(n, dtype=bool)
    advanced[owner[programs.track[picked] == ADVANCED]] = True
    sup_owner_ids = np.flatnonzero(advanced)
    sup_index = np.full(n, -1, dtype=np.int64)
    sup_index[sup_owner_ids] = np.arange(len(sup_owner_ids), dtype=np.int64)
    sup_len = rng.integers(prm.supplemental_min, prm.supplemental_max + 1, len(sup_owner_ids))
    couples = layout.couples
    seniors = np.flatnonzero((kind == MD) | (kind == DO))
    partners = rng.choice(seniors, size=2 * couples, replace=False)
    in_couple = np.zeros(n, dtype=bool)
    in_couple[partners] = True
    img = (kind == US_IMG) | (kind == NON_US_IMG)
    backup_share = np.where(img, prm.img_backup_share, prm.backup_share)
    backup = (~advanced) & (~in_couple) & (rng.random(n) < backup_share)
    backup_ids = np.flatnonzero(backup)
    prelim = np.full(1, layout.prelim, dtype=np.int64)
    sup_req = np.repeat(sup_owner_ids, sup_len)
    back_req = np.repeat(backup_ids, prm.backup_ranks)
    extra_owner = np.concatenate((sup_req, back_req))
    extra_pick = pick_programs(
        programs, np.repeat(prelim, len(extra_owner)), quantile[extra_owner], prm.window, rng
    )
    extra = _distinct(extra_owner * n_programs + extra_pick)
    extra_owner, extra_pick = extra // n_programs, extra % n_programs
    is_sup = advanced[extra_owner]

    # Program lists: the interviewees each program ranks (a share by type), best first by
    # program utility = quality + noise.
    p_owner = np.concatenate((owner, extra_owner))
    p_prog = np.concatenate((picked, extra_pick))
    share = prm.shares(layout.specialties)
    ranked = rng.random(len(p_owner)) < share[kind[p_owner], programs.specialty[p_prog]]
    p_owner, p_prog = p_owner[ranked], p_prog[ranked]
    score = quality[p_owner] + prm.program_noise * rng.normal(size=len(p_owner))
    order = _order(p_prog, _frac(score))
    program_applicants = p_owner[order]
    program_score = score[order]
    program_offsets = np.concatenate(([0], np.cumsum(np.bincount(p_prog, minlength=n_programs))))

    # Supplemental lists, best first by applicant utility.
    s_owner, s_prog = extra_owner[is_sup], extra_pick[is_sup]
    s_util = prm.prestige_weight * programs.prestige[s_prog] + rng.normal(size=len(s_prog))
    s_list = sup_index[s_owner]
    order = _order(s_list, _frac(s_util))
    supplemental_programs = s_prog[order]
    supplemental_offsets = np.concatenate(
        ([0], np.cumsum(np.bincount(s_list, minlength=len(sup_owner_ids))))
    )

    # Primary lists: interviews by utility, then backup prelims; couples replaced below.
    utility = prm.prestige_weight * programs.prestige[picked] + rng.normal(size=len(picked))
    b_owner, b_prog = extra_owner[~is_sup], extra_pick[~is_sup]
    b_util = prm.prestige_weight * programs.prestige[b_prog] + rng.normal(size=len(b_prog))
    single = ~in_couple[owner]
    a_owner = np.concatenate((owner[single], b_owner))
    a_prog = np.concatenate((picked[single], b_prog))
    a_key = np.concatenate((0.9 * _frac(utility[single]), 0.9 + 0.09 * _frac(b_util)))
    c_owner, c_prog, c_key = _couple_rows(partners, owner, picked, utility, in_couple, n)
    a_owner = np.concatenate((a_owner, c_owner))
    a_prog = np.concatenate((a_prog, c_prog))
    order = _order(a_owner, np.concatenate((a_key, c_key)))
    a_owner, applicant_programs = a_owner[order], a_prog[order]
    applicant_offsets = np.concatenate(([0], np.cumsum(np.bincount(a_owner, minlength=n))))
    valid = applicant_programs >= 0
    track = np.where(valid, programs.track[np.maximum(applicant_programs, 0)], -1)
    link = np.where(track == ADVANCED, sup_index[a_owner], -1)

    arrays = MarketArrays(
        capacity=programs.capacity,
        applicant_offsets=applicant_offsets,
        applicant_programs=applicant_programs,
        program_offsets=program_offsets,
        program_applicants=program_applicants,
        supplemental_link=link,
        supplemental_applicant=sup_owner_ids,
        supplemental_offsets=supplemental_offsets,
        supplemental_programs=supplemental_programs,
        couple_first=partners[:couples],
        couple_second=partners[couples:],
    )
    return SimulatedMarket(
        arrays=arrays,
        applicant_type=kind,
        applicant_specialty=specialty,
        quality=quality,
        quantile=quantile,
        program_score=program_score,
        programs=programs,
        layout=layout,
        parameters=parameters,
    )


def _couple_rows(
    partners: Ints, owner: Ints, picked: Ints, utility: Floats, in_couple: Bools, n: int
) -> tuple[Ints, Ints, Floats]:
    """Couples' paired lists as (applicant, program, sort key) rows for both partners: every
    pair of the partners' interviews by joint utility (at most 300 rows with the tails), then
    each partner's programs alone with "No Match" (-1) for the other."""
    couples = len(partners) // 2
    if couples == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0)
    couple_of = np.full(n, -1, dtype=np.int64)
    couple_of[partners[:couples]] = np.arange(couples)
    couple_of[partners[couples:]] = np.arange(couples)
    mine = in_couple[owner]
    e_owner, e_prog, e_util = owner[mine], picked[mine], utility[mine]
    first_side = np.isin(e_owner, partners[:couples])
    # each partner's entries, grouped by couple (entries come sorted by owner)
    side_entries = []
    for side in (first_side, ~first_side):
        c, u = couple_of[e_owner[side]], e_util[side]
        order = _order(c, _frac(u))  # by couple, best first
        side_entries.append((c[order], e_prog[side][order], u[order]))
    (c1, p1, u1), (c2, p2, u2) = side_entries
    k1 = np.bincount(c1, minlength=couples)
    k2 = np.bincount(c2, minlength=couples)
    o1 = np.concatenate(([0], np.cumsum(k1)[:-1]))
    o2 = np.concatenate(([0], np.cumsum(k2)[:-1]))
    pairs = k1 * k2
    row_couple = np.repeat(np.arange(couples), pairs)
    within = np.arange(int(pairs.sum())) - np.repeat(np.cumsum(pairs) - pairs, pairs)
    i = o1[row_couple] + within // np.maximum(k2[row_couple], 1)
    j = o2[row_couple] + within % np.maximum(k2[row_couple], 1)
    joint = u1[i] + u2[j]
    order = _order(row_couple, _frac(joint))
    row_couple, i, j, joint = row_couple[order], i[order], j[order], joint[order]
    keep_pairs = np.clip(MAX_COUPLE_ROWS - k1 - k2, 0, MAX_COUPLE_PAIRS)
    rank = np.arange(len(row_couple)) - np.repeat(np.cumsum(pairs) - pairs, pairs)
    keep = rank < keep_pairs[row_couple]
    row_couple, i, j = row_couple[keep], i[keep], j[keep]
    kept = np.minimum(pairs, keep_pairs)
    rows = kept + k1 + k2
    pos_pair = np.arange(len(row_couple)) - np.repeat(np.cumsum(kept) - kept, kept)
    # tails: partner one alone (own order), then partner two alone
    t1_pos = kept[c1] + (np.arange(len(c1)) - o1[c1])
    t2_pos = kept[c2] + k1[c2] + (np.arange(len(c2)) - o2[c2])
    first, second = partners[:couples], partners[couples:]
    none1 = np.full(len(c1), -1, dtype=np.int64)
    none2 = np.full(len(c2), -1, dtype=np.int64)
    row_c = np.concatenate((row_couple, c1, c2))
    row_pos = np.concatenate((pos_pair, t1_pos, t2_pos)).astype(np.float64)
    prog_one = np.concatenate((p1[i], p1, none2))
    prog_two = np.concatenate((p2[j], none1, p2))
    key = 0.95 * row_pos / rows[row_c]
    owners = np.concatenate((first[row_c], second[row_c]))
    return owners, np.concatenate((prog_one, prog_two)), np.concatenate((key, key))


@dataclass(frozen=True)
class MarketRun:
    """One generated market run through the engine: PGY-1 rates by type and CPU times."""

    seed: int
    rates: tuple[float, ...]  # percent per applicant type code
    generate_seconds: float  # CPU seconds of this process
    solve_seconds: float
    filled: int  # places filled (primary and supplemental)
    cycled: bool
    specialty_hits: tuple[int, ...] = ()  # non-US IMGs matched to their chosen specialty
    specialty_totals: tuple[int, ...] = ()  # non-US IMGs who chose it


def run_market(layout: Layout, parameters: Parameters, seed: int) -> MarketRun:
    """Generate the market of `seed` and run the Match on it (calibration and benchmark)."""
    started = time.process_time()
    market = generate(layout, parameters, seed)
    generated = time.process_time()
    outcome = solve(market.arrays, seed=seed)
    solved = time.process_time()
    filled = int(np.sum(outcome.program >= 0) + np.sum(outcome.supplemental_program >= 0))
    hits, totals = market.specialty_counts(outcome)
    return MarketRun(
        seed=seed,
        rates=tuple(float(r) for r in market.rates(outcome)),
        generate_seconds=generated - started,
        solve_seconds=solved - generated,
        filled=filled,
        cycled=outcome.cycled,
        specialty_hits=tuple(int(h) for h in hits),
        specialty_totals=tuple(int(t) for t in totals),
    )
