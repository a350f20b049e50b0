"""Calendar and Costs pages and their API routes: the same services as the CLI."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from icalendar import Calendar

from fakes import MemoryProfileStore
from matchready.data import load_facts
from matchready.domain.calendar import CycleCalendar
from matchready.io.ics import calendar_ics
from matchready.io.profile import load_profile
from matchready.services.calendar import cycle_calendar
from matchready.services.costs import cost_estimate
from matchready.settings import Settings
from matchready.web.app import create_app

PROFILE = Path(__file__).parents[2] / "examples" / "profiles" / "recent-graduate-j1.toml"
AS_OF = "2026-11-25"


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    profiles = MemoryProfileStore()
    app = create_app(Settings(data_dir=tmp_path), profiles=profiles)
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def saved(client: TestClient) -> TestClient:
    response = client.put("/api/profile", json=load_profile(PROFILE).model_dump(mode="json"))
    assert response.status_code == 200, response.text
    return client


def expected_calendar() -> CycleCalendar:
    return cycle_calendar(load_profile(PROFILE), load_facts(), date.fromisoformat(AS_OF))


def test_pages_lead_to_the_profile_before_one_is_saved(client: TestClient) -> None:
    for path in ("/calendar", "/costs"):
        assert client.get(path, follow_redirects=False).headers["location"] == "/profile"
    assert client.get("/calendar.ics").status_code == 404
    assert client.get("/api/calendar").status_code == 404


def test_the_calendar_page_shows_every_entry_with_its_source(saved: TestClient) -> None:
    page = saved.get(f"/calendar?as_of={AS_OF}")
    assert page.status_code == 200
    calendar = expected_calendar()
    for entry in calendar.entries:
        assert entry.title.replace("'", "&#39;") in page.text
    assert 'href="/calendar"' in page.text and 'aria-current="page"' in page.text
    assert saved.get(f"/api/calendar?as_of={AS_OF}").json() == calendar.model_dump(mode="json")


def test_the_ics_download_parses_back_to_the_dated_entries(saved: TestClient) -> None:
    response = saved.get(f"/calendar.ics?as_of={AS_OF}")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/calendar")
    assert "attachment" in response.headers["content-disposition"]
    parsed = Calendar.from_ical(response.content)
    titles = [str(event["SUMMARY"]) for event in parsed.walk("VEVENT")]
    calendar = expected_calendar()
    dated = [e for e in calendar.entries if e.on is not None and not e.month_only]
    assert len(titles) == len(dated) > 0
    for entry, title in zip(dated, titles, strict=True):
        assert title.startswith(entry.title)
    assert response.content == calendar_ics(calendar)


def test_the_costs_page_itemises_like_the_service(saved: TestClient) -> None:
    page = saved.get(f"/costs?as_of={AS_OF}&programs=40&ranks=12&travel=1500")
    assert page.status_code == 200
    result = cost_estimate(
        load_profile(PROFILE),
        load_facts(),
        date.fromisoformat(AS_OF),
        programs=40,
        ranks=12,
        travel_usd=1500,
    )
    for line in result.lines:
        assert line.title in page.text
    assert result.total_text in page.text
    assert "$1,500" in page.text
    api = saved.get(f"/api/costs?as_of={AS_OF}&programs=40&ranks=12&travel=1500")
    assert api.json() == result.model_dump(mode="json")


@pytest.mark.parametrize(
    ("query", "field"),
    [("programs=-1", "programs"), ("ranks=lots", "ranks"), ("travel=1e9", "travel")],
)
def test_bad_costs_input_is_a_4xx_naming_the_field(
    saved: TestClient, query: str, field: str
) -> None:
    page = saved.get(f"/costs?{query}")
    assert page.status_code == 422
    assert field in page.text and "whole number" in page.text
    api = saved.get(f"/api/costs?{query}")
    assert api.status_code == 422
    assert field in api.text


def test_a_bad_date_is_a_4xx(saved: TestClient) -> None:
    for path in ("/calendar", "/calendar.ics", "/costs", "/api/calendar", "/api/costs"):
        response = saved.get(f"{path}?as_of=25/11/2026")
        assert response.status_code == 422, path
        assert "as_of" in response.text


def test_an_out_of_range_date_or_a_year_without_dates_is_a_422(saved: TestClient) -> None:
    for path in ("/plan", "/api/plan", "/calendar", "/api/calendar", "/costs", "/api/costs"):
        for day in ("1999-12-31", "2099-01-01"):
            response = saved.get(f"{path}?as_of={day}")
            assert response.status_code == 422, (path, day)
            assert "as_of" in response.text and "out of range" in response.text
            assert "Traceback" not in response.text
    data = load_profile(PROFILE).model_dump(mode="json")
    data["target"]["match_year"] = 2035
    assert saved.put("/api/profile", json=data).status_code == 200
    response = saved.get(f"/api/plan?as_of={AS_OF}")
    assert response.status_code == 422 and "2035 Match has no dates" in response.text


def test_the_plan_page_opens_with_now(saved: TestClient) -> None:
    page = saved.get("/plan?as_of=2026-12-01")
    assert page.status_code == 200
    text = page.text
    assert text.index("Now — 2027 Match") < text.index("ECFMG checklist")
    assert "Interview season" in text and "in 62 days" in text
    assert "NRMP standard registration deadline (late fee after), 2027 Match" in text
    assert "2027-01-31, 11:59 pm ET (estimated: " in text
    assert "2027-03-03" in text  # the rank order list, by which the list is due
    calendar = saved.get("/calendar?as_of=2026-12-01").text
    assert "estimated" in calendar and "past" in calendar and "Africa/Lagos" in calendar
    costs = saved.get("/costs?as_of=2026-12-01&programs=40").text
    assert "spent" in costs and "at the 2026 schedule" in costs
