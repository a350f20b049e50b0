"""The cycle model: official, estimated and unknown dates, patterns, phases."""

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matchready.data import load_facts
from matchready.domain.cycle import (
    Phase,
    check_as_of,
    cycle_dates,
    key_dates,
    pattern_day,
    phase_on,
    phases,
    require_dates,
    resolve,
    zone_of,
)
from matchready.domain.facts import CalendarEvent, Facts
from matchready.domain.report import DateKind
from matchready.errors import InputError

FACTS = load_facts()


@pytest.mark.parametrize("pattern", FACTS.patterns, ids=lambda p: p.event)
def test_every_pattern_reproduces_the_official_date_of_each_year_it_was_observed_in(
    pattern,  # type: ignore[no-untyped-def]
) -> None:
    for year in pattern.observed_years:
        official = FACTS.event(year, pattern.event)
        assert official is not None, f"{pattern.event}: no {year} fact to check against"
        assert not official.month_only
        anchor = None
        if pattern.rule.startswith("offset "):
            base = FACTS.event(year, pattern.rule.split()[1])
            assert base is not None
            anchor = base.day
        assert pattern_day(pattern, year, anchor) == official.day, (pattern.event, year)


def test_phase_boundaries_of_the_2026_match_official_where_sourced() -> None:
    spans = {s.phase: s for s in phases(FACTS, 2026, "America/New_York")}
    assert spans[Phase.PREPARATION].start is None
    assert spans[Phase.PREPARATION].end == date(2025, 6, 4)
    assert spans[Phase.SEASON_OPEN].kind is DateKind.OFFICIAL
    assert (spans[Phase.APPLICATIONS].start, spans[Phase.APPLICATIONS].end) == (
        date(2025, 9, 3),
        date(2025, 9, 24),
    )
    # ranking opens is not announced for 2026: estimated (1 February 2026 is a Sunday)
    assert spans[Phase.INTERVIEWS].end == date(2026, 2, 2)
    assert spans[Phase.INTERVIEWS].kind is DateKind.ESTIMATED
    assert spans[Phase.RANKING].end == date(2026, 3, 5)  # the deadline day is still ranking
    assert (spans[Phase.MATCH_WEEK].start, spans[Phase.MATCH_WEEK].end) == (
        date(2026, 3, 5),
        date(2026, 3, 21),
    )
    assert spans[Phase.MATCH_WEEK].kind is DateKind.OFFICIAL
    assert spans[Phase.BEFORE_START].end == date(2026, 7, 1)
    assert spans[Phase.AFTER_MATCH].end is None


@pytest.mark.parametrize(
    ("year", "bounds"),
    [
        (
            2027,
            {
                Phase.SEASON_OPEN: date(2026, 6, 3),
                Phase.APPLICATIONS: date(2026, 9, 2),
                Phase.INTERVIEWS: date(2026, 9, 23),
                Phase.RANKING: date(2027, 2, 1),
                Phase.MATCH_WEEK: date(2027, 3, 4),
                Phase.BEFORE_START: date(2027, 3, 20),
                Phase.AFTER_MATCH: date(2027, 7, 1),
            },
        ),
        (
            2028,
            {
                Phase.SEASON_OPEN: date(2027, 6, 2),
                Phase.APPLICATIONS: date(2027, 9, 1),
                Phase.INTERVIEWS: date(2027, 9, 22),
                Phase.RANKING: date(2028, 2, 1),
                Phase.MATCH_WEEK: date(2028, 3, 2),
                Phase.BEFORE_START: date(2028, 3, 18),
                Phase.AFTER_MATCH: date(2028, 7, 1),
            },
        ),
    ],
)
def test_phase_boundaries_of_later_matches_are_estimated(year: int, bounds: dict) -> None:  # type: ignore[type-arg]
    spans = {s.phase: s for s in phases(FACTS, year, "America/New_York")}
    assert {p: spans[p].start for p in bounds} == bounds
    assert all(s.kind is DateKind.ESTIMATED for s in spans.values() if s.start is not None)


