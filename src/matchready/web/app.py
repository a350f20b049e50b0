"""The web application factory. `create_app()` builds it; nothing is built at import time."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from matchready import __version__
from matchready.data import load_facts
from matchready.domain.facts import Facts
from matchready.io.profile_store import FileProfileStore
from matchready.services.profiles import ProfileStore
from matchready.settings import Settings, get_settings
from matchready.web import errors
from matchready.web.csrf import CSRFMiddleware, token_of
from matchready.web.nav import NAV

LOCAL_OWNER = "local"


@dataclass
class WebState:
    """What the routes need, set once when the app is built."""

    facts: Facts
    profiles: ProfileStore
    settings: Settings
    nav: list[tuple[str, str]] = field(default_factory=lambda: list(NAV))


def _folder(name: str) -> Path:
    return Path(str(resources.files("matchready.web") / name))


def create_app(
    settings: Settings | None = None,
    *,
    facts: Facts | None = None,
    profiles: ProfileStore | None = None,
) -> FastAPI:
    """The FastAPI app in local single-user mode (CSRF-protected forms)."""
    settings = settings or get_settings()
    app = FastAPI(
        title="matchready",
        version=__version__,
        docs_url=None,  # Swagger UI would load from a CDN; the schema is at /openapi.json
        redoc_url=None,
    )
    app.state.web = WebState(
        facts=facts or load_facts(),
        profiles=profiles or FileProfileStore(settings.data_dir / "profiles"),
        settings=settings,
    )
    templates = Jinja2Templates(directory=str(_folder("templates")))
    templates.env.globals["csrftoken"] = token_of
    app.state.templates = templates
    app.state.form_cache = {}
    app.mount("/static", StaticFiles(directory=str(_folder("static"))), name="static")
    errors.install(app)

    from matchready.web.routes import api, pages

    app.include_router(pages.router)
    app.include_router(api.router, prefix="/api")
    secret = settings.secret_key or secrets.token_hex(32)
    app.state.csrf_secret = secret.encode()
    app.add_middleware(CSRFMiddleware, secret=secret)
    return app
