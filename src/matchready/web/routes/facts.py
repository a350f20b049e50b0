"""The Facts page: every fact in use with its source and standing, and your own facts (set and
removed here as with `matchready facts set/unset`, through the same service functions).

Your facts live in the data directory of this machine, so in multi-user mode the page is
read-only (one user's fact must not change another's plan).
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from matchready.errors import InputError, Problem
from matchready.services.facts import (
    load_all_facts,
    my_fact_rows,
    search_facts,
    set_user_fact,
    unset_user_fact,
    user_facts_file,
)
from matchready.web.csrf import require_token
from matchready.web.routes.common import page
from matchready.web.state import state

router = APIRouter()
protected = [Depends(require_token)]
MAX_QUERY = 100


@router.get("/facts", include_in_schema=False)
async def facts_page(request: Request) -> Response:
    web = state(request)
    text = (request.query_params.get("q") or "").strip()[:MAX_QUERY] or None
    rows = search_facts(web.facts, text)
    path = user_facts_file(web.settings)
    return page(
        request,
        "facts.html",
        {
            "rows": rows,
            "q": text or "",
            "mine": my_fact_rows(path),
            "path": str(path),
            "release": (web.facts.release, web.facts.released),
            "editable": not web.multi_user,
        },
    )


def _editable(request: Request) -> None:
    if state(request).multi_user:
        raise InputError(
            Problem("your own facts can be set only in single-user mode (`matchready serve`)")
        )


def _reload(request: Request) -> None:
    """Use the new facts from now on; pages computed with the old ones are dropped."""
    web = state(request)
    web.facts = load_all_facts(web.settings)
    web.memo.clear()


@router.post("/facts/mine", include_in_schema=False, dependencies=protected)
async def set_fact(request: Request) -> Response:
    _editable(request)
    form = await request.form()

    def text(name: str) -> str:
        value = form.get(name)
        return value.strip() if isinstance(value, str) else ""

    web = state(request)
    set_user_fact(
        user_facts_file(web.settings),
        text("key"),
        text("value"),
        text("applies_to"),
        text("source") or None,
        web.today(),
        text("note"),
    )
    _reload(request)
    return RedirectResponse("/facts", status_code=303)


@router.post("/facts/mine/remove", include_in_schema=False, dependencies=protected)
async def remove_fact(request: Request) -> Response:
    _editable(request)
    form = await request.form()
    key, scope = form.get("key"), form.get("applies_to")
    if not isinstance(key, str) or not key.strip():
        raise InputError(Problem("which fact? (key)"))
    web = state(request)
    unset_user_fact(
        user_facts_file(web.settings),
        key.strip(),
        scope.strip() if isinstance(scope, str) and scope.strip() else None,
    )
    _reload(request)
    return RedirectResponse("/facts", status_code=303)
