"""Programs (browse, filter, one program with its sources) and the tiered List, with exports."""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Hashable
from functools import partial
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi import Path as Path_
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from matchready.domain.overrides import shown_as
from matchready.domain.requirements import COORDINATOR_QUESTIONS, VALUE_HELP, RequirementKind
from matchready.domain.screening import Verdict
from matchready.errors import InputError, Location, Problem
from matchready.io.tables import write_table
from matchready.services.listbuilder import (
    LIST_COLUMNS,
    ProgramList,
    build_program_list,
    list_csv,
    list_rows,
)
from matchready.services.overrides import (
    Scope,
    correct_requirement,
    decide_proposal,
    list_proposals,
    propose_override,
    remove_override,
    view_program,
)
from matchready.services.profile_screening import (
    screening_applicant,
    season_dates,
    verdict_page,
)
from matchready.services.programs import EDIT_FIELDS, RequirementEdit
from matchready.services.screening import screen_programs
from matchready.web.csrf import require_token
from matchready.web.filters import QueryForm
from matchready.web.routes.common import (
    Saved,
    cached_page,
    known_programs,
    page,
    profile_or_none,
    require_saved,
    saved_or_none,
    screened_programs,
    specialty_choices,
    specialty_codes,
    store_units,
)
from matchready.web.state import actor, state, viewer

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 50
MAX_NUMBER = 2**31 - 1
"""The largest proposal number (a 32-bit row id): a larger one is a 422, not a database error."""
MAX_PAGE = 10_000
MAX_BUDGET = 1_000_000
VERDICTS = {
    "eligible": Verdict.ELIGIBLE,
    "unknown": Verdict.UNKNOWN,
    "ineligible": Verdict.INELIGIBLE,
}


@router.get("/programs")
async def programs_page(request: Request) -> Response:
    """Every program screened for the saved profile, filtered; a filter that fails is left
    out and its message shown beside its field (422), the page drawn without it."""
    web = state(request)
    known = known_programs(request)
    revision, table = known.revision, known.table
    saved = saved_or_none(request)
    form = QueryForm(request)
    codes = specialty_codes(request)
    specialty = form.specialty(codes)
    us_state = form.state()
    verdict = form.choice("verdict", VERDICTS, "choose a verdict from the list")
    page_number = form.number("page", MAX_PAGE) or 1
    offset = (page_number - 1) * PAGE_SIZE
    context: dict[str, object] = {
        "specialty": specialty,
        "state": us_state,
        "verdict": verdict,
        "form": form,
        "page_number": page_number,
        "page_size": PAGE_SIZE,
        "total_programs": len(table.programs),
        "specialties": specialty_choices(request),
        "multi_user": web.multi_user,
    }
    if saved is None:
        context.update(results=None, counts=None, shown=0)
        return page(request, "programs.html", context, form.status)
    today = state(request).today()

    def screened() -> dict[str, object]:
        report = screened_programs(request, saved, known, today, specialty, us_state)
        results, counts, shown = verdict_page(report, VERDICTS.get(verdict), offset, PAGE_SIZE)
        counted = {v.name.lower(): n for v, n in counts.items()}
        return {**context, "results": results, "counts": counted, "shown": shown}

    if form.errors:
        return page(request, "programs.html", screened(), form.status)
    key = saved.key("programs", revision, today, specialty, us_state, verdict, page_number)
    return cached_page(request, key, "programs.html", screened)


@router.get("/programs/{key}")
async def program_page(request: Request, key: str) -> Response:
    """One program as this user sees it; read in a worker thread (its reads and the screening
    of the program would otherwise hold the event loop for every other request)."""
    return await run_in_threadpool(_program_view, request, key)


@router.post("/programs/{key}/requirements", dependencies=[Depends(require_token)])
async def requirement_save(request: Request, key: str) -> Response:
    """Correct one requirement by hand; its source is required. An editor's correction changes
    the shared data (kept in the history); anyone else's is their own value."""
    form = await request.form()
    texts = {name: form.get(name) for name in ("kind", *EDIT_FIELDS)}
    fields = {name: value if isinstance(value, str) else "" for name, value in texts.items()}
    edit = RequirementEdit(program=key, **fields)
    try:
        units, today = store_units(request), state(request).today()
        done = await run_in_threadpool(
            lambda: correct_requirement(units, edit, actor(request), today)
        )
    except InputError as error:
        errors = {p.location.field or "value": p.message for p in error.problems}
        return await run_in_threadpool(_program_view, request, key, fields, errors, 422)
    state(request).programs_changed()
    saved = "unchanged" if done.change is None else fields["kind"]
    if done.scope is Scope.YOURS:
        return RedirectResponse(f"/programs/{key}?saved={saved}&scope=yours#yours", 303)
    return RedirectResponse(f"/programs/{key}?saved={saved}#history", status_code=303)


@router.post("/programs/{key}/yours/{kind}", dependencies=[Depends(require_token)])
async def your_value_action(request: Request, key: str, kind: RequirementKind) -> Response:
    """Propose your own value to the editors, or drop it (the shared value applies again)."""
    form = await request.form()
    action = form.get("action")

    def act() -> None:  # in a worker thread: the account's read and the write
        who = actor(request)
        if action == "propose":
            propose_override(store_units(request), who, key, kind)
        elif action == "remove":
            remove_override(store_units(request), who, key, kind)
        else:
            raise InputError(Problem("expected propose or remove", Location(field="action")))

    await run_in_threadpool(act)
    return RedirectResponse(f"/programs/{key}?yours={action}#yours", status_code=303)


