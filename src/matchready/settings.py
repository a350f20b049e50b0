"""User-facing settings, in one typed class read from `MATCHREADY_*` environment variables.

Build them with `get_settings()` when needed; nothing is read at import time.
"""

from __future__ import annotations

from pathlib import Path

import platformdirs
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

APP_NAME = "matchready"


def default_data_dir() -> Path:
    """The per-user data directory (created on first use by whoever writes there)."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


class Settings(BaseSettings):
    """Every setting a user may change. Documented in docs/settings.md (checked by a test)."""

    model_config = SettingsConfigDict(env_prefix="MATCHREADY_", extra="ignore")

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
