"""Every command through Typer's CliRunner, including each bad-input case."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from matchready.cli.app import app
from matchready.io.profile import template_text

EXAMPLES = Path(__file__).parents[2] / "examples" / "profiles"
RECENT = EXAMPLES / "recent-graduate-j1.toml"


@pytest.fixture
def run():  # type: ignore[no-untyped-def]
    runner = CliRunner()

    def invoke(*args: str):  # type: ignore[no-untyped-def]
        return runner.invoke(app, list(args), env={"COLUMNS": "80", "NO_COLOR": "1"})

    return invoke


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "profile.toml"
    path.write_text(text)
    return path


def test_init_writes_a_valid_template_and_refuses_to_overwrite(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "me.toml"
    assert run("init", str(target)).exit_code == 0
    assert target.read_text() == template_text()
    again = run("init", str(target))
    assert again.exit_code == 1
    assert "already exists" in again.output and "Traceback" not in again.output
    assert run("init", str(target), "--force").exit_code == 0


def test_profile_check_accepts_a_valid_profile(run) -> None:  # type: ignore[no-untyped-def]
    result = run("profile", "check", str(RECENT))
    assert result.exit_code == 0
    assert "ok:" in result.output and "2027 Match" in result.output


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ('name = "Your Name"', 'name = "Your Name', "malformed TOML"),
        ("publications = 0", "publication = 0", "did you mean 'publications'?"),
        ("attempts = 1\n", 'attempts = "one"\n', "exams.step1.attempts"),
        ("graduation = 2025-06-30", "graduation = 2025-02-30", "school.graduation"),
    ],
    ids=["malformed", "unknown-field", "wrong-type", "impossible-date"],
)
def test_profile_check_reports_bad_input_with_exit_1(
    run, tmp_path: Path, old: str, new: str, expected: str
) -> None:  # type: ignore[no-untyped-def]
    path = write(tmp_path, template_text().replace(old, new, 1))
    result = run("profile", "check", str(path))
    assert result.exit_code == 1
    assert expected in result.output
    assert str(path) in result.output
    assert "Traceback" not in result.output


def test_several_problems_are_listed_one_per_line(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    text = template_text().replace("publications = 0", "publications = -1")
    text = text.replace('ecfmg_note = "unknown"', 'ecfmg_note = "maybe"')
    result = run("profile", "check", str(write(tmp_path, text)))
    assert result.exit_code == 1
    assert "2 problems" in result.output


def test_a_missing_profile_is_exit_1(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = run("plan", str(tmp_path / "absent.toml"))
    assert result.exit_code == 1
    assert "no such file" in result.output


def test_plan_text_shows_every_part(run) -> None:  # type: ignore[no-untyped-def]
    result = run("plan", str(RECENT), "--as-of", "2026-11-25")
    assert result.exit_code == 0, result.output
    for part in ("ECFMG checklist", "Year of graduation", "Red flags", "Visa", "Next actions"):
        assert part in result.output
    assert max(len(line) for line in result.output.splitlines()) <= 80


def test_plan_json_follows_the_schema(run) -> None:  # type: ignore[no-untyped-def]
    from matchready.domain.report import Plan

    result = run("plan", str(RECENT), "--as-of", "2026-11-25", "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    plan = Plan.model_validate(data)
    assert plan.as_of.isoformat() == "2026-11-25"
    assert data["schema_version"] == 1
    assert [item["key"] for item in data["checklist"]][:2] == ["school", "usmle_id"]


@pytest.mark.parametrize(
    "args",
    [
        ("plan", str(RECENT), "--as-of", "25/11/2026"),
        ("plan", str(RECENT), "--format", "xml"),
        ("profile", "use"),
    ],
    ids=["bad-date", "bad-format", "no-path"],
)
def test_usage_errors_exit_2(run, args: tuple[str, ...]) -> None:  # type: ignore[no-untyped-def]
    result = run(*args)
    assert result.exit_code == 2
    assert "Traceback" not in result.output


@pytest.mark.parametrize("args", [("plan",), ("profile", "check")], ids=["plan", "check"])
def test_without_a_path_or_a_saved_profile_exit_1_saying_how(run, args: tuple[str, ...]) -> None:  # type: ignore[no-untyped-def]
    result = run(*args)
    assert result.exit_code == 1
    assert "no saved profile yet: run `matchready init`" in result.output


def test_facts_lists_filters_and_checks(run) -> None:  # type: ignore[no-untyped-def]
    everything = run("facts")
    assert everything.exit_code == 0 and "usmle.attempt_limit" in everything.output
    oet = run("facts", "oet")
    assert oet.exit_code == 0
    assert "oet.min_writing" in oet.output and "usmle.attempt_limit" not in oet.output
    assert "(unverified)" in oet.output
    assert run("facts", "search", "conrad").exit_code == 0
    none = run("facts", "no-such-thing")
    assert none.exit_code == 1
    checked = run("facts", "check")
    assert checked.exit_code == 0 and checked.output.startswith("ok:")
