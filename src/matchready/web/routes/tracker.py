"""The Tracker page: applications, letters, documents, signals, interviews and the rank list.

Every form posts to one route that calls the same service function as `matchready track`,
for the owner of the session (never an owner named by the request), then redirects back.
A refused change or bad input re-renders the page with the message (422, or 404 for a
program not in the store or not in this tracker). Every form carries the CSRF token.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TypeVar

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import UploadFile

from matchready.domain.tracker import (
    TRANSITIONS,
    AppState,
    DocumentKind,
    InterviewFormat,
    LetterStatus,
    SignalTier,
    signal_usage,
)
from matchready.errors import InputError, Location, NotFoundError, Problem
from matchready.services import tracker as service
from matchready.services import tracker_files as files
from matchready.services.ports import UnitOfWork
from matchready.web.csrf import require_token
from matchready.web.routes.common import page, store_units
from matchready.web.state import owner, state

router = APIRouter(include_in_schema=False)
protected = [Depends(require_token)]
MAX_UPLOAD = 5 * 1024 * 1024
CSV_TYPE = "text/csv"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
E = TypeVar("E", bound=StrEnum)


def _tracker_page(
    request: Request, problems: list[str] | None = None, status: int = 200
) -> Response:
    web, who = state(request), owner(request)
    tracker, ranks = files.tracker_and_rank_list(store_units(request), who)
    seasons = sorted({s.season for s in tracker.signals if s.season is not None})
    usage = [(y, u) for y in seasons for u in signal_usage(tracker.signals, web.facts, y)]
    context = {
        "tracker": tracker,
        "ranks": ranks,
        "usage": usage,
        "next_states": {a.program: sorted(TRANSITIONS[a.state]) for a in tracker.applications},
        "letter_counts": {
            a.program: sum(1 for x in tracker.letters if a.program in x.programs)
            for a in tracker.applications
        },
        "kinds": list(DocumentKind),
        "formats": list(InterviewFormat),
        "tiers": list(SignalTier),
        "problems": problems or [],
    }
    return page(request, "tracker.html", context, status)


@router.get("/tracker")
async def tracker_page(request: Request) -> Response:
    return _tracker_page(request)


@router.get("/tracker/program/{key}")
async def application_page(request: Request, key: str) -> Response:
    """One application and its history; only ever looked up in this owner's tracker."""
    tracker, app = service.get_application(store_units(request), owner(request), key)
    context = {
        "app": app,
        "history": tracker.history(app.program),
        "interview": tracker.interview(app.program),
        "letters": [x for x in tracker.letters if app.program in x.programs],
        "signals": [s for s in tracker.signals if s.program == app.program],
    }
    return page(request, "tracker_program.html", context)


async def _form(request: Request) -> dict[str, str]:
    form = await request.form()
    return {k: v.strip() for k, v in form.items() if isinstance(v, str)}


def _required(form: dict[str, str], name: str) -> str:
    value = form.get(name, "")
    if not value:
        raise InputError(Problem("this field is required", Location(field=name)))
    return value


def _choice(form: dict[str, str], name: str, kind: type[E]) -> E:
    value = _required(form, name)
    try:
        return kind(value)
    except ValueError:
        allowed = ", ".join(k.value for k in kind)
        raise InputError(Problem(f"expected one of: {allowed}", Location(field=name))) from None


def _day(form: dict[str, str], name: str = "date") -> date | None:
    value = form.get(name, "")
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InputError(
            Problem("expected a date such as 2025-09-03", Location(field=name))
        ) from None


def _number(form: dict[str, str], name: str, low: int, high: int) -> int | None:
    value = form.get(name, "")
    if not value:
        return None
    if not value.isdigit() or not low <= int(value) <= high:
        raise InputError(Problem(f"expected a number from {low} to {high}", Location(field=name)))
    return int(value)


def _scores(text: str) -> dict[str, int]:
    scores: dict[str, int] = {}
    for part in (p.strip() for p in text.split(";") if p.strip()):
        name, sep, number = part.rpartition("=")
        if not sep or not name.strip() or not number.strip().isdigit():
            raise InputError(
                Problem(f"'{part}' is not criterion=score (e.g. fit=4)", Location(field="scores"))
            )
        scores[name.strip()] = int(number)
    return scores


def _run(request: Request, action: Callable[[UnitOfWork, str], object]) -> Response:
    """Do one change for this request's owner; redirect back, or re-render with the problem."""
    try:
        action(store_units(request), owner(request))
    except InputError as error:
        return _tracker_page(request, [str(p) for p in error.problems], status=422)
    except NotFoundError as error:
        return _tracker_page(request, [str(error)], status=404)
    return RedirectResponse("/tracker", status_code=303)


@router.post("/tracker/add", dependencies=protected)
async def add(request: Request) -> Response:
    form = await _form(request)
    facts = state(request).facts
    return _run(
        request,
        lambda uow, who: service.add_program(
            uow,
            who,
            facts,
            _required(form, "program"),
            specialty=form.get("specialty") or None,
            would_not_go=form.get("would_not_go") == "yes",
            on=_day(form),
            note=form.get("note", ""),
        ),
    )


@router.post("/tracker/move", dependencies=protected)
async def move(request: Request) -> Response:
    form = await _form(request)
    facts = state(request).facts
    return _run(
        request,
        lambda uow, who: service.move_program(
            uow,
            who,
            facts,
            _required(form, "program"),
            _choice(form, "state", AppState),
            on=_day(form),
            note=form.get("note", ""),
        ),
    )


