"""Accounts for the multi-user server: registration, login with argon2 hashes, sessions,
rate limits kept in the store (so they hold across worker processes) and an admin-issued
password reset. Storage sits behind small ports (in-memory here; database adapters in
store/accounts.py).

Argon2 costs about 0.1 s per hash; these functions are synchronous and the web routes run them
in the thread pool, never on the event loop.
"""

from __future__ import annotations

import functools
import hashlib
import random
import secrets
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from email_validator import EmailNotValidError, validate_email

from matchready.errors import InputError, Location, MatchreadyError, NotFoundError, Problem

MIN_PASSWORD = 12
MIN_DISTINCT = 5
"""Different characters a password needs (`aaaaaaaaaaaa` and `abababababab` are refused)."""
MAX_EMAIL = 320
RESET_SECONDS = 24 * 3600
_HASHER = PasswordHasher()


@functools.cache
def _dummy_hash() -> str:
    """A hash to verify against for unknown emails (built on first use, not on import)."""
    return _HASHER.hash("timing-equaliser-for-unknown-accounts")


@dataclass(frozen=True)
class Account:
    id: str
    email: str
    password_hash: str
    editor: bool = False
    """Edits the shared program data (granted by an administrator); other accounts' corrections
    are their own values (see `matchready.domain.overrides`)."""


class AccountStore(Protocol):
    def add(self, account: Account) -> None: ...

    def by_email(self, email: str) -> Account | None: ...

    def by_id(self, account_id: str) -> Account | None: ...

    def set_password(self, account_id: str, password_hash: str) -> None: ...

    def set_editor(self, account_id: str, editor: bool) -> None: ...

    def editors(self) -> list[Account]:
        """The accounts with the editor role, by email."""
        ...

    def add_reset(self, digest: str, account_id: str, expires: float) -> None: ...

    def reset_account(self, digest: str, now: float) -> str | None:
        """The account a valid (unexpired, unused) reset is for."""
        ...

    def drop_reset(self, digest: str) -> None: ...


class SessionStore(Protocol):
    def create(self, account_id: str, expires: float) -> str: ...

    def account_of(self, session_id: str, now: float) -> str | None: ...

    def delete(self, session_id: str) -> None: ...

    def delete_all(self, account_id: str) -> None: ...


class AttemptStore(Protocol):
    """Attempts (logins, registrations) per hashed key, shared by every worker process."""

    def add(self, keys: Sequence[str], now: float) -> list[int]:
        """Record one attempt under each key; the ids, in the order of `keys`."""
        ...

    def rank(self, key: str, attempt: int, since: float) -> tuple[int, float]:
        """How many attempts under `key` since `since` came no later than `attempt` (by id),
        and the time of the oldest of them."""
        ...

    def remove(self, attempts: Sequence[int]) -> None: ...

    def clear(self, key: str) -> None: ...

    def prune(self, before: float) -> None: ...


class TooManyAttempts(MatchreadyError):
    """An attempt refused for a while after repeated ones (answered 429 with Retry-After)."""

    def __init__(self, retry_after: int, what: str = "failed logins") -> None:
        self.retry_after = retry_after
        minutes = max(1, round(retry_after / 60))
        super().__init__(f"too many {what}; try again in about {minutes} minute(s)")


class MemoryAccountStore:
    def __init__(self) -> None:
        self._by_id: dict[str, Account] = {}
        self._resets: dict[str, tuple[str, float]] = {}

    def add(self, account: Account) -> None:
        self._by_id[account.id] = account

    def by_email(self, email: str) -> Account | None:
        return next((a for a in self._by_id.values() if a.email == email), None)

    def by_id(self, account_id: str) -> Account | None:
        return self._by_id.get(account_id)

    def set_password(self, account_id: str, password_hash: str) -> None:
        old = self._by_id[account_id]
        self._by_id[account_id] = Account(old.id, old.email, password_hash, old.editor)

    def set_editor(self, account_id: str, editor: bool) -> None:
        old = self._by_id[account_id]
        self._by_id[account_id] = Account(old.id, old.email, old.password_hash, editor)

    def editors(self) -> list[Account]:
        return sorted((a for a in self._by_id.values() if a.editor), key=lambda a: a.email)

    def add_reset(self, digest: str, account_id: str, expires: float) -> None:
        self._resets[digest] = (account_id, expires)

    def reset_account(self, digest: str, now: float) -> str | None:
        found = self._resets.get(digest)
        return found[0] if found and found[1] >= now else None

    def drop_reset(self, digest: str) -> None:
        self._resets.pop(digest, None)


