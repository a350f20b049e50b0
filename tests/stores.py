"""A unit of work on a real database for integration tests, built by the composition root."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from matchready.bootstrap import bootstrap
from matchready.services.ports import UnitOfWork
from matchready.settings import Settings


@contextmanager
def store_at(url: str) -> Iterator[UnitOfWork]:
    """A unit of work on the database at `url` (migrated on first use), closed after."""
    with bootstrap(Settings(database_url=url)) as runtime:
        yield runtime.units()
