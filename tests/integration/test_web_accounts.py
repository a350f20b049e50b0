"""Multi-user mode: accounts, sessions, rate limiting, and strict per-user isolation."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from fakes import MemoryAccountStore, MemoryProfileStore, MemorySessionStore
from matchready.io.profile import load_profile
from matchready.settings import Settings
from matchready.web.app import create_app

EXAMPLES = Path(__file__).parents[2] / "examples" / "profiles"
PASSWORD = "correct horse battery"


@pytest.fixture
def app(tmp_path: Path) -> FastAPI:
    return create_app(
        Settings(data_dir=tmp_path),
        profiles=MemoryProfileStore(),
        accounts=MemoryAccountStore(),
        sessions=MemorySessionStore(),
    )


@pytest.fixture
def new_client(app: FastAPI) -> Iterator[Callable[[], TestClient]]:
    clients: list[TestClient] = []

    def make() -> TestClient:
        client = TestClient(app, base_url="https://testserver")
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


def token(client: TestClient, path: str = "/login") -> str:
    found = re.search(r'name="csrftoken" value="([^"]+)"', client.get(path).text)
    assert found
    return found.group(1)


def register(client: TestClient, email: str, password: str = PASSWORD) -> object:
    return client.post(
        "/register",
        data={"csrftoken": token(client, "/register"), "email": email, "password": password},
        follow_redirects=False,
    )


def login(client: TestClient, email: str, password: str = PASSWORD, nxt: str = "/") -> object:
    return client.post(
        "/login",
        data={"csrftoken": token(client), "email": email, "password": password, "next": nxt},
        follow_redirects=False,
    )


def test_pages_need_a_login_and_the_api_answers_401(new_client: Callable[[], TestClient]) -> None:
    client = new_client()
    page = client.get("/plan?as_of=2026-11-25", follow_redirects=False)
    assert page.status_code == 303
    assert page.headers["location"] == "/login?next=/plan%3Fas_of%3D2026-11-25"
    api = client.get("/api/plan")
    assert api.status_code == 401
    assert api.json()["error"]["title"] == "Unauthorized"
    assert client.get("/login").status_code == 200


def test_registration_checks_its_input(new_client: Callable[[], TestClient]) -> None:
    client = new_client()
    short = register(client, "a@example.org", "short")
    assert short.status_code == 422 and "at least 12 characters" in short.text
    bad = register(client, "not-an-email")
    assert bad.status_code == 422 and "expected an email address" in bad.text
    assert register(client, "a@example.org").status_code == 303
    again = register(new_client(), "A@Example.org")
    assert again.status_code == 422 and "cannot be registered" in again.text


def test_the_session_cookie_is_secure_and_http_only(new_client: Callable[[], TestClient]) -> None:
    result = register(new_client(), "b@example.org")
    cookie = result.headers["set-cookie"].lower()
    assert "matchready_session=" in cookie
    assert "httponly" in cookie and "secure" in cookie and "samesite=lax" in cookie


def test_login_logout_and_the_old_session_is_dead(new_client: Callable[[], TestClient]) -> None:
    register(new_client(), "c@example.org")
    client = new_client()
    done = login(client, "c@example.org", nxt="/specialties")
    assert done.status_code == 303 and done.headers["location"] == "/specialties"
    old = client.cookies.get("matchready_session")
    assert client.get("/specialties").status_code == 200
    out = client.post(
        "/logout", data={"csrftoken": token(client, "/specialties")}, follow_redirects=False
    )
    assert out.status_code == 303
    replay = new_client()
    replay.cookies.set("matchready_session", old)
    assert replay.get("/specialties", follow_redirects=False).status_code == 303


def test_login_gives_a_new_session_id(new_client: Callable[[], TestClient]) -> None:
    register(new_client(), "d@example.org")
    client = new_client()
    client.cookies.set("matchready_session", "chosen-by-an-attacker")
    result = login(client, "d@example.org")
    issued = re.search(r"matchready_session=([^;]+)", result.headers["set-cookie"])
    assert issued and issued.group(1) != "chosen-by-an-attacker"


def test_no_open_redirect_after_login(new_client: Callable[[], TestClient]) -> None:
    register(new_client(), "e@example.org")
    result = login(new_client(), "e@example.org", nxt="//evil.example/steal")
    assert result.headers["location"] == "/"


def test_failed_logins_are_rate_limited(new_client: Callable[[], TestClient]) -> None:
    register(new_client(), "f@example.org")
    client = new_client()
    for _ in range(5):
        wrong = login(client, "f@example.org", "wrong password!!")
        assert wrong.status_code == 401 and "wrong" in wrong.text
    blocked = login(client, "f@example.org")  # even the right password, for now
    assert blocked.status_code == 429
    assert int(blocked.headers["retry-after"]) > 0
    assert "too many failed logins" in blocked.text
    other = login(new_client(), "nobody@example.org", "whatever password")
    assert other.status_code == 401  # the limit is per address and email: others may log in


def test_users_never_see_or_change_each_others_data(new_client: Callable[[], TestClient]) -> None:
    alice, bob = new_client(), new_client()
    register(alice, "alice@example.org")
    register(bob, "bob@example.org")
    profile = load_profile(EXAMPLES / "recent-graduate-j1.toml").model_dump(mode="json")
    assert alice.put("/api/profile", json=profile).status_code == 200
    # by API
    assert bob.get("/api/profile").status_code == 404
    assert bob.get("/api/plan").status_code == 404
    # by page: Bob's form starts from the template, not from Alice's profile
    assert "Amara Example" not in bob.get("/profile").text
    assert bob.get("/plan", follow_redirects=False).headers["location"] == "/profile"
    # by form: Bob's save lands in Bob's profile only
    other = load_profile(EXAMPLES / "us-citizen-img.toml").model_dump(mode="json")
    assert bob.put("/api/profile", json=other).status_code == 200
    assert alice.get("/api/profile").json()["applicant"]["name"] == "Amara Example (fictional)"
    assert bob.get("/api/profile").json()["applicant"]["name"] == "Jordan Placeholder (fictional)"
    # cached pages are kept per owner and profile version
    assert "Plan for Amara Example" in alice.get("/plan").text
    for path in ("/plan", "/odds", "/calendar", "/costs"):
        assert "Amara" not in bob.get(path).text, path
    assert "Plan for Jordan Placeholder" in bob.get("/plan").text
    renamed = {**profile, "applicant": {**profile["applicant"], "name": "Amara Renamed"}}
    assert alice.put("/api/profile", json=renamed).status_code == 200
    assert "Plan for Amara Renamed" in alice.get("/plan").text
    # by id guessing: no route takes an account or profile id; only the shared programs
    # are addressed by key ("yours" is always the caller's own value), and proposals by
    # number for editors only (403 for anyone else: tests/integration/test_program_ownership)
    paths = alice.get("/openapi.json").json()["paths"]
    with_ids = {path for path in paths if "{" in path}
    assert with_ids == {
        "/api/programs/{key}",
        "/api/programs/{key}/requirements/{kind}",
        "/api/programs/{key}/yours/{kind}",
        "/api/programs/{key}/yours/{kind}/proposal",
        "/api/proposals/{number}",
    }
    assert alice.post("/api/proposals/1", json={"accept": True}).status_code == 403
    # a forged session cookie is nobody
    mallory = new_client()
    mallory.cookies.set("matchready_session", "0" * 43)
    assert mallory.get("/api/profile").status_code == 401


def test_server_mode_on_the_database(database_url: str, tmp_path: Path) -> None:
    """The real wiring: accounts, sessions and profiles in SQLite or PostgreSQL."""
    settings = Settings(data_dir=tmp_path, database_url=database_url, multi_user=True)
    with TestClient(create_app(settings), base_url="https://testserver") as alice:
        assert register(alice, "alice@example.org").status_code == 303
        profile = load_profile(EXAMPLES / "recent-graduate-j1.toml").model_dump(mode="json")
        assert alice.put("/api/profile", json=profile).status_code == 200
    with TestClient(create_app(settings), base_url="https://testserver") as again:
        assert login(again, "alice@example.org").status_code == 303
        assert again.get("/api/profile").json()["applicant"]["name"] == "Amara Example (fictional)"
        with TestClient(create_app(settings), base_url="https://testserver") as bob:
            register(bob, "bob@example.org")
            assert bob.get("/api/profile").status_code == 404


def test_server_mode_needs_a_database_url(tmp_path: Path) -> None:
    from matchready.errors import StoreError

    with pytest.raises(StoreError, match="MATCHREADY_DATABASE_URL"):
        create_app(Settings(data_dir=tmp_path, multi_user=True))
