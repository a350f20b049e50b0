"""The web app's boundary, one regression test per finding of issue 17 (tried as an attacker on
127.0.0.1): each of these failed before the fix. The route-table walk and the form fuzz test
are in test_web_boundary.py."""

from __future__ import annotations

import asyncio
import csv
import io
import re
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.exc import OperationalError

from fakes import MemoryProfileStore
from matchready.errors import InputError, NotFoundError
from matchready.io.tables import read_table, write_table
from matchready.services import accounts as account_service
from matchready.services.accounts import (
    MemoryAccountStore,
    MemoryAttemptStore,
    MemorySessionStore,
    issue_reset,
)
from matchready.services.programs import import_programs
from matchready.settings import Settings
from matchready.store.database import open_database
from matchready.store.sql import SqlUnitOfWork
from matchready.web.app import create_app
from matchready.web.links import safe_url, source_link

DATA = Path(__file__).parent.parent / "data"
PASSWORD = "correct horse battery"
SQL_WORDS = re.compile(r"SELECT |INSERT INTO|UPDATE |sqlite3\.|psycopg|\[SQL|tracker_letters")


def token(client: TestClient, path: str) -> str:
    found = re.search(r'name="csrftoken" value="([^"]+)"', client.get(path).text)
    assert found, path
    return found.group(1)


def post(client: TestClient, path: str, token_from: str, **fields: str) -> httpx.Response:
    data = {"csrftoken": token(client, token_from), **fields}
    return client.post(path, data=data, follow_redirects=False)


def register(client: TestClient, email: str, password: str = PASSWORD) -> httpx.Response:
    return post(client, "/register", "/register", email=email, password=password)


def login(client: TestClient, email: str, password: str = PASSWORD) -> httpx.Response:
    return post(client, "/login", "/login", email=email, password=password)


@pytest.fixture
def server_app(database_url: str, tmp_path: Path) -> Iterator[FastAPI]:
    """Server mode on a real database (SQLite and PostgreSQL), with the sample programs."""
    engine, factory = open_database(database_url)
    import_programs(SqlUnitOfWork(factory), DATA / "template_sample.csv")
    engine.dispose()
    settings = Settings(data_dir=tmp_path, database_url=database_url, multi_user=True)
    app = create_app(settings)
    with TestClient(app, base_url="https://testserver"):  # runs the lifespan (disposal)
        yield app


@pytest.fixture
def local_app(database_url: str, tmp_path: Path) -> Iterator[FastAPI]:
    engine, factory = open_database(database_url)
    import_programs(SqlUnitOfWork(factory), DATA / "template_sample.csv")
    engine.dispose()
    app = create_app(Settings(data_dir=tmp_path, database_url=database_url))
    with TestClient(app):
        yield app


# --- Critical: the e-mail regex backtracked on the event loop --------------------------------


def test_an_email_of_30000_dots_is_refused_at_once() -> None:
    # the regex backtracked for over 5 s on this; the length is now checked first, and
    # email-validator (linear) checks the syntax of what fits
    problem = account_service.email_problem("a" + "." * 30_000 + "@")
    assert problem == "an email address has at most 320 characters"
    assert account_service.email_problem("." * 300 + "@" + "." * 19) == (
        "expected an email address such as name@example.org"
    )


def test_registration_is_limited_per_address(server_app: FastAPI) -> None:
    client = TestClient(server_app, base_url="https://testserver")
    for n in range(5):
        assert register(client, f"user{n}@example.org").status_code == 303
        client.cookies.clear()
    refused = register(client, "user6@example.org")
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) > 3000
    assert "too many registrations" in refused.text


# --- High: javascript: links from data; no CSP ----------------------------------------------


