"""The stability audit: checks a result against an instance without running either engine.

Definitions (Roth 1984; reference §1.2, §4): a single applicant and a program block when the
applicant ranks the program above their match and the program ranks the applicant and has a
free place or prefers them to one of its matched applicants. A supplemental PGY-1 list blocks in
the same way as a single while its linked advanced program is held.

A couple blocks with a pair of programs ranked above their matched pair when each side would
take its partner ("No Match" always would). What "would take" means for the couple's own current
places differs between published definitions (docs/decisions/0005 quotes them); ``definition``
picks one, and ``"own-seat"``, the one the engines use, is the default:

* ``"own-seat"`` (adopted): a partner's own place at that program counts as free (they would
  simply stay); the other partner's place does not (the program must prefer the newcomer to
  whoever it would give up); the same program on both sides must choose both partners from its
  holders and the two of them (each displaced holder ranked below both).
* ``"mmt"`` (Manlove, McBride & Trimble 2017, as their IP/CP models encode it): the same for two
  different programs; for the same program on both sides, a partner already there keeps the
  place and only the other is compared (the program takes them over a holder it ranks lower, not
  counting the staying partner); if neither is there, the program must prefer the better partner
  to one holder and the worse partner to another (or have free places).
* ``"vacated"``: both partners' current places count as free at every program (the couple leaves
  both before it applies, as in the procedure's withdrawal of a displaced couple).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from matchready.match._model import Instance
from matchready.match._result import Assignment, BlockingPair

StabilityDefinition = Literal["own-seat", "mmt", "vacated"]
STABILITY_DEFINITIONS: tuple[StabilityDefinition, ...] = ("own-seat", "mmt", "vacated")
"""The couple stability definitions :func:`audit` can check (the first is the adopted one)."""


@dataclass(frozen=True)
class Audit:
    """What the audit found: broken rules (capacity, consistency) and blocking pairs."""

    violations: tuple[str, ...]
    blocking: tuple[BlockingPair, ...]

    @property
    def ok(self) -> bool:
        """No broken rule and no blocking pair."""
        return not self.violations and not self.blocking


class _Market:
    """Each program's ranks, final capacity and the sorted ranks of the applicants it holds."""

    def __init__(
        self, instance: Instance, assignments: dict[str, Assignment], capacities: dict[str, int]
    ) -> None:
        self.ranks = {p.id: {a: r for r, a in enumerate(p.ranks)} for p in instance.programs}
        self.capacities = capacities
        self.held: dict[str, list[str]] = {p.id: [] for p in instance.programs}
        for applicant, seat in assignments.items():
            for program in (seat.program, seat.supplemental):
                if program is not None and program in self.held:
                    self.held[program].append(applicant)
        self.held_ranks = {
            p: sorted(self.ranks[p].get(a, -1) for a in holders)
            for p, holders in self.held.items()
        }

    def accepts(self, program: str, members: list[str], exclude: tuple[str, ...] = ()) -> bool:
        """Would the program take all members (a free place, or by removing holders it ranks
        lower), counting places held by ``exclude`` as free?"""
        ranks = self.ranks[program]
        member_ranks = [ranks.get(m) for m in members]
        if None in member_ranks:
            return False
        holders = self.held_ranks[program]
        if exclude and any(e in self.held[program] for e in exclude):
            holders = sorted(ranks.get(h, -1) for h in self.held[program] if h not in exclude)
        free = self.capacities[program] - len(holders)
        if free >= len(members):
            return True
        needed = len(members) - max(free, 0)
        if needed > len(holders):
            return False
        worst_member = max(r for r in member_ranks if r is not None)
        return holders[-needed] > worst_member

    def holds(self, program: str, applicant: str) -> bool:
        return applicant in self.held[program]

    def ranked(self, program: str, rank: int, exclude: tuple[str, ...]) -> tuple[int, int]:
        """Holders (other than ``exclude``) the program ranks above and below ``rank``."""
        ranks = self.ranks[program]
        others = [ranks.get(h, -1) for h in self.held[program] if h not in exclude]
        above = sum(1 for r in others if r < rank)
        return above, len(others) - above


def audit(
    instance: Instance,
    assignments: dict[str, Assignment],
    capacities: dict[str, int],
    *,
    definition: StabilityDefinition = "own-seat",
) -> Audit:
    """Check capacities, consistency and stability of ``assignments`` under ``capacities``.

    ``definition`` is the couple stability definition (module docstring); singles and
    supplemental lists are the same under all of them."""
    if definition not in STABILITY_DEFINITIONS:
        raise ValueError(
            f"unknown stability definition {definition!r}; "
            f"choose one of {', '.join(STABILITY_DEFINITIONS)}"
        )
    market = _Market(instance, assignments, capacities)
    violations = _violations(instance, assignments, market)
    blocking: list[BlockingPair] = []
    partner = instance.partner_of()
    for applicant in instance.applicants:
        seat = assignments.get(applicant.id, Assignment())
        if applicant.id not in partner:
            current = (seat.rank - 1) if seat.rank is not None else len(applicant.ranks)
            for program in applicant.ranks[:current]:
                if program is not None and market.accepts(program, [applicant.id]):
                    blocking.append(BlockingPair("single", (applicant.id,), (program,)))
        choices = _supplemental_list(instance, applicant.id, seat.program)
        current = (
            seat.supplemental_rank - 1 if seat.supplemental_rank is not None else len(choices)
        )
        for program in choices[:current]:
            if market.accepts(program, [applicant.id]):
                blocking.append(BlockingPair("supplemental", (applicant.id,), (program,)))
    for couple in instance.couples:
        first, second = instance.applicant(couple.first), instance.applicant(couple.second)
        seat = assignments.get(couple.first, Assignment())
        other = assignments.get(couple.second, Assignment())
        rank = seat.rank if seat.rank is not None else other.rank
        current = rank - 1 if rank is not None else len(first.ranks)
        for p1, p2 in list(zip(first.ranks, second.ranks, strict=True))[:current]:
            if _PAIR_RULES[definition](market, couple.first, couple.second, p1, p2):
                blocking.append(BlockingPair("couple", (couple.first, couple.second), (p1, p2)))
    return Audit(tuple(violations), tuple(blocking))


