"""Log in, register and log out (multi-user mode only)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from matchready.errors import InputError
from matchready.services.accounts import TooManyAttempts, authenticate, normal_email, register
from matchready.web.auth import end_session, safe_next, start_session
from matchready.web.csrf import require_token
from matchready.web.routes.common import page
from matchready.web.state import state

router = APIRouter(include_in_schema=False)
protected = [Depends(require_token)]


async def _fields(request: Request) -> dict[str, str]:
    form = await request.form()
    return {k: v for k, v in form.items() if isinstance(v, str)}


@router.get("/login")
async def login_page(request: Request) -> Response:
    return page(request, "login.html", {"next": safe_next(request.query_params.get("next"))})


@router.post("/login", dependencies=protected)
async def login(request: Request) -> Response:
    fields = await _fields(request)
    email = normal_email(fields.get("email", ""))
    web = state(request)
    key = f"{request.client.host if request.client else '?'}|{email}"
    target = safe_next(fields.get("next"))
    try:
        web.limiter.check(key)
    except TooManyAttempts as error:
        context = {"next": target, "email": email, "error": str(error)}
        response = page(request, "login.html", context, status=429)
        response.headers["retry-after"] = str(error.retry_after)
        return response
    assert web.accounts is not None
    account = authenticate(web.accounts, email, fields.get("password", ""))
    if account is None:
        web.limiter.failed(key)
        context = {"next": target, "email": email, "error": "the email or the password is wrong"}
        return page(request, "login.html", context, status=401)
    web.limiter.succeeded(key)
    response = RedirectResponse(target, status_code=303)
    start_session(request, response, account.id)
    return response


@router.get("/register")
async def register_page(request: Request) -> Response:
    return page(request, "register.html", {"errors": {}})


@router.post("/register", dependencies=protected)
async def register_account(request: Request) -> Response:
    fields = await _fields(request)
    web = state(request)
    assert web.accounts is not None
    try:
        account = register(web.accounts, fields.get("email", ""), fields.get("password", ""))
    except InputError as error:
        errors = {p.location.field or "_form": p.message for p in error.problems}
        context = {"errors": errors, "email": fields.get("email", "")}
        return page(request, "register.html", context, status=422)
    response = RedirectResponse("/profile", status_code=303)
    start_session(request, response, account.id)
    return response


@router.post("/logout", dependencies=protected)
async def logout(request: Request) -> Response:
    response = RedirectResponse("/login", status_code=303)
    end_session(request, response)
    return response
