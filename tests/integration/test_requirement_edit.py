"""A requirement corrected by hand: the same rules as an import, the source required, one
transaction with a history entry naming who made it; on SQLite and PostgreSQL, through the
service, the CLI, the Program page and the JSON API."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime
from functools import partial
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from matchready.cli.app import app as cli
from matchready.domain.requirements import RequirementKind, Strictness
from matchready.errors import InputError, NotFoundError
from matchready.services.ports import ProgramsVersion, UnitOfWork
from matchready.services.programs import (
    RequirementEdit,
    edit_requirement,
    get_program,
    import_programs,
)
from matchready.settings import Settings
from matchready.store.database import open_database
from matchready.store.sql import SqlUnitOfWork
from matchready.web.app import create_app
from stores import store_at

DATA = Path(__file__).parent.parent / "data"
SAMPLE = DATA / "template_sample.csv"
TODAY = date(2026, 11, 25)
KEY = "1403621075"


def edit(**changes: str) -> RequirementEdit:
    base = {
        "program": KEY,
        "kind": "step2ck_minimum",
        "value": "235",
        "strictness": "hard",
        "source": "https://example.org/im/eligibility",
        "verified_on": "2026-11-20",
    }
    return RequirementEdit(**{**base, **changes})


def test_an_edit_is_saved_with_its_history_on_each_backend(database_url: str) -> None:
    with store_at(database_url) as uow:
        import_programs(uow, SAMPLE)
        revision = _revision(uow)
        before = datetime.now(UTC)
        change = edit_requirement(uow, edit(), "ana@example.org", TODAY)
        assert change is not None
        program, history = get_program(uow, KEY)
        assert _revision(uow) > revision
        # the same edit again writes nothing
        assert edit_requirement(uow, edit(), "ana@example.org", TODAY) is None
        assert len(get_program(uow, KEY)[1]) == len(history)
    requirement = program.requirement(RequirementKind.STEP2CK_MINIMUM)
    assert (requirement.value, requirement.strictness) == (235, Strictness.HARD)
    assert requirement.source == "https://example.org/im/eligibility"
    assert requirement.verified_on == date(2026, 11, 20)
    last = history[-1]
    assert last.changed_by == "ana@example.org" and not last.by_import
    assert last.old is not None and last.old.value == 230
    assert last.changed_at is not None and last.changed_at >= before.replace(microsecond=0)
    assert all(c.by_import for c in history[:-1])


def _revision(uow: UnitOfWork) -> ProgramsVersion:
    with uow:
        return uow.programs.revision()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"value": "999"}, "value", "300"),
        ({"value": "maybe", "kind": "j1_sponsored"}, "value", "yes"),
        ({"strictness": "firm"}, "strictness", "hard, preference or unknown"),
        ({"value": "", "strictness": "hard"}, "strictness", "unknown value"),
        ({"source": "  "}, "source", "where the value comes from"),
        (
            {"verified_on": "2026-13-01"},
            "verified_on",
            "expected a date such as 2026-01-05, 1/5/2026 or 5 Jan 2026, got '2026-13-01'",
        ),
        ({"verified_on": "2026-12-01"}, "verified_on", "later than today"),
        ({"kind": "height"}, "kind", "unknown requirement"),
    ],
)
def test_bad_edits_name_the_field_and_write_nothing(
    database_url: str, changes: dict[str, str], field: str, message: str
) -> None:
    with store_at(database_url) as uow:
        import_programs(uow, SAMPLE)
        with pytest.raises(InputError) as raised:
            edit_requirement(uow, edit(**changes), "ana", TODAY)
        _, history = get_program(uow, KEY)
    assert any(p.location.field == field for p in raised.value.problems), raised.value
    assert message in str(raised.value)
    assert not any(not c.by_import for c in history)


def test_an_unknown_program_is_not_found(database_url: str) -> None:
    with store_at(database_url) as uow, pytest.raises(NotFoundError):
        edit_requirement(uow, edit(program="0000000000"), "ana", TODAY)


def test_an_empty_verification_date_means_today() -> None:
    with store_at("sqlite://") as uow:
        import_programs(uow, SAMPLE)
        change = edit_requirement(uow, edit(verified_on=""), "ana", TODAY)
    assert change is not None and change.new.verified_on == TODAY


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("MATCHREADY_DATA_DIR", str(tmp_path))
    assert CliRunner().invoke(cli, ["programs", "import", str(SAMPLE)]).exit_code == 0
    return tmp_path


def test_the_cli_edits_and_shows_the_history(data_dir: Path) -> None:
    runner = CliRunner()
    args = ["programs", "edit", KEY, "--kind", "j1_sponsored", "--value", "no"]
    done = runner.invoke(cli, [*args, "--strictness", "hard", "--source", "call 2026-11-20"])
    assert done.exit_code == 0, done.output
    assert "j1_sponsored: yes -> no by user" in done.output
    shown = runner.invoke(cli, ["programs", "show", KEY])
    assert "source: call 2026-11-20" in shown.output
    bad = runner.invoke(cli, [*args, "--strictness", "hard", "--source", ""])
    assert bad.exit_code == 1
    assert "source" in bad.output and "Traceback" not in bad.output
    missing = runner.invoke(cli, ["programs", "edit", "0000000000", "--kind", "j1_sponsored"])
    assert missing.exit_code == 2  # --source is required
    # a stated value whose strictness nobody knows is allowed (the default strictness)
    unsure = runner.invoke(cli, [*args, "--source", "brochure", "--by", "me"])
    assert unsure.exit_code == 0 and "by me" in unsure.output


@pytest.fixture
def client(data_dir: Path) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(data_dir=data_dir))) as test_client:
        yield test_client


def _token(client: TestClient, path: str) -> str:
    found = re.search(r'name="csrftoken" value="([^"]+)"', client.get(path).text)
    assert found
    return found.group(1)


FORM = {
    "kind": "step2ck_minimum",
    "value": "240",
    "strictness": "hard",
    "source": "https://example.org/im/2027",
    "verified_on": "",
}


def test_the_program_page_saves_a_correction_and_shows_it_in_the_history(
    client: TestClient,
) -> None:
    path = f"/programs/{KEY}"
    form = {**FORM, "csrftoken": _token(client, path)}
    saved = client.post(f"{path}/requirements", data=form, follow_redirects=False)
    assert saved.status_code == 303
    assert saved.headers["location"] == f"{path}?saved=step2ck_minimum#history"
    page = client.get(saved.headers["location"]).text
    assert "Saved: Step 2 CK minimum." in page
    assert "edited by local user" in page and "https://example.org/im/2027" in page
    # the screening table sees the edit at once
    api = client.get(f"/api/programs/{KEY}").json()
    step2 = next(r for r in api["requirements"] if r["kind"] == "step2ck_minimum")
    assert step2 == {
        "kind": "step2ck_minimum",
        "value": "240",
        "strictness": "hard",
        "source": "https://example.org/im/2027",
        "verified_on": date.today().isoformat(),
    }
    assert api["history"][-1]["changed_by"] == "local user"


def test_a_bad_correction_re_renders_with_the_message_beside_the_field(
    client: TestClient,
) -> None:
    path = f"/programs/{KEY}"
    form = {**FORM, "value": "999", "source": "", "csrftoken": _token(client, path)}
    page = client.post(f"{path}/requirements", data=form)
    assert page.status_code == 422
    assert re.search(r'id="err-r-value"[^>]*>[^<]*300', page.text)
    assert re.search(r'id="err-r-source"[^>]*>say where the value comes from', page.text)
    assert 'value="999"' in page.text  # what the user typed is kept
    assert "edited by" not in page.text


def test_a_correction_without_the_token_is_refused(client: TestClient) -> None:
    refused = client.post(f"/programs/{KEY}/requirements", data=FORM)
    assert refused.status_code == 403
    assert "edited by" not in client.get(f"/programs/{KEY}").text


def test_the_api_edits_and_reports_bad_input(client: TestClient) -> None:
    url = f"/api/programs/{KEY}/requirements/j1_sponsored"
    body = {"value": "no", "strictness": "hard", "source": "https://example.org/im/visa"}
    done = client.put(url, json=body)
    assert done.status_code == 200, done.text
    assert done.json()["changed"] is True
    assert done.json()["change"]["new"]["value"] == "no"
    assert client.put(url, json=body).json() == {"changed": False, "change": None}
    bad = client.put(url, json={**body, "value": "perhaps"})
    assert bad.status_code == 422 and "value" in bad.text
    assert client.put(url, json={"value": "no"}).status_code == 422  # no source
    assert client.put(f"/api/programs/{KEY}/requirements/height", json=body).status_code == 422
    assert client.put("/api/programs/0/requirements/j1_sponsored", json=body).status_code == 404


def test_in_server_mode_edits_need_a_login_and_are_attributed(data_dir: Path) -> None:
    from test_web_accounts import login, register

    from fakes import MemoryAccountStore, MemoryProfileStore, MemorySessionStore

    settings = Settings(data_dir=data_dir)
    engine, factory = open_database(settings.resolved_database_url())
    app = create_app(
        settings,
        profiles=MemoryProfileStore(),
        accounts=MemoryAccountStore(),
        sessions=MemorySessionStore(),
        units=partial(SqlUnitOfWork, factory),
    )
    url = f"/api/programs/{KEY}/requirements/h1b_sponsored"
    body = {"value": "yes", "strictness": "hard", "source": "https://example.org/im/h1b"}
    with TestClient(app, base_url="https://testserver") as anonymous:
        assert anonymous.put(url, json=body).status_code == 401
    with TestClient(app, base_url="https://testserver") as ana:
        register(ana, "ana@example.org")
        login(ana, "ana@example.org")
        assert ana.put(url, json=body).json()["change"]["changed_by"] == "ana@example.org"
        page = ana.get(f"/programs/{KEY}")
        form = {**FORM, "csrftoken": _token(ana, f"/programs/{KEY}")}
        saved = ana.post(f"/programs/{KEY}/requirements", data=form, follow_redirects=False)
        assert saved.status_code == 303
    with TestClient(app, base_url="https://testserver") as ben:
        register(ben, "ben@example.org")
        login(ben, "ben@example.org")
        page = ben.get(f"/programs/{KEY}").text  # programs are shared: Ben sees Ana's edits
    engine.dispose()
    assert "edited by ana@example.org" in page and "https://example.org/im/h1b" in page


def test_changed_since_names_the_edited_programs(database_url: str) -> None:
    with store_at(database_url) as uow:
        import_programs(uow, SAMPLE)
        with uow:
            start = uow.programs.revision()
        edit_requirement(uow, edit(), "ana", TODAY)
        with uow:
            later = uow.programs.revision()
            changed = uow.programs.changed_since(start.changes)
    assert later.imports == start.imports and later.changes > start.changes
    assert [p.key for p in changed] == [KEY]
    assert changed[0].requirement(RequirementKind.STEP2CK_MINIMUM).value == 235


def test_the_web_table_follows_edits_without_reading_every_program(data_dir: Path) -> None:
    app = create_app(Settings(data_dir=data_dir))
    web = app.state.web
    web.revision_ttl = 0.0
    with TestClient(app) as client:
        before = web.programs()
        body = {"value": "no", "strictness": "hard", "source": "https://example.org/im/visa"}
        client.put(f"/api/programs/{KEY}/requirements/j1_sponsored", json=body)
        # another process edits too (the CLI, another worker)
        with store_at(Settings(data_dir=data_dir).resolved_database_url()) as uow:
            edit_requirement(uow, edit(value="241"), "cli", date.today())
        after = web.programs()
    assert after.index is before.index  # patched, not read again
    program = next(p for p in after.table.programs if p.key == KEY)
    assert program.requirement(RequirementKind.J1_SPONSORED).value is False
    assert program.requirement(RequirementKind.STEP2CK_MINIMUM).value == 241
