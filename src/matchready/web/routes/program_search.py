"""Find a program by name (the tracker's search box): a GET form over the program store, each
match with its codes and a button that tracks it. Works without JavaScript."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from matchready.domain.program_search import label, search_programs
from matchready.web.filters import QueryForm
from matchready.web.routes.common import page
from matchready.web.state import state

router = APIRouter(include_in_schema=False)
MAX_QUERY = 100


@router.get("/programs/search")
async def search_page(request: Request) -> Response:
    form = QueryForm(request)
    text = form.text("q", MAX_QUERY)
    table = state(request).programs().table
    found = search_programs(table.programs, text) if text else []
    context = {
        "q": text,
        "form": form,
        "found": [(f, label(f.program)) for f in found],
        "total_programs": len(table.programs),
    }
    return page(request, "program_search.html", context, form.status)
