"""Helpers shared by the routes: the app's state, the current owner, the current profile."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import Any, TypeVar

from fastapi import Request
from fastapi.responses import Response
from markupsafe import Markup

from matchready.domain.applicant import Profile
from matchready.domain.cycle import check_as_of
from matchready.domain.screening_table import ScreeningReport
from matchready.errors import InputError, Location, MatchreadyError, NotFoundError, Problem
from matchready.services.odds import OddsEstimate, estimate_odds
from matchready.services.overrides import fingerprint, overrides_of, with_overrides
from matchready.services.plan import applicant_today
from matchready.services.ports import UnitOfWork
from matchready.services.profile_screening import screen_profile
from matchready.services.profiles import parsed_profile
from matchready.web.auth import session_account
from matchready.web.state import Programs, owner, saved_text, state

T = TypeVar("T")


@dataclass(frozen=True)
class Saved:
    """The request owner's saved profile and the digest of its text (its version)."""

    owner: str
    profile: Profile
    version: str

    def key(self, *inputs: Hashable) -> tuple[Hashable, ...]:
        """A cache key of this owner's profile version and `inputs` (which must name every
        other input: the as-of date, the program store's revision, the query)."""
        return (self.owner, self.version, *inputs)

    def remember(self, request: Request, key: tuple[Hashable, ...], compute: Callable[[], T]) -> T:
        """`compute()`, cached on `self.key(*key)`."""
        return state(request).memo.get(self.key(*key), compute)


def saved_or_none(request: Request) -> Saved | None:
    who = owner(request)
    text = saved_text(request, who)
    if text is None:
        return None
    digest = hashlib.blake2b(text.encode(), digest_size=16).hexdigest()
    return Saved(who, parsed_profile(text), digest)


def require_saved(request: Request) -> Saved:
    saved = saved_or_none(request)
    if saved is None:
        raise NotFoundError("no profile saved yet: fill in the profile first")
    return saved


def profile_or_none(request: Request) -> Profile | None:
    saved = saved_or_none(request)
    return None if saved is None else saved.profile


def require_profile(request: Request) -> Profile:
    return require_saved(request).profile


def store_units(request: Request) -> UnitOfWork:
    """A unit of work on the app's database (the shared programs and the owners' trackers)."""
    units = state(request).units
    if units is None:  # an app built without a store (tests of the profile pages): not an outage
        raise MatchreadyError("the database is not configured for this app")
    return units()


def whole_number(text: str | None, name: str, high: int) -> int | None:
    """The query parameter `name` as a whole number from 0 to `high`; None when left empty."""
    text = (text or "").strip()
    if not text:
        return None
    if not text.isdigit() or int(text) > high:
        problem = f"write a whole number from 0 to {high:,}"
        raise InputError(Problem(problem, Location(field=name)))
    return int(text)


def as_of(request: Request, value: str | None, profile: Profile | None = None) -> date:
    """The as_of query value, or today: in the applicant's zone when `profile` is given and the
    app runs on the wall clock, else by the app's clock; a malformed or out-of-range date is a
    422 naming the field."""
    web = state(request)
    wall_clock = web.clock is date.today
    today = applicant_today(profile) if profile is not None and wall_clock else web.today()
    if not value:
        return today
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise InputError(
            Problem("expected a date such as 2026-11-25", Location(field="as_of"))
        ) from None
    return check_as_of(day, today)


def cached_page(
    request: Request, key: tuple[Hashable, ...], name: str, context: Callable[[], dict[str, Any]]
) -> Response:
    """A page whose content depends only on `key` (which must name the owner and every input):
    its title and main blocks are rendered once and kept; the frame around them (navigation,
    the CSRF token) is rendered per request. Only for pages without forms that post."""

    def render() -> tuple[Markup, Markup]:
        template = request.app.state.templates.get_template(name)
        full = template.new_context({"request": request, **context()})
        blocks = template.blocks
        title = Markup("".join(blocks["title"](full)))
        return title, Markup("".join(blocks["main"](full)))

    title, main = state(request).memo.get(("page", name, *key), render)
    return page(request, "shell.html", {"cached_title": title, "cached_main": main})


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


def specialty_choices(request: Request) -> list[tuple[str, str]]:
    """(code, name) of every specialty with figures, for the lists people choose from."""
    return [(s.code, s.name) for s in state(request).facts.specialties if s.code != "ALL"]


def specialty_codes(request: Request) -> set[str]:
    return {code for code, _ in specialty_choices(request)}


def odds_of(
    request: Request, saved: Saved, codes: list[str], ranks: int | None
) -> list[OddsEstimate]:
    """The odds of each specialty for the saved profile (cached; the model draws 4,000
    parameter sets per estimate)."""
    facts = state(request).facts
    return [
        saved.remember(
            request,
            ("odds", code, ranks),
            partial(estimate_odds, saved.profile, facts, code, ranks),
        )
        for code in codes
    ]


def known_programs(request: Request) -> Programs:
    """The program table as the request's user sees it: the shared one, with their own values
    in place in server mode (kept per owner, store revision and values)."""
    web = state(request)
    shared = web.programs()
    if not web.multi_user or web.units is None:
        return shared
    who = owner(request)
    mine = overrides_of(web.units(), who)
    if not mine:
        return shared
    digest = fingerprint(mine)

    def build() -> Programs:
        table = with_overrides(shared.table, mine)
        return Programs(shared.version, table, shared.index, digest)

    return web.memo.get(("owner-programs", who, shared.version, digest), build)


def screened_programs(
    request: Request, saved: Saved, known: Programs, today: date, specialty: str, us_state: str
) -> ScreeningReport:
    """Every program of `known` (optionally of one specialty and state) screened for the saved
    profile, kept per profile version, program revision, day and filters."""
    compute = partial(
        screen_profile,
        saved.profile,
        state(request).facts,
        known.table,
        today,
        specialty=specialty or None,
        state=us_state or None,
        index=known.index,
    )
    return saved.remember(request, ("screen", known.revision, today, specialty, us_state), compute)