@router.get("/proposals")
async def proposals_page(request: Request) -> Response:
    """The values users proposed, beside the shared ones, for an editor to accept or decline."""
    found = list_proposals(store_units(request), actor(request))
    context = {"proposals": found, "decided": request.query_params.get("decided")}
    return page(request, "proposals.html", context)


@router.post("/proposals/{number}", dependencies=[Depends(require_token)])
async def proposal_decide(
    request: Request, number: Annotated[int, Path_(ge=1, le=MAX_NUMBER)]
) -> Response:
    form = await request.form()
    decision = form.get("decision")
    if decision not in {"accept", "decline"}:
        raise InputError(Problem("expected accept or decline", Location(field="decision")))
    accept = decision == "accept"
    decide_proposal(store_units(request), actor(request), number, accept=accept)
    if accept:
        state(request).programs_changed()
    return RedirectResponse(f"/proposals?decided={decision}", status_code=303)


def _program_view(
    request: Request,
    key: str,
    form: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    web = state(request)
    who = actor(request)
    view = view_program(store_units(request), key, who.owner)
    program = view.seen
    screening = None
    profile = profile_or_none(request)
    if profile is not None:
        report = screen_programs(
            screening_applicant(profile, web.facts, state(request).today()),
            [program],
            as_of=state(request).today(),
            season=season_dates(web.facts, profile.target.match_year),
        )
        screening = report.result(0)
    known = {r.kind: r for r in program.requirements}
    rules = {r.kind: r for r in screening.rules} if screening else {}
    rows = [(kind, known.get(kind), rules.get(kind)) for kind in RequirementKind]
    conflicts = [
        (kind, program.requirement(kind), program.conflict(kind), COORDINATOR_QUESTIONS[kind])
        for kind in RequirementKind
        if program.conflict(kind)
    ]
    yours = [(o, view.shared.requirement(o.kind)) for o in view.overrides]
    shared = view.shared
    me = viewer(request)
    history = [(c, shown_as(c.changed_by, me)) for c in reversed(view.history)]
    context = {
        "program": program,
        "specialty_label": web.facts.specialty_label(program),
        "conflicts": conflicts,
        "h1b_evidence": shared.h1b_evidence.lines() if shared.h1b_evidence else [],
        "h1b_stated": shared.requirement(RequirementKind.H1B_SPONSORED).value,
        "history": history,
        "screening": screening,
        "rows": rows,
        "yours": yours,
        "your_kinds": {o.kind for o in view.overrides},
        "is_editor": who.editor,
        "multi_user": web.multi_user,
        "form": form or {"kind": "", "strictness": "unknown"},
        "errors": errors or {},
        "value_help": {k.value: h for k, h in VALUE_HELP.items()},
        "saved": request.query_params.get("saved"),
        "scope": request.query_params.get("scope"),
        "yours_done": request.query_params.get("yours"),
        "today": state(request).today().isoformat(),
    }
    return page(request, "program.html", context, status)


def _program_list(
    request: Request, saved: Saved, specialty: str, budget: int | None
) -> tuple[tuple[Hashable, ...], Callable[[], ProgramList]]:
    """The list's cache key and a function that builds it (once per key)."""
    web = state(request)
    code = specialty or saved.profile.target.specialties[0]
    known = known_programs(request)
    revision, table = known.revision, known.table
    key = ("list", revision, state(request).today(), code, budget)
    build = partial(
        build_program_list,
        saved.profile,
        web.facts,
        table,
        key[2],
        code,
        budget,
        index=known.index,
    )
    return saved.key(*key), lambda: saved.remember(request, key, build)


@router.get("/list")
async def list_page(request: Request) -> Response:
    saved = saved_or_none(request)
    if saved is None:
        return RedirectResponse("/profile", status_code=303)
    form = QueryForm(request)
    specialty = form.specialty(specialty_codes(request))
    budget = form.number("budget", MAX_BUDGET)
    key, program_list = _program_list(request, saved, specialty, budget)

    def context() -> dict[str, object]:
        result = program_list()
        return {
            "result": result,
            "rows": list_rows(result),
            "budget": budget,
            "form": form,
            "specialties": specialty_choices(request),
        }

    if form.errors:
        return page(request, "list.html", context(), form.status)
    return cached_page(request, key, "list.html", context)


CSV_TYPE = "text/csv"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx(result: ProgramList) -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "list.xlsx"
        write_table(path, LIST_COLUMNS, list_rows(result))
        return path.read_bytes()


@router.get("/list.{suffix}")
def list_export(
    request: Request,
    suffix: Annotated[str, Path_(pattern="^(csv|xlsx)$")],
    specialty: Annotated[str, Query(max_length=20)] = "",
    budget: Annotated[int | None, Query(ge=0, le=MAX_BUDGET)] = None,
) -> Response:
    """The list as a CSV or XLSX download."""
    result = _program_list(request, require_saved(request), specialty, budget)[1]()
    name = f"matchready-list-{result.specialty}.{suffix}"
    headers = {"content-disposition": f'attachment; filename="{name}"'}
    if suffix == "csv":
        return Response(list_csv(result), media_type=CSV_TYPE, headers=headers)
    return Response(_xlsx(result), media_type=XLSX_TYPE, headers=headers)
