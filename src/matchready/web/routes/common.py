"""Helpers shared by the routes: the app's state, the current owner, the current profile."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import Request
from fastapi.responses import Response

from matchready.domain.applicant import Profile
from matchready.errors import InputError, Location, NotFoundError, Problem
from matchready.services.ports import UnitOfWork
from matchready.services.profiles import current_profile
from matchready.web.auth import session_account
from matchready.web.state import owner, state


def profile_or_none(request: Request) -> Profile | None:
    return current_profile(state(request).profiles, owner(request))


def require_profile(request: Request) -> Profile:
    profile = profile_or_none(request)
    if profile is None:
        raise NotFoundError("no profile saved yet: fill in the profile first")
    return profile


def program_units(request: Request) -> UnitOfWork:
    """A unit of work on the shared program store."""
    units = state(request).units
    if units is None:
        raise NotFoundError("no program store is configured")
    return units()


def as_of(value: str | None) -> date:
    if not value:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InputError(
            Problem("expected a date such as 2026-11-25", Location(field="as_of"))
        ) from None


def page(request: Request, name: str, context: dict[str, Any], status: int = 200) -> Response:
    """Render a page template with the navigation and the current path."""
    web = state(request)
    signed_in = web.multi_user and session_account(request) is not None
    full = {
        "nav": web.nav if signed_in or not web.multi_user else [],
        "path": request.url.path,
        "multi_user": web.multi_user,
        "signed_in": signed_in,
        **context,
    }
    response: Response = request.app.state.templates.TemplateResponse(
        request, name, full, status_code=status
    )
    return response
