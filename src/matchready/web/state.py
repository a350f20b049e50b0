"""The app's shared state and who a request belongs to."""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from datetime import date
from typing import TypeVar, cast

from fastapi import Request

from matchready.domain.facts import Facts
from matchready.domain.overrides import account_marker
from matchready.domain.screening_table import ProgramTable
from matchready.services.accounts import (
    AccountStore,
    MemoryAttemptStore,
    RateLimiter,
    SessionStore,
)
from matchready.services.overrides import LOCAL_ACTOR, Actor
from matchready.services.ports import LOCAL_OWNER, ProgramsVersion, UnitOfWork
from matchready.services.profiles import ProfileStore
from matchready.services.screening import ProgramIndex, load_program_table, with_programs
from matchready.settings import Settings
from matchready.store.standing import SqlStanding
from matchready.web.auth import LoginRequired, session_account, session_standing
from matchready.web.nav import NAV


@dataclass(frozen=True)
class Programs:
    """The program table at one revision of the store, with its filter index; `overrides` is
    the digest of the user's own values applied to it ('' for the shared table)."""

    version: ProgramsVersion
    table: ProgramTable
    index: ProgramIndex
    overrides: str = ""

    @property
    def revision(self) -> tuple[ProgramsVersion, str]:
        """What cached results computed from this table depend on."""
        return self.version, self.overrides


T = TypeVar("T")


class Memo:
    """A bounded, thread-safe cache of results that depend only on their key.

    Routes key a result on the owner, the digest of the owner's saved profile, the program
    store's revision and the request's inputs, so a saved profile, an import or an edit makes
    new keys (old entries age out). Two threads may compute the same missing key at once; both
    get a correct result and one is kept.
    """

    def __init__(self, size: int = 512) -> None:
        self.size = size
        self._entries: OrderedDict[Hashable, object] = OrderedDict()
        self._lock = threading.Lock()

    def peek(self, key: Hashable) -> object | None:
        """The kept result for `key`, or None (to skip a thread hop when it is kept)."""
        with self._lock:
            return self._entries.get(key)

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                return cast(T, self._entries[key])
        value = compute()
        with self._lock:
            self._entries[key] = value
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
        return value

    def __len__(self) -> int:
        return len(self._entries)

    def clear(self) -> None:
        """Drop every entry (when what they were computed from changed, such as the facts)."""
        with self._lock:
            self._entries.clear()


@dataclass
class WebState:
    """What the routes need, set once when the app is built."""

    facts: Facts
    profiles: ProfileStore
    settings: Settings
    accounts: AccountStore | None = None  # set in multi-user mode
    sessions: SessionStore | None = None
    limiter: RateLimiter = field(default_factory=lambda: RateLimiter(MemoryAttemptStore()))
    """Login, registration and reset limits; in the shared database when there is one."""
    units: Callable[[], UnitOfWork] | None = None  # the shared program store
    standing: SqlStanding | None = None
    """Reads a request's session, profile and tracker revision at once (see store/standing)."""
    clock: Callable[[], date] = date.today
    nav: list[tuple[str, str]] = field(default_factory=lambda: list(NAV))
    memo: Memo = field(default_factory=Memo, repr=False)
    revision_ttl: float = 1.0
    """Seconds a checked store revision is trusted: a change made by another process (a CLI
    import, another worker) shows within this time; this process's own edits show at once."""
    _programs: Programs | None = field(default=None, repr=False)
    _checked_at: float = field(default=-math.inf, repr=False)
    _table_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def multi_user(self) -> bool:
        return self.accounts is not None

    def today(self) -> date:
        return self.clock()

    def program_table(self) -> ProgramTable:
        """Every program as a screening table (see `programs`)."""
        return self.programs().table

    def programs(self) -> Programs:
        """The program table at the store's current revision, with its filter index. After an
        import (from any process) it is read again; after requirement edits only the edited
        programs are (a full read of 13,000 programs takes seconds). The revision is checked
        at most once per `revision_ttl`; one thread updates, the others wait for its table."""
        if self.units is None:
            empty = ProgramTable.build([])
            return Programs(ProgramsVersion(0, 0), empty, ProgramIndex.of(empty))
        now = time.monotonic()
        cached = self._programs
        if cached is not None and now - self._checked_at < self.revision_ttl:
            return cached
        unit = self.units()
        with unit:
            version = unit.programs.revision()
        with self._table_lock:
            cached = self._programs
            if cached is None or cached.version != version:
                self._programs = self._updated(cached, version)
            self._checked_at = now
            assert self._programs is not None
            return self._programs

    def _updated(self, cached: Programs | None, version: ProgramsVersion) -> Programs:
        assert self.units is not None
        if cached is not None and cached.version.imports == version.imports:
            unit = self.units()
            with unit:
                changed = unit.programs.changed_since(cached.version.changes)
            table = with_programs(cached.table, changed)
            if table is not None:  # edits change requirements, never the index columns
                return Programs(version, table, cached.index)
        table = load_program_table(self.units())
        return Programs(version, table, ProgramIndex.of(table))

    def programs_changed(self) -> None:
        """This process changed the program store: look at its revision on the next request."""
        self._checked_at = -math.inf


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


def actor(request: Request) -> Actor:
    """Who is asking, for the program data: the local user (the editor) in local mode; in
    server mode the account, an editor only if an administrator granted it the role. History
    records an account by id (`account_marker`), never by email."""
    web = state(request)
    if web.accounts is None:
        return LOCAL_ACTOR
    account = web.accounts.by_id(owner(request))
    if account is None:
        raise LoginRequired()
    return Actor(account.id, account.editor, account_marker(account.id))


def viewer(request: Request) -> str | None:
    """The account whose history entries read "you" (None in local mode)."""
    return owner(request) if state(request).multi_user else None


_REVISION_KEY = "matchready.tracker_revision"


def tracker_revision(request: Request) -> int | None:
    """The revision of this request's owner's tracker, read once per request (in server mode
    with the session): what a cached tracker is keyed on. None when the app cannot read it
    on its own (stores passed in): the tracker is then read every time."""
    if _REVISION_KEY not in request.scope:
        web = state(request)
        found = session_standing(request)
        if found is not None:
            revision: int | None = found.tracker_revision if found.account else None
        elif web.standing is not None and not web.multi_user:
            revision = web.standing.tracker_revision(LOCAL_OWNER)
        else:
            revision = None
        request.scope[_REVISION_KEY] = revision
    known: int | None = request.scope[_REVISION_KEY]
    return known


def saved_text(request: Request, who: str) -> str | None:
    """The owner's saved profile text: as the session lookup read it, else from the store."""
    found = session_standing(request)
    if found is not None and found.account == who:
        return found.profile
    return state(request).profiles.read(who)


async def require_owner(request: Request) -> None:
    """Router dependency: in multi-user mode every page and API route needs a session."""
    owner(request)
