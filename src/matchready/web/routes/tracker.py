"""The Tracker page: applications, letters, documents, signals, interviews and the rank list.

Every form posts to one route that parses it through the tracker's record models and calls
one use case of `services.tracker.Tracking`, for the owner of the session (never an owner named
by the request), then redirects back. A refused change or bad input re-renders the page (422,
or 404 for a program not in the store or not in this tracker) with the message beside the form
that failed and that form's fields as the user typed them (`Refused`), as the filter forms do.
Every form carries the CSRF token.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from matchready.domain.signals import SignalTier, signal_usage
from matchready.domain.tracker import TRANSITIONS, DocumentKind, InterviewFormat
from matchready.domain.tracker_records import (
    ApplicationRecord,
    AssignmentRecord,
    ChangeRecord,
    DocumentRecord,
    InterviewRecord,
    LetterRecord,
    RankRecord,
    SignalRecord,
    field_value,
)
from matchready.errors import InputError, Location, NotFoundError, Problem
from matchready.io.tracker_table import rank_list_csv, rank_list_text
from matchready.services.rank_checks import rank_list_checks
from matchready.services.tracker import Tracking
from matchready.web.csrf import require_token
from matchready.web.limits import REGION_MAX, text_problems
from matchready.web.routes.common import known_programs, page, saved_or_none
from matchready.web.state import state
from matchready.web.tracked import owner_tracker, remember, tracker_key, tracking

router = APIRouter(include_in_schema=False)
MAX_UPLOAD = 5 * 1024 * 1024
TYPES = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "txt": "text/plain; charset=utf-8",
}
Form = dict[str, str]


PER_PROGRAM = ("move", "would-not-go")
"""Forms drawn once per application: a refusal belongs to the row of the program it named."""


@dataclass(frozen=True)
class Refused:
    """A form the tracker refused: which one, its fields as typed, and why.

    `form` names the form by its route ("/tracker/letter/assign" -> "letter-assign"); a form
    drawn once per application adds the program it named ("move:1000140C0")."""

    form: str
    typed: Form
    problems: list[str]

    @classmethod
    def of(cls, path: str, typed: Form, problems: list[str]) -> Refused:
        name = path.removeprefix("/tracker/").replace("/", "-")
        if name in PER_PROGRAM:
            name = f"{name}:{typed.get('program', '')}"
        return cls(name, typed, problems)

    def value(self, form: str, name: str) -> str | None:
        """What the user typed in field `name` if `form` is the refused one, else None (the
        template then shows the field's usual value)."""
        return self.typed.get(name, "") if form == self.form else None


def _tracker_page(request: Request, refused: Refused | None = None, status: int = 200) -> Response:
    track = tracking(request)
    # kept per tracker revision and program store revision (names and tracks on the list)
    tracker, ranks = remember(
        request,
        tracker_key(request, "rank list", state(request).programs().version),
        track.rank_list,
    )
    seasons = sorted({s.season for s in tracker.signals if s.season is not None})
    usage = [(y, u) for y in seasons for u in signal_usage(tracker.signals, track.facts, y)]
    saved = saved_or_none(request)
    checks = []
    if saved is not None:  # the draft against the profile, with the user's own values
        key = tracker_key(request, "rank checks", saved.version, known_programs(request).revision)
        checks = remember(
            request,
            key,
            lambda: rank_list_checks(track.uow, track.owner, saved.profile, track.facts),
        )
    next_states = {a.program: sorted(TRANSITIONS[a.state]) for a in tracker.applications}
    drawn = {"add", "letter", "document", "signal", "geography", "interview", "rank"}
    if tracker.letters:
        drawn |= {"letter-assign", "letter-status"}
    drawn |= {f"would-not-go:{program}" for program in next_states}
    drawn |= {f"move:{program}" for program, states in next_states.items() if states}
    context = {
        "rank_checks": [str(w) for w in checks],
        "tracker": tracker,
        "ranks": ranks,
        "usage": usage,
        "next_states": next_states,
        "letter_counts": {
            a.program: len(tracker.letters_for(a.program)) for a in tracker.applications
        },
        "kinds": list(DocumentKind),
        "formats": list(InterviewFormat),
        "tiers": list(SignalTier),
        "refused": refused,
        # a refusal for a form not on the page (a program no longer tracked) is shown on top
        "refused_beside": refused is not None and refused.form in drawn,
    }
    return page(request, "tracker.html", context, status)


@router.get("/tracker")
async def tracker_page(request: Request) -> Response:
    return await run_in_threadpool(_tracker_page, request)


@router.get("/tracker/program/{key}")
def application_page(request: Request, key: str) -> Response:
    """One application and its history; only ever looked up in this owner's tracker."""
    tracker = owner_tracker(request)
    found = tracker.application(key)  # the tracker's own key; else as the user typed it
    tracker, app = (tracker, found) if found else tracking(request).application(key)
    context = {
        "app": app,
        "history": app.lines(),
        "interview": tracker.interview(app.program),
        "letters": tracker.letters_for(app.program),
        "signals": [s for s in tracker.signals if s.program == app.program],
    }
    return page(request, "tracker_program.html", context)


def _apply(
    request: Request, path: str, form: Form, action: Callable[[Tracking], object]
) -> Response:
    try:
        action(tracking(request))
    except InputError as error:
        refused = Refused.of(path, form, [str(p) for p in error.problems])
        return _tracker_page(request, refused, status=422)
    except NotFoundError as error:
        return _tracker_page(request, Refused.of(path, form, [str(error)]), status=404)
    return RedirectResponse("/tracker", status_code=303)


def change(path: str) -> Callable[[Callable[[Tracking, Form], object]], object]:
    """Register `action(tracking, form)` as the POST route `path`: the form is read, the change
    made in the thread pool (it replays and writes the tracker), then the page redirects back;
    a refusal re-renders the page with the form as typed."""

    def register(action: Callable[[Tracking, Form], object]) -> object:
        async def route(request: Request) -> Response:
            form = {k: v.strip() for k, v in (await request.form()).items() if isinstance(v, str)}
            return await run_in_threadpool(_apply, request, path, form, lambda t: action(t, form))

        route.__name__ = action.__name__
        router.post(path, dependencies=[Depends(require_token)])(route)
        return action

    return register


@change("/tracker/add")
def add(t: Tracking, form: Form) -> object:
    return t.add(
        ApplicationRecord.parse(form | {"note": ""}),
        ChangeRecord.parse(form | {"state": "planned"}),
    )


@change("/tracker/move")
def move(t: Tracking, form: Form) -> object:
    return t.move(ChangeRecord.parse(form))


@change("/tracker/would-not-go")
def would_not_go(t: Tracking, form: Form) -> object:
    return t.set(
        form.get("program", ""),
        would_not_go=field_value(ApplicationRecord, "would_not_go", form.get("value")),
    )


@change("/tracker/letter")
def letter(t: Tracking, form: Form) -> object:
    return t.add_letter(LetterRecord.parse(form))


@change("/tracker/letter/status")
def letter_status(t: Tracking, form: Form) -> object:
    return t.advance_letter(
        form.get("key", ""),
        field_value(LetterRecord, "status", form.get("status")),
        field_value(ChangeRecord, "date", form.get("date")),
    )


@change("/tracker/letter/assign")
def letter_assign(t: Tracking, form: Form) -> object:
    return t.assign(AssignmentRecord.parse(form), remove=form.get("action") == "unassign")


@change("/tracker/signal")
def signal(t: Tracking, form: Form) -> object:
    return t.signal(SignalRecord.parse(form))


@change("/tracker/geography")
def geography(t: Tracking, form: Form) -> object:
    regions = [r.strip() for r in form.get("regions", "").split(",")]
    too_long = [r for r in regions if len(r) > REGION_MAX]  # refused here, not by the database
    if too_long:
        message = (
            f"write each region in at most {REGION_MAX} characters ({len(too_long[0])} given)"
        )
        raise InputError(Problem(message, Location(field="regions")))
    return t.set_geography(regions)


@change("/tracker/interview")
def interview(t: Tracking, form: Form) -> object:
    return t.interview(InterviewRecord.parse(form))


@change("/tracker/rank")
def rank(t: Tracking, form: Form) -> object:
    return t.rank(RankRecord.parse(form), remove=form.get("action") == "remove")


@router.post("/tracker/document", dependencies=[Depends(require_token)])
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
    problems = text_problems(fields.items())
    if not filename:
        problems.append(Problem("choose a file", Location(field="file")))
    elif len(data) > MAX_UPLOAD:
        problems.append(Problem("the file is larger than 5 MB", Location(field="file")))
    if problems:
        refused = Refused.of("/tracker/document", fields, [str(p) for p in problems])
        return await run_in_threadpool(_tracker_page, request, refused, 422)
    name = fields.get("name") or Path(filename or "").name

    def action(t: Tracking) -> object:
        return t.add_document(data, DocumentRecord.parse(fields | {"name": name}).kind, name)

    return await run_in_threadpool(_apply, request, "/tracker/document", fields, action)


def _download(name: str, data: bytes, suffix: str) -> Response:
    headers = {"content-disposition": f'attachment; filename="{name}"'}
    return Response(data, media_type=TYPES[suffix], headers=headers)


@router.get("/tracker/export.{suffix}")
def export(request: Request, suffix: str) -> Response:
    """The whole tracker as CSV or XLSX (re-importable with `matchready track import`)."""
    if suffix not in ("csv", "xlsx"):
        raise NotFoundError(f"no export as .{suffix}: choose csv or xlsx")
    out = io.BytesIO()
    tracking(request).export(out, f".{suffix}")
    return _download(f"matchready-tracker.{suffix}", out.getvalue(), suffix)


@router.get("/tracker/rank-list.{suffix}")
def rank_list(request: Request, suffix: str) -> Response:
    """The draft rank order list to type into NRMP R3, as CSV or printable text."""
    _, result = tracking(request).rank_list()
    if suffix == "csv":
        return _download("rank-list.csv", rank_list_csv(result).encode(), suffix)
    if suffix == "txt":
        text = rank_list_text(result, state(request).today())
        return _download("rank-list.txt", text.encode(), suffix)
    raise NotFoundError(f"no rank list as .{suffix}: choose csv or txt")
