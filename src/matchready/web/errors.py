"""One error shape for HTML and JSON: {"error": {"status", "title", "problems": [...]}}.

Routes under /api/ answer JSON; pages answer the same fields rendered as HTML, inside the
navigation. Expected errors become 4xx with their message. A database that cannot be reached
or that refuses a write is one 503 with `Retry-After` and a plain message; its details (the
statement, the values) go to the server log only. Anything unexpected is a 500 without
internals.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy.exc import SQLAlchemyError
from starlette.exceptions import HTTPException

from matchready.errors import (
    InputError,
    Location,
    MatchreadyError,
    NotAllowedError,
    NotFoundError,
    Problem,
    StoreError,
)
from matchready.web.auth import LoginRequired, session_account
from matchready.web.csrf import CSRFError
from matchready.web.middleware import HEADERS, NO_STORE, BodyTooLarge

log = logging.getLogger("matchready.web")


def payload(status: int, title: str, problems: list[Problem] | None = None) -> dict[str, Any]:
    return {
        "error": {
            "status": status,
            "title": title,
            "problems": [
                {"message": p.message, "where": str(p.location), "field": p.location.field}
                for p in problems or []
            ],
        }
    }


def wants_json(path: str, accept: str = "") -> bool:
    return path.startswith("/api/") or ("application/json" in accept and "text/html" not in accept)


RETRY_AFTER = 5
"""Seconds a client is asked to wait when the database is unavailable."""
UNAVAILABLE = (
    "the database is not available right now (nothing was changed); try again in a few seconds"
)


def render(request: Request, body: dict[str, Any]) -> Response:
    status = int(body["error"]["status"])
    if wants_json(request.url.path, request.headers.get("accept", "")):
        return JSONResponse(body, status_code=status)
    templates = request.app.state.templates
    web = request.app.state.web
    try:
        signed_in = web.multi_user and session_account(request) is not None
    except (StoreError, SQLAlchemyError):  # the error page must not need the database
        signed_in = False
    context = {
        "error": body["error"],
        "nav": web.nav if signed_in or not web.multi_user else [],
        "path": request.url.path,
        "multi_user": web.multi_user,
        "signed_in": signed_in,
    }
    response: Response = templates.TemplateResponse(
        request, "error.html", context, status_code=status
    )
    return response


def refuse(request: Request, status: int, title: str, problems: list[Problem]) -> Response:
    """The error shape for a request refused before any route ran (the middleware)."""
    return render(request, payload(status, title, problems))


def unavailable(request: Request, error: Exception) -> Response:
    """A 503 for a database failure: the details are logged, never shown."""
    log.warning("database unavailable on %s %s: %s", request.method, request.url.path, error)
    response = render(request, payload(503, "Service unavailable", [Problem(UNAVAILABLE)]))
    response.headers["retry-after"] = str(RETRY_AFTER)
    return response


def install(app: FastAPI) -> None:
    """Register the handlers that map every error to the one shape."""

    @app.exception_handler(InputError)
    async def _input(request: Request, error: InputError) -> Response:
        return render(request, payload(422, "Invalid input", list(error.problems)))

    @app.exception_handler(NotFoundError)
    async def _missing(request: Request, error: NotFoundError) -> Response:
        return render(request, payload(404, "Not found", [Problem(str(error))]))

    @app.exception_handler(NotAllowedError)
    async def _not_allowed(request: Request, error: NotAllowedError) -> Response:
        return render(request, payload(403, "Forbidden", [Problem(str(error))]))

    @app.exception_handler(LoginRequired)
    async def _login(request: Request, error: LoginRequired) -> Response:
        if wants_json(request.url.path, request.headers.get("accept", "")):
            return render(request, payload(401, "Unauthorized", [Problem(str(error))]))
        target = quote(request.url.path + (f"?{request.url.query}" if request.url.query else ""))
        return RedirectResponse(f"/login?next={target}", status_code=303)

    @app.exception_handler(CSRFError)
    async def _csrf(request: Request, error: CSRFError) -> Response:
        return render(request, payload(403, "Forbidden", [Problem(str(error))]))

    @app.exception_handler(StoreError)
    async def _store(request: Request, error: StoreError) -> Response:
        return unavailable(request, error)

    @app.exception_handler(SQLAlchemyError)
    async def _database(request: Request, error: SQLAlchemyError) -> Response:
        return unavailable(request, error)

    @app.exception_handler(BodyTooLarge)
    async def _large(request: Request, error: BodyTooLarge) -> Response:
        return render(request, payload(413, "Request too large", [Problem(str(error))]))

    @app.exception_handler(MatchreadyError)
    async def _ours(request: Request, error: MatchreadyError) -> Response:
        return render(request, payload(400, "Request failed", [Problem(str(error))]))

    @app.exception_handler(RequestValidationError)
    async def _request(request: Request, error: RequestValidationError) -> Response:
        problems = [
            Problem(
                str(item.get("msg", "invalid")),
                Location(field=".".join(str(p) for p in item.get("loc", ()))),
            )
            for item in error.errors()
        ]
        return render(request, payload(422, "Invalid request", problems))

    @app.exception_handler(HTTPException)
    async def _http(request: Request, error: HTTPException) -> Response:
        title = {404: "Not found", 405: "Method not allowed"}.get(error.status_code, "Error")
        return render(request, payload(error.status_code, title, [Problem(str(error.detail))]))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, _error: Exception) -> Response:
        log.exception("unexpected error on %s", request.url.path)
        response = render(request, payload(500, "Internal error", [Problem("unexpected error")]))
        # answered outside the middleware stack, so the boundary's headers are added here
        response.headers.update({k.decode(): v.decode() for k, v in (*HEADERS, NO_STORE)})
        return response