class MemorySessionStore:
    def __init__(self) -> None:
        self._sessions: dict[str, tuple[str, float]] = {}

    def create(self, account_id: str, expires: float) -> str:
        session_id = secrets.token_urlsafe(32)
        self._sessions[session_id] = (account_id, expires)
        return session_id

    def account_of(self, session_id: str, now: float) -> str | None:
        found = self._sessions.get(session_id)
        if found is None or found[1] < now:
            self._sessions.pop(session_id, None)
            return None
        return found[0]

    def delete(self, session_id: str) -> None:
        self._sessions.pop(session_id, None)

    def delete_all(self, account_id: str) -> None:
        for session_id in [k for k, (a, _) in self._sessions.items() if a == account_id]:
            del self._sessions[session_id]


class MemoryAttemptStore:
    """Attempts in this process only (tests, and a single-process server)."""

    def __init__(self) -> None:
        self._rows: dict[int, tuple[str, float]] = {}
        self._next = 0
        self._lock = threading.Lock()

    def add(self, keys: Sequence[str], now: float) -> list[int]:
        with self._lock:
            ids = list(range(self._next, self._next + len(keys)))
            self._next += len(keys)
            self._rows.update({i: (k, now) for i, k in zip(ids, keys, strict=True)})
            return ids

    def rank(self, key: str, attempt: int, since: float) -> tuple[int, float]:
        with self._lock:
            times = [t for i, (k, t) in self._rows.items() if k == key and i <= attempt]
        recent = [t for t in times if t >= since]
        return len(recent), min(recent, default=since)

    def remove(self, attempts: Sequence[int]) -> None:
        with self._lock:
            for attempt in attempts:
                self._rows.pop(attempt, None)

    def clear(self, key: str) -> None:
        with self._lock:
            for attempt in [i for i, (k, _) in self._rows.items() if k == key]:
                del self._rows[attempt]

    def prune(self, before: float) -> None:
        with self._lock:
            for attempt in [i for i, (_, t) in self._rows.items() if t < before]:
                del self._rows[attempt]


def normal_email(email: str) -> str:
    return email.strip().lower()


def email_problem(email: str) -> str | None:
    """Why `email` (normalised) is not an address we accept, in plain words; None if it is.
    Checked by email-validator (syntax only: no DNS look-up), which runs in linear time."""
    if len(email) > MAX_EMAIL:
        return f"an email address has at most {MAX_EMAIL} characters"
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError:
        return "expected an email address such as name@example.org"
    return None


def password_problem(password: str, email: str) -> str | None:
    """Why `password` is too weak for the account `email`, in plain words; None if it is not."""
    if len(password) < MIN_PASSWORD:
        return f"use at least {MIN_PASSWORD} characters"
    if len(set(password)) < MIN_DISTINCT:
        return f"use at least {MIN_DISTINCT} different characters, not one repeated"
    lowered, local = password.lower(), email.partition("@")[0]
    if email and (email in lowered or (len(local) >= 4 and local in lowered)):
        return "do not use your email address in the password"
    return None


TAKEN = (
    "this email cannot be registered; if it is yours, log in, or ask the administrator for a "
    "password reset"
)


def register(store: AccountStore, email: str, password: str) -> Account:
    """A new account; refuses a malformed email, a weak password or a taken email. A taken
    email costs the same hashing work as a new one, so the time does not tell them apart."""
    email = normal_email(email)
    problems = []
    email_error = email_problem(email)
    if email_error:
        problems.append(Problem(email_error, Location(field="email")))
    password_error = password_problem(password, email)
    if password_error:
        problems.append(Problem(password_error, Location(field="password")))
    if problems:
        raise InputError(problems)
    password_hash = _HASHER.hash(password)
    if store.by_email(email) is not None:
        raise InputError(Problem(TAKEN, Location(field="email")))
    account = Account(id=secrets.token_hex(16), email=email, password_hash=password_hash)
    store.add(account)
    return account


def authenticate(store: AccountStore, email: str, password: str) -> Account | None:
    """The account if the password is right; the same work is done for unknown emails."""
    account = store.by_email(normal_email(email))
    try:
        _HASHER.verify(account.password_hash if account else _dummy_hash(), password)
    except (VerificationError, InvalidHashError):
        return None
    return account


def set_editor(store: AccountStore, email: str, editor: bool) -> tuple[Account, bool]:
    """Grant (or revoke) the editor role of the account `email`: the account, and whether the
    role changed (False when it already was so)."""
    account = store.by_email(normal_email(email))
    if account is None:
        raise NotFoundError(f"no account with the email {normal_email(email)}")
    if account.editor == editor:
        return account, False
    store.set_editor(account.id, editor)
    return Account(account.id, account.email, account.password_hash, editor), True


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_reset(store: AccountStore, email: str, now: float | None = None) -> str:
    """A one-time password reset token for the account `email`, valid for a day (the
    administrator hands the link over; only its digest is stored)."""
    account = store.by_email(normal_email(email))
    if account is None:
        raise NotFoundError(f"no account with the email {normal_email(email)}")
    token = secrets.token_urlsafe(32)
    now = time.time() if now is None else now
    store.add_reset(_digest(token), account.id, now + RESET_SECONDS)
    return token


