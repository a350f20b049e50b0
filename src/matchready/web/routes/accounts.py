"""Log in, register, log out and redeem an admin-issued password reset (multi-user mode).

Password hashing (argon2, about 0.1 s) runs in the thread pool, never on the event loop. The
rate limits are kept in the database (services/accounts.RateLimiter), so they hold across
worker processes: per account and address, per address (spraying), per account (many
addresses), and per known browser, which keeps the right password working for its owner
while others fail on the account.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from matchready.errors import InputError
from matchready.services.accounts import (
    BAD_RESET,
    LOGIN_ACCOUNT,
    LOGIN_ACCOUNT_ADDRESS,
    LOGIN_ADDRESS,
    LOGIN_DEVICE,
    REGISTER_ADDRESS,
    RESET_ADDRESS,
    TooManyAttempts,
    authenticate,
    normal_email,
    register,
    reset_account,
    reset_password,
)
from matchready.web.auth import (
    client_address,
    end_session,
    known_device,
    remember_device,
    safe_next,
    start_session,
)
from matchready.web.csrf import require_token
from matchready.web.routes.common import page
from matchready.web.state import state

router = APIRouter(include_in_schema=False)
protected = [Depends(require_token)]


async def _fields(request: Request) -> dict[str, str]:
    form = await request.form()
    return {k: v for k, v in form.items() if isinstance(v, str)}


def _too_many(
    request: Request, name: str, context: dict[str, Any], error: TooManyAttempts
) -> Response:
    response = page(request, name, {**context, "error": str(error)}, status=429)
    response.headers["retry-after"] = str(error.retry_after)
    return response


@router.get("/login")
async def login_page(request: Request) -> Response:
    return page(request, "login.html", {"next": safe_next(request.query_params.get("next"))})


@router.post("/login", dependencies=protected)
async def login(request: Request) -> Response:
    fields = await _fields(request)
    email = normal_email(fields.get("email", ""))
    web = state(request)
    address = client_address(request)
    target = safe_next(fields.get("next"))
    context = {"next": target, "email": email}
    device = known_device(request, email)
    if device is not None:
        checks = [(LOGIN_DEVICE, device)]
    else:
        checks = [
            (LOGIN_ACCOUNT_ADDRESS, f"{address}|{email}"),
            (LOGIN_ADDRESS, address),
            (LOGIN_ACCOUNT, email),
        ]
    try:
        attempt = await run_in_threadpool(web.limiter.begin, checks, None, checks[:1])
    except TooManyAttempts as error:
        return _too_many(request, "login.html", context, error)
    assert web.accounts is not None
    account = await run_in_threadpool(
        authenticate, web.accounts, email, fields.get("password", "")
    )
    if account is None:
        context["error"] = "the email or the password is wrong"
        return page(request, "login.html", context, status=401)
    await run_in_threadpool(attempt.succeeded)
    response = RedirectResponse(target, status_code=303)
    start_session(request, response, account.id)
    remember_device(request, response, account.email)
    return response


@router.get("/register")
async def register_page(request: Request) -> Response:
    return page(request, "register.html", {"errors": {}})


@router.post("/register", dependencies=protected)
async def register_account(request: Request) -> Response:
    fields = await _fields(request)
    web = state(request)
    assert web.accounts is not None
    email = fields.get("email", "")
    try:
        await run_in_threadpool(web.limiter.begin, [(REGISTER_ADDRESS, client_address(request))])
        account = await run_in_threadpool(
            register, web.accounts, email, fields.get("password", "")
        )
    except TooManyAttempts as error:
        return _too_many(request, "register.html", {"errors": {}, "email": email}, error)
    except InputError as error:
        errors = {p.location.field or "_form": p.message for p in error.problems}
        return page(request, "register.html", {"errors": errors, "email": email}, status=422)
    response = RedirectResponse("/profile", status_code=303)
    start_session(request, response, account.id)
    return response


@router.post("/logout", dependencies=protected)
async def logout(request: Request) -> Response:
    response = RedirectResponse("/login", status_code=303)
    end_session(request, response)
    return response


@router.get("/reset/{token}")
async def reset_page(request: Request, token: str) -> Response:
    web = state(request)
    assert web.accounts is not None
    account = await run_in_threadpool(reset_account, web.accounts, token)
    if account is None:
        return page(request, "reset.html", {"errors": {"_form": BAD_RESET}}, status=404)
    return page(request, "reset.html", {"errors": {}, "email": account.email})


@router.post("/reset/{token}", dependencies=protected)
async def reset_save(request: Request, token: str) -> Response:
    fields = await _fields(request)
    web = state(request)
    assert web.accounts is not None and web.sessions is not None
    try:
        await run_in_threadpool(web.limiter.begin, [(RESET_ADDRESS, client_address(request))])
        account = await run_in_threadpool(
            reset_password, web.accounts, web.sessions, token, fields.get("password", "")
        )
    except TooManyAttempts as error:
        return _too_many(request, "reset.html", {"errors": {}}, error)
    except InputError as error:
        errors = {p.location.field or "_form": p.message for p in error.problems}
        if "token" in errors:
            errors["_form"] = errors.pop("token")
        return page(request, "reset.html", {"errors": errors}, status=422)
    response = RedirectResponse("/profile", status_code=303)
    start_session(request, response, account.id)
    remember_device(request, response, account.email)
    return response
