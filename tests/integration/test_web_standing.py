"""Server mode reads a request's session, profile and tracker revision in one statement, and
keeps the tracker per revision: a page that shows the tracker reads its tables again only
after a save (from any process), never shows a stale tracker."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event
from sqlalchemy.engine import Engine

from matchready.bootstrap import bootstrap
from matchready.domain.tracker_records import ApplicationRecord, ChangeRecord
from matchready.io.profile import dump_profile, load_profile
from matchready.services.accounts import register
from matchready.services.programs import import_programs
from matchready.services.tracker import Tracking
from matchready.settings import Settings
from matchready.web.app import create_app
from matchready.web.auth import SESSION_COOKIE

ROOT = Path(__file__).parents[2]
EXAMPLE = ROOT / "examples" / "profiles" / "recent-graduate-j1.toml"
DATA = Path(__file__).parent.parent / "data"


class Statements:
    def __init__(self) -> None:
        self.seen: list[str] = []

    def __call__(self, *args: object) -> None:
        self.seen.append(str(args[2]))

    def during(self, client: TestClient, path: str) -> list[str]:
        self.seen = []
        assert client.get(path).status_code == 200, path
        return self.seen


@pytest.fixture
def server(database_url: str, tmp_path: Path) -> Iterator[tuple[TestClient, Settings, str]]:
    settings = Settings(
        database_url=database_url, data_dir=tmp_path, multi_user=True, secret_key="test"
    )
    with bootstrap(settings) as runtime:
        assert runtime.accounts is not None and runtime.sessions is not None
        import_programs(runtime.units(), DATA / "nrmp_codes_sample.csv")
        account = register(runtime.accounts, "amara@example.org", "correct horse battery 42")
        session = runtime.sessions.create(account.id, time.time() + 3600)
        runtime.profiles.write(account.id, dump_profile(load_profile(EXAMPLE)))
    counter = Statements()
    event.listen(Engine, "before_cursor_execute", counter)
    try:
        app = create_app(settings)
        app.state.web.revision_ttl = 3600.0  # the program store's revision: checked once
        with TestClient(app, base_url="http://127.0.0.1") as client:
            client.cookies.set(SESSION_COOKIE, session)
            client.counter = counter  # type: ignore[attr-defined]
            yield client, settings, account.id
    finally:
        event.remove(Engine, "before_cursor_execute", counter)


def _track(settings: Settings, owner: str, code: str, state: str = "planned") -> None:
    """A save by another process (the CLI, the other worker): its own runtime."""
    with bootstrap(settings) as runtime:
        tracking = Tracking(runtime.units(), owner, runtime.facts)
        tracking.add(
            ApplicationRecord.parse({"program": code, "note": ""}),
            ChangeRecord.parse({"program": code, "state": state}),
        )


def test_a_cached_page_costs_one_statement(server: tuple[TestClient, Settings, str]) -> None:
    client, _, _ = server
    counter: Statements = client.counter  # type: ignore[attr-defined]
    # the home page (like the programs pages) also reads the user's own requirement values
    for path, count in (("/plan", 1), ("/calendar", 1), ("/costs", 1), ("/", 2)):
        counter.during(client, path)  # builds the caches
        seen = counter.during(client, path)
        assert len(seen) == count, (path, seen)
        assert "FROM sessions" in seen[0] and "profiles" in seen[0] and "trackers" in seen[0]
        assert all("FROM requirement_overrides" in s for s in seen[1:])


def test_the_tracker_is_read_again_after_a_save_in_another_process(
    server: tuple[TestClient, Settings, str],
) -> None:
    client, settings, owner = server
    counter: Statements = client.counter  # type: ignore[attr-defined]
    assert "No application tracked yet" in client.get("/tracker").text
    _track(settings, owner, "1000140C0")
    first = client.get("/tracker").text
    assert "/tracker/program/1000140C0" in first
    assert len(counter.during(client, "/calendar")) > 1  # the new revision: read once
    assert len(counter.during(client, "/calendar")) == 1  # then kept
    _track(settings, owner, "1002040A0")
    page = client.get("/tracker").text
    assert "/tracker/program/1000140C0" in page and "/tracker/program/1002040A0" in page
    detail = client.get("/tracker/program/1002040A0")
    assert detail.status_code == 200 and "(added)" in detail.text


def test_no_session_reads_no_profile(server: tuple[TestClient, Settings, str]) -> None:
    client, _, _ = server
    client.cookies.set(SESSION_COOKIE, "not-a-session")
    response = client.get("/plan", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login")


def test_an_expired_session_reads_as_nobody_and_is_deleted(
    database_url: str, tmp_path: Path
) -> None:
    from matchready.store.standing import NOBODY, SqlStanding

    settings = Settings(
        database_url=database_url, data_dir=tmp_path, multi_user=True, secret_key="test"
    )
    with bootstrap(settings) as runtime:
        assert runtime.accounts is not None and runtime.sessions is not None
        account = register(runtime.accounts, "amara@example.org", "correct horse battery 42")
        session = runtime.sessions.create(account.id, expires=2000.0)
        standing = runtime.standing
        assert isinstance(standing, SqlStanding)
        assert standing.of_session(session, now=1000.0).account == account.id
        assert standing.of_session(session, now=3000.0) == NOBODY  # expired
        assert runtime.sessions.account_of(session, now=1000.0) is None  # and deleted