def test_only_http_links_are_made_from_data() -> None:
    assert safe_url("javascript:alert(document.domain)") is None
    assert safe_url(" JaVaScRiPt:alert(1)") is None
    assert safe_url("java\tscript:alert(1)") is None
    assert safe_url("data:text/html,<script>alert(1)</script>") is None
    assert safe_url("//evil.example/x") is None
    assert safe_url("https://example.org/im") == "https://example.org/im"
    assert str(source_link("javascript:alert(1)")) == "javascript:alert(1)"
    assert str(source_link("<b>NRMP</b>")) == "&lt;b&gt;NRMP&lt;/b&gt;"
    assert str(source_link("https://www.nrmp.org/x")) == (
        '<a href="https://www.nrmp.org/x" rel="noopener noreferrer">https://www.nrmp.org/x</a>'
    )


def test_a_javascript_website_is_not_a_link_and_the_page_has_a_csp(
    database_url: str, tmp_path: Path
) -> None:
    text = (DATA / "template_sample.csv").read_text(encoding="utf-8")
    lines = text.splitlines()
    lines[1] += ",website"
    lines[2] += ",javascript:alert(document.domain)"
    lines[3:] = [line + "," for line in lines[3:]]
    sample = tmp_path / "evil.csv"
    sample.write_text("\n".join(lines) + "\n", encoding="utf-8")
    engine, factory = open_database(database_url)
    import_programs(SqlUnitOfWork(factory), sample)
    engine.dispose()
    with TestClient(create_app(Settings(data_dir=tmp_path, database_url=database_url))) as client:
        page = client.get("/programs/1403621075")
    assert page.status_code == 200
    assert 'href="javascript:' not in page.text
    assert "javascript:alert(document.domain) (not a web address)" in page.text
    csp = page.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert "<script>" not in page.text and " on" + "click=" not in page.text


# --- High: any Host header; DNS rebinding ----------------------------------------------------


def test_local_mode_answers_only_its_own_host_names(tmp_path: Path) -> None:
    app = create_app(Settings(data_dir=tmp_path, allowed_hosts=[]), profiles=MemoryProfileStore())
    with TestClient(app, base_url="http://127.0.0.1:8000") as client:
        assert client.get("/profile").status_code == 200
        for host in ("localhost:8000", "[::1]:8000", "127.0.0.1", "LOCALHOST"):
            assert client.get("/profile", headers={"host": host}).status_code == 200, host
        for host in ("rebind.attacker.example:8000", "127.0.0.1.attacker.example", ""):
            response = client.get("/api/profile", headers={"host": host})
            assert response.status_code == 400, host
            put = client.put("/api/profile", json={}, headers={"host": host})
            assert put.status_code == 400, host
    named = create_app(
        Settings(data_dir=tmp_path, host="192.168.1.20", allowed_hosts=[]),
        profiles=MemoryProfileStore(),
    )
    with TestClient(named, base_url="http://192.168.1.20:8000") as client:
        assert client.get("/profile").status_code == 200
        assert client.get("/profile", headers={"host": "evil.example"}).status_code == 400


def test_a_cross_site_request_is_refused_before_the_route(tmp_path: Path) -> None:
    app = create_app(Settings(data_dir=tmp_path), profiles=MemoryProfileStore())
    with TestClient(app) as client:
        for headers in (
            {"sec-fetch-site": "cross-site"},
            {"sec-fetch-site": "same-site"},
            {"origin": "http://rebind.attacker.example"},
            {"origin": "null"},
        ):
            refused = client.put("/api/profile", json={}, headers=headers)
            assert refused.status_code == 403, headers
            assert "sent from another site" in refused.text
            form = client.post("/profile/check", data={"csrftoken": "x"}, headers=headers)
            assert form.status_code == 403
        same = client.put(
            "/api/profile",
            json={},
            headers={"sec-fetch-site": "same-origin", "origin": "http://testserver"},
        )
        assert same.status_code == 422  # reached the route: an empty profile is invalid
        assert client.put("/api/profile", json={}, headers={"origin": "http://testserver"})


# --- Medium: NUL bytes, SQL in error pages, no length limits, the form decoder ---------------


