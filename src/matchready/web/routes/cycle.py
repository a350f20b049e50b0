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
from matchready.domain.costs import CostEstimate, submitted_counts
from matchready.domain.tracker import Application, Tracker
from matchready.io.ics import calendar_ics
from matchready.services.calendar import cycle_calendar, interview_days
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
from matchready.web.tracked import owner_tracker_async

pages = APIRouter()
api = APIRouter(tags=["api"])

MAX_COUNT = 1000
MAX_TRAVEL = 10_000_000


async def _tracker(request: Request) -> Tracker | None:
    """This owner's tracker (its interviews date the calendar, its submitted applications
    price the costs), read off the event loop; None for an app built without a store."""
    if state(request).units is None:
        return None
    return await owner_tracker_async(request)


async def _interviews(request: Request) -> tuple[tuple[str, date], ...]:
    tracker = await _tracker(request)
    return () if tracker is None else interview_days(tracker)


async def _applications(request: Request) -> tuple[Application, ...]:
    tracker = await _tracker(request)
    return () if tracker is None else tracker.applications


@pages.get("/calendar", include_in_schema=False)
async def calendar_page(request: Request) -> Response:
    saved = saved_or_none(request)
    if saved is None:
        return RedirectResponse("/profile", status_code=303)
    when = as_of(request, request.query_params.get("as_of"), saved.profile)
    interviews = await _interviews(request)
    return cached_page(
        request,
        saved.key("calendar", when, interviews),
        "calendar.html",
        lambda: {"calendar": _calendar(request, saved, when, interviews)},
    )


def _calendar(
    request: Request, saved: Saved, when: date, interviews: tuple[tuple[str, date], ...]
) -> CycleCalendar:
    facts = state(request).facts
    compute = partial(cycle_calendar, saved.profile, facts, when, interviews=interviews)
    return saved.remember(request, ("calendar", when, interviews), compute)


@pages.get("/calendar.ics", include_in_schema=False)
async def calendar_file(request: Request) -> Response:
    """The dated entries as an ICS file (RFC 5545) to import into any calendar app."""
    saved = require_saved(request)
    when = as_of(request, request.query_params.get("as_of"), saved.profile)
    result = _calendar(request, saved, when, await _interviews(request))
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
    applications = await _applications(request)

    def context() -> dict[str, object]:
        costs = _costs(request, saved, when, *counts, applications=applications)
        return {"costs": costs, "inputs": shown, "form": form}

    if form.errors:
        return page(request, "costs.html", context(), form.status)
    key = saved.key("costs", when, *counts, _submitted(applications))
    return cached_page(request, key, "costs.html", context)


@api.get("/calendar", response_model=CycleCalendar, summary="The cycle calendar")
async def get_calendar(
    request: Request,
    on: Annotated[
        str | None, Query(alias="as_of", description="YYYY-MM-DD; default today")
    ] = None,
) -> CycleCalendar:
    saved = require_saved(request)
    return _calendar(request, saved, as_of(request, on, saved.profile), await _interviews(request))


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
    when = as_of(request, on, saved.profile)
    applications = await _applications(request)
    return _costs(request, saved, when, programs, ranks, travel, applications=applications)


async def costs_ahead(
    request: Request, saved: Saved, when: date
) -> tuple[CostEstimate, tuple[tuple[str, int], ...]]:
    """The costs still ahead as the Costs page shows them without inputs (the home page's
    figure), with the part of the tracker they depend on (for a cache key)."""
    applications = await _applications(request)
    costs = _costs(request, saved, when, None, None, None, applications=applications)
    return costs, _submitted(applications)


def _submitted(applications: tuple[Application, ...]) -> tuple[tuple[str, int], ...]:
    """What of the tracker the costs depend on (part of the cache key)."""
    return tuple(sorted(submitted_counts(applications).items()))


def _costs(
    request: Request,
    saved: Saved,
    when: date,
    programs: int | None,
    ranks: int | None,
    travel: int | None,
    *,
    applications: tuple[Application, ...] = (),
) -> CostEstimate:
    """The costs; the tracker's submitted `applications`, when any, price the applications."""
    compute = partial(
        cost_estimate,
        saved.profile,
        state(request).facts,
        when,
        programs=programs,
        ranks=ranks,
        travel_usd=travel,
        applications=applications,
    )
    key = ("costs", when, programs, ranks, travel, _submitted(applications))
    return saved.remember(request, key, compute)
