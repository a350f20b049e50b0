"""Accounts, sessions and profiles in the store, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, inspect

from matchready.errors import InputError, StoreError
from matchready.services.accounts import authenticate, register
from matchready.store.accounts import SqlAccountStore, SqlProfileStore, SqlSessionStore
from matchready.store.database import create_database_engine as make_engine
from matchready.store.database import migrate


def test_migrations_create_the_schema_from_empty_and_are_idempotent(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        migrate(engine)
        migrate(engine)
        tables = set(inspect(engine).get_table_names())
        assert {"accounts", "sessions", "profiles", "alembic_version"} <= tables
    finally:
        engine.dispose()


def test_accounts_register_authenticate_and_refuse_a_duplicate(engine: Engine) -> None:
    store = SqlAccountStore(engine)
    account = register(store, "Ada@Example.org", "a long enough password")
    assert store.by_email("ada@example.org") == account
    assert store.by_id(account.id) == account
    assert authenticate(store, "ada@example.org", "a long enough password") == account
    assert authenticate(store, "ada@example.org", "wrong") is None
    with pytest.raises(InputError, match="cannot be registered"):
        register(store, "ada@example.org", "another long password")


def test_sessions_expire_and_can_be_deleted(engine: Engine) -> None:
    accounts = SqlAccountStore(engine)
    account = register(accounts, "s@example.org", "a long enough password")
    sessions = SqlSessionStore(engine)
    live = sessions.create(account.id, expires=2000.0)
    assert sessions.account_of(live, now=1000.0) == account.id
    assert sessions.account_of(live, now=3000.0) is None  # expired, and removed
    assert sessions.account_of(live, now=1000.0) is None
    other = sessions.create(account.id, expires=2000.0)
    sessions.delete(other)
    assert sessions.account_of(other, now=1000.0) is None


def test_profiles_are_kept_per_owner(engine: Engine) -> None:
    store = SqlProfileStore(engine)
    assert store.read("a") is None
    store.write("a", "one")
    store.write("b", "two")
    store.write("a", "three")
    assert (store.read("a"), store.read("b")) == ("three", "two")


def test_a_bad_url_is_a_clear_error() -> None:
    with pytest.raises(StoreError, match="cannot"):
        engine = make_engine("postgresql+psycopg://nobody@127.0.0.1:1/none")
        migrate(engine)