@router.post("/tracker/would-not-go", dependencies=protected)
async def would_not_go(request: Request) -> Response:
    form = await _form(request)
    facts = state(request).facts
    return _run(
        request,
        lambda uow, who: service.set_program(
            uow, who, facts, _required(form, "program"), would_not_go=form.get("value") == "yes"
        ),
    )


@router.post("/tracker/letter", dependencies=protected)
async def letter(request: Request) -> Response:
    form = await _form(request)
    facts = state(request).facts
    return _run(
        request,
        lambda uow, who: service.add_letter(
            uow,
            who,
            facts,
            _required(form, "writer"),
            us_physician=form.get("us") == "yes",
            specialty=_required(form, "specialty"),
            on=_day(form),
        ),
    )


@router.post("/tracker/letter/status", dependencies=protected)
async def letter_status(request: Request) -> Response:
    form = await _form(request)
    facts = state(request).facts
    return _run(
        request,
        lambda uow, who: service.advance_letter(
            uow,
            who,
            facts,
            _required(form, "key"),
            _choice(form, "status", LetterStatus),
            _day(form),
        ),
    )


@router.post("/tracker/letter/assign", dependencies=protected)
async def letter_assign(request: Request) -> Response:
    form = await _form(request)
    facts = state(request).facts
    return _run(
        request,
        lambda uow, who: service.assign_letter(
            uow,
            who,
            facts,
            _required(form, "key"),
            _required(form, "program"),
            remove=form.get("action") == "unassign",
        ),
    )


@router.post("/tracker/document", dependencies=protected)
async def document(request: Request) -> Response:
    """Record an uploaded document by its SHA-256 (the file itself is not kept)."""
    form = await request.form()
    try:
        upload = form.get("file")
        fields = {k: v.strip() for k, v in form.items() if isinstance(v, str)}
        filename = upload.filename if isinstance(upload, UploadFile) else None
        data = await upload.read(MAX_UPLOAD + 1) if isinstance(upload, UploadFile) else b""
    finally:
        await form.close()
    if not filename:
        problem = Problem("choose a file", Location(field="file"))
        return _tracker_page(request, [str(problem)], status=422)
    if len(data) > MAX_UPLOAD:
        problem = Problem("the file is larger than 5 MB", Location(field="file"))
        return _tracker_page(request, [str(problem)], status=422)
    facts = state(request).facts
    name = fields.get("name") or Path(filename).name
    return _run(
        request,
        lambda uow, who: service.add_document_content(
            uow, who, facts, data, _choice(fields, "kind", DocumentKind), name
        ),
    )


@router.post("/tracker/signal", dependencies=protected)
async def signal(request: Request) -> Response:
    form = await _form(request)
    facts = state(request).facts
    tier = form.get("tier")

    def action(uow: UnitOfWork, who: str) -> object:
        season = _number(form, "season", 2000, 2100)
        if season is None:
            raise InputError(Problem("this field is required", Location(field="season")))
        return service.add_signal(
            uow,
            who,
            facts,
            _required(form, "program"),
            season=season,
            tier=_choice(form, "tier", SignalTier) if tier else None,
            specialty=form.get("specialty") or None,
        )

    return _run(request, action)


@router.post("/tracker/geography", dependencies=protected)
async def geography(request: Request) -> Response:
    form = await _form(request)
    facts = state(request).facts
    regions = [r for r in form.get("regions", "").split(",") if r.strip()]
    return _run(request, lambda uow, who: service.set_geography(uow, who, facts, regions))


@router.post("/tracker/interview", dependencies=protected)
async def interview(request: Request) -> Response:
    form = await _form(request)
    facts = state(request).facts
    return _run(
        request,
        lambda uow, who: service.record_interview(
            uow,
            who,
            facts,
            _required(form, "program"),
            on=_day(form),
            interview_format=_choice(form, "format", InterviewFormat),
            scores=_scores(form.get("scores", "")),
            notes=form.get("notes", ""),
        ),
    )


@router.post("/tracker/rank", dependencies=protected)
async def rank(request: Request) -> Response:
    form = await _form(request)
    facts = state(request).facts

    def action(uow: UnitOfWork, who: str) -> object:
        program, under = _required(form, "program"), form.get("under") or None
        if form.get("action") == "remove":
            return service.unrank_program(uow, who, facts, program, under=under)
        position = _number(form, "position", 1, 1000)
        return service.rank_program(uow, who, facts, program, position=position, under=under)

    return _run(request, action)


def _download(name: str, data: bytes, media_type: str) -> Response:
    headers = {"content-disposition": f'attachment; filename="{name}"'}
    return Response(data, media_type=media_type, headers=headers)


@router.get("/tracker/export.{suffix}")
def export(request: Request, suffix: str) -> Response:
    """The whole tracker as CSV or XLSX (re-importable with `matchready track import`)."""
    if suffix not in ("csv", "xlsx"):
        raise NotFoundError(f"no export as .{suffix}: choose csv or xlsx")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"tracker.{suffix}"
        files.export_tracker(store_units(request), owner(request), path)
        data = path.read_bytes()
    return _download(
        f"matchready-tracker.{suffix}", data, CSV_TYPE if suffix == "csv" else XLSX_TYPE
    )


@router.get("/tracker/rank-list.{suffix}")
def rank_list(request: Request, suffix: str) -> Response:
    """The draft rank order list to type into NRMP R3, as CSV or printable text."""
    result = files.rank_list(store_units(request), owner(request))
    if suffix == "csv":
        return _download("rank-list.csv", files.rank_list_csv(result).encode(), CSV_TYPE)
    if suffix == "txt":
        text = files.rank_list_text(result, state(request).today())
        return _download("rank-list.txt", text.encode(), "text/plain; charset=utf-8")
    raise NotFoundError(f"no rank list as .{suffix}: choose csv or txt")
