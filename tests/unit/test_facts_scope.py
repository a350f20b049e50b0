"""The facts release: scope (`applies_to`), source kinds, the fallback rule per kind of fact,
the application service per specialty and year, and the travel restrictions."""

import shutil
from pathlib import Path

import pytest

import matchready_facts
from matchready.data import load_facts
from matchready.data.loader import FILES, PROVENANCE, bundled_dir, official_domains, release
from matchready.domain.costs import tiered_amount
from matchready.domain.facts import Carry, FeeFact, RuleFact, SourceKind, parse_scope
from matchready.errors import DataFileError
from matchready.services.facts_audit import is_official, source_url

FACTS = load_facts()


@pytest.fixture
def copy_dir(tmp_path: Path) -> Path:
    for name in FILES:
        shutil.copy(bundled_dir() / name, tmp_path / name)
    return tmp_path


def test_the_facts_come_from_their_own_dated_release() -> None:
    info = release()
    assert info.version == matchready_facts.__version__ == "2026.12.2"
    assert info.released == "2026-12-02"
    assert FACTS.release == "2026.12.2" and FACTS.released == "2026-12-02"
    assert bundled_dir() == matchready_facts.directory()
    assert (bundled_dir() / "fees.csv").is_file()


def test_scopes_parse_and_bad_ones_are_refused() -> None:
    assert parse_scope("2026") == (2026, 2026)
    assert parse_scope("2022-2026") == (2022, 2026)
    assert parse_scope("2023-") == (2023, None)
    for bad in ("26", "2026-2022", "2026-27", "from 2026", ""):
        with pytest.raises(ValueError, match="applies_to"):
            parse_scope(bad)


def test_every_row_carries_a_scope_and_a_source_kind() -> None:
    rows = [
        *FACTS.rules,
        *FACTS.calendar,
        *FACTS.specialties,
        *FACTS.outcomes,
        *FACTS.fees,
        *FACTS.signals,
        *FACTS.travel_restrictions,
    ]
    assert len(rows) > 200
    for row in rows:
        assert row.source_kind in (SourceKind.OFFICIAL, SourceKind.SECONDARY), row
        assert parse_scope(row.applies_to)[0] >= 2000, row
        if row.verified:
            assert row.source_kind is SourceKind.OFFICIAL, row


@pytest.mark.parametrize("name", sorted(FILES))
def test_a_file_without_the_provenance_columns_is_refused(copy_dir: Path, name: str) -> None:
    path = copy_dir / name
    lines = path.read_text().splitlines()
    header = lines[0].split(",")
    keep = [i for i, column in enumerate(header) if column != "applies_to"]
    # Drop the column by position from every line (quoted commas are not in these columns'
    # positions before it, so rebuild through the csv module instead).
    import csv
    import io

    rows = list(csv.reader(io.StringIO(path.read_text())))
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([[r[i] for i in keep] for r in rows])
    path.write_text(out.getvalue())
    with pytest.raises(DataFileError) as caught:
        load_facts(copy_dir)
    [problem] = caught.value.problems
    assert problem.message == "missing column" and problem.location.field == "applies_to"
    assert problem.location.file is not None and problem.location.file.endswith(name)
    assert "applies_to" in PROVENANCE


def test_an_empty_scope_and_a_verified_secondary_row_name_line_and_field(copy_dir: Path) -> None:
    path = copy_dir / "fees.csv"
    text = path.read_text()
    text = text.replace(
        "fees-eras-residency-applications,2024,verified,official,2024,",
        "fees-eras-residency-applications,2024,verified,official,,",
        1,
    )
    text = text.replace(
        "money-central.com/us/does-match-cost-money,2024,unverified,secondary,",
        "money-central.com/us/does-match-cost-money,2024,verified,secondary,",
        1,
    )
    path.write_text(text)
    with pytest.raises(DataFileError) as caught:
        load_facts(copy_dir)
    found = {(p.location.field, p.message) for p in caught.value.problems}
    assert ("applies_to", "missing value") in found
    assert (
        "source_kind",
        "Value error, only a row on an official source can be 'verified'",
    ) in found
    assert all(p.location.line is not None for p in caught.value.problems)


def test_a_scope_that_contradicts_the_rows_own_year_is_refused(copy_dir: Path) -> None:
    path = copy_dir / "signals.csv"
    text = path.read_text().replace(
        ",2025,verified,official,2025,", ",2025,verified,official,2026,"
    )
    path.write_text(text)
    with pytest.raises(DataFileError, match="applies_to must be the row's season"):
        load_facts(copy_dir)


def test_fees_fall_back_to_the_latest_published_schedule_labelled() -> None:
    assert FeeFact.carry is Carry.LATEST_PUBLISHED and RuleFact.carry is Carry.UNTIL_REPLACED
    tiers, note = FACTS.fee_tiers_at("eras.program", 2027)
    assert [(t.match_year, t.amount_usd) for t in tiers] == [(2026, 11), (2026, 30)]
    assert note == "at the 2026 schedule; the 2027 fee is not published"
    tiers, note = FACTS.fee_tiers_at("eras.program", 2026)
    assert [t.amount_usd for t in tiers] == [11, 30] and note is None
    assert FACTS.fee_tiers_at("eras.program", 2020) == ((), None)
    token, note = FACTS.fee_at("eras.token", 2025)
    assert token is not None and token.match_year == 2024
    assert note == "at the 2024 schedule; the 2025 fee is not published"
    # The exact-season lookups keep their meaning.
    assert FACTS.fee_tiers("eras.program", 2027) == ()


