"""User-facing settings, in one typed class read from `MATCHREADY_*` environment variables.

Build them with `get_settings()` when needed; nothing is read at import time. A value passed
in wins over the environment, the environment over the default; a list is given as JSON. (A
plain pydantic model reads the environment itself: pydantic-settings, which did this before,
imports asyncio and more, a quarter of `matchready plan`'s start.)
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, get_origin

import platformdirs
from pydantic import BaseModel, ConfigDict, Field, model_validator

APP_NAME = "matchready"
PREFIX = "MATCHREADY_"


def default_data_dir() -> Path:
    """The per-user data directory (created on first use by whoever writes there)."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


class Settings(BaseModel):
    """Every setting a user may change. Documented in docs/settings.md (checked by a test)."""

    model_config = ConfigDict(extra="ignore")

    @model_validator(mode="before")
    @classmethod
    def _environment(cls, data: Any) -> Any:
        """The settings not passed in, from `MATCHREADY_<NAME>` (lists as JSON)."""
        given = dict(data) if isinstance(data, Mapping) else {}
        for name, info in cls.model_fields.items():
            raw = os.environ.get(f"{PREFIX}{name.upper()}")
            if name in given or raw is None:
                continue
            if get_origin(info.annotation) is list:
                try:
                    given[name] = json.loads(raw)
                except json.JSONDecodeError:
                    raise ValueError(f"{PREFIX}{name.upper()} must be a JSON list") from None
            else:
                given[name] = raw
        return given

    data_dir: Path = Field(
        default_factory=default_data_dir,
        description="Where matchready keeps its database and files (MATCHREADY_DATA_DIR).",
    )
    database_url: str | None = Field(
        default=None,
        description=(
            "SQLAlchemy URL of the database (MATCHREADY_DATABASE_URL); by default a SQLite "
            "file `matchready.sqlite3` in the data directory. Use postgresql+psycopg://... "
            "for a shared server."
        ),
    )

    secret_key: str | None = Field(
        default=None,
        description=(
            "Secret that signs the web app's security tokens (MATCHREADY_SECRET_KEY); when "
            "unset, a random one kept in the data directory (file secret.key, mode 600)."
        ),
    )
    multi_user: bool = Field(
        default=False,
        description=(
            "Serve many users with accounts (MATCHREADY_MULTI_USER); needs "
            "MATCHREADY_DATABASE_URL, normally PostgreSQL."
        ),
    )

    host: str | None = Field(
        default=None,
        description=(
            "The address the web server listens on (MATCHREADY_HOST; `matchready serve --host` "
            "sets it); the app answers requests whose Host header names it or a loopback name."
        ),
    )
    allowed_hosts: list[str] = Field(
        default_factory=list,
        description=(
            "More host names the web app answers (MATCHREADY_ALLOWED_HOSTS, a JSON list such as "
            '["matchready.example.org"]): the public name behind a reverse proxy. Requests '
            "naming any other Host get 400, which stops DNS-rebinding pages."
        ),
    )

    warm_start: bool = Field(
        default=False,
        description=(
            "Build the program table while the web server starts, so the first page does not "
            "wait for it (MATCHREADY_WARM_START; `matchready serve` sets it)."
        ),
    )

    def resolved_database_url(self) -> str:
        """The database URL to use: the configured one, or SQLite in the data directory."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'matchready.sqlite3'}"


def get_settings() -> Settings:
    """Read the settings from the environment now."""
    return Settings()
