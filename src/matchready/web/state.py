"""The app's shared state and who a request belongs to."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from fastapi import Request

from matchready.domain.facts import Facts
from matchready.domain.screening_table import ProgramTable
from matchready.services.accounts import AccountStore, LoginLimiter, SessionStore
from matchready.services.ports import UnitOfWork
from matchready.services.profiles import ProfileStore
from matchready.services.screening import load_program_table
from matchready.settings import Settings
from matchready.web.auth import LoginRequired, session_account
from matchready.web.nav import NAV

LOCAL_OWNER = "local"


@dataclass
class WebState:
    """What the routes need, set once when the app is built."""

    facts: Facts
    profiles: ProfileStore
    settings: Settings
    accounts: AccountStore | None = None  # set in multi-user mode
    sessions: SessionStore | None = None
    limiter: LoginLimiter = field(default_factory=LoginLimiter)
    units: Callable[[], UnitOfWork] | None = None  # the shared program store
    nav: list[tuple[str, str]] = field(default_factory=lambda: list(NAV))
    _table: tuple[int, ProgramTable] | None = field(default=None, repr=False)
    _table_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def multi_user(self) -> bool:
        return self.accounts is not None

    def program_table(self) -> ProgramTable:
        """Every program as a screening table, rebuilt when an import or a requirement edit has
        been recorded since (they may come from the CLI or another worker process)."""
        if self.units is None:
            return ProgramTable.build([])
        unit = self.units()
        with unit:
            revision = unit.programs.revision()
        with self._table_lock:  # one thread rebuilds; the others wait for its table
            if self._table is None or self._table[0] != revision:
                self._table = (revision, load_program_table(self.units()))
            return self._table[1]


def state(request: Request) -> WebState:
    web: WebState = request.app.state.web
    return web


def owner(request: Request) -> str:
    """Whose data this request sees: the one local owner, or the logged-in account."""
    if not state(request).multi_user:
        return LOCAL_OWNER
    account_id = session_account(request)
    if account_id is None:
        raise LoginRequired()
    return account_id


def editor(request: Request) -> str:
    """Who a shared change (a requirement edit) is attributed to: the account's email in server
    mode, "local user" in local mode."""
    web = state(request)
    if web.accounts is None:
        return "local user"
    account = web.accounts.by_id(owner(request))
    if account is None:
        raise LoginRequired()
    return account.email


def require_owner(request: Request) -> None:
    """Router dependency: in multi-user mode every page and API route needs a session."""
    owner(request)
