"""Database adapters of the account, session and profile ports."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime

from sqlalchemy import Engine, bindparam, delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import sessionmaker

from matchready.errors import InputError, Location, Problem
from matchready.services.accounts import Account
from matchready.store.database import transaction
from matchready.store.models import AccountRow, ProfileRow, SessionRow


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
            where = Location(field="email")
            raise InputError(Problem("an account with this email exists", where)) from None

    @staticmethod
    def _domain(row: AccountRow | None) -> Account | None:
        if row is None:
            return None
        return Account(id=row.id, email=row.email, password_hash=row.password_hash)

    def by_email(self, email: str) -> Account | None:
        with self._sessions() as db:
            return self._domain(db.scalar(select(AccountRow).where(AccountRow.email == email)))

    def by_id(self, account_id: str) -> Account | None:
        with self._sessions() as db:
            return self._domain(db.get(AccountRow, account_id))


class SqlSessionStore:
    def __init__(self, engine: Engine) -> None:
        self._sessions = sessionmaker(engine)

    def create(self, account_id: str, expires: float) -> str:
        session_id = secrets.token_urlsafe(32)
        with transaction(self._sessions) as db:
            db.add(SessionRow(id=session_id, account_id=account_id, expires=expires))
        return session_id

    def account_of(self, session_id: str, now: float) -> str | None:
        with transaction(self._sessions) as db:
            row = db.get(SessionRow, session_id)
            if row is None:
                return None
            if row.expires < now:
                db.delete(row)
                return None
            return row.account_id

    def delete(self, session_id: str) -> None:
        with transaction(self._sessions) as db:
            db.execute(delete(SessionRow).where(SessionRow.id == session_id))


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
