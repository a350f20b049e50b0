"""Who is asking: one local owner, or (multi-user) the account of a valid session cookie."""

from __future__ import annotations

import time

from fastapi import Request
from fastapi.responses import Response

from matchready.errors import MatchreadyError

SESSION_COOKIE = "matchready_session"
SESSION_SECONDS = 14 * 24 * 3600


class LoginRequired(MatchreadyError):
    """No valid session: pages redirect to the login page, the API answers 401."""

    def __init__(self) -> None:
        super().__init__("log in first")


def session_account(request: Request) -> str | None:
    """The account id of this request's session, if it is valid and not expired."""
    web = request.app.state.web
    if web.sessions is None:
        return None
    session_id = request.cookies.get(SESSION_COOKIE)
    if not session_id:
        return None
    account_id: str | None = web.sessions.account_of(session_id, time.time())
    return account_id


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
