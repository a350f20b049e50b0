"""Out-of-sample validation of the odds model (issue 6): fit on one year's table, test on
another's. Only one published year is in our sources, so the other years here are the bundled
table with figures changed by hand."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from matchready.cli.app import app
from matchready.data import load_facts
from matchready.data.loader import bundled_dir
from matchready.domain.facts import Facts, SpecialtyStats
from matchready.errors import DataFileError
from matchready.services.odds_validation import (
    kind_of,
    read_specialty_table,
    summary,
    validate_odds,
)

ENV = {"COLUMNS": "160", "NO_COLOR": "1"}
BUNDLED = bundled_dir() / "specialties.csv"


@pytest.fixture(scope="module")
def facts() -> Facts:
    return load_facts()


def one(facts: Facts, code: str) -> SpecialtyStats:
    return next(s for s in facts.specialties if s.code == code)


def test_in_sample_the_model_returns_each_published_rate(facts: Facts) -> None:
    rows = validate_odds(facts.specialties, facts.specialties, facts)
    scored = [r for r in rows if r.reason is None]
    assert {r.specialty for r in scored} >= {"IM", "FM", "PEDS", "PSYCH", "ALL"}
    for row in scored:
        assert row.error_points is not None and abs(row.error_points) < 0.5, row
        assert row.brier is not None and row.brier_baseline is not None
        assert row.brier < row.brier_baseline  # Step 2 CK and ranks separate the cohorts
    totals = summary(rows)
    assert totals["applicants"] == sum(r.applicants or 0 for r in scored if r.specialty != "ALL")


def test_a_specialty_the_data_cannot_support_is_listed_with_the_reason(facts: Facts) -> None:
    rows = {r.specialty: r for r in validate_odds(facts.specialties, facts.specialties, facts)}
    assert rows["DERM"].predicted_rate is None and "not published" in str(rows["DERM"].reason)
    assert "too few" in str(rows["IMPEDS"].reason)
    missing = validate_odds([one(facts, "IM")], [one(facts, "FM")], facts)[0]
    assert missing.reason == "not in the training table" and missing.train_year == "unknown"


def test_a_year_with_a_higher_rate_is_under_predicted(facts: Facts) -> None:
    im = one(facts, "IM")
    assert im.img_matched is not None
    later = im.model_copy(update={"img_matched": im.img_matched + 700, "as_of": "2027"})
    row = validate_odds([im], [later], facts)[0]
    assert row.train_year == "2026" and row.test_year == "2027"
    assert row.test_rate is not None and row.predicted_rate is not None
    assert row.train_rate is not None and row.train_rate < row.predicted_rate < row.test_rate
    assert row.error_points is not None and row.error_points < -3


def test_stronger_matched_cohort_in_the_test_year_raises_the_prediction(facts: Facts) -> None:
    im = one(facts, "IM")
    assert im.step2_matched_mean is not None
    stronger = im.model_copy(update={"step2_matched_mean": im.step2_matched_mean + 8})
    same, higher = validate_odds([im], [im, stronger], facts)
    assert higher.predicted_rate is not None and same.predicted_rate is not None
    assert higher.predicted_rate > same.predicted_rate


def test_a_bad_table_names_the_file_and_the_field(tmp_path: Path) -> None:
    bad = tmp_path / "2027.csv"
    with BUNDLED.open(newline="") as source:
        rows = list(csv.DictReader(source))
    rows[0]["img_matched"] = "many"
    with bad.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    with pytest.raises(DataFileError) as error:
        read_specialty_table(bad)
    assert "2027.csv" in str(error.value) and "img_matched" in str(error.value)
    empty = tmp_path / "empty.csv"
    empty.write_text(BUNDLED.read_text().splitlines()[0] + "\n")
    with pytest.raises(DataFileError, match="no specialty rows"):
        read_specialty_table(empty)


def test_cli_with_one_year_of_data_calls_it_a_consistency_check() -> None:
    result = CliRunner().invoke(app, ["validate-odds", str(BUNDLED)], env=ENV)
    assert result.exit_code == 0, result.output
    assert "Odds model consistency check (one year of data" in result.output
    assert "This is a consistency check, not a validation" in result.output
    assert "DERM not scored" in result.output
    as_json = CliRunner().invoke(
        app, ["validate-odds", str(BUNDLED), "--train", str(BUNDLED), "--format", "json"], env=ENV
    )
    data = json.loads(as_json.output)
    assert data["summary"]["specialties"] >= 10 and len(data["rows"]) > 20
    assert data["kind"] == "consistency check (one year of data: fitted and tested on 2026)"


def test_with_another_years_table_it_is_a_validation(tmp_path: Path) -> None:
    facts = load_facts()
    later = [s.model_copy(update={"as_of": "2027"}) for s in facts.specialties]
    rows = validate_odds(facts.specialties, later, facts)
    assert kind_of(rows) == "validation (fitted on 2026, tested on 2027)"


def test_cli_refuses_a_missing_file(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["validate-odds", str(tmp_path / "none.csv")], env=ENV)
    assert result.exit_code == 1 and "none.csv" in result.output
