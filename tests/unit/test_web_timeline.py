"""The calendar's time line: each row names its day and its entry, estimates marked."""

from datetime import date
from pathlib import Path

from matchready.data import load_facts
from matchready.io.profile import load_profile
from matchready.services.calendar import cycle_calendar
from matchready.web.charts import calendar_timeline

PROFILE = Path(__file__).parents[2] / "examples" / "profiles" / "recent-graduate-j1.toml"


def test_each_row_is_the_day_and_the_title_never_the_long_label() -> None:
    calendar = cycle_calendar(load_profile(PROFILE), load_facts(), date(2026, 12, 1))
    svg = str(calendar_timeline(calendar))
    assert "2024-03-12 · USMLE Step 1 (passed)" in svg  # the applicant's own date
    assert "2027-03-15 (est.) · Match Week begins" in svg  # an estimated cycle event
    assert "(estimated: " not in svg.split("</desc>")[1]  # patterns stay in the table
    dated = [e for e in calendar.entries if e.on is not None]
    assert svg.count("<circle") == len(dated)
