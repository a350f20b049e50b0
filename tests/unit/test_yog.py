from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matchready.domain.yog import (
    Elapsed,
    add_months,
    calendar_months,
    elapsed_between,
    months_text,
    yog_point,
)

dates = st.dates(min_value=date(1990, 1, 1), max_value=date(2060, 12, 31))


def test_the_guides_example_march_2019_to_september_2023_is_4_years_6_months() -> None:
    elapsed = elapsed_between(date(2019, 3, 1), date(2023, 9, 1))
    assert (elapsed.years, elapsed.remainder_months) == (4, 6)
    assert str(elapsed) == "4 years 6 months"


def test_a_month_is_not_complete_before_its_day() -> None:
    assert elapsed_between(date(2019, 3, 15), date(2023, 9, 14)).months == 53
    assert elapsed_between(date(2019, 3, 15), date(2023, 9, 15)).months == 54


def test_month_ends_are_clamped_to_the_last_day_of_a_shorter_month() -> None:
    assert add_months(date(2023, 1, 31), 1) == date(2023, 2, 28)
    assert elapsed_between(date(2023, 1, 31), date(2023, 2, 28)).months == 1
    assert elapsed_between(date(2023, 1, 31), date(2023, 2, 27)).months == 0
    assert elapsed_between(date(2023, 3, 31), date(2023, 4, 30)).months == 1


def test_leap_days() -> None:
    assert add_months(date(2020, 2, 29), 12) == date(2021, 2, 28)
    assert elapsed_between(date(2020, 2, 29), date(2021, 2, 28)).months == 12
    assert elapsed_between(date(2020, 2, 29), date(2024, 2, 29)).months == 48
    assert elapsed_between(date(2019, 2, 28), date(2020, 2, 29)).months == 12


def test_singular_and_plural_wording() -> None:
    assert str(Elapsed(13)) == "1 year 1 month"
    assert str(Elapsed(0)) == "0 years 0 months"


def test_a_future_graduation_is_a_student_not_an_error() -> None:
    point = yog_point(date(2027, 5, 15), "today", date(2026, 11, 25))
    assert point.since_graduation is None
    assert point.until_graduation == Elapsed(5)
    assert point.describe().startswith("not yet graduated")


def test_an_unknown_reference_date_says_unknown() -> None:
    point = yog_point(date(2020, 1, 1), "at application", None)
    assert point.describe().startswith("unknown")


@given(dates, dates)
def test_elapsed_is_the_largest_whole_number_of_months(a: date, b: date) -> None:
    start, end = min(a, b), max(a, b)
    months = elapsed_between(start, end).months
    assert months >= 0
    assert add_months(start, months) <= end < add_months(start, months + 1)


@settings(deadline=None)  # a property of dates, not a speed test: no deadline on a loaded machine
@given(dates, dates, st.integers(min_value=0, max_value=400))
def test_elapsed_never_decreases_as_the_end_moves_later(a: date, b: date, days: int) -> None:
    start, end = min(a, b), max(a, b)
    later = end + timedelta(days=days)
    assert elapsed_between(start, later) >= elapsed_between(start, end)


@given(dates, st.integers(min_value=0, max_value=240))
def test_adding_n_months_gives_n_months(start: date, months: int) -> None:
    assert elapsed_between(start, add_months(start, months)).months == months


# --- calendar months compare dates (issue 18: no month is rounded from days) --------------


def test_calendar_months_are_whole_on_the_anniversary_and_grow_after_it() -> None:
    assert calendar_months(date(2023, 9, 3), date(2026, 9, 3)) == 36.0
    assert calendar_months(date(2023, 9, 3), date(2026, 9, 4)) > 36.0
    assert calendar_months(date(2023, 9, 3), date(2026, 9, 2)) < 36.0
    assert calendar_months(date(2026, 1, 31), date(2026, 2, 28)) == 1.0  # clamped day


def test_three_years_and_four_weeks_is_over_a_three_year_cutoff() -> None:
    graduation = date(2023, 6, 30)
    application = add_months(graduation, 36) + timedelta(weeks=4)
    assert elapsed_between(graduation, application).months == 36  # the floor that hid it
    assert calendar_months(graduation, application) > 36


@given(dates, st.integers(0, 400), st.integers(0, 400))
def test_calendar_months_within_n_exactly_when_on_or_before_the_nth_anniversary(
    start: date, n: int, days: int
) -> None:
    end = start + timedelta(days=days)
    assert (calendar_months(start, end) <= n) == (end <= add_months(start, n))


@pytest.mark.parametrize(
    ("text", "months"),
    [("36 months", 36.0), ("2.9 months", 2.97), ("2.6 months", 2.6129)],
)
def test_months_as_evidence_are_cut_not_rounded(text: str, months: float) -> None:
    assert months_text(months) == text
