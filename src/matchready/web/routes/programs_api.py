"""The JSON API of the program store: screened programs, one program with its sources, conflicts
and history, a requirement corrected by hand (the shared value for an editor, else the user's
own), the user's own values proposed or dropped, and the editors' proposals list."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Body, Path, Query, Request
from pydantic import BaseModel, Field

from matchready.domain.facts import Facts
from matchready.domain.overrides import Override, ProposalState, shown_as
from matchready.domain.program import Claim, Program
from matchready.domain.requirements import (
    COORDINATOR_QUESTIONS,
    Requirement,
    RequirementChange,
    RequirementKind,
    format_value,
)
from matchready.domain.screening import ProgramScreening, Verdict
from matchready.services.overrides import (
    ProgramView,
    Scope,
    correct_requirement,
    decide_proposal,
    list_proposals,
    propose_override,
    remove_override,
    view_program,
)
from matchready.services.profile_screening import verdict_page
from matchready.services.programs import RequirementEdit
from matchready.web.routes.common import (
    known_programs,
    require_saved,
    screened_programs,
    store_units,
)
from matchready.web.routes.programs import MAX_NUMBER
from matchready.web.state import actor, state, viewer

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
    def of(cls, change: RequirementChange, viewer: str | None) -> ChangeOut:
        return cls(
            program=change.program_key,
            old=RequirementOut.of(change.old) if change.old else None,
            new=RequirementOut.of(change.new),
            changed_by=shown_as(change.changed_by, viewer),
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


class YourValueOut(BaseModel):
    """Your own value of a requirement (server mode, non-editors): applied to your screening
    only, beside the shared value; `proposal`: own, proposed (to the editors) or declined."""

    yours: RequirementOut
    shared: RequirementOut
    proposal: ProposalState

    @classmethod
    def of(cls, override: Override, shared: Program) -> YourValueOut:
        return cls(
            yours=RequirementOut.of(override.requirement),
            shared=RequirementOut.of(shared.requirement(override.kind)),
            proposal=override.proposal,
        )


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
    your_values: list[YourValueOut]
    conflicts: list[ConflictOut]
    h1b_evidence: list[str]
    history: list[ChangeOut]

    @classmethod
    def of(cls, view: ProgramView, facts: Facts, viewer: str | None) -> ProgramOut:
        """The program as this user sees it: `requirements` are those that apply to them (their
        own values in place), `your_values` each of theirs beside the shared one."""
        program = view.seen
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
            your_values=[YourValueOut.of(o, view.shared) for o in view.overrides],
            h1b_evidence=view.shared.h1b_evidence.lines() if view.shared.h1b_evidence else [],
            history=[ChangeOut.of(c, viewer) for c in view.history],
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
    scope: Scope = Field(description="shared (an editor's change) or yours (your own value)")
    change: ChangeOut | None


class ProposalOut(BaseModel):
    """A value a user proposed, beside the shared one (who proposed it is not shown)."""

    number: int
    program: str
    program_name: str
    proposed: RequirementOut
    shared: RequirementOut
    proposed_at: datetime | None


class DecisionIn(BaseModel):
    accept: bool = Field(description="true: the shared value becomes the proposed one")


@router.get("/programs", response_model=ScreenedPage, summary="Programs screened for you")
async def get_programs(
    request: Request,
    specialty: Annotated[str, Query(max_length=80)] = "",
    us_state: Annotated[str, Query(alias="state", max_length=2)] = "",
    verdict: Annotated[Verdict | None, Query()] = None,
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
) -> ScreenedPage:
    saved = require_saved(request)
    known = known_programs(request)
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
    view = view_program(store_units(request), key, actor(request).owner)
    return ProgramOut.of(view, state(request).facts, viewer(request))


@router.put(
    "/programs/{key}/requirements/{kind}",
    response_model=EditOut,
    summary="Correct one requirement (source required): shared for editors, else your own",
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
    done = correct_requirement(store_units(request), edit, actor(request), state(request).today())
    state(request).programs_changed()
    change = None if done.change is None else ChangeOut.of(done.change, viewer(request))
    return EditOut(changed=done.change is not None, scope=done.scope, change=change)


@router.delete(
    "/programs/{key}/yours/{kind}",
    response_model=EditOut,
    summary="Drop your own value (the shared one applies to you again)",
)
async def delete_your_value(request: Request, key: str, kind: RequirementKind) -> EditOut:
    removed = remove_override(store_units(request), actor(request), key, kind)
    return EditOut(changed=removed, scope=Scope.YOURS, change=None)


@router.post(
    "/programs/{key}/yours/{kind}/proposal",
    response_model=YourValueOut,
    summary="Propose your own value to the editors",
)
async def propose_your_value(request: Request, key: str, kind: RequirementKind) -> YourValueOut:
    units = store_units(request)
    override = propose_override(units, actor(request), key, kind)
    return YourValueOut.of(override, view_program(units, key, override.owner).shared)


@router.get("/proposals", response_model=list[ProposalOut], summary="Proposals (editors)")
async def get_proposals(request: Request) -> list[ProposalOut]:
    return [
        ProposalOut(
            number=p.number,
            program=p.program_key,
            program_name=p.program_name,
            proposed=RequirementOut.of(p.proposed),
            shared=RequirementOut.of(p.shared),
            proposed_at=p.proposed_at,
        )
        for p in list_proposals(store_units(request), actor(request))
    ]


@router.post(
    "/proposals/{number}",
    response_model=EditOut,
    summary="Accept or decline a proposal (editors)",
)
async def post_decision(
    request: Request,
    number: Annotated[int, Path(ge=1, le=MAX_NUMBER)],
    body: Annotated[DecisionIn, Body()],
) -> EditOut:
    change = decide_proposal(store_units(request), actor(request), number, accept=body.accept)
    state(request).programs_changed()
    out = None if change is None else ChangeOut.of(change, viewer(request))
    return EditOut(changed=change is not None, scope=Scope.SHARED, change=out)