def test_nul_bytes_are_4xx_everywhere(server_app: FastAPI) -> None:
    client = TestClient(server_app, base_url="https://testserver")
    assert login(client, "a\x00@example.org").status_code == 422
    assert register(client, "a@example.org", "correct horse\x00battery").status_code == 422
    assert register(client, "a@example.org").status_code == 303
    for path in ("/api/programs/%00", "/programs/%00", "/programs?specialty=%00"):
        response = client.get(path)
        assert 400 <= response.status_code < 500, path
        assert "NUL character" in response.text
    tracker = post(client, "/tracker/add", "/tracker", program="1000140C0", note="a\x00b")
    assert tracker.status_code == 422 and "field &#39;note&#39;" in tracker.text
    letter = post(client, "/tracker/letter", "/tracker", writer="Dr\x00", specialty="IM")
    assert letter.status_code == 422
    upload = client.post(
        "/tracker/document",
        data={"csrftoken": token(client, "/tracker"), "kind": "cv", "name": "cv\x00.pdf"},
        files={"file": ("cv.pdf", b"%PDF-1", "application/pdf")},
    )
    assert upload.status_code == 422 and "NUL character" in upload.text
    api = client.put("/api/profile", json={"applicant": {"name": "x\x00"}})
    assert api.status_code == 422 and api.json()["error"]["problems"][0]["field"] == (
        "applicant.name"
    )


def test_overlong_fields_are_422_naming_the_field_never_sql(server_app: FastAPI) -> None:
    client = TestClient(server_app, base_url="https://testserver")
    assert register(client, "a@example.org").status_code == 303
    post(client, "/tracker/add", "/tracker", program="1000140C0", note="mine, private")
    letter = post(client, "/tracker/letter", "/tracker", writer="W" * 201, specialty="IM")
    assert letter.status_code == 422
    assert "at most 200 characters (this has 201)" in letter.text
    assert not SQL_WORDS.search(letter.text) and "mine, private" not in letter.text
    source = post(
        client,
        "/programs/1403621075/requirements",
        "/programs/1403621075",
        kind="j1_sponsored",
        value="yes",
        strictness="hard",
        source="https://example.org\x00",
        verified_on="2026-01-10",
    )
    assert source.status_code == 422 and not SQL_WORDS.search(source.text)
    note = post(client, "/tracker/add", "/tracker", program="1002040A0", note="n" * 1_000_000)
    assert note.status_code == 413
    long_note = post(client, "/tracker/add", "/tracker", program="1002040A0", note="n" * 5_001)
    assert long_note.status_code == 422 and "at most 5,000 characters" in long_note.text


def test_a_value_and_a_section_of_one_name_is_422(tmp_path: Path) -> None:
    app = create_app(Settings(data_dir=tmp_path), profiles=MemoryProfileStore())
    with TestClient(app) as client:
        for path in ("/profile", "/profile/check"):
            for body in (
                {"applicant": "x", "applicant.name": "y"},
                {"applicant.name": "y", "applicant": "x"},
            ):
                response = post(client, path, "/profile", **body)
                assert response.status_code == 422, (path, body)
                assert "both as a value and as a section" in response.text


def test_a_store_failure_is_503_with_retry_after_and_no_internals(tmp_path: Path) -> None:
    class Down(MemoryProfileStore):
        def read(self, owner: str) -> str | None:
            raise OperationalError("SELECT toml FROM profiles WHERE owner = 'local'", {}, None)

    app = create_app(Settings(data_dir=tmp_path), profiles=Down())
    with TestClient(app, raise_server_exceptions=False) as client:
        for path in ("/plan", "/api/profile", "/profile"):
            response = client.get(path)
            assert response.status_code == 503, path
            assert response.headers["retry-after"] == "5"
            assert "not available right now" in response.text
            assert not SQL_WORDS.search(response.text) and "profiles" not in response.text
        assert 'href="/tracker"' in client.get("/plan").text  # the navigation stays


