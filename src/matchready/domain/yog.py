"""Year of graduation (YOG): time elapsed from the diploma date to a reference date.

Programs usually count from the date on the diploma to the date of application, some to the
program start date (reference: domain-facts.md §9). Elapsed time is counted in whole calendar
months: N months have passed on the day that is N months after graduation, where a day that
does not exist in the target month (31 January + 1 month) falls on that month's last day.
"""

from __future__ import annotations

import calendar
import math
from dataclasses import dataclass
from datetime import date


def add_months(start: date, months: int) -> date:
    """`start` moved by `months` calendar months, clamped to the last day of the month."""
    index = start.year * 12 + (start.month - 1) + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(start.day, last))


@dataclass(frozen=True, order=True)
class Elapsed:
    """A whole number of months, shown as 'N years M months'."""

    months: int

    @property
    def years(self) -> int:
        return self.months // 12

    @property
    def remainder_months(self) -> int:
        return self.months % 12

    @property
    def in_years(self) -> float:
        return self.months / 12

    def __str__(self) -> str:
        def plural(n: int, word: str) -> str:
            return f"{n} {word}" + ("" if n == 1 else "s")

        return f"{plural(self.years, 'year')} {plural(self.remainder_months, 'month')}"


def elapsed_between(start: date, end: date) -> Elapsed:
    """Whole months from `start` to `end` (`end` >= `start`): the largest n with
    add_months(start, n) <= end."""
    if end < start:
        raise ValueError(f"end {end} is before start {start}")
    months = (end.year - start.year) * 12 + (end.month - start.month)
    if add_months(start, months) > end:
        months -= 1
    return Elapsed(months)


def calendar_months(start: date, end: date) -> float:
    """Calendar months from `start` to `end` (`end` >= `start`), counted by dates: the whole
    months of `elapsed_between`, plus the days past the last whole month as a share of the
    month that follows. So `calendar_months(s, e) <= n` exactly when `e <= add_months(s, n)`:
    a 3-year cutoff (36 months) passes on the third anniversary and fails the day after, and
    1 July to 19 September is 2.6 months, short of 3. Every month rule (year of graduation,
    USCE, cutoffs) is counted with it; none rounds days into months."""
    whole = elapsed_between(start, end).months
    since = add_months(start, whole)
    if since == end:
        return float(whole)
    following = add_months(start, whole + 1)
    return whole + (end - since).days / (following - since).days


def months_text(months: float) -> str:
    """Calendar months as evidence: whole months as they are, else cut (not rounded) to a
    tenth, so 2.97 months shows as 2.9 and never as the 3 it falls short of."""
    if months == int(months):
        return f"{int(months)} months"
    return f"{math.floor(months * 10) / 10:.1f} months"


@dataclass(frozen=True)
class YogPoint:
    """Time since graduation on one reference date, or how long until graduation."""

    label: str
    on: date | None
    since_graduation: Elapsed | None
    until_graduation: Elapsed | None

    def describe(self) -> str:
        if self.on is None:
            return "unknown (the date is not in our sources)"
        if self.since_graduation is not None:
            return str(self.since_graduation)
        assert self.until_graduation is not None
        return f"not yet graduated ({self.until_graduation} before graduation)"


def yog_point(graduation: date, label: str, on: date | None) -> YogPoint:
    """Time since `graduation` on `on`; a future graduation is a student, not an error."""
    if on is None:
        return YogPoint(label, None, None, None)
    if on >= graduation:
        return YogPoint(label, on, elapsed_between(graduation, on), None)
    return YogPoint(label, on, None, elapsed_between(on, graduation))