BAD_RESET = "this reset link is unknown, used or expired; ask the administrator for a new one"


def reset_account(store: AccountStore, token: str, now: float | None = None) -> Account | None:
    """The account a reset token is for, if the token is valid."""
    now = time.time() if now is None else now
    account_id = store.reset_account(_digest(token), now)
    return None if account_id is None else store.by_id(account_id)


def reset_password(
    store: AccountStore,
    sessions: SessionStore,
    token: str,
    password: str,
    now: float | None = None,
) -> Account:
    """Set a new password with a reset token: the token is used up and every session of the
    account ends (whoever held the old password is logged out)."""
    account = reset_account(store, token, now)
    if account is None:
        raise InputError(Problem(BAD_RESET, Location(field="token")))
    problem = password_problem(password, account.email)
    if problem:
        raise InputError(Problem(problem, Location(field="password")))
    store.set_password(account.id, _HASHER.hash(password))
    store.drop_reset(_digest(token))
    sessions.delete_all(account.id)
    return account


@dataclass(frozen=True)
class Limit:
    """At most `attempts` attempts of one kind per subject in `window` seconds."""

    name: str
    attempts: int
    window: float
    what: str = "failed logins"


LOGIN_ACCOUNT_ADDRESS = Limit("login:account+address", 5, 15 * 60)
"""Guessing one account's password from one address."""
LOGIN_ADDRESS = Limit("login:address", 20, 15 * 60)
"""Password spraying: one address trying many accounts."""
LOGIN_ACCOUNT = Limit("login:account", 20, 60 * 60)
"""Guessing one account's password from many addresses."""
LOGIN_DEVICE = Limit("login:device", 5, 15 * 60)
"""A browser that logged in to the account before: its own budget, so that others' failures
on the account or the address never lock the right password out there."""
REGISTER_ADDRESS = Limit("register:address", 5, 60 * 60, "registrations")
RESET_ADDRESS = Limit("reset:address", 10, 60 * 60, "password resets")
LONGEST_WINDOW = max(
    limit.window
    for limit in (
        LOGIN_ACCOUNT_ADDRESS,
        LOGIN_ADDRESS,
        LOGIN_ACCOUNT,
        LOGIN_DEVICE,
        REGISTER_ADDRESS,
        RESET_ADDRESS,
    )
)


def _key(limit: Limit, subject: str) -> str:
    """The stored key: a digest, so the table holds no email address or IP address."""
    return hashlib.sha256(f"{limit.name}|{subject}".encode()).hexdigest()


@dataclass
class Attempt:
    """An attempt admitted by the limiter; a success removes it from the counts."""

    store: AttemptStore
    keys: list[str]
    ids: list[int]
    clear_on_success: list[str] = field(default_factory=list)

    def succeeded(self) -> None:
        self.store.remove(self.ids)
        for key in self.clear_on_success:
            self.store.clear(key)


class RateLimiter:
    """Counts attempts in the shared store. An attempt is recorded first and then ranked
    among the recorded ones, so two workers racing on the same key can never both pass the
    last free slot; a refused attempt is removed again (the table stays bounded)."""

    def __init__(self, store: AttemptStore, prune_every: float = 0.02) -> None:
        self.store = store
        self.prune_every = prune_every

    def begin(
        self,
        checks: Sequence[tuple[Limit, str]],
        now: float | None = None,
        clear_on_success: Sequence[tuple[Limit, str]] = (),
    ) -> Attempt:
        """Admit an attempt under every (limit, subject) of `checks`, or raise
        TooManyAttempts with the seconds until the first limit lets one through."""
        now = time.time() if now is None else now
        keys = [_key(limit, subject) for limit, subject in checks]
        ids = self.store.add(keys, now)
        for (limit, _), key, attempt in zip(checks, keys, ids, strict=True):
            count, oldest = self.store.rank(key, attempt, now - limit.window)
            if count > limit.attempts:
                self.store.remove(ids)
                raise TooManyAttempts(int(oldest + limit.window - now) + 1, limit.what)
        if random.random() < self.prune_every:
            self.store.prune(now - LONGEST_WINDOW)
        clear = [_key(limit, subject) for limit, subject in clear_on_success]
        return Attempt(self.store, keys, ids, clear)
