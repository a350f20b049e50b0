"""One applicant: in local mode the web app and the CLI read and write the same saved profile
(profile.toml in the data directory)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from matchready.cli.app import app as cli
from matchready.io.profile import load_profile, parse_profile
from matchready.settings import Settings
from matchready.web.app import create_app
from matchready.web.forms import profile_form

EXAMPLES = Path(__file__).parents[2] / "examples" / "profiles"


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "data"
    monkeypatch.setenv("MATCHREADY_DATA_DIR", str(folder))
    monkeypatch.delenv("MATCHREADY_DATABASE_URL", raising=False)
    monkeypatch.delenv("MATCHREADY_MULTI_USER", raising=False)
    monkeypatch.setenv("COLUMNS", "160")
    return folder


@pytest.fixture
def web(data_dir: Path) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(data_dir=data_dir))) as client:
        yield client


def _token(client: TestClient) -> str:
    found = re.search(r'name="csrftoken" value="([^"]+)"', client.get("/profile").text)
    assert found
    return found.group(1)


def _form(path: Path) -> dict[str, str]:
    fields = {}
    for group in profile_form(load_profile(path).model_dump(mode="python")):
        for f in group.fields:
            if f.kind != "checkbox":
                fields[f.name] = f.value
            elif f.value:
                fields[f.name] = "on"
    return fields


def _cli(*args: str, code: int = 0) -> str:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    return result.output


def test_a_profile_edited_in_the_web_is_the_one_the_cli_plans(
    web: TestClient, data_dir: Path
) -> None:
    recent = EXAMPLES / "recent-graduate-j1.toml"
    fields = {**_form(recent), "applicant.name": "Edited In The Web (fictional)"}
    saved = web.post("/profile", data={"csrftoken": _token(web), **fields}, follow_redirects=False)
    assert saved.status_code == 303, saved.text[:300]

    stored = parse_profile((data_dir / "profile.toml").read_text(encoding="utf-8"))
    assert stored.applicant.name == "Edited In The Web (fictional)"
    plan = json.loads(_cli("plan", "--as-of", "2026-12-01", "--format", "json"))
    assert plan["applicant"]["name"] == "Edited In The Web (fictional)"
    assert "ok: your saved profile is a valid profile for Edited In The Web" in _cli(
        "profile", "check"
    )


def test_a_file_used_from_the_cli_is_the_one_the_web_shows(
    web: TestClient, data_dir: Path
) -> None:
    citizen = EXAMPLES / "us-citizen-img.toml"
    out = _cli("profile", "use", str(citizen))
    assert str(data_dir / "profile.toml") in out
    assert (data_dir / "profile.toml").read_text(encoding="utf-8") == citizen.read_text("utf-8")
    shown = web.get("/api/profile")
    assert shown.status_code == 200
    assert shown.json()["applicant"]["name"] == load_profile(citizen).applicant.name
    assert _cli("profile", "show") == citizen.read_text("utf-8")


def test_without_a_saved_profile_the_cli_says_how_to_make_one(data_dir: Path) -> None:
    out = _cli("plan", code=1)
    assert "no saved profile yet: run `matchready init`" in out
    assert not (data_dir / "matchready.sqlite3").exists()  # a plan never opens the database


def test_init_starts_the_saved_profile_and_refuses_to_replace_it(data_dir: Path) -> None:
    assert f"Wrote {data_dir / 'profile.toml'}" in _cli("init")
    assert "already exists (use --force to replace it)" in _cli("init", code=1)
    assert "Wrote" in _cli("init", "--force")


def test_a_bad_file_is_refused_and_the_saved_profile_kept(data_dir: Path, tmp_path: Path) -> None:
    _cli("profile", "use", str(EXAMPLES / "recent-graduate-j1.toml"))
    bad = tmp_path / "bad.toml"
    bad.write_text('[applicant]\nname = "x"\n', encoding="utf-8")
    out = _cli("profile", "use", str(bad), code=1)
    assert "bad.toml" in out
    saved = (data_dir / "profile.toml").read_text(encoding="utf-8")
    assert saved == (EXAMPLES / "recent-graduate-j1.toml").read_text("utf-8")
