"""The unit of work on the configured database, opened (and migrated) on first use."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from matchready.settings import get_settings
from matchready.store.database import open_database
from matchready.store.sql import SqlUnitOfWork


@contextmanager
def configured_unit_of_work(url: str | None = None) -> Iterator[SqlUnitOfWork]:
    """A unit of work on `url` or the configured database; its engine is disposed after."""
    engine, sessions = open_database(url or get_settings().resolved_database_url())
    try:
        yield SqlUnitOfWork(sessions)
    finally:
        engine.dispose()
