"""The web application factory. `create_app()` builds it; nothing is built at import time."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path

import anyio.to_thread
from fastapi import Depends, FastAPI
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles
from fastapi.telemetry import TelemetryConfig
from fastapi.templating import Jinja2Templates

from matchready import __version__
from matchready.bootstrap import bootstrap
from matchready.domain.facts import Facts
from matchready.domain.requirements import format_value
from matchready.io.secret import load_or_create_secret
from matchready.services.accounts import (
    AccountStore,
    AttemptStore,
    MemoryAttemptStore,
    RateLimiter,
    SessionStore,
)
from matchready.services.ports import UnitOfWork
from matchready.services.profiles import ProfileStore
from matchready.settings import Settings
from matchready.web import charts, errors, middleware
from matchready.web.csrf import CSRFMiddleware, token_of
from matchready.web.limits import text_problems
from matchready.web.links import safe_url, source_link, words
from matchready.web.program_names import program_briefs
from matchready.web.state import WebState, require_owner

NO_TELEMETRY: TelemetryConfig = {
    "tracing": False,
    "metrics": False,
    "logs": False,
    "operation_spans": False,
    "auto_configure": False,
}
"""FastAPI's OpenTelemetry hooks, all off: applicants' requests are never traced, counted or
exported, whatever OpenTelemetry providers or `FASTAPI_OTEL_*` variables the host has."""


def _folder(name: str) -> Path:
    return Path(str(resources.files("matchready.web") / name))


def create_app(
    settings: Settings | None = None,
    *,
    facts: Facts | None = None,
    profiles: ProfileStore | None = None,
    accounts: AccountStore | None = None,
    sessions: SessionStore | None = None,
    attempts: AttemptStore | None = None,
    units: Callable[[], UnitOfWork] | None = None,
) -> FastAPI:
    """The FastAPI app. Local single-user mode by default; with `accounts` and `sessions`,
    multi-user mode: every page but login and registration needs a session, and each account
    sees only its own data. The boundary (web/middleware.py) wraps every route in both modes:
    Host check, same-origin check of unsafe methods, security headers, request limits; forms
    also carry a CSRF token tied to the session."""
    runtime = bootstrap(
        settings,
        facts=facts,
        profiles=profiles,
        units=units,
        accounts=accounts,
        sessions=sessions,
        attempts=attempts,
    )
    settings = runtime.settings

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if settings.warm_start:  # before the first request is accepted
            await anyio.to_thread.run_sync(app.state.web.programs)
        yield
        runtime.close()

    app = FastAPI(
        title="matchready",
        version=__version__,
        docs_url=None,  # Swagger UI would load from a CDN; the schema is at /openapi.json
        redoc_url=None,
        lifespan=lifespan,
        telemetry=NO_TELEMETRY,
    )
    app.state.web = WebState(
        facts=runtime.facts,
        profiles=runtime.profiles,
        settings=settings,
        accounts=runtime.accounts,
        sessions=runtime.sessions,
        limiter=RateLimiter(runtime.attempts or MemoryAttemptStore()),
        units=runtime.units,
        standing=runtime.standing,
        clock=runtime.clock,
    )
    templates = Jinja2Templates(directory=str(_folder("templates")))
    templates.env.auto_reload = False  # templates ship with the package; no stat per request
    templates.env.globals["csrftoken"] = token_of
    templates.env.filters["requirement_value"] = lambda value: format_value(value) or "unknown"
    templates.env.filters["safe_url"] = safe_url
    templates.env.filters["source_link"] = source_link
    templates.env.filters["words"] = words
    templates.env.globals["program_briefs"] = program_briefs
    templates.env.globals.update(
        specialty_rates=charts.specialty_rates,
        specialty_scores=charts.specialty_scores,
        cost_items=charts.cost_items,
        calendar_timeline=charts.calendar_timeline,
    )
    app.state.templates = templates
    app.state.form_cache = {}
    app.mount("/static", StaticFiles(directory=str(_folder("static"))), name="static")
    icon = (_folder("static") / "favicon.ico").read_bytes()

    @app.get("/favicon.ico", include_in_schema=False)
    async def favicon() -> Response:
        return Response(
            icon, media_type="image/x-icon", headers={"cache-control": "max-age=86400"}
        )

    errors.install(app)

    from matchready.web.routes import accounts as account_routes
    from matchready.web.routes import (
        api,
        cycle,
        pages,
        program_import,
        program_search,
        programs_api,
    )
    from matchready.web.routes import facts as facts_routes
    from matchready.web.routes import programs as program_routes
    from matchready.web.routes import tracker as tracker_routes

    signed_in = [Depends(require_owner)]
    if runtime.multi_user:
        app.include_router(account_routes.router)
    app.include_router(pages.router, dependencies=signed_in)
    if not runtime.multi_user:  # shared programs: in server mode an administrator imports
        app.include_router(program_import.router, dependencies=signed_in)
    app.include_router(program_search.router, dependencies=signed_in)
    app.include_router(program_routes.router, dependencies=signed_in)
    app.include_router(cycle.pages, dependencies=signed_in)
    app.include_router(tracker_routes.router, dependencies=signed_in)
    app.include_router(facts_routes.router, dependencies=signed_in)
    app.include_router(api.router, prefix="/api", dependencies=signed_in)
    app.include_router(cycle.api, prefix="/api", dependencies=signed_in)
    app.include_router(programs_api.router, prefix="/api", dependencies=signed_in)
    secret = settings.secret_key or load_or_create_secret(settings.data_dir / "secret.key")
    app.state.csrf_secret = secret.encode()
    app.add_middleware(CSRFMiddleware, secret=secret, secure=runtime.multi_user)
    hosts = middleware.allowed_hosts(settings.host, settings.allowed_hosts)
    middleware.install(app, hosts=hosts, refuse=errors.refuse, check_fields=text_problems)
    return app
