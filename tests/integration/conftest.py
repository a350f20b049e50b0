"""Database fixtures: SQLite in a temporary directory, and a throwaway PostgreSQL cluster.

The PostgreSQL cluster (initdb + pg_ctl, loopback only, one per test session) is started on
first use and deleted at the end. Without the binaries the PostgreSQL tests skip, except
under CI=true, where they fail.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from itertools import count
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import Engine

from matchready.store.database import create_database_engine, migrate
from pg_cluster import MISSING, Cluster, pg_bindir


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """The URL (without database) of a PostgreSQL server started for this test session."""
    bindir = pg_bindir()
    if bindir is None:
        if os.environ.get("CI") == "true":
            pytest.fail(MISSING)
        pytest.skip(MISSING)
    with contextlib.ExitStack() as stack:
        try:
            cluster = stack.enter_context(Cluster(bindir))
        except RuntimeError as error:
            pytest.fail(str(error))
        yield cluster.url


_numbers = count()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database on each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.sqlite3'}"
        return
    server = request.getfixturevalue("postgres_server")
    name = f"test_{os.getpid()}_{next(_numbers)}"
    with psycopg.connect(f"postgresql://{server}/postgres", autocommit=True) as connection:
        connection.execute(f"CREATE DATABASE {name}")
    try:
        yield f"postgresql+psycopg://{server}/{name}"
    finally:
        with psycopg.connect(f"postgresql://{server}/postgres", autocommit=True) as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    """A migrated database on each backend."""
    engine = create_database_engine(database_url)
    migrate(engine)
    yield engine
    engine.dispose()