# --- Medium: the login limit (per process, locked the right password, sprayable) ------------


def test_the_login_limit_holds_across_workers(database_url: str, tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, database_url=database_url, multi_user=True)
    one, two = create_app(settings), create_app(settings)  # two workers, one database
    with (
        TestClient(one, base_url="https://testserver") as a,
        TestClient(two, base_url="https://testserver") as b,
    ):
        assert register(a, "victim@example.org").status_code == 303
        a.cookies.clear()
        results = [
            login((a, b)[n % 2], "victim@example.org", "wrong password!").status_code
            for n in range(7)
        ]
    assert results == [401, 401, 401, 401, 401, 429, 429]


def test_others_failures_never_lock_out_the_right_password_on_a_known_browser(
    server_app: FastAPI,
) -> None:
    owner = TestClient(server_app, base_url="https://testserver")
    assert register(owner, "owner@example.org").status_code == 303
    owner.cookies.delete("matchready_session")
    assert login(owner, "owner@example.org").status_code == 303  # remembers this browser
    owner.cookies.delete("matchready_session")
    attacker = TestClient(server_app, base_url="https://testserver")
    statuses = {
        login(attacker, "owner@example.org", f"guess {n:04}xyz").status_code for n in range(25)
    }
    assert statuses == {401, 429}
    assert login(attacker, "owner@example.org").status_code == 429  # the attacker stays out
    assert login(owner, "owner@example.org").status_code == 303  # the owner does not


def test_password_spraying_across_accounts_is_limited_per_address(server_app: FastAPI) -> None:
    client = TestClient(server_app, base_url="https://testserver")
    statuses = [
        login(client, f"user{n}@example.org", "Winter2026!!").status_code for n in range(22)
    ]
    assert statuses[:20] == [401] * 20 and statuses[20:] == [429, 429]


def test_serve_believes_no_forwarded_for_header_unless_told() -> None:
    from matchready.cli.serve import server_options

    options = server_options("127.0.0.1", 8000, 2, None)
    assert options["proxy_headers"] is False and options["forwarded_allow_ips"] == ""
    assert options["workers"] == 2 and options["factory"] is True
    behind = server_options("127.0.0.1", 8000, 1, "10.0.0.2")
    assert behind["proxy_headers"] is True and behind["forwarded_allow_ips"] == "10.0.0.2"


def test_rotating_x_forwarded_for_on_loopback_does_not_escape_the_limit(
    tmp_path: Path,
) -> None:
    """A real uvicorn server with `matchready serve`'s options (uvicorn alone would believe
    X-Forwarded-For from 127.0.0.1)."""
    import threading

    import uvicorn

    from matchready.cli.serve import server_options

    url = f"sqlite:///{tmp_path / 'server.sqlite3'}"
    app = create_app(Settings(data_dir=tmp_path, database_url=url, multi_user=True))
    options = server_options("127.0.0.1", 0, 1, None)
    options.pop("workers"), options.pop("factory")
    server = uvicorn.Server(uvicorn.Config(app, **{**options, "port": _free_port()}))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        while not server.started:
            time.sleep(0.02)
        port = server.servers[0].sockets[0].getsockname()[1]
        base = f"http://127.0.0.1:{port}"
        with httpx.Client(base_url=base) as client:
            statuses = []
            for n in range(7):
                page = client.get("/login")
                found = re.search(r'name="csrftoken" value="([^"]+)"', page.text)
                assert found
                if "matchready_csrf" in page.cookies:  # a Secure cookie; this is plain http
                    client.cookies.set("matchready_csrf", page.cookies["matchready_csrf"])
                response = client.post(
                    "/login",
                    data={
                        "csrftoken": found.group(1),
                        "email": "v@example.org",
                        "password": "wrong password!",
                    },
                    headers={"x-forwarded-for": f"203.0.113.{n}"},
                )
                statuses.append(response.status_code)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
    assert statuses == [401, 401, 401, 401, 401, 429, 429]


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# --- Medium: CSV formula injection -----------------------------------------------------------