def _own_seat(market: _Market, first: str, second: str, p1: str | None, p2: str | None) -> bool:
    if p1 is not None and p1 == p2:
        return market.accepts(p1, [first, second], (first, second))
    return (p1 is None or market.accepts(p1, [first], (first,))) and (
        p2 is None or market.accepts(p2, [second], (second,))
    )


def _vacated(market: _Market, first: str, second: str, p1: str | None, p2: str | None) -> bool:
    both = (first, second)
    if p1 is not None and p1 == p2:
        return market.accepts(p1, [first, second], both)
    return (p1 is None or market.accepts(p1, [first], both)) and (
        p2 is None or market.accepts(p2, [second], both)
    )


def _mmt(market: _Market, first: str, second: str, p1: str | None, p2: str | None) -> bool:
    """Manlove-McBride-Trimble's blocking types 2-4 (a member who stays needs nothing; a
    newcomer is compared with the holders as they are, the partner included)."""
    if p1 is not None and p1 == p2:
        return _mmt_same(market, p1, first, second)
    return all(
        program is None or market.holds(program, member) or _mmt_takes(market, program, member, ())
        for member, program in ((first, p1), (second, p2))
    )


def _mmt_takes(market: _Market, program: str, member: str, staying: tuple[str, ...]) -> bool:
    """The program ranks ``member`` and has fewer holders it ranks higher than places, counting
    the ``staying`` partner as a holder wherever it is ranked."""
    rank = market.ranks[program].get(member)
    if rank is None:
        return False
    above, _ = market.ranked(program, rank, (member, *staying))
    return above + len(staying) < market.capacities[program]


def _mmt_same(market: _Market, program: str, first: str, second: str) -> bool:
    ranks = market.ranks[program]
    if first not in ranks or second not in ranks:
        return False
    first_there, second_there = market.holds(program, first), market.holds(program, second)
    if first_there and second_there:
        return True
    if second_there:
        return _mmt_takes(market, program, first, (second,))
    if first_there:
        return _mmt_takes(market, program, second, (first,))
    best, worst = sorted((ranks[first], ranks[second]))
    capacity = market.capacities[program]
    above_best, below_best = market.ranked(program, best, (first, second))
    above_worst, below_worst = market.ranked(program, worst, (first, second))
    return (above_best < capacity - 1 or below_best > 1) and (
        above_worst < capacity or below_worst > 0
    )


_PAIR_RULES = {"own-seat": _own_seat, "mmt": _mmt, "vacated": _vacated}


def _supplemental_list(instance: Instance, applicant: str, held: str | None) -> tuple[str, ...]:
    if held is None:
        return ()
    for supplemental in instance.applicant(applicant).supplemental:
        if held in supplemental.links:
            return supplemental.ranks
    return ()


def _violations(
    instance: Instance, assignments: dict[str, Assignment], market: _Market
) -> list[str]:
    """Capacities, mutual ranking, ranks that match the lists, couples and supplemental rules."""
    violations: list[str] = []
    for program, holders in market.held.items():
        if len(holders) > market.capacities.get(program, 0):
            violations.append(
                f"{program} holds {len(holders)} applicants "
                f"for {market.capacities.get(program, 0)} places"
            )
    known = {a.id for a in instance.applicants}
    for applicant_id, seat in assignments.items():
        if applicant_id not in known:
            violations.append(f"unknown applicant {applicant_id!r} in the result")
            continue
        applicant = instance.applicant(applicant_id)
        if seat.program is not None:
            index = (seat.rank or 0) - 1
            if not 0 <= index < len(applicant.ranks) or applicant.ranks[index] != seat.program:
                violations.append(f"{applicant_id} is not ranking {seat.program} at {seat.rank}")
            if applicant_id not in market.ranks.get(seat.program, {}):
                violations.append(f"{seat.program} does not rank {applicant_id}")
        if seat.supplemental is not None:
            choices = _supplemental_list(instance, applicant_id, seat.program)
            index = (seat.supplemental_rank or 0) - 1
            if not 0 <= index < len(choices) or choices[index] != seat.supplemental:
                violations.append(
                    f"{applicant_id} holds PGY-1 {seat.supplemental} "
                    "without a linked advanced place"
                )
            elif applicant_id not in market.ranks[seat.supplemental]:
                violations.append(f"{seat.supplemental} does not rank {applicant_id}")
    for couple in instance.couples:
        one = assignments.get(couple.first, Assignment())
        two = assignments.get(couple.second, Assignment())
        ranks = [r for r in (one.rank, two.rank) if r is not None]
        if len(set(ranks)) > 1:
            violations.append(f"couple {couple.first}+{couple.second} matched at different pairs")
        elif ranks:
            index = ranks[0] - 1
            first = instance.applicant(couple.first).ranks
            second = instance.applicant(couple.second).ranks
            if index >= len(first) or (first[index], second[index]) != (one.program, two.program):
                violations.append(
                    f"couple {couple.first}+{couple.second} is not matched to pair {ranks[0]}"
                )
    return violations