def test_signal_limits_fall_back_and_say_so() -> None:
    limit, note = FACTS.signal_limit_at(2027, "im")
    assert limit is not None and (limit.season, limit.gold, limit.silver) == (2025, 3, 12)
    assert note == "at the 2025 schedule; the 2027 limit is not published"
    assert FACTS.signal_limit_at(2024, "IM") == (None, None)


def test_rules_stay_in_force_until_replaced_and_dates_are_never_carried() -> None:
    assert FACTS.rule_for("usmle.step2ck.min_pass", 2024).value == "214"
    assert FACTS.rule_for("usmle.step2ck.min_pass", 2030).value == "218"
    assert FACTS.rule_for("usmle.step1.min_pass", 2021).value == "194"
    assert FACTS.rule_for("usmle.step1.min_pass", 2027).value == "196"
    assert FACTS.rule_for("no.such.rule", 2027) is None
    assert FACTS.event(2026, "match_day") is not None
    assert FACTS.event(2028, "match_day") is None


def test_the_application_service_follows_the_specialty_and_the_year() -> None:
    em_2027 = FACTS.application_service("EM", 2027)
    assert (em_2027.name, em_2027.signals, em_2027.fee_key) == (
        "ResidencyCAS",
        False,
        "residencycas.em.program",
    )
    assert em_2027.fact is not None and em_2027.fact.source.startswith("https://www.cordem.org/")
    assert FACTS.application_service("EM", 2025).name == "ERAS"  # before the move
    assert FACTS.application_service("obgyn", 2025).name == "ResidencyCAS"
    assert FACTS.application_service("OBGYN", 2024).name == "ERAS"
    im = FACTS.application_service("IM", 2027)
    assert (im.name, im.signals, im.fee_key, im.transcript_key) == (
        "ERAS",
        True,
        "eras.program",
        "eras.usmle_transcript",
    )


def test_residencycas_fees_for_em_match_the_published_example() -> None:
    tiers, note = FACTS.fee_tiers_at("residencycas.em.program", 2026)
    assert [(t.per, t.tier_from, t.tier_to, t.amount_usd) for t in tiers] == [
        ("block", 1, 18, 99),
        ("program", 19, 30, 18),
        ("program", 31, None, 23),
    ]
    assert note is None and all(t.secondary for t in tiers)
    # The EM organisations' example: 46 applications cost $99 + 12 x $18 + 16 x $23 = $683.
    assert tiered_amount(tiers, 46) == 683
    assert tiered_amount(tiers, 1) == 99 and tiered_amount(tiers, 18) == 99
    assert tiered_amount(tiers, 19) == 117
    assert tiered_amount(tiers, 0) == 0


@pytest.mark.parametrize(
    ("country", "year", "level", "j1", "official"),
    [
        ("Nigeria", 2027, "partial", True, False),
        ("Iran", 2025, "full", True, True),
        ("Myanmar", 2027, "full", True, False),
        ("Ivory Coast", 2027, "partial", True, False),
        ("Turkmenistan", 2025, "partial", True, True),
        ("Turkmenistan", 2027, "immigrant_only", False, False),
    ],
)
def test_travel_restrictions_are_dated_rows_per_country(
    country: str, year: int, level: str, j1: bool, official: bool
) -> None:
    found = FACTS.travel_restriction(country, year)
    assert found is not None
    assert (found.level, found.j1_restricted, found.verified) == (level, j1, official)


def test_countries_without_a_restriction_find_none() -> None:
    assert FACTS.travel_restriction("India", 2027) is None
    assert FACTS.travel_restriction("Nigeria", 2025) is None  # added from 2026-01-01
    dec = [r for r in FACTS.travel_restrictions if r.signed.isoformat() == "2025-12-16"]
    assert len({r.country for r in dec if r.level == "full"}) == 19
    assert len({r.country for r in dec if r.level != "full"}) == 20


def test_every_verified_row_cites_a_page_on_an_official_domain() -> None:
    domains = official_domains()
    assert "nrmp.org" in domains and "ecfmg.org" in domains and "uscis.gov" in domains
    rows = [
        *FACTS.rules,
        *FACTS.calendar,
        *FACTS.specialties,
        *FACTS.outcomes,
        *FACTS.fees,
        *FACTS.signals,
        *FACTS.travel_restrictions,
    ]
    verified = [r for r in rows if r.verified]
    assert len(verified) > 60
    for row in verified:
        url = source_url(row.source)
        assert url is not None and is_official(url, domains), row.source
    for row in rows:
        if row.secondary:
            assert row.note, f"a secondary row says why: {row.source}"


def test_the_official_domain_check_is_by_host_not_by_text() -> None:
    domains = ("nrmp.org", "ecfmg.org")
    assert is_official("https://www.nrmp.org/topic/x", domains)
    assert is_official("https://gp.ecfmg.org/focus/issue88.html", domains)
    assert not is_official("https://nrmp.org.example.com/x", domains)
    assert not is_official("https://usciss.us/working-in-the-united-states/", ("uscis.gov",))
    assert not is_official("https://example.com/?ref=nrmp.org", domains)
