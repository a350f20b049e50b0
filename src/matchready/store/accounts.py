"""Database adapters of the account, session and profile ports."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Connection,
    Engine,
    Row,
    Select,
    bindparam,
    delete,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import sessionmaker

from matchready.errors import InputError, Location, Problem
from matchready.services.accounts import TAKEN, Account
from matchready.store.database import transaction
from matchready.store.models import (
    AccountRow,
    LoginAttemptRow,
    PasswordResetRow,
    ProfileRow,
    SessionRow,
)


class SqlAccountStore:
    def __init__(self, engine: Engine) -> None:
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    def add(self, account: Account) -> None:
        try:
            with transaction(self._sessions) as db:
                db.add(
                    AccountRow(
                        id=account.id,
                        email=account.email,
                        password_hash=account.password_hash,
                        created_at=datetime.now(UTC),
                    )
                )
        except IntegrityError:
            raise InputError(Problem(TAKEN, Location(field="email"))) from None

    @staticmethod
    def _domain(row: AccountRow | None) -> Account | None:
        if row is None:
            return None
        return Account(
            id=row.id, email=row.email, password_hash=row.password_hash, editor=row.editor
        )

    def by_email(self, email: str) -> Account | None:
        with self._sessions() as db:
            return self._domain(db.scalar(select(AccountRow).where(AccountRow.email == email)))

    def by_id(self, account_id: str) -> Account | None:
        with self._sessions() as db:
            return self._domain(db.get(AccountRow, account_id))

    def set_password(self, account_id: str, password_hash: str) -> None:
        with transaction(self._sessions) as db:
            db.execute(
                update(AccountRow)
                .where(AccountRow.id == account_id)
                .values(password_hash=password_hash)
            )

    def set_editor(self, account_id: str, editor: bool) -> None:
        with transaction(self._sessions) as db:
            db.execute(update(AccountRow).where(AccountRow.id == account_id).values(editor=editor))

    def editors(self) -> list[Account]:
        with self._sessions() as db:
            query = (
                select(AccountRow).where(AccountRow.editor.is_(True)).order_by(AccountRow.email)
            )
            return [a for a in map(self._domain, db.scalars(query)) if a is not None]

    def add_reset(self, digest: str, account_id: str, expires: float) -> None:
        with transaction(self._sessions) as db:
            db.add(PasswordResetRow(digest=digest, account_id=account_id, expires=expires))

    def reset_account(self, digest: str, now: float) -> str | None:
        with self._sessions() as db:
            row = db.get(PasswordResetRow, digest)
            return row.account_id if row is not None and row.expires >= now else None

    def drop_reset(self, digest: str) -> None:
        with transaction(self._sessions) as db:
            db.execute(delete(PasswordResetRow).where(PasswordResetRow.digest == digest))


Columns = tuple[Any, ...]


def live_session(
    connection: Connection, query: Select[*Columns], session_id: str, now: float
) -> Row[*Columns] | None:
    """`query`'s row for the session (its `expires` column among the selected), or None when
    there is none or it has expired; an expired session is deleted by a second statement."""
    row = connection.execute(query, {"id": session_id}).first()
    if row is not None and row.expires < now:
        connection.execute(delete(SessionRow).where(SessionRow.id == session_id))
        connection.commit()
        return None
    return row


class SqlSessionStore:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._sessions = sessionmaker(engine)
        self._lookup = select(SessionRow.account_id, SessionRow.expires).where(
            SessionRow.id == bindparam("id")
        )

    def create(self, account_id: str, expires: float) -> str:
        session_id = secrets.token_urlsafe(32)
        with transaction(self._sessions) as db:
            db.add(SessionRow(id=session_id, account_id=account_id, expires=expires))
        return session_id

    def account_of(self, session_id: str, now: float) -> str | None:
        """The session's account: one read through Core (every request makes it); an expired
        session is deleted by a second statement."""
        with self._engine.connect() as connection:
            row = live_session(connection, self._lookup, session_id, now)
            if row is None:
                return None
            account_id: str = row.account_id
            return account_id

    def delete(self, session_id: str) -> None:
        with transaction(self._sessions) as db:
            db.execute(delete(SessionRow).where(SessionRow.id == session_id))

    def delete_all(self, account_id: str) -> None:
        with transaction(self._sessions) as db:
            db.execute(delete(SessionRow).where(SessionRow.account_id == account_id))


class SqlAttemptStore:
    """The rate limiter's attempts in the shared database (every worker sees them)."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def add(self, keys: Sequence[str], now: float) -> list[int]:
        with self._engine.begin() as connection:
            return [
                int(
                    connection.execute(
                        insert(LoginAttemptRow)
                        .values(key=key, at=now)
                        .returning(LoginAttemptRow.id)
                    ).scalar_one()
                )
                for key in keys
            ]

    def rank(self, key: str, attempt: int, since: float) -> tuple[int, float]:
        query = select(func.count(), func.min(LoginAttemptRow.at)).where(
            LoginAttemptRow.key == key,
            LoginAttemptRow.id <= attempt,
            LoginAttemptRow.at >= since,
        )
        with self._engine.connect() as connection:
            count, oldest = connection.execute(query).one()
        return int(count), float(oldest if oldest is not None else since)

    def remove(self, attempts: Sequence[int]) -> None:
        with self._engine.begin() as connection:
            connection.execute(delete(LoginAttemptRow).where(LoginAttemptRow.id.in_(attempts)))

    def clear(self, key: str) -> None:
        with self._engine.begin() as connection:
            connection.execute(delete(LoginAttemptRow).where(LoginAttemptRow.key == key))

    def prune(self, before: float) -> None:
        with self._engine.begin() as connection:
            connection.execute(delete(LoginAttemptRow).where(LoginAttemptRow.at < before))


class SqlProfileStore:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._sessions = sessionmaker(engine)
        self._read = select(ProfileRow.toml).where(ProfileRow.owner == bindparam("owner"))

    def read(self, owner: str) -> str | None:
        """The owner's profile text (read on every web request, so through Core, not the ORM)."""
        with self._engine.connect() as connection:
            text: str | None = connection.scalar(self._read, {"owner": owner})
            return text

    def write(self, owner: str, text: str) -> None:
        with transaction(self._sessions) as db:
            row = db.get(ProfileRow, owner)
            now = datetime.now(UTC)
            if row is None:
                db.add(ProfileRow(owner=owner, toml=text, updated_at=now))
            else:
                row.toml, row.updated_at = text, now
