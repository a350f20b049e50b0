"""Programs by the codes a tracker keeps (NRMP codes, ACGME numbers): their names, places and
visa sponsorship, so every page shows a name, not a code. Built once per program revision."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from fastapi import Request

from matchready.domain.program import Program
from matchready.domain.program_search import label
from matchready.domain.requirements import RequirementKind, format_value
from matchready.web.state import state


@dataclass(frozen=True)
class Brief:
    key: str  # the program page's key
    name: str
    label: str  # "Name, City, ST"
    place: str  # "City, ST" ("" when not known)
    visa: str  # "J-1 yes · H-1B unknown"


def _visa(program: Program) -> str:
    parts = []
    for kind, name in (
        (RequirementKind.J1_SPONSORED, "J-1"),
        (RequirementKind.H1B_SPONSORED, "H-1B"),
    ):
        value = format_value(program.requirement(kind).value)
        parts.append(f"{name} {value or 'unknown'}")
    return " · ".join(parts)


def program_briefs(request: Request) -> Mapping[str, Brief]:
    """Code or ACGME number -> the program's brief, at the store's current revision."""
    known = state(request).programs()

    def build() -> dict[str, Brief]:
        briefs: dict[str, Brief] = {}
        for program in known.table.programs:
            place = ", ".join(p for p in (program.city, program.state) if p)
            brief = Brief(program.key, program.name, label(program), place, _visa(program))
            for code in program.codes:
                briefs[code.code] = brief
            if program.acgme_number:
                briefs[program.acgme_number] = brief
        return briefs

    return state(request).memo.get(("program briefs", known.version), build)
