"""Why did an applicant not match higher? An explanation read off a result (reference §1.1).

For every choice above the one matched, the NRMP rule is that the program either did not rank
the applicant, or filled its places with applicants it ranked higher. For a couple, the pair
is refused when either side refuses its partner; for a supplemental list, the same rule holds
for each PGY-1 program above the one held.
"""

from __future__ import annotations

from matchready.match._model import Instance
from matchready.match._result import Result


def explain(instance: Instance, result: Result, applicant_id: str) -> list[str]:
    """Lines explaining the applicant's outcome, one per choice above the match."""
    applicant = instance.applicant(applicant_id)
    seat = result.assignments[applicant_id]
    partners = instance.partner_of()
    lines: list[str] = []
    if seat.program is None:
        lines.append(f"{applicant_id} did not match.")
    else:
        lines.append(f"{applicant_id} matched to {seat.program} (rank {seat.rank}).")
    above = (seat.rank - 1) if seat.rank is not None else len(applicant.ranks)
    if applicant_id in partners:
        _, partner = partners[applicant_id]
        other = instance.applicant(partner).ranks
        if seat.rank is None and result.assignments[partner].rank is not None:
            above = (result.assignments[partner].rank or 1) - 1
        for index in range(above):
            reasons = [
                _refusal(instance, result, who, program)
                for who, program in (
                    (applicant_id, applicant.ranks[index]),
                    (partner, other[index]),
                )
                if program is not None
            ]
            why = "; ".join(r for r in reasons if r) or "both sides had room (see blocking pairs)"
            pair = ", ".join(
                "No Match" if p is None else p for p in (applicant.ranks[index], other[index])
            )
            lines.append(f"pair {index + 1} ({pair}): {why}")
    else:
        for index in range(above):
            program = applicant.ranks[index]
            if program is not None:
                why = _refusal(instance, result, applicant_id, program)
                lines.append(f"rank {index + 1} {program}: {why or 'had room (a blocking pair)'}")
    if seat.supplemental is not None:
        lines.append(f"PGY-1 place from the supplemental list: {seat.supplemental}.")
    return lines


def _refusal(instance: Instance, result: Result, applicant_id: str, program_id: str) -> str:
    """Why ``program_id`` did not take the applicant, or "" if it would have."""
    program = instance.program(program_id)
    if applicant_id not in program.ranks:
        return f"{program_id} did not rank {applicant_id}"
    position = program.ranks.index(applicant_id)
    holders = [a for a in result.programs.get(program_id, ()) if a != applicant_id]
    better = [a for a in holders if program.ranks.index(a) < position]
    places = result.capacities.get(program_id, program.capacity)
    if len(better) >= places:
        names = ", ".join(better) if better else "nobody"
        return (
            f"{program_id} filled its {places} place(s) with applicants it ranked higher: {names}"
        )
    return ""
