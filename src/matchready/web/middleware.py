"""The web app's boundary, built once for every route (decision 0003).

Outermost first, as `install` adds them:

    SecurityHeaders   CSP (no inline script), nosniff, frame-ancestors, Referrer-Policy,
                      Cache-Control: no-store on every page but static files, HSTS over HTTPS
    TrustedHosts      answers only the Host names it serves (local mode: loopback names and
                      what `--host` names), so a DNS-rebinding page cannot reach the app
    SameOrigin        every unsafe method must come from this origin (Sec-Fetch-Site, else
                      Origin, as datasette checks); non-browser clients send neither
    RequestGuard      NUL bytes in the path, query or body, oversized bodies and over-long form
                      fields become 4xx before a route or the database sees them

Each answers a refusal in the app's one error shape (JSON under /api/, HTML elsewhere).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from fastapi import FastAPI
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from matchready.errors import Location, Problem

Refusal = Callable[[Request, int, str, list[Problem]], Response]

LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "[::1]")
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
CSP = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "object-src 'none'",
    ]
)
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
]
HSTS = (b"strict-transport-security", b"max-age=31536000; includeSubDomains")
NO_STORE = (b"cache-control", b"no-store")
CACHEABLE_PREFIXES = ("/static/", "/favicon.ico")

MAX_FORM_BYTES = 256 * 1024
"""An url-encoded form or a JSON body (the profile is the largest, a few KiB)."""
MAX_UPLOAD_BYTES = 6 * 1024 * 1024
"""A multipart upload (a document of up to 5 MB, a profile or tracker file)."""


def host_name(header: str) -> str:
    """The host of a Host header, without the port (`[::1]:8000` -> `[::1]`), lower-case."""
    header = header.strip().lower()
    if header.startswith("["):
        end = header.find("]")
        return header[: end + 1] if end > 0 else ""
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


def allowed_hosts(listen_host: str | None, extra: Iterable[str] = ()) -> list[str]:
    """The Host names the app answers: loopback names, the address it listens on (an IPv6
    address in brackets) and any configured names."""
    names = list(LOOPBACK_HOSTS)
    candidates = [listen_host or "", *extra]
    for name in (c.strip().lower() for c in candidates):
        if not name or name in ("0.0.0.0", "::"):
            continue
        if ":" in name and not name.startswith("["):
            name = f"[{name}]"
        if name not in names:
            names.append(name)
    return names


def _header(scope: Scope, name: bytes) -> str:
    for key, value in scope.get("headers") or []:
        if key == name:
            return bytes(value).decode("latin-1")
    return ""


class SecurityHeaders:
    """Adds the security headers to every response (error pages and static files too)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = list(HEADERS)
        if scope.get("scheme") == "https":
            extra.append(HSTS)
        personal = not str(scope.get("path", "")).startswith(CACHEABLE_PREFIXES)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [
                    (k, v)
                    for k, v in message.get("headers", [])
                    if not (personal and k.lower() in (b"cache-control", b"expires"))
                ]
                headers += extra
                if personal:
                    headers.append(NO_STORE)
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


class TrustedHosts:
    """Refuses (400) a request whose Host header is not one the app serves."""

    def __init__(self, app: ASGIApp, hosts: Iterable[str]) -> None:
        self.app = app
        self.hosts = frozenset(h.lower() for h in hosts)
        self.any = "*" in self.hosts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket") or self.any:
            await self.app(scope, receive, send)
            return
        if host_name(_header(scope, b"host")) not in self.hosts:
            response = PlainTextResponse("Invalid host header", status_code=400)
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)


class SameOrigin:
    """An unsafe method (POST, PUT, PATCH, DELETE) from a browser must come from this site:
    `Sec-Fetch-Site` must be same-origin (or none: typed by the user), else `Origin` must be
    this origin. Requests with neither header come from non-browser clients, which a
    cross-site page cannot drive."""

    def __init__(self, app: ASGIApp, refuse: Refusal) -> None:
        self.app = app
        self.refuse = refuse

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in UNSAFE_METHODS:
            await self.app(scope, receive, send)
            return
        site = _header(scope, b"sec-fetch-site").lower()
        origin = _header(scope, b"origin")
        if site:
            ok = site in ("same-origin", "none")
        elif origin:
            parts = urlsplit(origin)
            scheme = scope.get("scheme", "http")
            ok = parts.scheme == scheme and parts.netloc.lower() == (
                _header(scope, b"host").lower()
            )
        else:
            ok = True
        if not ok:
            message = "this form was sent from another site; open matchready and try again"
            response = self.refuse(Request(scope), 403, "Forbidden", [Problem(message)])
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)


