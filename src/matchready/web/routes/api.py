"""The JSON API under /api/: the same services as the CLI and the pages."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, Request

from matchready.domain.applicant import Profile
from matchready.domain.facts import ApplicantType
from matchready.domain.odds import MAX_RANKS
from matchready.domain.report import Plan
from matchready.services.facts import search_facts
from matchready.services.odds import OddsEstimate
from matchready.services.plan import build_plan
from matchready.services.profiles import save_profile_data
from matchready.services.specialties import Competitiveness, competitiveness
from matchready.web.routes.common import as_of, odds_of, require_profile, require_saved
from matchready.web.state import owner, state

router = APIRouter(tags=["api"])


@router.get("/profile", response_model=Profile, summary="The saved profile")
async def get_profile(request: Request) -> Profile:
    return require_profile(request)


@router.put("/profile", response_model=Profile, summary="Validate and save the profile")
async def put_profile(request: Request, data: Annotated[dict[str, Any], Body()]) -> Profile:
    return save_profile_data(state(request).profiles, owner(request), data)


@router.get("/plan", response_model=Plan, summary="The plan of the saved profile")
async def get_plan(
    request: Request,
    on: Annotated[
        str | None, Query(alias="as_of", description="YYYY-MM-DD; default today")
    ] = None,
) -> Plan:
    saved, when = require_saved(request), as_of(request, on)
    return saved.remember(
        request, ("plan", when), lambda: build_plan(saved.profile, state(request).facts, when)
    )


@router.get("/odds", response_model=list[OddsEstimate], summary="Odds of matching")
async def get_odds(
    request: Request,
    specialty: Annotated[list[str] | None, Query(max_length=20)] = None,
    ranks: Annotated[int | None, Query(ge=0, le=MAX_RANKS)] = None,
) -> list[OddsEstimate]:
    saved = require_saved(request)
    return odds_of(request, saved, specialty or list(saved.profile.target.specialties), ranks)


@router.get("/specialties", response_model=Competitiveness, summary="Specialty figures")
async def get_specialties(
    request: Request,
    applicant_type: Annotated[ApplicantType, Query(alias="type")] = ApplicantType.NON_US_IMG,
    sort: Annotated[str, Query(max_length=40)] = "match_rate_pct",
) -> Competitiveness:
    return competitiveness(state(request).facts, applicant_type, sort)


@router.get("/facts", summary="Facts with their sources")
async def get_facts(
    request: Request, text: Annotated[str | None, Query(max_length=100)] = None
) -> list[dict[str, str]]:
    return [
        {
            "key": row.key,
            "value": row.value,
            "source": row.source,
            "as_of": row.as_of,
            "status": row.status.value,
            "note": row.note,
        }
        for row in search_facts(state(request).facts, text)
    ]
