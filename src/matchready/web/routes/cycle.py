"""The application cycle in the browser: the dated calendar (with its ICS file) and the costs.

Both call the same services as `matchready calendar` and `matchready costs`.
"""

from __future__ import annotations

from datetime import date
from functools import partial
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response

from matchready.domain.calendar import CycleCalendar
from matchready.domain.costs import CostEstimate
from matchready.io.ics import calendar_ics
from matchready.services.calendar import cycle_calendar
from matchready.services.costs import cost_estimate
from matchready.web.filters import QueryForm
from matchready.web.routes.common import (
    Saved,
    as_of,
    cached_page,
    page,
    require_saved,
    saved_or_none,
)
from matchready.web.state import state

pages = APIRouter()
api = APIRouter(tags=["api"])

MAX_COUNT = 1000
MAX_TRAVEL = 10_000_000


@pages.get("/calendar", include_in_schema=False)
async def calendar_page(request: Request) -> Response:
    saved = saved_or_none(request)
    if saved is None:
        return RedirectResponse("/profile", status_code=303)
    when = as_of(request, request.query_params.get("as_of"), saved.profile)
    return cached_page(
        request,
        saved.key("calendar", when),
        "calendar.html",
        lambda: {"calendar": _calendar(request, saved, when)},
    )


def _calendar(request: Request, saved: Saved, when: date) -> CycleCalendar:
    facts = state(request).facts
    return saved.remember(
        request, ("calendar", when), lambda: cycle_calendar(saved.profile, facts, when)
    )


@pages.get("/calendar.ics", include_in_schema=False)
async def calendar_file(request: Request) -> Response:
    """The dated entries as an ICS file (RFC 5545) to import into any calendar app."""
    saved = require_saved(request)
    result = _calendar(
        request, saved, as_of(request, request.query_params.get("as_of"), saved.profile)
    )
    name = f"matchready-{result.match_year}.ics"
    return Response(
        calendar_ics(result),
        media_type="text/calendar",
        headers={"content-disposition": f'attachment; filename="{name}"'},
    )


@pages.get("/costs", include_in_schema=False)
async def costs_page(request: Request) -> Response:
    saved = saved_or_none(request)
    if saved is None:
        return RedirectResponse("/profile", status_code=303)
    limits = {"programs": MAX_COUNT, "ranks": MAX_COUNT, "travel": MAX_TRAVEL}
    form = QueryForm(request)
    inputs = {name: form.number(name, high) for name, high in limits.items()}
    when = as_of(request, request.query_params.get("as_of"), saved.profile)
    counts = (inputs["programs"], inputs["ranks"], inputs["travel"])
    shown = {k: "" if v is None else str(v) for k, v in inputs.items()}

    def context() -> dict[str, object]:
        costs = _costs(request, saved, when, *counts)
        return {"costs": costs, "inputs": shown, "form": form}

    if form.errors:
        return page(request, "costs.html", context(), form.status)
    return cached_page(request, saved.key("costs", when, *counts), "costs.html", context)


@api.get("/calendar", response_model=CycleCalendar, summary="The cycle calendar")
async def get_calendar(
    request: Request,
    on: Annotated[
        str | None, Query(alias="as_of", description="YYYY-MM-DD; default today")
    ] = None,
) -> CycleCalendar:
    saved = require_saved(request)
    return _calendar(request, saved, as_of(request, on, saved.profile))


@api.get("/costs", response_model=CostEstimate, summary="The costs still ahead")
async def get_costs(
    request: Request,
    programs: Annotated[int | None, Query(ge=0, le=MAX_COUNT)] = None,
    ranks: Annotated[int | None, Query(ge=0, le=MAX_COUNT)] = None,
    travel: Annotated[int | None, Query(ge=0, le=MAX_TRAVEL, description="USD")] = None,
    on: Annotated[
        str | None, Query(alias="as_of", description="YYYY-MM-DD; default today")
    ] = None,
) -> CostEstimate:
    saved = require_saved(request)
    return _costs(request, saved, as_of(request, on, saved.profile), programs, ranks, travel)


def _costs(
    request: Request,
    saved: Saved,
    when: date,
    programs: int | None,
    ranks: int | None,
    travel: int | None,
) -> CostEstimate:
    compute = partial(
        cost_estimate,
        saved.profile,
        state(request).facts,
        when,
        programs=programs,
        ranks=ranks,
        travel_usd=travel,
    )
    return saved.remember(request, ("costs", when, programs, ranks, travel), compute)
