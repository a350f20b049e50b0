"""The list builder: tiers, order, prices by the sourced ERAS tiers, the budget, the CLI."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from matchready.cli.app import app
from matchready.data import load_facts
from matchready.domain.listbuilder import Tier, tier_of
from matchready.domain.screening import ProgramScreening, Verdict
from matchready.domain.screening_table import ProgramTable
from matchready.errors import InputError
from matchready.io.profile import load_profile
from matchready.io.programs_csv import parse_template
from matchready.io.tables import read_table
from matchready.services.listbuilder import build_program_list

ROOT = Path(__file__).parents[2]
PROGRAMS = ROOT / "examples" / "programs" / "example_programs.csv"
PROFILE = ROOT / "examples" / "profiles" / "recent-graduate-j1.toml"
FACTS = load_facts()
ON = date(2026, 11, 25)


@pytest.fixture(scope="module")
def table() -> ProgramTable:
    return ProgramTable.build([row.program for row in parse_template(read_table(PROGRAMS)).rows])


def screened(verdict: Verdict) -> ProgramScreening:
    return ProgramScreening("1400000001", "Example (fictional)", verdict, 90, ())


@pytest.mark.parametrize(
    ("verdict", "share", "tier"),
    [
        (Verdict.ELIGIBLE, 0.45, Tier.IMG_FRIENDLY),
        (Verdict.ELIGIBLE, 0.30, Tier.IMG_FRIENDLY),
        (Verdict.ELIGIBLE, 0.10, Tier.ELIGIBLE),
        (Verdict.ELIGIBLE, None, Tier.ELIGIBLE),
        (Verdict.UNKNOWN, 0.90, Tier.VERIFY_FIRST),
        (Verdict.INELIGIBLE, 0.90, None),
    ],
)
def test_tiers(verdict: Verdict, share: float | None, tier: Tier | None) -> None:
    assert tier_of(screened(verdict), share) is tier


def test_the_list_is_ordered_by_tier_then_fit_and_leaves_out_the_ineligible(
    table: ProgramTable,
) -> None:
    result = build_program_list(load_profile(PROFILE), FACTS, table, ON, "IM")
    keys = [(e.tier, -e.fit) for e in result.entries]
    assert keys == sorted(keys)
    assert result.left_out + len(result.entries) == 18  # the example IM programs
    assert all(e.to_verify for e in result.entries if e.tier is Tier.VERIFY_FIRST)


def test_the_price_follows_the_sourced_tiers(table: ProgramTable) -> None:
    result = build_program_list(load_profile(PROFILE), FACTS, table, ON, "IM")
    assert result.price.amount_usd is None  # no 2027 ERAS fees in our sources
    assert result.latest_price is not None
    season = max(f.match_year for f in FACTS.fees if f.key == "eras.program")
    first_tier = FACTS.fee_tiers("eras.program", season)[0]
    assert first_tier.tier_to is not None and len(result.entries) <= first_tier.tier_to
    assert result.latest_price.amount_usd == first_tier.amount_usd * len(result.entries)
    assert any("2027 ERAS fees are not in our sources" in n for n in result.notes)


def test_a_budget_keeps_the_best_programs_it_pays_for(table: ProgramTable) -> None:
    full = build_program_list(load_profile(PROFILE), FACTS, table, ON, "IM")
    small = build_program_list(load_profile(PROFILE), FACTS, table, ON, "IM", budget_usd=100)
    assert small.affordable == 9  # 9 x $11 = $99
    assert small.entries == full.entries[:9]


def test_an_unknown_specialty_is_refused(table: ProgramTable) -> None:
    with pytest.raises(InputError, match="unknown specialty"):
        build_program_list(load_profile(PROFILE), FACTS, table, ON, "XYZ")


def test_list_build_command_in_every_format(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("MATCHREADY_DATA_DIR", str(tmp_path))
    runner = CliRunner()
    assert runner.invoke(app, ["programs", "import", str(PROGRAMS)]).exit_code == 0
    args = ["list", "build", str(PROFILE), "--specialty", "IM", "--as-of", "2026-11-25"]
    text = runner.invoke(app, args)
    assert text.exit_code == 0, text.output
    assert "ineligible left out" in text.output and "not known" in text.output
    rows = list(csv.reader(io.StringIO(runner.invoke(app, [*args, "--format", "csv"]).output)))
    assert rows[0][:3] == ["tier", "tier_name", "program"] and len(rows) > 1
    data = json.loads(runner.invoke(app, [*args, "--format", "json"]).output)
    assert data["specialty"] == "IM" and data["entries"][0]["tier_name"]
    out = tmp_path / "list.csv"
    assert runner.invoke(app, [*args, "--format", "csv", "--out", str(out)]).exit_code == 0
    assert out.read_text().startswith("tier,")
    assert runner.invoke(app, ["list", "build", str(PROFILE), "--specialty", "XYZ"]).exit_code == 1
