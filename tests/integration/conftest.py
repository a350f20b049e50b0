"""Database fixtures: SQLite in a temporary directory, and a throwaway PostgreSQL cluster.

The PostgreSQL cluster (initdb + pg_ctl, loopback only, one per test session) is started on
first use and deleted at the end. Without the binaries the PostgreSQL tests skip, except
under CI=true, where they fail.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from itertools import count
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import Engine

from matchready.store.database import create_database_engine, migrate

MISSING = (
    "PostgreSQL binaries (initdb, pg_ctl) not found: install Debian's postgresql package "
    "(apt-get install postgresql) to run the PostgreSQL tests"
)


def _pg_bindir() -> Path | None:
    initdb = shutil.which("initdb")
    if initdb and shutil.which("pg_ctl"):
        return Path(initdb).resolve().parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)
    return Path(candidates[0]).parent if candidates else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _as_user(user: str | None, *command: str) -> list[str]:
    return ["runuser", "-u", user, "--", *command] if user else list(command)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """The URL (without database) of a PostgreSQL server started for this test session."""
    bindir = _pg_bindir()
    if bindir is None:
        if os.environ.get("CI") == "true":
            pytest.fail(MISSING)
        pytest.skip(MISSING)
    user = None
    base = Path(tempfile.mkdtemp(prefix="matchready-pg-"))
    if os.geteuid() == 0:
        user = "postgres" if _user_exists("postgres") else "nobody"
        entry = pwd.getpwnam(user)
        os.chown(base, entry.pw_uid, entry.pw_gid)
    data, port = base / "data", _free_port()
    quiet = {"check": True, "capture_output": True}
    try:
        subprocess.run(
            _as_user(
                user,
                str(bindir / "initdb"),
                "-D",
                str(data),
                "-U",
                "matchready",
                "--auth=trust",
                "-E",
                "UTF8",
                "--no-sync",
            ),
            **quiet,
        )
        options = f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off"
        subprocess.run(
            _as_user(
                user,
                str(bindir / "pg_ctl"),
                "-D",
                str(data),
                "-o",
                options,
                "-l",
                str(base / "log"),
                "-w",
                "start",
            ),
            **quiet,
        )
    except subprocess.CalledProcessError as error:
        shutil.rmtree(base, ignore_errors=True)
        pytest.fail(f"cannot start PostgreSQL: {error.stderr.decode(errors='replace')}")
    try:
        yield f"matchready@127.0.0.1:{port}"
    finally:
        subprocess.run(
            _as_user(user, str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"),
            check=False,
            capture_output=True,
        )
        shutil.rmtree(base, ignore_errors=True)


def _user_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


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
