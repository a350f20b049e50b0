"""Accounts for the multi-user server: registration, login with argon2 hashes, sessions and a
login rate limit. Storage sits behind small ports (database adapters in
`matchready.store.accounts`; in-memory fakes in tests/fakes.py).
"""

from __future__ import annotations

import functools
import re
import secrets
import time
from collections import deque
from dataclasses import dataclass
from typing import Protocol

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from matchready.errors import InputError, Location, MatchreadyError, Problem

MIN_PASSWORD = 12
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")
_HASHER = PasswordHasher()


@functools.cache
def _dummy_hash() -> str:
    """A hash to verify against for unknown emails (same work as a real account), made on the
    first login rather than at import (hashing takes a fifth of a second)."""
    return _HASHER.hash("timing-equaliser-for-unknown-accounts")


@dataclass(frozen=True)
class Account:
    id: str
    email: str
    password_hash: str


class AccountStore(Protocol):
    def add(self, account: Account) -> None: ...

    def by_email(self, email: str) -> Account | None: ...

    def by_id(self, account_id: str) -> Account | None: ...


class SessionStore(Protocol):
    def create(self, account_id: str, expires: float) -> str: ...

    def account_of(self, session_id: str, now: float) -> str | None: ...

    def delete(self, session_id: str) -> None: ...


class TooManyAttempts(MatchreadyError):
    """Login refused for a while after repeated failures (answered 429)."""

    def __init__(self, retry_after: int) -> None:
        self.retry_after = retry_after
        minutes = max(1, round(retry_after / 60))
        super().__init__(f"too many failed logins; try again in about {minutes} minute(s)")


def normal_email(email: str) -> str:
    return email.strip().lower()


def register(store: AccountStore, email: str, password: str) -> Account:
    """A new account; refuses a malformed email, a short password or a taken email."""
    email = normal_email(email)
    problems = []
    if not _EMAIL.match(email):
        problems.append(
            Problem("expected an email address such as name@example.org", Location(field="email"))
        )
    if len(password) < MIN_PASSWORD:
        problems.append(
            Problem(f"use at least {MIN_PASSWORD} characters", Location(field="password"))
        )
    if not problems and store.by_email(email) is not None:
        problems.append(
            Problem("an account with this email exists; log in instead", Location(field="email"))
        )
    if problems:
        raise InputError(problems)
    account = Account(id=secrets.token_hex(16), email=email, password_hash=_HASHER.hash(password))
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


class LoginLimiter:
    """At most `attempts` failed logins per key (client address and email) in `window` seconds."""

    def __init__(self, attempts: int = 5, window: float = 900.0, max_keys: int = 10_000) -> None:
        self.attempts = attempts
        self.window = window
        self.max_keys = max_keys
        self._failures: dict[str, deque[float]] = {}

    def _recent(self, key: str, now: float) -> deque[float]:
        failures = self._failures.setdefault(key, deque())
        while failures and failures[0] <= now - self.window:
            failures.popleft()
        return failures

    def check(self, key: str, now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        failures = self._recent(key, now)
        if len(failures) >= self.attempts:
            raise TooManyAttempts(int(failures[0] + self.window - now) + 1)

    def failed(self, key: str, now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        if len(self._failures) >= self.max_keys:
            self._forget_expired(now)
        self._recent(key, now).append(now)

    def _forget_expired(self, now: float) -> None:
        """Drop keys whose failures are all outside the window (bounds memory under attack)."""
        expired = [k for k, f in self._failures.items() if not f or f[-1] <= now - self.window]
        for key in expired:
            del self._failures[key]

    def succeeded(self, key: str) -> None:
        self._failures.pop(key, None)