def test_csv_cells_that_would_be_formulas_are_neutralised_and_read_back(
    tmp_path: Path,
) -> None:
    path = tmp_path / "table.csv"
    cells = ['=HYPERLINK("http://evil")', "+1", "-2", "@SUM(A1)", "\tx", "plain", "'quoted"]
    write_table(path, ["value"], [[c] for c in cells])
    raw = [row[0] for row in csv.reader(io.StringIO(path.read_text(encoding="utf-8")))][1:]
    assert raw == [
        '\'=HYPERLINK("http://evil")',
        "'+1",
        "'-2",
        "'@SUM(A1)",
        "'\tx",
        "plain",
        "'quoted",
    ]
    assert [r[0] for r in read_table(path).rows] == [c.strip() for c in cells]


def test_the_tracker_and_rank_list_csv_exports_are_neutralised(local_app: FastAPI) -> None:
    client = TestClient(local_app)
    note = "=cmd|' /C calc'!A0"
    assert post(client, "/tracker/add", "/tracker", program="1000140C0", note=note).status_code
    post(client, "/tracker/rank", "/tracker", program="1000140C0")
    export = client.get("/tracker/export.csv").text
    assert note not in export.replace("'" + note, "")
    assert "'" + note in export


# --- Medium: security headers; Back after logout --------------------------------------------


def test_personal_pages_are_not_stored_and_https_gets_hsts(server_app: FastAPI) -> None:
    client = TestClient(server_app, base_url="https://testserver")
    register(client, "a@example.org")
    page = client.get("/tracker")
    assert page.headers["cache-control"] == "no-store"
    assert page.headers["x-content-type-options"] == "nosniff"
    assert page.headers["referrer-policy"] == "same-origin"
    assert page.headers["strict-transport-security"].startswith("max-age=31536000")
    assert "no-store" not in client.get("/static/app.css").headers.get("cache-control", "")
    plain = TestClient(server_app).get("/login")
    assert "strict-transport-security" not in plain.headers


# --- Medium: argon2 and tracker writes on the event loop ------------------------------------


RELEASE = threading.Event()


def _blocking(function: Any) -> Any:
    """`function`, made to wait until the test has had its quick answer (or 20 s): on the event
    loop it would hold the loop, so the quick request could not be answered first."""

    def wait_then_call(*args: Any, **kwargs: Any) -> Any:
        RELEASE.wait(timeout=20)
        return function(*args, **kwargs)

    return wait_then_call


def _concurrently(app: FastAPI, slow: tuple[str, str, dict[str, str]], quick: str) -> list[str]:
    """Send the slow request, then the quick one while it runs; the order they finished in."""
    RELEASE.clear()

    async def run() -> list[str]:
        done: list[str] = []
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="https://testserver") as c:
            page = await c.get(slow[1])
            found = re.search(r'name="csrftoken" value="([^"]+)"', page.text)
            assert found
            data = {"csrftoken": found.group(1), **slow[2]}

            async def first() -> None:
                await c.post(slow[0], data=data)
                done.append("slow")

            async def second() -> None:
                await asyncio.sleep(0.05)
                await c.get(quick)
                done.append("quick")
                RELEASE.set()

            await asyncio.gather(first(), second())
        return done

    # in a thread of its own: the browser tests' Playwright keeps an event loop running in
    # this one
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(lambda: asyncio.run(run())).result()


