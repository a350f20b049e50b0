"""The composition root: the one place that chooses the adapters behind the ports.

`bootstrap()` (after cosmicpython's) builds what the CLI and the web app run on: the settings,
the facts, the profile store, the store of programs and trackers (a unit-of-work factory), the
account and session stores of server mode, the clock and the owner.

- Local mode (the default): one applicant, `LOCAL_OWNER`. The profile is the TOML file
  `profile.toml` in the data directory (`matchready.io.profile_store`): the web form edits it
  and the CLI reads it. Programs and the tracker are in SQLite in the data directory, or at
  `MATCHREADY_DATABASE_URL`.
- Server mode (`MATCHREADY_MULTI_USER`, or account stores passed in): accounts and sessions,
  and each account's profile in the shared database.

Nothing is opened until it is used: the database is opened (and migrated) on the first unit
of work, and the facts are read on first use, so `matchready plan` never touches the database
and this module imports no SQLAlchemy. Tests pass fakes (tests/fakes.py) for any part.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date
from types import TracebackType
from typing import TYPE_CHECKING, Self

from matchready.errors import StoreError
from matchready.services.ports import LOCAL_OWNER, UnitOfWork
from matchready.settings import Settings, get_settings

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlalchemy.orm import Session, sessionmaker

    from matchready.domain.facts import Facts
    from matchready.services.accounts import AccountStore, AttemptStore, SessionStore
    from matchready.services.profiles import ProfileStore
    from matchready.store.standing import SqlStanding

__all__ = ["LOCAL_OWNER", "Database", "Runtime", "bootstrap"]


class Database:
    """The configured database, opened and migrated on first use (once, thread-safely)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._opened: tuple[Engine, sessionmaker[Session]] | None = None
        self._lock = threading.Lock()

    def _open(self) -> tuple[Engine, sessionmaker[Session]]:
        with self._lock:
            if self._opened is None:
                from matchready.store.database import open_database

                self._opened = open_database(self.url)
            return self._opened

    def sqlite_file_exists(self) -> bool:
        """Whether this SQLite URL names a file that exists (without opening it)."""
        from pathlib import Path

        name = self.url.split("///", 1)[-1] if "///" in self.url else ""
        return bool(name) and name != ":memory:" and Path(name).is_file()

    @property
    def engine(self) -> Engine:
        return self._open()[0]

    def unit(self) -> UnitOfWork:
        """A new unit of work (one transaction) on this database."""
        from matchready.store.sql import SqlUnitOfWork

        return SqlUnitOfWork(self._open()[1])

    def close(self) -> None:
        with self._lock:
            if self._opened is not None:
                self._opened[0].dispose()
                self._opened = None


class Runtime:
    """Everything an interface needs, built once by `bootstrap()`; close it when done."""

    def __init__(
        self,
        settings: Settings,
        profiles: ProfileStore,
        units: Callable[[], UnitOfWork],
        *,
        facts: Facts | None = None,
        accounts: AccountStore | None = None,
        sessions: SessionStore | None = None,
        attempts: AttemptStore | None = None,
        clock: Callable[[], date] = date.today,
        database: Database | None = None,
        own_stores: bool = False,
    ) -> None:
        self.settings = settings
        self.profiles = profiles
        self.units = units
        self.accounts = accounts
        self.sessions = sessions
        self.attempts = attempts
        """Login/registration attempts, shared by the workers (server mode); None: in memory."""
        self.clock = clock
        self.owner = LOCAL_OWNER
        """The owner in local mode; in server mode each request's account is (see web.state)."""
        self._facts = facts
        self._database = database
        self._own_stores = own_stores

    @property
    def standing(self) -> SqlStanding | None:
        """Reads each web request's session, profile and tracker revision at once; None when
        the stores were passed in (the web app then reads them one by one). Built on first
        use: it opens the database only when it reads."""
        if not self._own_stores or self._database is None:
            return None
        from matchready.store.standing import SqlStanding

        database = self._database
        return SqlStanding(lambda: database.engine)

    @property
    def multi_user(self) -> bool:
        return self.accounts is not None

    @property
    def facts(self) -> Facts:
        """The facts in use, validated (read on first use): the installed facts release with
        your own facts (`facts.csv` in the data directory) in place."""
        if self._facts is None:
            from matchready.services.facts import load_all_facts

            self._facts = load_all_facts(self.settings)
        return self._facts

    def today(self) -> date:
        return self.clock()

    def close(self) -> None:
        """Dispose of what was opened (the database engine)."""
        if self._database is not None:
            self._database.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def bootstrap(
    settings: Settings | None = None,
    *,
    facts: Facts | None = None,
    profiles: ProfileStore | None = None,
    units: Callable[[], UnitOfWork] | None = None,
    accounts: AccountStore | None = None,
    sessions: SessionStore | None = None,
    attempts: AttemptStore | None = None,
    clock: Callable[[], date] = date.today,
) -> Runtime:
    """Build the runtime from the settings (read from the environment when not given); any
    part passed in (a fake in tests) is used instead of the configured adapter."""
    settings = settings or get_settings()
    if (accounts is None) != (sessions is None):
        raise ValueError("multi-user mode needs both an account store and a session store")
    database = Database(settings.resolved_database_url())
    # one read per request (session, profile, tracker revision) needs all three in `database`
    own_stores = units is None and profiles is None and accounts is None
    if settings.multi_user and accounts is None:
        if not settings.database_url:
            raise StoreError(
                "multi-user mode needs a shared database: set MATCHREADY_DATABASE_URL "
                "(for example postgresql+psycopg://user@host/matchready)"
            )
        from matchready.store.accounts import SqlAccountStore, SqlAttemptStore, SqlSessionStore

        accounts, sessions = SqlAccountStore(database.engine), SqlSessionStore(database.engine)
        attempts = attempts or SqlAttemptStore(database.engine)
    if profiles is None:
        profiles = _profile_store(settings, database, server=accounts is not None)
    return Runtime(
        settings,
        profiles,
        units or database.unit,
        facts=facts,
        accounts=accounts,
        sessions=sessions,
        attempts=attempts,
        clock=clock,
        database=database,
        own_stores=own_stores,
    )


def _profile_store(settings: Settings, database: Database, *, server: bool) -> ProfileStore:
    if server:
        from matchready.store.accounts import SqlProfileStore

        return SqlProfileStore(database.engine)
    from matchready.io.profile_store import PROFILE_FILE, FileProfileStore

    def earlier() -> str | None:
        """Until 0.1.0 the local web app kept the profile in the database; carry it over once
        (only from a database that exists: a missing profile must not create one)."""
        if database.url.startswith("sqlite") and not database.sqlite_file_exists():
            return None
        from matchready.store.accounts import SqlProfileStore

        return SqlProfileStore(database.engine).read(LOCAL_OWNER)

    return FileProfileStore(settings.data_dir / PROFILE_FILE, LOCAL_OWNER, earlier)
