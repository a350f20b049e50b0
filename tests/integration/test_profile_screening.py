"""`matchready screen`: the profile mapped onto screening, and the listing order."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from typer.testing import CliRunner

from matchready.cli.app import app
from matchready.data import load_facts
from matchready.domain.cycle import due
from matchready.domain.screening import Verdict, VisaNeed
from matchready.domain.screening_table import ProgramTable
from matchready.domain.yog import calendar_months
from matchready.io.profile import load_profile
from matchready.io.programs_csv import parse_template
from matchready.io.tables import read_table
from matchready.services.profile_screening import screen_profile, screening_applicant

ROOT = Path(__file__).parents[2]
PROGRAMS = ROOT / "examples" / "programs" / "example_programs.csv"
OLDER = ROOT / "examples" / "profiles" / "older-graduate-h1b.toml"
RECENT = ROOT / "examples" / "profiles" / "recent-graduate-j1.toml"
FACTS = load_facts()


def test_the_profile_is_mapped_onto_screening() -> None:
    applicant = screening_applicant(load_profile(OLDER), FACTS, date(2026, 11, 25))
    assert applicant.visa is VisaNeed.H1B
    application = due(FACTS, 2027, "applications_open").on
    assert application is not None
    # calendar months from 2019-03-15 to the application date, counted by dates
    assert applicant.months_since_graduation == calendar_months(date(2019, 3, 15), application)
    assert 89 < applicant.months_since_graduation < 90
    assert applicant.failed_attempts == 1
    assert applicant.step2ck_score == 236
    assert applicant.hands_on_usce_months == 0 and applicant.any_usce_months == 2
    citizen = screening_applicant(
        load_profile(ROOT / "examples/profiles/us-citizen-img.toml"), FACTS, date(2026, 11, 25)
    )
    assert citizen.visa is VisaNeed.NONE and citizen.months_since_graduation == 0


def test_results_list_eligible_then_unknown_then_ineligible() -> None:
    """Regression: the order followed the verdict codes, putting ineligible before unknown."""
    table = ProgramTable.build([row.program for row in parse_template(read_table(PROGRAMS)).rows])
    report = screen_profile(load_profile(RECENT), FACTS, table, date(2026, 11, 25))
    verdicts = [r.verdict for r in report.results()]
    rank = {Verdict.ELIGIBLE: 0, Verdict.UNKNOWN: 1, Verdict.INELIGIBLE: 2}
    assert [rank[v] for v in verdicts] == sorted(rank[v] for v in verdicts)
    assert {Verdict.UNKNOWN, Verdict.INELIGIBLE} <= set(verdicts)


def test_screen_command(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("MATCHREADY_DATA_DIR", str(tmp_path))
    runner = CliRunner()
    empty = runner.invoke(app, ["screen", str(RECENT)])
    assert empty.exit_code == 1 and "import programs first" in empty.output
    assert runner.invoke(app, ["programs", "import", str(PROGRAMS)]).exit_code == 0
    result = runner.invoke(
        app, ["screen", str(RECENT), "--specialty", "IM", "--as-of", "2026-11-25"]
    )
    assert result.exit_code == 0, result.output
    assert "programs screened for Amara Example (fictional)" in result.output
    data = runner.invoke(app, ["screen", str(RECENT), "--format", "json", "--state", "NY"])
    assert data.exit_code == 0
