"""Who is asking: one local owner, or (multi-user) the account of a valid session cookie."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time

from fastapi import Request
from fastapi.responses import Response

from matchready.errors import MatchreadyError
from matchready.store.standing import NOBODY, Standing

SESSION_COOKIE = "matchready_session"
SESSION_SECONDS = 14 * 24 * 3600
DEVICE_COOKIE = "matchready_device"
DEVICE_SECONDS = 365 * 24 * 3600
_ACCOUNT_KEY = "matchready.account"
_STANDING_KEY = "matchready.standing"


class LoginRequired(MatchreadyError):
    """No valid session: pages redirect to the login page, the API answers 401."""

    def __init__(self) -> None:
        super().__init__("log in first")


def session_account(request: Request) -> str | None:
    """The account id of this request's session, if it is valid and not expired. Looked up
    once per request (the navigation, the owner and the editor all ask)."""
    if _ACCOUNT_KEY in request.scope:
        known: str | None = request.scope[_ACCOUNT_KEY]
        return known
    web = request.app.state.web
    account_id: str | None = None
    session_id = request.cookies.get(SESSION_COOKIE)
    if web.sessions is not None and session_id:
        if web.standing is not None:  # the session, its profile and tracker in one read
            found = web.standing.of_session(session_id, time.time())
            request.scope[_STANDING_KEY] = found
            account_id = found.account
        else:
            account_id = web.sessions.account_of(session_id, time.time())
    request.scope[_ACCOUNT_KEY] = account_id
    return account_id


def session_standing(request: Request) -> Standing | None:
    """What the session lookup read with the account (its profile text, its tracker's
    revision), or None when the app reads them one by one (stores passed in, local mode)."""
    if request.app.state.web.sessions is None:
        return None
    session_account(request)
    found: Standing | None = request.scope.get(_STANDING_KEY)
    if found is None and request.app.state.web.standing is not None:
        return NOBODY  # no session cookie: nobody
    return found


def client_address(request: Request) -> str:
    """The peer address of the connection. `matchready serve` trusts no X-Forwarded-For
    unless it is told which proxy sends it (`--proxy`), so a client cannot pick its own."""
    return request.client.host if request.client else "unknown"


def _device_signature(request: Request, nonce: str, email: str) -> str:
    secret: bytes = request.app.state.csrf_secret
    message = f"device|{nonce}|{email}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()[:32]


def known_device(request: Request, email: str) -> str | None:
    """The id of this browser if it logged in to `email` before (a signed cookie), else None."""
    nonce, _, signature = request.cookies.get(DEVICE_COOKIE, "").partition(".")
    if nonce and hmac.compare_digest(signature, _device_signature(request, nonce, email)):
        return nonce
    return None


def remember_device(request: Request, response: Response, email: str) -> None:
    nonce = known_device(request, email) or secrets.token_urlsafe(16)
    response.set_cookie(
        DEVICE_COOKIE,
        f"{nonce}.{_device_signature(request, nonce, email)}",
        max_age=DEVICE_SECONDS,
        httponly=True,
        secure=True,
        samesite="strict",
    )


def start_session(request: Request, response: Response, account_id: str) -> None:
    """A fresh session id for every login (no fixation), in a Secure, HttpOnly cookie."""
    web = request.app.state.web
    old = request.cookies.get(SESSION_COOKIE)
    if old:
        web.sessions.delete(old)
    session_id = web.sessions.create(account_id, time.time() + SESSION_SECONDS)
    response.set_cookie(
        SESSION_COOKIE,
        session_id,
        max_age=SESSION_SECONDS,
        httponly=True,
        secure=True,
        samesite="lax",
    )


def end_session(request: Request, response: Response) -> None:
    session_id = request.cookies.get(SESSION_COOKIE)
    if session_id:
        request.app.state.web.sessions.delete(session_id)
    response.delete_cookie(SESSION_COOKIE, httponly=True, secure=True, samesite="lax")


def safe_next(target: str | None) -> str:
    """Only a path on this site may follow a login (no open redirect)."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"
