"""Ownership of the shared program data in server mode, on SQLite and PostgreSQL: only editors
(granted by an administrator's `matchready accounts grant-editor`) change it; anyone else's
correction is their own value, which changes their screening, program page, API answers and
exports and nobody else's, and can be proposed to the editors. No editor's email is shown."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text
from typer.testing import CliRunner

from matchready.cli.app import app as cli
from matchready.domain.requirements import RequirementKind
from matchready.domain.screening import Outcome
from matchready.io.profile import load_profile
from matchready.services.programs import get_program, import_programs
from matchready.settings import Settings
from matchready.store.database import create_database_engine, migrate
from matchready.web.app import create_app
from stores import store_at

ROOT = Path(__file__).parents[2]
SAMPLE = ROOT / "tests" / "data" / "template_sample.csv"
PROFILE = ROOT / "examples" / "profiles" / "recent-graduate-j1.toml"
PASSWORD = "correct horse battery"
KEY = "1403621075"  # J-1 sponsored: yes (hard), in the sample
J1_NO = {
    "kind": "j1_sponsored",
    "value": "no",
    "strictness": "hard",
    "source": "https://example.org/im/visa-2027",
    "verified_on": "2026-11-20",
}


def _token(client: TestClient, path: str) -> str:
    found = re.search(r'name="csrftoken" value="([^"]+)"', client.get(path).text)
    assert found, path
    return found.group(1)


def _join(client: TestClient, email: str) -> TestClient:
    form = {"csrftoken": _token(client, "/register"), "email": email, "password": PASSWORD}
    assert client.post("/register", data=form, follow_redirects=False).status_code == 303
    profile = load_profile(PROFILE).model_dump(mode="json")
    assert client.put("/api/profile", json=profile).status_code == 200
    return client


def _j1_rule(client: TestClient) -> str:
    """The outcome of the J-1 rule for the sample's IM program in this user's screening."""
    results = client.get("/api/programs").json()["results"]
    found = next(r for r in results if r["program_key"] == KEY)
    outcome = next(r["outcome"] for r in found["rules"] if r["kind"] == "j1_sponsored")
    return Outcome(outcome).name.lower()


def _list_keys(client: TestClient) -> set[str]:
    rows = csv.DictReader(io.StringIO(client.get("/list.csv?specialty=IM").text))
    return {row["program"] for row in rows}


@pytest.fixture
def server(database_url: str, tmp_path: Path) -> Iterator[tuple[str, list[TestClient]]]:
    with store_at(database_url) as uow:
        import_programs(uow, SAMPLE)
    settings = Settings(data_dir=tmp_path, database_url=database_url, multi_user=True)
    app = create_app(settings)
    app.state.web.revision_ttl = 0.0
    with TestClient(app, base_url="https://testserver") as first:  # runs the app's lifespan
        clients = [first, *(TestClient(app, base_url="https://testserver") for _ in range(2))]
        for client, name in zip(clients, ("ana", "ben", "eda"), strict=True):
            _join(client, f"{name}@example.org")
        yield database_url, clients
        for client in clients[1:]:
            client.close()


def _grant(url: str, *args: str) -> str:
    done = CliRunner().invoke(cli, ["accounts", *args], env={"MATCHREADY_DATABASE_URL": url})
    assert done.exit_code == 0, done.output
    return done.output


def test_a_non_editors_correction_changes_only_their_own_view(
    server: tuple[str, list[TestClient]],
) -> None:
    url, (ana, ben, _eda) = server
    assert _j1_rule(ana) == _j1_rule(ben) == "pass"
    assert KEY in _list_keys(ana) and KEY in _list_keys(ben)
    form = {**J1_NO, "csrftoken": _token(ana, f"/programs/{KEY}")}
    saved = ana.post(f"/programs/{KEY}/requirements", data=form, follow_redirects=False)
    assert saved.status_code == 303
    assert saved.headers["location"] == f"/programs/{KEY}?saved=j1_sponsored&scope=yours#yours"

    # screening (web and API), the list and its export: Ana's only
    assert _j1_rule(ana) == "fail" and _j1_rule(ben) == "pass"
    assert KEY not in _list_keys(ana) and KEY in _list_keys(ben)
    # the program page: "your value" beside the shared one, for Ana only
    page = ana.get(f"/programs/{KEY}").text
    assert "Your values" in page and "(your value)" in page
    assert "https://example.org/im/visa-2027" in page
    assert "Your values" not in ben.get(f"/programs/{KEY}").text
    # the API: the values that apply to each, and Ana's own beside the shared one
    mine, theirs = (c.get(f"/api/programs/{KEY}").json() for c in (ana, ben))
    j1 = next(r for r in mine["requirements"] if r["kind"] == "j1_sponsored")
    assert (j1["value"], j1["source"]) == ("no", "https://example.org/im/visa-2027")
    assert [
        (v["yours"]["value"], v["shared"]["value"], v["proposal"]) for v in mine["your_values"]
    ] == [("no", "yes", "own")]
    assert next(r for r in theirs["requirements"] if r["kind"] == "j1_sponsored")["value"] == "yes"
    assert theirs["your_values"] == []
    # the shared data is untouched: no change, no history entry
    with store_at(url) as uow:
        program, history = get_program(uow, KEY)
    assert program.requirement(RequirementKind.J1_SPONSORED).value is True
    assert not [c for c in history if not c.by_import]
    # a second user's own value of the same requirement is theirs alone as well
    api = f"/api/programs/{KEY}/requirements/j1_sponsored"
    body = {"value": "yes", "strictness": "preference", "source": "coordinator email"}
    assert ben.put(api, json=body).json()["scope"] == "yours"
    assert _j1_rule(ana) == "fail"
    # dropping it: the shared value applies again
    assert ana.delete(f"/api/programs/{KEY}/yours/j1_sponsored").json()["changed"] is True
    assert _j1_rule(ana) == "pass" and KEY in _list_keys(ana)


def test_proposals_are_decided_by_editors_and_no_editor_email_is_shown(
    server: tuple[str, list[TestClient]],
) -> None:
    url, (ana, ben, eda) = server
    assert "eda@example.org is an editor of the shared program data" in _grant(
        url, "grant-editor", "eda@example.org"
    )
    assert _grant(url, "editors").split() == ["eda@example.org"]
    ana.put(f"/api/programs/{KEY}/requirements/j1_sponsored", json=J1_NO)
    proposed = ana.post(f"/api/programs/{KEY}/yours/j1_sponsored/proposal")
    assert proposed.status_code == 200 and proposed.json()["proposal"] == "proposed"
    # only editors see and decide proposals
    assert ben.get("/api/proposals").status_code == 403
    assert ben.get("/proposals").status_code == 403
    assert ben.post("/api/proposals/1", json={"accept": True}).status_code == 403
    listed = eda.get("/api/proposals").json()
    assert [(p["program"], p["proposed"]["value"], p["shared"]["value"]) for p in listed] == [
        (KEY, "no", "yes")
    ]
    page = eda.get("/proposals").text
    assert "ana@example.org" not in page and "visa-2027" in page
    decided = eda.post(f"/api/proposals/{listed[0]['number']}", json={"accept": True})
    assert decided.status_code == 200, decided.text
    assert decided.json()["change"]["changed_by"] == "you"
    # the shared value changed for everyone; Ana's own copy is no longer needed
    assert _j1_rule(ben) == "fail" and _j1_rule(ana) == "fail"
    assert ana.get(f"/api/programs/{KEY}").json()["your_values"] == []
    assert eda.get("/api/proposals").json() == []
    # history says "an editor" to the others, never the editor's email
    for client in (ana, ben):
        history = client.get(f"/api/programs/{KEY}").json()["history"]
        assert history[-1]["changed_by"] == "an editor"
        assert history[-1]["new"]["source"] == "https://example.org/im/visa-2027"
        page = client.get(f"/programs/{KEY}").text
        assert "edited by an editor" in page and "eda@example.org" not in page
    # an editor's own correction is shared at once (here it disagrees with the accepted
    # value's source: a conflict to verify, for everyone)
    body = {"value": "yes", "strictness": "hard", "source": "https://example.org/im/visa"}
    done = eda.put(f"/api/programs/{KEY}/requirements/j1_sponsored", json=body).json()
    assert done["scope"] == "shared" and _j1_rule(ben) == "unknown"
    conflicts = ben.get(f"/api/programs/{KEY}").json()["conflicts"]
    assert [c["kind"] for c in conflicts] == ["j1_sponsored"]
    # revoked: Eda's corrections are her own again
    _grant(url, "revoke-editor", "eda@example.org")
    again = {"value": "no", "strictness": "hard", "source": "https://example.org/im/x"}
    assert (
        eda.put(f"/api/programs/{KEY}/requirements/j1_sponsored", json=again).json()["scope"]
        == "yours"
    )
    assert _j1_rule(ben) == "unknown" and _j1_rule(eda) == "fail"
    assert eda.get("/api/proposals").status_code == 403


def test_a_declined_proposal_stays_the_users_own(server: tuple[str, list[TestClient]]) -> None:
    url, (ana, ben, eda) = server
    _grant(url, "grant-editor", "eda@example.org")
    ana.put(f"/api/programs/{KEY}/requirements/j1_sponsored", json=J1_NO)
    form = {"csrftoken": _token(ana, f"/programs/{KEY}"), "action": "propose"}
    assert ana.post(f"/programs/{KEY}/yours/j1_sponsored", data=form).status_code == 200
    number = eda.get("/api/proposals").json()[0]["number"]
    form = {"csrftoken": _token(eda, "/proposals"), "decision": "decline"}
    assert eda.post(f"/proposals/{number}", data=form).status_code == 200
    assert ana.get(f"/api/programs/{KEY}").json()["your_values"][0]["proposal"] == "declined"
    assert _j1_rule(ana) == "fail" and _j1_rule(ben) == "pass"
    assert eda.post(f"/api/proposals/{number}", json={"accept": True}).status_code == 404
    with store_at(url) as uow:
        program, _ = get_program(uow, KEY)
    assert program.requirement(RequirementKind.J1_SPONSORED).value is True


def test_granting_an_unknown_account_is_a_clear_error(database_url: str) -> None:
    done = CliRunner().invoke(
        cli, ["accounts", "grant-editor", "nobody@example.org"],
        env={"MATCHREADY_DATABASE_URL": database_url},
    )  # fmt: skip
    assert done.exit_code == 1
    assert "no account with the email nobody@example.org" in done.output


def test_the_migration_replaces_emails_in_history_by_the_account(engine_at_0005: Engine) -> None:
    """Edits recorded before 0006 under an account's email (or "account <id>" for a long one)
    are recorded under the account instead, so history no longer shows an email."""
    migrate(engine_at_0005)
    with engine_at_0005.connect() as connection:
        query = text("SELECT changed_by FROM requirement_history ORDER BY id")
        names = [r[0] for r in connection.execute(query)]
        editor = connection.execute(text("SELECT editor FROM accounts")).scalar_one()
    assert names == ["account:a1", "account:a1", "user (file.csv)"]
    assert not editor


@pytest.fixture
def engine_at_0005(database_url: str) -> Iterator[Engine]:
    engine = create_database_engine(database_url)
    migrate(engine, "0005_program_evidence")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO accounts (id, email, password_hash, created_at) "
                "VALUES ('a1', 'ana@example.org', 'x', CURRENT_TIMESTAMP)"
            )
        )
        connection.execute(
            text("INSERT INTO programs (id, name, changed_version) VALUES (1, 'P', 0)")
        )
        for who in ("ana@example.org", "account a1", "user (file.csv)"):
            connection.execute(
                text(
                    "INSERT INTO requirement_history (program_id, kind, changed_at, changed_by,"
                    " new_strictness) VALUES (1, 'j1_sponsored', CURRENT_TIMESTAMP, :who, 'hard')"
                ),
                {"who": who},
            )
    yield engine
    engine.dispose()
