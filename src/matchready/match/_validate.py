"""Validation of a Match instance against the NRMP input rules (reference §1.2-§1.4, §1.6).

Every rule is checked and every problem is returned, so a user fixes a file in one pass.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import TYPE_CHECKING

from matchready.match._model import MAX_INDEX, MAX_RANKS, PROGRAM_KINDS, InstanceProblem

if TYPE_CHECKING:
    from matchready.match._model import Applicant, Instance


def find_problems(instance: Instance) -> list[InstanceProblem]:
    """All problems of ``instance``, each with its subject (who and which rank)."""
    problems: list[InstanceProblem] = []
    programs = {p.id: p for p in instance.programs}
    applicants = {a.id: a for a in instance.applicants}
    for name, ids in (
        ("program", [p.id for p in instance.programs]),
        ("applicant", [a.id for a in instance.applicants]),
    ):
        for duplicate, count in Counter(ids).items():
            if count > 1:
                problems.append(_problem(f"{name} id appears {count} times", name, duplicate))
    problems.extend(_id_problems(instance))
    total = 0
    for program in instance.programs:
        capacity = program.capacity
        if type(capacity) is not int:
            message = f"capacity must be a whole number, got {capacity!r}"
            problems.append(_problem(message, "program", program.id))
        elif capacity < 0:
            problems.append(_problem(f"capacity {capacity} is below zero", "program", program.id))
        elif capacity > MAX_INDEX:
            problems.append(
                _problem(
                    f"capacity {capacity} is above the limit of {MAX_INDEX:,} places "
                    "(the engine's 32-bit indices)",
                    "program",
                    program.id,
                )
            )
        else:
            total += capacity
        if program.kind not in PROGRAM_KINDS:
            problems.append(
                _problem(f"unknown program kind {program.kind!r}", "program", program.id)
            )
        problems.extend(
            _list_problems("program", program.id, program.ranks, applicants, "applicant")
        )
    if total > MAX_INDEX:
        problems.append(
            InstanceProblem(
                f"all capacities together ({total:,} places) are above the limit of "
                f"{MAX_INDEX:,} (the engine's 32-bit indices)",
                ("market",),
            )
        )
    coupled = _couple_problems(instance, applicants, problems)
    for applicant in instance.applicants:
        if applicant.id in coupled:
            for index, choice in enumerate(applicant.ranks, start=1):
                if choice is not None and choice not in programs:
                    problems.append(
                        _problem(f"unknown program {choice!r}", "applicant", applicant.id, index)
                    )
        else:
            problems.extend(_single_problems(applicant, programs))
        problems.extend(_supplemental_problems(applicant, programs))
    problems.extend(_reversion_problems(instance, programs))
    return problems


def _problem(message: str, kind: str, owner: str, rank: int | None = None) -> InstanceProblem:
    subject = (kind, owner) if rank is None else (kind, owner, f"rank {rank}")
    return InstanceProblem(message, subject)


def _list_problems(
    kind: str, owner: str, ranks: tuple[str | None, ...], known: Mapping[str, object], what: str
) -> list[InstanceProblem]:
    """Unknown and duplicate entries of a single (not coupled) rank order list."""
    problems: list[InstanceProblem] = []
    seen: dict[str | None, int] = {}
    for index, choice in enumerate(ranks, start=1):
        if choice is None:
            problems.append(
                _problem("'No Match' is only allowed for a couple", kind, owner, index)
            )
            continue
        if choice not in known:
            problems.append(_problem(f"unknown {what} {choice!r}", kind, owner, index))
        if choice in seen:
            problems.append(
                _problem(
                    f"duplicate rank: {choice!r} already at rank {seen[choice]}",
                    kind,
                    owner,
                    index,
                )
            )
        else:
            seen[choice] = index
    return problems


def _single_problems(
    applicant: Applicant, programs: Mapping[str, object]
) -> list[InstanceProblem]:
    problems = _length_problems("applicant", applicant.id, applicant.ranks)
    problems.extend(
        _list_problems("applicant", applicant.id, applicant.ranks, programs, "program")
    )
    return problems


def _length_problems(kind: str, owner: str, ranks: tuple[object, ...]) -> list[InstanceProblem]:
    """NRMP: at most 300 ranks on any applicant list (singles, supplemental, couples)."""
    if len(ranks) <= MAX_RANKS:
        return []
    return [_problem(f"{len(ranks)} ranks; a list may hold at most {MAX_RANKS}", kind, owner)]


def _id_problems(instance: Instance) -> list[InstanceProblem]:
    """Ids are non-empty strings (a file read as JSON or CSV cannot give anything else, but an
    instance built in Python can)."""
    problems: list[InstanceProblem] = []
    named = [("program", p.id) for p in instance.programs]
    named += [("applicant", a.id) for a in instance.applicants]
    for kind, value in named:
        if not isinstance(value, str) or not value:
            problems.append(
                InstanceProblem(f"{kind} id must be a non-empty string, got {value!r}", (kind,))
            )
    return problems


def _couple_problems(
    instance: Instance, applicants: dict[str, Applicant], problems: list[InstanceProblem]
) -> set[str]:
    """Couple rules: known distinct members, one couple each, equal lists of at most 300 ranks."""
    coupled: set[str] = set()
    for index, couple in enumerate(instance.couples, start=1):
        owner = f"{couple.first}+{couple.second}"
        members = (couple.first, couple.second)
        if couple.first == couple.second:
            problems.append(
                _problem("an applicant cannot be coupled with itself", "couple", owner)
            )
        for member in members:
            if member not in applicants:
                problems.append(_problem(f"unknown applicant {member!r}", "couple", owner))
            elif member in coupled:
                problems.append(
                    _problem(f"applicant {member!r} is in more than one couple", "couple", owner)
                )
            coupled.add(member)
        if all(member in applicants for member in members):
            first_member, second_member = (applicants[m] for m in members)
            if len(first_member.ranks) != len(second_member.ranks):
                problems.append(
                    _problem(
                        f"couple lists have different lengths ({len(first_member.ranks)} and "
                        f"{len(second_member.ranks)}) in couple {index}",
                        "couple",
                        owner,
                    )
                )
            for partner in (first_member, second_member):
                if len(partner.ranks) > MAX_RANKS:
                    problems.append(
                        _problem(
                            f"{len(partner.ranks)} ranks; a partner may rank at most {MAX_RANKS}",
                            "applicant",
                            partner.id,
                        )
                    )
            for rank, (one, two) in enumerate(
                zip(first_member.ranks, second_member.ranks, strict=False), start=1
            ):
                if one is None and two is None:
                    problems.append(
                        _problem(
                            f"pair {rank} is No Match for both partners (a pair must name "
                            "at least one program)",
                            "applicant",
                            first_member.id,
                            rank,
                        )
                    )
    return coupled


def _supplemental_problems(
    applicant: Applicant, programs: Mapping[str, object]
) -> list[InstanceProblem]:
    """Supplemental lists link to advanced programs of the primary list and rank PGY-1 programs."""
    from matchready.match._model import Program

    problems: list[InstanceProblem] = []
    linked: set[str] = set()
    primary = {r for r in applicant.ranks if r is not None}
    for number, supplemental in enumerate(applicant.supplemental, start=1):
        kind = "supplemental"
        owner = f"{applicant.id} list {number}"
        if not supplemental.links:
            problems.append(
                _problem("a supplemental list must link to an advanced program", kind, owner)
            )
        for link in supplemental.links:
            program = programs.get(link)
            if program is None:
                problems.append(_problem(f"linked to unknown program {link!r}", kind, owner))
                continue
            assert isinstance(program, Program)
            if program.kind != "advanced":
                problems.append(
                    _problem(
                        f"linked to non-advanced program {link!r} ({program.kind})", kind, owner
                    )
                )
            if link not in primary:
                problems.append(
                    _problem(f"linked program {link!r} is not on the primary list", kind, owner)
                )
            if link in linked:
                problems.append(
                    _problem(f"program {link!r} is linked to more than one list", kind, owner)
                )
            linked.add(link)
        problems.extend(_length_problems(kind, owner, supplemental.ranks))
        problems.extend(_list_problems(kind, owner, supplemental.ranks, programs, "program"))
        for index, choice in enumerate(supplemental.ranks, start=1):
            program = programs.get(choice)
            if isinstance(program, Program) and program.kind == "advanced":
                problems.append(
                    _problem(f"advanced program {choice!r} on a PGY-1 list", kind, owner, index)
                )
    return problems


def _reversion_problems(
    instance: Instance, programs: Mapping[str, object]
) -> list[InstanceProblem]:
    """Reversions: known distinct programs, one reversion per donor, and no circles."""
    problems: list[InstanceProblem] = []
    receiver_of: dict[str, str] = {}
    for reversion in instance.reversions:
        owner = f"{reversion.donor}->{reversion.receiver}"
        for role, program in (("donor", reversion.donor), ("receiver", reversion.receiver)):
            if program not in programs:
                problems.append(
                    _problem(f"unknown {role} program {program!r}", "reversion", owner)
                )
        if reversion.donor == reversion.receiver:
            problems.append(
                _problem("a program cannot revert places to itself", "reversion", owner)
            )
        elif reversion.donor in receiver_of:
            problems.append(
                _problem(f"donor {reversion.donor!r} already has a reversion", "reversion", owner)
            )
        else:
            receiver_of[reversion.donor] = reversion.receiver
    reported: set[str] = set()
    for start in receiver_of:
        path: list[str] = []
        current: str | None = start
        while current is not None and current not in path and current not in reported:
            path.append(current)
            current = receiver_of.get(current)
        if current is not None and current in path:
            circle = path[path.index(current) :]
            if not reported.intersection(circle):
                owner = f"{current}->{receiver_of[current]}"
                problems.append(
                    _problem(
                        f"circular reversions: {' -> '.join([*circle, current])}",
                        "reversion",
                        owner,
                    )
                )
            reported.update(circle)
        reported.update(path)
    return problems