def _nul_fields(data: Any, path: str = "") -> list[str]:
    """The paths of the strings in parsed JSON that hold a NUL character."""
    if isinstance(data, str):
        return [path or "body"] if "\x00" in data else []
    if isinstance(data, Mapping):
        found = [p for k, v in data.items() for p in _nul_fields(v, f"{path}.{k}" if path else k)]
        return found + [path or "body" for k in data if "\x00" in str(k)]
    if isinstance(data, list):
        return [p for i, v in enumerate(data) for p in _nul_fields(v, f"{path}.{i}")]
    return []


NUL_MESSAGE = "contains a NUL character, which text may not hold; remove it"
"""Also in web/limits.py, which checks form fields; this module checks the rest."""


class RequestGuard:
    """Refuses NUL characters (the path, the query, JSON bodies), bodies over their size limit
    (413), and url-encoded form fields that `check_fields` refuses (422: NUL characters, more
    characters than the field's limit). The body of a form or JSON request is read here once
    and replayed to the route; a multipart body is streamed, capped at its limit."""

    def __init__(
        self,
        app: ASGIApp,
        refuse: Refusal,
        check_fields: Callable[[list[tuple[str, str]]], list[Problem]],
    ) -> None:
        self.app = app
        self.refuse = refuse
        self.check_fields = check_fields

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        path = str(scope.get("path", ""))
        query = bytes(scope.get("query_string") or b"")
        if "\x00" in path or b"%00" in query.lower() or b"\x00" in query:
            problem = Problem(NUL_MESSAGE, Location(field="address"))
            await self.refuse(request, 400, "Bad request", [problem])(scope, receive, send)
            return
        content_type = _header(scope, b"content-type").split(";")[0].strip().lower()
        multipart = content_type == "multipart/form-data"
        limit = MAX_UPLOAD_BYTES if multipart else MAX_FORM_BYTES
        declared = _header(scope, b"content-length")
        if declared.isdigit() and int(declared) > limit:
            await self._too_large(request, limit, scope, receive, send)
            return
        if multipart:
            await self.app(scope, _capped(receive, limit), send)
            return
        if scope["method"] not in UNSAFE_METHODS:
            await self.app(scope, receive, send)
            return
        body = bytearray()
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body += message.get("body", b"")
            if len(body) > limit:
                await self._too_large(request, limit, scope, receive, send)
                return
            if not message.get("more_body"):
                break
        problems = self._problems(content_type, bytes(body))
        if problems:
            await self.refuse(request, 422, "Invalid input", problems)(scope, receive, send)
            return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": bytes(body), "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    def _problems(self, content_type: str, body: bytes) -> list[Problem]:
        if content_type == "application/x-www-form-urlencoded":
            text = body.decode("utf-8", errors="replace")
            pairs = parse_qsl(text, keep_blank_values=True, errors="replace")
            return self.check_fields(pairs)
        if content_type == "application/json" and (b"\\u0000" in body or b"\x00" in body):
            try:
                data = json.loads(body)
            except ValueError:
                return []  # the route answers 422 for malformed JSON
            return [Problem(NUL_MESSAGE, Location(field=p)) for p in _nul_fields(data)]
        return []

    async def _too_large(
        self, request: Request, limit: int, scope: Scope, receive: Receive, send: Send
    ) -> None:
        problem = Problem(f"the request is larger than {limit // 1024:,} KiB")
        await self.refuse(request, 413, "Request too large", [problem])(scope, receive, send)


class BodyTooLarge(Exception):
    """A streamed body went over its limit (answered 413 by the error handlers)."""


def _capped(receive: Receive, limit: int) -> Receive:
    seen = 0

    async def capped() -> Message:
        nonlocal seen
        message = await receive()
        seen += len(message.get("body", b""))
        if seen > limit:
            raise BodyTooLarge(f"the request is larger than {limit // 1024:,} KiB")
        return message

    return capped


def install(
    app: FastAPI,
    *,
    hosts: Iterable[str],
    refuse: Refusal,
    check_fields: Callable[[list[tuple[str, str]]], list[Problem]],
) -> None:
    """Add the boundary to `app` (added last runs first: SecurityHeaders is outermost)."""
    app.add_middleware(RequestGuard, refuse=refuse, check_fields=check_fields)
    app.add_middleware(SameOrigin, refuse=refuse)
    app.add_middleware(TrustedHosts, hosts=list(hosts))
    app.add_middleware(SecurityHeaders)
