"""Find programs by what people remember of them: a name, a city, a state, or a code.

Pure: takes the programs and the text, returns the best matches: rapidfuzz's token-set ratio
on "name, city, state" (the words typed, in any order, against the program's words: "internal
medicine springfield" finds "Springfield General ... Internal Medicine"), an exact ACGME number
or NRMP code first. Used by the web's search box; the CLI takes codes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process, utils

from matchready.domain.program import Program

CUTOFF = 70.0
"""The lowest similarity (0-100) a match may have; below it a program is not shown."""


@dataclass(frozen=True)
class Found:
    program: Program
    score: float  # 100 for an exact code


def label(program: Program) -> str:
    """The program as people name it: "Name, City, ST"."""
    place = ", ".join(p for p in (program.city, program.state) if p)
    return f"{program.name}, {place}" if place else program.name


def search_programs(programs: Sequence[Program], text: str, limit: int = 20) -> list[Found]:
    """The programs most like `text`, best first (at most `limit`)."""
    wanted = text.strip()
    if not wanted:
        return []
    exact = [
        p
        for p in programs
        if wanted.upper() in {p.acgme_number or "", *(c.code.upper() for c in p.codes)}
    ]
    found = [Found(p, 100.0) for p in exact[:limit]]
    if len(found) == limit:
        return found
    choices = [label(p) for p in programs]
    best = process.extract(
        wanted,
        choices,
        scorer=fuzz.token_set_ratio,
        processor=utils.default_process,
        score_cutoff=CUTOFF,
        limit=limit,
    )
    seen = {id(f.program) for f in found}
    for _, score, index in best:
        program = programs[index]
        if id(program) not in seen and len(found) < limit:
            found.append(Found(program, round(float(score), 1)))
            seen.add(id(program))
    return found
