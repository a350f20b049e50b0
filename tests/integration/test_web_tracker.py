"""The Tracker page: forms (with CSRF), bad input re-rendered, and users kept apart."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from fakes import MemoryAccountStore, MemoryProfileStore, MemorySessionStore
from matchready.services.programs import import_programs
from matchready.settings import Settings
from matchready.store.database import open_database
from matchready.store.sql import SqlUnitOfWork
from matchready.web.app import create_app

DATA = Path(__file__).parent.parent / "data"


def _app(database_url: str, tmp_path: Path, *, multi_user: bool) -> Iterator[FastAPI]:
    engine, factory = open_database(database_url)
    for sample in ("template_sample.csv", "nrmp_codes_sample.csv"):
        import_programs(SqlUnitOfWork(factory), DATA / sample)
    accounts = {"accounts": MemoryAccountStore(), "sessions": MemorySessionStore()}
    app = create_app(
        Settings(data_dir=tmp_path),
        profiles=MemoryProfileStore(),
        units=partial(SqlUnitOfWork, factory),
        **(accounts if multi_user else {}),
    )
    try:
        yield app
    finally:
        engine.dispose()


@pytest.fixture
def local(database_url: str, tmp_path: Path) -> Iterator[TestClient]:
    for app in _app(database_url, tmp_path, multi_user=False):
        with TestClient(app) as client:
            yield client


def token(client: TestClient, path: str = "/tracker") -> str:
    found = re.search(r'name="csrftoken" value="([^"]+)"', client.get(path).text)
    assert found
    return found.group(1)


def post(client: TestClient, path: str, **fields: str) -> object:
    return client.post(path, data={"csrftoken": token(client), **fields}, follow_redirects=False)


def test_the_page_is_in_the_navigation_and_forms_need_the_token(local: TestClient) -> None:
    page = local.get("/tracker")
    assert page.status_code == 200 and 'href="/tracker"' in page.text
    assert "No application tracked yet" in page.text
    refused = local.post("/tracker/add", data={"program": "1000140C0"}, follow_redirects=False)
    assert refused.status_code == 403
    assert "1000140C0" not in local.get("/tracker").text


def test_a_day_of_tracking_in_the_browser(local: TestClient) -> None:
    for code in ("1000140C0", "1002040A0", "1000140P0"):
        assert post(local, "/tracker/add", program=code).status_code == 303
    assert post(local, "/tracker/move", program="1000140C0", state="submitted").status_code == 303
    bad = post(local, "/tracker/move", program="1000140C0", state="ranked")
    assert bad.status_code == 422
    assert "cannot go from &#39;submitted&#39; to &#39;ranked&#39;" in bad.text
    assert post(local, "/tracker/move", program="1000140C0", state="lost").status_code == 422
    bad_date = post(local, "/tracker/move", program="1000140C0", state="invited", date="soon")
    assert bad_date.status_code == 422
    assert "field &#39;date&#39;: &#39;soon&#39; is not a date such as 2025-09-03" in bad_date.text
    missing = post(local, "/tracker/move", program="1999140C0", state="submitted")
    assert missing.status_code == 404

    for n in range(5):
        post(local, "/tracker/letter", writer=f"Dr {n}", specialty="IM", us="yes")
    for n in range(1, 5):
        assert (
            post(local, "/tracker/letter/assign", key=f"L{n}", program="1000140C0").status_code
            == 303
        )
    fifth = post(local, "/tracker/letter/assign", key="L5", program="1000140C0")
    assert fifth.status_code == 422 and "at most 4 per program" in fifth.text

    upload = local.post(
        "/tracker/document",
        data={"csrftoken": token(local), "kind": "cv"},
        files={"file": ("cv.pdf", b"%PDF-1", "application/pdf")},
        follow_redirects=False,
    )
    assert upload.status_code == 303
    assert (
        post(local, "/tracker/signal", program="1000140C0", season="2025", tier="gold").status_code
        == 303
    )
    assert post(local, "/tracker/signal", program="1000140P0", season="2025").status_code == 422
    scores = post(local, "/tracker/interview", program="1000140C0", format="virtual", scores="fit")
    assert scores.status_code == 422
    assert "&#39;fit&#39; is not criterion=score (e.g. fit=4)" in scores.text
    # the web once kept the last of two scores for one criterion; it refuses them, as the CLI
    twice = post(
        local, "/tracker/interview", program="1000140C0", format="virtual", scores="fit=4; fit=2"
    )
    assert twice.status_code == 422
    assert "interview at 1000140C0: &#39;fit&#39; is scored twice" in twice.text
    post(
        local, "/tracker/interview", program="1000140C0", format="virtual", scores="fit=4; city=2"
    )
    post(local, "/tracker/would-not-go", program="1000140C0", value="yes")
    post(local, "/tracker/rank", program="1002040A0")
    post(local, "/tracker/rank", program="1000140C0", position="1")
    post(local, "/tracker/rank", program="1000140P0", under="1002040A0")

    page = local.get("/tracker").text
    assert "supplemental for 1002040A0" in page
    assert "marked &#39;would not go&#39;" in page and "mean 3.0" in page and "cv.pdf" in page
    detail = local.get("/tracker/program/1000140C0")
    assert detail.status_code == 200 and "(added)" in detail.text and "submitted" in detail.text
    rol = local.get("/tracker/rank-list.csv").text.splitlines()
    assert rol[1].startswith("primary,1,1000140C0,")
    assert "NRMP R3" in local.get("/tracker/rank-list.txt").text
    export = local.get("/tracker/export.csv")
    assert export.status_code == 200 and export.text.startswith("record,program,")
    assert local.get("/tracker/export.xlsx").content[:2] == b"PK"
    assert local.get("/tracker/export.json").status_code == 404


@pytest.fixture
def users(database_url: str, tmp_path: Path) -> Iterator[Callable[[str], TestClient]]:
    clients: list[TestClient] = []
    for app in _app(database_url, tmp_path, multi_user=True):

        def make(email: str, app: FastAPI = app) -> TestClient:
            client = TestClient(app, base_url="https://testserver")
            clients.append(client)
            client.post(
                "/register",
                data={
                    "csrftoken": token(client, "/register"),
                    "email": email,
                    "password": "correct horse battery",
                },
            )
            return client

        yield make
        for client in clients:
            client.close()


def test_user_a_can_never_read_or_change_user_b_tracker(
    users: Callable[[str], TestClient],
) -> None:
    alice, bob = users("a@example.org"), users("b@example.org")
    post(alice, "/tracker/add", program="1000140C0", note="alice's secret")
    post(alice, "/tracker/move", program="1000140C0", state="submitted")
    post(alice, "/tracker/letter", writer="Dr Alice", specialty="IM")
    post(alice, "/tracker/rank", program="1000140C0")

    page = bob.get("/tracker").text
    assert "1000140C0" not in page and "Dr Alice" not in page
    assert bob.get("/tracker/program/1000140C0").status_code == 404
    assert "Dr Alice" not in bob.get("/tracker/export.csv").text
    assert "1000140C0" not in bob.get("/tracker/rank-list.csv").text
    # changing Alice's application from Bob's session reaches only Bob's (empty) tracker,
    # whatever owner the form names
    moved = post(bob, "/tracker/move", program="1000140C0", state="invited", owner="1")
    assert moved.status_code == 404
    assert post(bob, "/tracker/letter/assign", key="L1", program="1000140C0").status_code == 404
    post(bob, "/tracker/add", program="1000140C0")
    assert "alice" not in bob.get("/tracker/program/1000140C0").text.lower()

    detail = alice.get("/tracker/program/1000140C0").text
    assert "submitted" in detail and "invited" not in detail
    assert "Dr Alice" in alice.get("/tracker").text
    anonymous = TestClient(alice.app, base_url="https://testserver")
    assert anonymous.get("/tracker", follow_redirects=False).status_code == 303
    assert anonymous.get("/tracker/export.csv", follow_redirects=False).status_code == 303
    anonymous.close()


def test_costs_and_calendar_pages_read_the_tracker(local: TestClient) -> None:
    """The web Costs page prices the applications the tracker shows submitted, and the
    Calendar page (and its ICS file) carries the tracker's dated interviews, as the CLI's
    `--from-tracker` does."""
    from matchready.io.profile import load_profile

    profile = Path(__file__).parents[2] / "examples" / "profiles" / "recent-graduate-j1.toml"
    data = load_profile(profile).model_dump(mode="json")
    assert local.put("/api/profile", json=data).status_code == 200
    before = local.get("/costs?as_of=2026-12-01").text
    assert "counted from your tracker" not in before
    for code in ("1000140C0", "1000140P0"):
        assert post(local, "/tracker/add", program=code).status_code == 303
        assert post(local, "/tracker/move", program=code, state="submitted").status_code == 303
    post(
        local,
        "/tracker/interview",
        program="1000140C0",
        format="virtual",
        date="2026-12-14",
    )
    costs = local.get("/costs?as_of=2026-12-01").text
    assert "Applications counted from your tracker: IM 2." in costs
    api = local.get("/api/costs?as_of=2026-12-01").json()
    assert "Applications counted from your tracker: IM 2." in api["notes"]
    calendar = local.get("/calendar?as_of=2026-12-01").text
    assert "Interview: 1000140C0" in calendar and "2026-12-14" in calendar
    assert "Interview: 1000140C0" in local.get("/calendar.ics?as_of=2026-12-01").text
    assert any(
        e["title"] == "Interview: 1000140C0"
        for e in local.get("/api/calendar?as_of=2026-12-01").json()["entries"]
    )
