"""Engines and migrations: open the configured database and bring it to the latest schema."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from matchready.errors import StoreError

MIGRATIONS = Path(__file__).parent / "migrations"


def _enable_sqlite_foreign_keys(dbapi_connection: object, _record: object) -> None:
    """Foreign keys on, and write-ahead logging so the web app reads while a write runs."""
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


WEB_THREADS = 40
"""The web server runs sync routes on a pool of up to 40 threads (AnyIO's default); the
connection pool must let each of them hold a connection, or requests queue and time out."""


def _pool_options(parsed: URL) -> dict[str, int]:
    if parsed.get_backend_name() == "sqlite" and parsed.database in (None, "", ":memory:"):
        return {}  # an in-memory database uses a single shared connection
    return {"pool_size": 10, "max_overflow": WEB_THREADS - 10}


def create_database_engine(url: str) -> Engine:
    """An engine for a URL; a SQLite file's directory is created when missing."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        Path(parsed.database or "").parent.mkdir(parents=True, exist_ok=True)
    try:
        engine = create_engine(url, **_pool_options(parsed))
    except (SQLAlchemyError, ImportError) as error:
        raise StoreError(f"cannot open the database {parsed!r}: {error}") from error
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _enable_sqlite_foreign_keys)
    return engine


def alembic_config() -> Config:
    """The Alembic configuration pointing at the migrations shipped in the package."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def migrate(engine: Engine, revision: str = "head") -> None:
    """Upgrade the database to a revision (the latest by default), in one transaction."""
    config = alembic_config()
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
    except SQLAlchemyError as error:
        raise StoreError(f"cannot migrate the database: {error}") from error


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One unit of work: committed if the block succeeds, rolled back if it raises."""
    with factory() as session, session.begin():
        yield session


def open_database(url: str) -> tuple[Engine, sessionmaker[Session]]:
    """Open a database, migrating it to the latest schema; the caller disposes the engine."""
    engine = create_database_engine(url)
    migrate(engine)
    return engine, sessionmaker(engine, expire_on_commit=False)
