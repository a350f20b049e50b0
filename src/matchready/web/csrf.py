"""CSRF protection by signed double-submit token, tied to the session.

Every unsafe request is first checked for a same-origin source (web/middleware.SameOrigin);
the token is the second line. A middleware gives every browser a random token signed together
with its session id (none before login) in a SameSite=Strict, HttpOnly cookie, and puts it in
the request scope; a token planted by someone else, or kept from before a login or logout, is
not valid for the current session and is replaced. Pages embed it in each form (and HTMX
sends it as a header). The
`require_token` dependency, on every form route, refuses an unsafe request whose form field or
`X-CSRFToken` header does not match the cookie. It runs even without cookies: in local mode
there is no login cookie, yet a page elsewhere could post a form to 127.0.0.1. The JSON API is
not a form target: FastAPI refuses JSON bodies without a JSON content type, which no cross-site
form can send.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from http.cookies import SimpleCookie
from typing import Any

from fastapi import Request

from matchready.errors import MatchreadyError
from matchready.web.auth import SESSION_COOKIE

COOKIE = "matchready_csrf"
FIELD = "csrftoken"
HEADER = "x-csrftoken"
SCOPE_KEY = "matchready.csrf"
Scope = dict[str, Any]


class CSRFError(MatchreadyError):
    """An unsafe request without a valid token (answered 403)."""


def _sign(secret: bytes, nonce: str, session: str) -> str:
    message = f"{nonce}|{session}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()[:32]


def new_token(secret: bytes, session: str = "") -> str:
    nonce = secrets.token_urlsafe(24)
    return f"{nonce}.{_sign(secret, nonce, session)}"


def valid(secret: bytes, token: str, session: str = "") -> bool:
    """Whether `token` was issued by this server for the session `session` ('' before login)."""
    nonce, _, signature = token.partition(".")
    return bool(nonce) and hmac.compare_digest(signature, _sign(secret, nonce, session))


def _session_of(jar: SimpleCookie) -> str:
    return jar[SESSION_COOKIE].value if SESSION_COOKIE in jar else ""


class CSRFMiddleware:
    """Issue (or keep) the token cookie and expose the token as scope[SCOPE_KEY]."""

    def __init__(self, app: Any, secret: str, secure: bool = False) -> None:
        self.app = app
        self.secret = secret.encode()
        self.secure = secure

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        jar: SimpleCookie = SimpleCookie()
        try:
            jar.load(headers.get(b"cookie", b"").decode("latin-1"))
        except Exception:  # a malformed Cookie header is treated as no cookie
            jar = SimpleCookie()
        current = jar[COOKIE].value if COOKIE in jar else ""
        session = _session_of(jar)
        fresh = not valid(self.secret, current, session)
        token = new_token(self.secret, session) if fresh else current
        scope = {**scope, SCOPE_KEY: token}

        async def send_with_cookie(event: dict[str, Any]) -> None:
            if fresh and event["type"] == "http.response.start":
                attrs = f"{COOKIE}={token}; Path=/; SameSite=Strict; HttpOnly"
                if self.secure:
                    attrs += "; Secure"
                event = {
                    **event,
                    "headers": [*event.get("headers", []), (b"set-cookie", attrs.encode())],
                }
            await send(event)

        await self.app(scope, receive, send_with_cookie)


def _cookie_token(request: Request) -> str:
    return request.cookies.get(COOKIE, "")


async def require_token(request: Request) -> None:
    """Dependency for form routes: the submitted token must equal the cookie's (and be signed)."""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    expected = _cookie_token(request)
    sent = request.headers.get(HEADER, "")
    if not sent:
        form = await request.form()  # parsed once; the route reads the cached form
        value = form.get(FIELD)
        sent = value if isinstance(value, str) else ""
    if not expected or not sent or not hmac.compare_digest(expected, sent):
        raise CSRFError(
            "the form's security token is missing or stale; reload the page and try again"
        )
    secret: bytes = request.app.state.csrf_secret
    if not valid(secret, expected, request.cookies.get(SESSION_COOKIE, "")):
        raise CSRFError("the security token was not issued by this server; reload the page")


def token_of(request: Request) -> str:
    """The token to embed in forms of this page."""
    return str(request.scope.get(SCOPE_KEY, ""))
