"""NRMP-like synthetic markets, seeded and reproducible (reference §6, "Recommended generator").

The model follows the reference design: programs in specialties with skewed capacities, a
preliminary PGY-1 group and advanced (PGY-2) specialties; applicants of four types with a latent
quality; an interview graph drawn first (applicants interview where prestige is near their
quality, mostly in their own specialty), then rank order lists from correlated utilities:
applicant utility = alpha * prestige + beta * region fit + noise, program utility =
a * quality + noise. Applicants in advanced specialties get a supplemental PGY-1 list; couples
rank pairs from the cross product of their lists ordered by joint utility, with "No Match"
rows at the end; a few programs revert unfilled places to another program of their specialty.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt

from matchready.match._model import (
    MAX_COUPLE_RANKS,
    Applicant,
    Couple,
    Instance,
    Program,
    ProgramKind,
    Reversion,
    SupplementalList,
)

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]
Column = npt.NDArray[np.generic]

APPLICANT_TYPES = ("MD", "DO", "US-IMG", "IMG")
TYPE_SHARES = (0.48, 0.18, 0.12, 0.22)
"""Roughly the 2023 active-applicant mix: 19.7k MD, 7.4k DO, 5.0k US-IMG, 8.5k non-US-IMG."""
TYPE_QUALITY_SHIFT = (0.6, 0.4, -0.4, -0.6)
TYPE_INTERVIEWS = (13, 12, 7, 6)
"""Mean interviews per applicant by type (US seniors about 10-15, IMGs fewer)."""


@dataclass(frozen=True)
class MarketSpec:
    """Sizes and preference-model weights of a generated market."""

    applicants: int
    programs: int
    places: int
    couples: int
    specialties: int = 25
    advanced_share: float = 0.07
    preliminary_share: float = 0.12
    reversion_share: float = 0.02
    regions: int = 9
    alpha: float = 0.6
    beta: float = 0.3
    program_weight: float = 0.7


PRESETS: dict[str, MarketSpec] = {
    "toy": MarketSpec(applicants=40, programs=8, places=36, couples=2, specialties=4),
    "small": MarketSpec(applicants=1_000, programs=140, places=915, couples=24),
    "state": MarketSpec(applicants=10_000, programs=1_400, places=9_150, couples=235),
    "national": MarketSpec(applicants=47_000, programs=6_600, places=43_000, couples=1_100),
}
"""Market sizes; national is about the 2024-2025 NRMP Main Match (reference §3)."""


def generate(preset: str | MarketSpec = "small", seed: int = 0, **overrides: float) -> Instance:
    """A reproducible NRMP-like market from a preset name or a spec (fields may be overridden)."""
    spec = PRESETS[preset] if isinstance(preset, str) else preset
    if overrides:
        spec = replace(spec, **overrides)  # type: ignore[arg-type]
    return _Generator(spec, seed).build()


class _Generator:
    def __init__(self, spec: MarketSpec, seed: int) -> None:
        self.spec = spec
        self.rng = np.random.default_rng(seed)

    def build(self) -> Instance:
        programs = self._programs()
        self.advanced_specialties = np.unique(programs["specialty"][programs["kind"] == 2])
        applicants = self._applicants()
        interviews, utilities = self._interviews(programs, applicants)
        return self._instance(programs, applicants, interviews, utilities)

    def _programs(self) -> dict[str, Column]:
        """Specialty, kind, region, prestige and capacity of every program (step 1-2)."""
        spec, rng = self.spec, self.rng
        n = spec.programs
        shares = rng.dirichlet(np.full(spec.specialties, 2.0))
        specialty = rng.choice(spec.specialties, size=n, p=shares)
        kind = np.zeros(n, dtype=np.int64)  # 0 categorical, 1 preliminary, 2 advanced
        draw = rng.random(n)
        kind[draw < spec.preliminary_share] = 1
        specialty[kind == 1] = -1  # one preliminary / transitional group
        # whole specialties (think anesthesiology, dermatology, radiology) start in PGY-2
        advanced = 0
        for candidate in rng.permutation(spec.specialties).tolist():
            if advanced >= spec.advanced_share * n:
                break
            members = specialty == candidate
            kind[members] = 2
            advanced += int(members.sum())
        raw = rng.lognormal(mean=0.0, sigma=0.8, size=n)
        capacity = np.maximum(1, np.floor(raw / raw.sum() * spec.places)).astype(np.int64)
        short = spec.places - int(capacity.sum())
        if short > 0:
            np.add.at(capacity, rng.choice(n, size=short, replace=True), 1)
        while int(capacity.sum()) > spec.places and capacity.max() > 1:
            capacity[np.argmax(capacity)] -= 1
        return {
            "specialty": specialty,
            "kind": kind,
            "region": rng.integers(0, spec.regions, size=n),
            "prestige": rng.normal(0.0, 1.0, size=n),
            "capacity": capacity,
        }

    def _applicants(self) -> dict[str, Column]:
        """Type, quality, region, specialty and interview count of every applicant (step 3)."""
        spec, rng = self.spec, self.rng
        n = spec.applicants
        kind = rng.choice(len(APPLICANT_TYPES), size=n, p=TYPE_SHARES)
        quality = rng.normal(np.take(TYPE_QUALITY_SHIFT, kind), 1.0)
        interviews = np.maximum(2, rng.poisson(np.take(TYPE_INTERVIEWS, kind)))
        return {
            "type": kind,
            "quality": quality,
            "region": rng.integers(0, spec.regions, size=n),
            "specialty": rng.integers(0, spec.specialties, size=n),
            "interviews": interviews,
        }

    def _interviews(
        self, programs: dict[str, Column], applicants: dict[str, Column]
    ) -> tuple[list[Ints], list[Floats]]:
        """Interview sets (step 5) and the applicant's utility for each (step 4).

        Candidates are drawn by the Gumbel top-k trick: score = closeness of program prestige to
        applicant quality + own-specialty bonus + Gumbel noise; the k best scores are kept, best
        first, in an order that does not depend on the CPU (:func:`_best`).
        """
        spec, rng = self.spec, self.rng
        prestige = programs["prestige"].astype(np.float64)
        region = programs["region"]
        n_programs = spec.programs
        interviews: list[Ints] = []
        utilities: list[Floats] = []
        block = max(1, 2_000_000 // max(n_programs, 1))
        for start in range(0, spec.applicants, block):
            stop = min(start + block, spec.applicants)
            quality = applicants["quality"][start:stop].astype(np.float64)
            own = applicants["specialty"][start:stop]
            score = -0.7 * np.abs(prestige[None, :] - quality[:, None])
            score += 5.0 * (programs["specialty"][None, :] == own[:, None])
            wants_pgy1 = np.isin(own, self.advanced_specialties)
            score += np.where(wants_pgy1, 4.0, -1.0)[:, None] * (programs["kind"][None, :] == 1)
            score += rng.gumbel(size=score.shape)
            counts = applicants["interviews"][start:stop]
            chosen = _best(score, min(int(counts.max()), n_programs))
            top = chosen.shape[1]
            fit = region[chosen] == applicants["region"][start:stop, None]
            utility = (
                spec.alpha * prestige[chosen] + spec.beta * fit + rng.normal(0, 1, chosen.shape)
            )
            for row in range(stop - start):
                k = min(int(counts[row]), top)
                interviews.append(chosen[row, :k].astype(np.int64))
                utilities.append(utility[row, :k])
        return interviews, utilities

    def _instance(
        self,
        programs: dict[str, Column],
        applicants: dict[str, Column],
        interviews: list[Ints],
        utilities: list[Floats],
    ) -> Instance:
        """Rank order lists on both sides, supplemental lists, couples and reversions."""
        spec, rng = self.spec, self.rng
        kinds: tuple[ProgramKind, ...] = ("categorical", "preliminary", "advanced")
        program_kind = programs["kind"]
        program_ids = [f"P{p:05d}" for p in range(spec.programs)]
        applicant_ids = [f"A{a:06d}" for a in range(spec.applicants)]
        lists: list[list[int]] = []
        supplementals: list[list[int]] = []
        for a in range(spec.applicants):
            chosen, utility = interviews[a], utilities[a]
            order = chosen[np.argsort(-utility, kind="stable")]
            has_advanced = bool((program_kind[order] == 2).any())
            # a PGY-1 place is ranked on the supplemental list when the applicant ranks an
            # advanced program, else now and then on the primary list as a back-up
            primary = [
                int(p)
                for p in order
                if program_kind[p] != 1 or (not has_advanced and rng.random() < 0.3)
            ]
            lists.append(primary)
            supplementals.append(
                [int(p) for p in order if program_kind[p] == 1][:8] if has_advanced else []
            )
        # programs rank everyone who interviewed there and ranked them, by quality + noise
        quality = applicants["quality"].astype(np.float64)
        both = list(zip(lists, supplementals, strict=True))
        owners = np.repeat(np.arange(spec.applicants), [len(x) + len(y) for x, y in both])
        flat = np.array([p for x, y in both for p in (*x, *y)], dtype=np.int64)
        score = spec.program_weight * quality[owners] + rng.normal(0, 0.6, len(flat))
        keep = rng.random(len(flat)) < 0.93  # programs leave a few interviewees unranked
        order = np.lexsort((-score, flat))
        order = order[keep[order]]
        program_ranks: list[list[str]] = [[] for _ in range(spec.programs)]
        for p, a in zip(flat[order].tolist(), owners[order].tolist(), strict=True):
            program_ranks[p].append(applicant_ids[a])
        couples, lists = self._couples(lists)
        result_applicants: list[Applicant] = []
        for a in range(spec.applicants):
            ranks = tuple(None if p < 0 else program_ids[p] for p in lists[a])
            on_list = {p for p in lists[a] if p >= 0}
            links = tuple(program_ids[p] for p in sorted(on_list) if program_kind[p] == 2)
            supplemental: tuple[SupplementalList, ...] = ()
            pgy1 = tuple(program_ids[p] for p in supplementals[a] if p not in on_list)
            if links and pgy1:
                supplemental = (SupplementalList(links, pgy1),)
            result_applicants.append(Applicant(applicant_ids[a], ranks, supplemental))
        result_programs = tuple(
            Program(
                program_ids[p],
                int(programs["capacity"][p]),
                tuple(dict.fromkeys(program_ranks[p])),
                kinds[int(program_kind[p])],
            )
            for p in range(spec.programs)
        )
        return Instance(
            programs=result_programs,
            applicants=tuple(result_applicants),
            couples=tuple(Couple(applicant_ids[a], applicant_ids[b]) for a, b in couples),
            reversions=self._reversions(programs, program_ids),
        )

    def _couples(self, lists: list[list[int]]) -> tuple[list[tuple[int, int]], list[list[int]]]:
        """Pair applicants and give both partners the paired list (step 6)."""
        spec, rng = self.spec, self.rng
        count = min(spec.couples, spec.applicants // 2)
        members = rng.choice(spec.applicants, size=2 * count, replace=False)
        couples: list[tuple[int, int]] = []
        for c in range(count):
            a, b = int(members[2 * c]), int(members[2 * c + 1])
            first, second = lists[a], lists[b]
            if not first or not second:
                lists[a], lists[b] = [], []
                couples.append((a, b))
                continue
            rank_a = {p: r for r, p in enumerate(first)}
            rank_b = {p: r for r, p in enumerate(second)}
            pairs = sorted(
                ((rank_a[p] + rank_b[q] + rng.random(), p, q) for p in first for q in second),
            )
            rows = [(p, q) for _, p, q in pairs[: MAX_COUPLE_RANKS - 6]]
            rows += [(p, -1) for p in first[:3]] + [(-1, q) for q in second[:3]]
            lists[a] = [p for p, _ in rows]
            lists[b] = [q for _, q in rows]
            couples.append((a, b))
        return couples, lists

    def _reversions(
        self, programs: dict[str, Column], program_ids: list[str]
    ) -> tuple[Reversion, ...]:
        """About ``reversion_share`` of programs give unfilled places to one of their specialty
        (donors and receivers are disjoint, so reversions are never circular) (step 7)."""
        spec, rng = self.spec, self.rng
        donors = np.flatnonzero(rng.random(spec.programs) < spec.reversion_share)
        donor_set = set(donors.tolist())
        reversions: list[Reversion] = []
        specialty = programs["specialty"]
        kind = programs["kind"]
        for donor in donors.tolist():
            same = np.flatnonzero((specialty == specialty[donor]) & (kind == kind[donor]))
            options = [int(p) for p in same if int(p) not in donor_set]
            if options:
                receiver = options[int(rng.integers(0, len(options)))]
                reversions.append(Reversion(program_ids[donor], program_ids[receiver]))
        return tuple(reversions)


def _best(score: Floats, top: int) -> Ints:
    """Per row, the columns of the ``top`` highest scores, best first; ties go to the lower
    column index.

    ``np.argpartition`` alone would do, but the order of what it returns is unspecified and
    differs between numpy's code paths (AVX-512 and AVX2 gave different markets for one seed),
    and its cut among equal scores is arbitrary. So it only narrows each row to a candidate set
    whose boundary is the ``top``-th value (a value, the same on every CPU); the candidates are
    then ordered by (score descending, column ascending) with a stable sort."""
    rows, columns = score.shape
    if top >= columns:
        return np.lexsort((np.broadcast_to(np.arange(columns), score.shape), -score), axis=1)
    negated = -score
    boundary = np.partition(negated, top - 1, axis=1)[:, top - 1 : top]
    row, column = np.nonzero(negated <= boundary)  # row-major: columns ascending per row
    order = np.lexsort((column, negated[row, column], row))
    row, column = row[order], column[order]
    starts = np.searchsorted(row, np.arange(rows))
    keep = np.arange(len(row)) - starts[row] < top
    return column[keep].reshape(rows, top).astype(np.int64)
