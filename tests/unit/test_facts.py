import shutil
from datetime import date
from pathlib import Path

import pytest

from matchready.data import load_facts
from matchready.data.loader import FILES, bundled_dir
from matchready.domain.facts import FactStatus
from matchready.errors import DataFileError


@pytest.fixture(scope="module")
def facts():  # type: ignore[no-untyped-def]
    return load_facts()


@pytest.fixture
def copy_dir(tmp_path: Path) -> Path:
    for name in FILES:
        shutil.copy(bundled_dir() / name, tmp_path / name)
    return tmp_path


def test_every_bundled_fact_has_a_source_an_as_of_date_and_a_status(facts) -> None:  # type: ignore[no-untyped-def]
    rows = [
        *facts.rules,
        *facts.calendar,
        *facts.specialties,
        *facts.outcomes,
        *facts.fees,
        *facts.signals,
    ]
    assert len(rows) > 50
    for row in rows:
        assert row.source.strip(), row
        assert row.as_of[:4].isdigit(), row
        assert row.status in (FactStatus.VERIFIED, FactStatus.UNVERIFIED)


def test_the_version_in_force_on_a_date_is_chosen(facts) -> None:  # type: ignore[no-untyped-def]
    assert facts.rule("usmle.step2ck.min_pass", date(2022, 6, 30)).value == "209"
    assert facts.rule("usmle.step2ck.min_pass", date(2023, 1, 1)).value == "214"
    latest = facts.rule("usmle.step2ck.min_pass", date(2025, 7, 1))
    assert latest.value == "218"
    assert not latest.verified, "218 comes only from a secondary source (reference §2)"
    assert facts.rule("no.such.fact") is None


def test_month_only_dates_are_shown_as_such(facts) -> None:  # type: ignore[no-untyped-def]
    event = facts.event(2027, "applications_open")
    assert event is not None and event.month_only
    assert event.label() == "2026-09 (day unknown)"
    assert facts.event(2099, "match_day") is None


def test_specialties_are_found_by_code_or_name(facts) -> None:  # type: ignore[no-untyped-def]
    assert facts.specialty("im").step2_matched_median == 251
    assert facts.specialty("Family Medicine").code == "FM"
    assert facts.specialty("DERM").step2_matched_median is None  # suppressed (fewer than 5)


def _replace_line(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def test_a_bad_value_names_file_line_and_field(copy_dir: Path) -> None:
    _replace_line(copy_dir / "rules.csv", ",4,count,", ",four,count,")
    with pytest.raises(DataFileError) as caught:
        load_facts(copy_dir)
    problem = caught.value.problems[0]
    assert problem.location.file.endswith("rules.csv")
    assert problem.location.line is not None and problem.location.line > 1
    assert "four" in str(caught.value) or "invalid literal" in str(caught.value)


def test_a_missing_source_is_refused(copy_dir: Path) -> None:
    _replace_line(
        copy_dir / "calendar.csv",
        "2024,match_day,2024-03-15,Match Day,https://www.nrmp.org/topic/results/,",
        "2024,match_day,2024-03-15,Match Day,,",
    )
    with pytest.raises(DataFileError) as caught:
        load_facts(copy_dir)
    assert caught.value.problems[0].location.field == "source"


def test_a_bad_status_and_a_bad_date_are_both_reported(copy_dir: Path) -> None:
    _replace_line(copy_dir / "calendar.csv", "2024-02-28,", "2024-02-30,")
    _replace_line(copy_dir / "specialties.csv", ",2026,unverified,", ",2026,maybe,")
    with pytest.raises(DataFileError) as caught:
        load_facts(copy_dir)
    fields = {p.location.field for p in caught.value.problems}
    assert {"date", "status"} <= fields


def test_unknown_and_missing_columns_are_named(copy_dir: Path) -> None:
    path = copy_dir / "rules.csv"
    lines = path.read_text().splitlines()
    lines[0] = lines[0].replace("summary", "sumary")
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(DataFileError) as caught:
        load_facts(copy_dir)
    messages = [str(p) for p in caught.value.problems]
    assert any("sumary" in m and "unknown column" in m for m in messages)
    assert any("summary" in m and "missing column" in m for m in messages)


def test_a_duplicate_fact_is_refused(copy_dir: Path) -> None:
    path = copy_dir / "rules.csv"
    lines = path.read_text().splitlines()
    path.write_text("\n".join([*lines, lines[1]]) + "\n")
    with pytest.raises(DataFileError, match="duplicate fact"):
        load_facts(copy_dir)


def test_the_copied_files_load(copy_dir: Path) -> None:
    assert load_facts(copy_dir).fees


@pytest.mark.parametrize(
    ("name", "old", "new", "field"),
    [
        ("fees.csv", ",11,program,1,30,", ",11,program,31,30,", None),
        ("fees.csv", ",80,once,", ",-80,once,", "amount_usd"),
        ("fees.csv", ",165,once,", ",165,yearly,", "per"),
        ("signals.csv", ",5,10,15,", ",5,10,16,", None),
        ("signals.csv", ",6,6,12,", ",6,,12,", None),
    ],
    ids=["tier-order", "negative-fee", "bad-per", "signal-sum", "half-tiered"],
)
def test_bad_fee_and_signal_rows_name_the_file(
    copy_dir: Path, name: str, old: str, new: str, field: str | None
) -> None:
    _replace_line(copy_dir / name, old, new)
    with pytest.raises(DataFileError) as caught:
        load_facts(copy_dir)
    [problem] = caught.value.problems
    assert problem.location.file is not None and problem.location.file.endswith(name)
    if field is not None:
        assert problem.location.field == field


def test_fees_are_looked_up_by_season(facts) -> None:  # type: ignore[no-untyped-def]
    assert [t.amount_usd for t in facts.fee_tiers("eras.program", 2026)] == [11, 30]
    assert facts.fee_tiers("eras.program", 2027) == ()
    assert facts.fee("eras.token", 2024).verified
    assert not facts.fee("eras.token", 2026).verified
    assert facts.fee("eras.token", 2025) is None
    assert facts.signal_limit(2025, "im").gold == 3
    assert facts.signal_limit(2026, "IM") is None
