"""The JSON API of the shared program store: screened programs, one program with its sources
and history, and a requirement corrected by hand (attributed, with its source)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Body, Query, Request
from pydantic import BaseModel, Field

from matchready.domain.facts import Facts
from matchready.domain.program import Claim, Program
from matchready.domain.requirements import (
    COORDINATOR_QUESTIONS,
    Requirement,
    RequirementChange,
    RequirementKind,
    format_value,
)
from matchready.domain.screening import ProgramScreening, Verdict
from matchready.services.profile_screening import verdict_page
from matchready.services.programs import RequirementEdit, edit_requirement, get_program
from matchready.web.routes.common import require_saved, screened_programs, store_units
from matchready.web.state import editor, state

router = APIRouter(tags=["api"])
PAGE_SIZE = 50


class RequirementOut(BaseModel):
    """One requirement: its value in the template's text form ('' = unknown) and provenance."""

    kind: RequirementKind
    value: str
    strictness: str
    source: str | None
    verified_on: date | None

    @classmethod
    def of(cls, requirement: Requirement) -> RequirementOut:
        return cls(
            kind=requirement.kind,
            value=format_value(requirement.value),
            strictness=requirement.strictness.value,
            source=requirement.source,
            verified_on=requirement.verified_on,
        )


class ChangeOut(BaseModel):
    """One entry of a program's requirement history."""

    program: str
    old: RequirementOut | None
    new: RequirementOut
    changed_by: str
    changed_at: datetime | None
    by_import: bool

    @classmethod
    def of(cls, change: RequirementChange) -> ChangeOut:
        return cls(
            program=change.program_key,
            old=RequirementOut.of(change.old) if change.old else None,
            new=RequirementOut.of(change.new),
            changed_by=change.changed_by,
            changed_at=change.changed_at,
            by_import=change.by_import,
        )


class ClaimOut(BaseModel):
    """One source's value of a requirement (in the template's text form; '' = unknown)."""

    value: str
    source: str
    source_kind: str
    recorded_on: date | None
    evidence: str | None

    @classmethod
    def of(cls, claim: Claim) -> ClaimOut:
        return cls(
            value=format_value(claim.value),
            source=claim.source,
            source_kind=claim.source_kind.value,
            recorded_on=claim.recorded_on,
            evidence=claim.evidence,
        )


class ConflictOut(BaseModel):
    """A requirement whose sources disagree ("conflict — verify"): the value stated now, each
    source's value side by side, and the question to send the coordinator."""

    kind: RequirementKind
    stated: RequirementOut
    claims: list[ClaimOut]
    coordinator_question: str


class ProgramOut(BaseModel):
    key: str
    name: str
    specialty: str | None
    specialty_label: str
    city: str | None
    state: str | None
    img_share: float | None
    website: str | None
    nrmp_codes: list[str]
    requirements: list[RequirementOut]
    conflicts: list[ConflictOut]
    h1b_evidence: list[str]
    history: list[ChangeOut]

    @classmethod
    def of(cls, program: Program, history: list[RequirementChange], facts: Facts) -> ProgramOut:
        conflicts = [
            ConflictOut(
                kind=kind,
                stated=RequirementOut.of(program.requirement(kind)),
                claims=[ClaimOut.of(c) for c in program.conflict(kind)],
                coordinator_question=COORDINATOR_QUESTIONS[kind],
            )
            for kind in RequirementKind
            if program.conflict(kind)
        ]
        return cls(
            key=program.key,
            name=program.name,
            specialty=program.specialty,
            specialty_label=facts.specialty_label(program),
            city=program.city,
            state=program.state,
            img_share=program.img_share,
            website=program.website,
            nrmp_codes=[c.code for c in program.codes],
            requirements=[RequirementOut.of(program.requirement(k)) for k in RequirementKind],
            conflicts=conflicts,
            h1b_evidence=program.h1b_evidence.lines() if program.h1b_evidence else [],
            history=[ChangeOut.of(c) for c in history],
        )


class ScreenedPage(BaseModel):
    """One page of screened programs (eligible, unknown, ineligible; best fit first)."""

    total_programs: int
    counts: dict[str, int]
    shown: int
    page: int
    page_size: int
    results: list[ProgramScreening]


class RequirementEditIn(BaseModel):
    value: str = Field("", max_length=100, description="Template text form; empty = unknown")
    strictness: str = Field("unknown", max_length=20, description="hard, preference or unknown")
    source: str = Field(max_length=500, description="A URL or a document (required)")
    verified_on: str = Field("", max_length=20, description="YYYY-MM-DD; default today")


class EditOut(BaseModel):
    changed: bool
    change: ChangeOut | None


@router.get("/programs", response_model=ScreenedPage, summary="Programs screened for you")
async def get_programs(
    request: Request,
    specialty: Annotated[str, Query(max_length=80)] = "",
    us_state: Annotated[str, Query(alias="state", max_length=2)] = "",
    verdict: Annotated[Verdict | None, Query()] = None,
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
) -> ScreenedPage:
    web = state(request)
    saved = require_saved(request)
    known = web.programs()
    table = known.table
    report = screened_programs(request, saved, known, state(request).today(), specialty, us_state)
    offset = (page - 1) * PAGE_SIZE
    results, counts, shown = verdict_page(report, verdict, offset, PAGE_SIZE)
    return ScreenedPage(
        total_programs=len(table.programs),
        counts={v.name.lower(): n for v, n in counts.items()},
        shown=shown,
        page=page,
        page_size=PAGE_SIZE,
        results=results,
    )


@router.get("/programs/{key}", response_model=ProgramOut, summary="One program")
async def get_one_program(request: Request, key: str) -> ProgramOut:
    program, history = get_program(store_units(request), key)
    return ProgramOut.of(program, history, state(request).facts)


@router.put(
    "/programs/{key}/requirements/{kind}",
    response_model=EditOut,
    summary="Correct one requirement (source required; kept in the history)",
)
async def put_requirement(
    request: Request,
    key: str,
    kind: RequirementKind,
    body: Annotated[RequirementEditIn, Body()],
) -> EditOut:
    edit = RequirementEdit(
        key, kind.value, body.value, body.strictness, body.source, body.verified_on
    )
    change = edit_requirement(store_units(request), edit, editor(request), state(request).today())
    state(request).programs_changed()
    if change is None:
        return EditOut(changed=False, change=None)
    return EditOut(changed=True, change=ChangeOut.of(change))
