"""The Import page (local mode): a program file (the template CSV/XLSX, the NRMP codes list or
an ACGME export) uploaded and imported by the same service as `matchready programs import`.

Server mode has no such page: the program store is shared by every account, so an
administrator imports with the command line. The import runs off the event loop (it parses and
writes thousands of rows in one transaction).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from matchready.errors import InputError, Problem
from matchready.services.programs import ImportSummary, import_programs
from matchready.web.csrf import require_token
from matchready.web.middleware import MAX_UPLOAD_BYTES
from matchready.web.routes.common import page, store_units
from matchready.web.state import actor, state

router = APIRouter(include_in_schema=False)
SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".json")
MAX_FILE = MAX_UPLOAD_BYTES - 64 * 1024  # the form's other parts fit in the rest


def _page(
    request: Request,
    summary: ImportSummary | None = None,
    problems: list[Problem] | None = None,
    status: int = 200,
) -> Response:
    context = {
        "summary": summary,
        "problems": [str(p) for p in problems or []],
        "suffixes": SUFFIXES,
        "max_mb": MAX_FILE // (1024 * 1024),
        "total_programs": len(state(request).programs().table.programs),
    }
    return page(request, "program_import.html", context, status)


@router.get("/programs/import")
async def import_page(request: Request) -> Response:
    return _page(request)


@router.post("/programs/import", dependencies=[Depends(require_token)])
async def import_file(request: Request) -> Response:
    async with request.form() as form:  # closes the uploaded file's spool
        return await _import(request, form.get("file"), form.get("check_only") == "yes")


async def _import(request: Request, upload: object, check_only: bool) -> Response:
    name = Path(upload.filename or "").name if isinstance(upload, UploadFile) else ""
    suffix = Path(name).suffix.lower()
    if not isinstance(upload, UploadFile) or not name:
        return _page(request, problems=[Problem("choose a file to import")], status=422)
    if suffix not in SUFFIXES:
        shown = ", ".join(SUFFIXES)
        problem = Problem(
            f"{name}: import a {shown} file (this one ends in {suffix or 'nothing'})"
        )
        return _page(request, problems=[problem], status=422)
    data = await upload.read(MAX_FILE + 1)
    if len(data) > MAX_FILE:
        problem = Problem(
            f"{name}: larger than {MAX_FILE // (1024 * 1024)} MB; import it with "
            "matchready programs import FILE"
        )
        return _page(request, problems=[problem], status=413)

    def run() -> ImportSummary:
        with tempfile.TemporaryDirectory(prefix="matchready-import-") as folder:
            path = Path(folder) / name  # the file's own name, so messages name it
            path.write_bytes(data)
            return import_programs(
                store_units(request), path, changed_by=actor(request).name, dry_run=check_only
            )

    try:
        summary = await run_in_threadpool(run)
    except InputError as error:
        return _page(request, problems=list(error.problems), status=422)
    if not summary.dry_run:
        state(request).programs_changed()
    return _page(request, summary=summary)