def test_the_2027_rank_order_list_deadline_is_estimated_with_its_time_and_pattern() -> None:
    found = resolve(FACTS, 2027, "rol_deadline")
    assert found.kind is DateKind.ESTIMATED and not found.verified
    assert found.on == date(2027, 3, 3) and found.at == "21:00"
    assert found.label.startswith("2027-03-03, 9:00 pm ET (estimated: ")
    assert "16 days before Match Day" in found.label
    assert resolve(FACTS, 2027, "match_day").on == date(2027, 3, 19)


def test_official_beats_estimated() -> None:
    official = resolve(FACTS, 2026, "rol_deadline")
    assert official.kind is DateKind.OFFICIAL and official.on == date(2026, 3, 4)
    assert "estimated" not in official.label
    # an official date off the pattern still wins
    moved = CalendarEvent.model_validate(
        {
            "match_year": 2027,
            "event": "match_day",
            "date": "2027-03-26",
            "summary": "Match Day",
            "source": "https://example.org/announcement",
            "as_of": "2026",
            "status": "verified",
        }
    )
    facts = Facts(calendar=(*FACTS.calendar, moved), patterns=FACTS.patterns)
    assert resolve(facts, 2027, "match_day").kind is DateKind.OFFICIAL
    assert resolve(facts, 2027, "match_day").on == date(2027, 3, 26)
    # ... and the deadline estimated from it follows the official Match Day
    assert resolve(facts, 2027, "rol_deadline").on == date(2027, 3, 10)


def test_an_official_month_gives_way_to_a_pattern_day_in_that_month() -> None:
    found = resolve(FACTS, 2027, "applications_open")  # the fact says 2026-09 only
    assert found.kind is DateKind.ESTIMATED and found.on == date(2026, 9, 2)
    assert "The month (2026-09) is in our sources" in found.detail


def test_an_estimate_is_never_shown_without_its_label() -> None:
    for year in (2026, 2027, 2028, 2029):
        for found in cycle_dates(FACTS, year):
            if found.kind is DateKind.ESTIMATED:
                assert "(estimated: " in found.label and found.pattern
                assert found.as_due().label == found.label
                assert found.citation is not None
        for key_date in key_dates(FACTS, year):
            assert (key_date.kind is DateKind.ESTIMATED) == ("(estimated: " in key_date.date)


def test_no_fact_and_no_pattern_is_unknown_and_a_year_without_any_is_refused() -> None:
    assert resolve(FACTS, 2027, "pathways_deadline").kind is DateKind.UNKNOWN
    assert resolve(FACTS, 2035, "match_day").kind is DateKind.UNKNOWN
    require_dates(FACTS, 2030)
    with pytest.raises(InputError, match="2035 Match has no dates"):
        require_dates(FACTS, 2035)


def test_bad_as_of_and_zone_are_input_errors() -> None:
    today = date(2026, 12, 1)
    assert check_as_of(date(2000, 1, 1), today) == date(2000, 1, 1)
    for day in (date(1999, 12, 31), date(2037, 1, 1)):
        with pytest.raises(InputError, match="out of range"):
            check_as_of(day, today)
    with pytest.raises(InputError, match="not a time zone"):
        zone_of("Mars/Olympus_Mons")


@settings(deadline=None, max_examples=200)
@given(
    year=st.sampled_from([2026, 2027, 2028]),
    offset=st.integers(min_value=-800, max_value=800),
    zone=st.sampled_from(["America/New_York", "Africa/Lagos", "Asia/Kolkata", "Pacific/Honolulu"]),
)
def test_any_day_falls_in_exactly_one_phase(year: int, offset: int, zone: str) -> None:
    day = date(year, 1, 1) + timedelta(days=offset)
    spans = phases(FACTS, year, zone)
    assert sum(1 for s in spans if s.contains(day)) == 1
    assert phase_on(FACTS, day, year, zone) in spans
    order = [s.phase for s in spans]
    assert order == sorted(order, key=list(Phase).index)