def test_password_hashing_runs_off_the_event_loop(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    slow = _blocking(account_service.authenticate)  # a slow argon2 verify
    monkeypatch.setattr("matchready.web.routes.accounts.authenticate", slow)
    app = create_app(
        Settings(data_dir=tmp_path),
        profiles=MemoryProfileStore(),
        accounts=MemoryAccountStore(),
        sessions=MemorySessionStore(),
        attempts=MemoryAttemptStore(),
    )
    order = _concurrently(
        app, ("/login", "/login", {"email": "a@example.org", "password": "x" * 12}), "/login"
    )
    assert order == ["quick", "slow"]


def test_tracker_writes_run_off_the_event_loop(
    local_app: FastAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    from matchready.services import tracker as tracker_service

    slow = _blocking(tracker_service.Tracking.add)  # replaying a long tracker
    monkeypatch.setattr(tracker_service.Tracking, "add", slow)
    order = _concurrently(
        local_app, ("/tracker/add", "/tracker", {"program": "1000140C0"}), "/specialties"
    )
    assert order == ["quick", "slow"]


# --- Low: the CSRF token, enumeration, weak passwords, the reset ----------------------------


def test_a_token_from_another_session_is_refused(server_app: FastAPI) -> None:
    attacker = TestClient(server_app, base_url="https://testserver")
    planted_token = token(attacker, "/login")  # valid, but for no session
    planted_cookie = attacker.cookies["matchready_csrf"]
    victim = TestClient(server_app, base_url="https://testserver")
    assert register(victim, "victim@example.org").status_code == 303
    own_cookie = victim.cookies["matchready_csrf"]
    victim.cookies.delete("matchready_csrf")
    victim.cookies.set("matchready_csrf", planted_cookie)  # tossed in by the attacker
    forged = victim.post(
        "/tracker/add",
        data={"csrftoken": planted_token, "program": "1000140C0"},
        follow_redirects=False,
    )
    assert forged.status_code == 403
    victim.cookies.delete("matchready_csrf")
    victim.cookies.set("matchready_csrf", own_cookie)
    assert post(victim, "/tracker/add", "/tracker", program="1000140C0").status_code == 303


def test_registration_does_not_say_an_account_exists(server_app: FastAPI) -> None:
    client = TestClient(server_app, base_url="https://testserver")
    assert register(client, "taken@example.org").status_code == 303
    again = register(TestClient(server_app, base_url="https://testserver"), "taken@example.org")
    assert again.status_code == 422
    assert "exists" not in again.text and "already" not in again.text
    assert "cannot be registered" in again.text


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("aaaaaaaaaaaa", "at least 5 different characters"),
        ("abababababababab", "at least 5 different characters"),
        ("someone@example.org", "do not use your email address"),
        ("Someone-2026-pass", "do not use your email address"),
    ],
)
def test_weak_passwords_are_refused(password: str, message: str) -> None:
    store = MemoryAccountStore()
    with pytest.raises(InputError) as raised:
        account_service.register(store, "someone@example.org", password)
    assert message in str(raised.value)


def test_an_admin_issued_reset_sets_a_new_password_once_and_ends_sessions(
    server_app: FastAPI,
) -> None:
    user = TestClient(server_app, base_url="https://testserver")
    assert register(user, "forgot@example.org").status_code == 303
    assert user.get("/tracker").status_code == 200
    web = server_app.state.web
    reset = issue_reset(web.accounts, "Forgot@Example.org")
    other = TestClient(server_app, base_url="https://testserver")
    assert "For the account forgot@example.org" in other.get(f"/reset/{reset}").text
    weak = post(other, f"/reset/{reset}", f"/reset/{reset}", password="aaaaaaaaaaaa")
    assert weak.status_code == 422
    done = post(other, f"/reset/{reset}", f"/reset/{reset}", password="a new long passphrase")
    assert done.status_code == 303 and done.headers["location"] == "/profile"
    assert user.get("/tracker", follow_redirects=False).status_code == 303  # logged out
    assert other.get(f"/reset/{reset}").status_code == 404  # used up
    fresh = TestClient(server_app, base_url="https://testserver")
    assert login(fresh, "forgot@example.org").status_code == 401
    assert login(fresh, "forgot@example.org", "a new long passphrase").status_code == 303
    with pytest.raises(NotFoundError):
        issue_reset(web.accounts, "nobody@example.org")
