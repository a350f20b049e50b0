"""Every page at a phone's width (390 px) and a laptop's (1280 px): nothing is wider than the
screen (scrollWidth <= clientWidth), tables become stacked rows on the phone, the charts are
drawn with their text alternatives; on the laptop the tracker's table fits its own box (no
column cut inside its scroll area), with a few programs tracked in several states. Screenshots
of each are written for review."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from browser_shots import shoot
from matchready.bootstrap import bootstrap
from matchready.domain.tracker import AppState
from matchready.domain.tracker_records import (
    ApplicationRecord,
    ChangeRecord,
    InterviewRecord,
    RankRecord,
    SignalRecord,
)
from matchready.io.profile import load_profile
from matchready.io.tables import read_table
from matchready.services.programs import import_programs
from matchready.services.tracker import Tracking
from matchready.settings import Settings
from matchready.store.database import open_database
from matchready.store.sql import SqlUnitOfWork

ROOT = Path(__file__).parents[2]
PROFILE = ROOT / "examples" / "profiles" / "recent-graduate-j1.toml"
PROGRAMS = ROOT / "examples" / "programs" / "example_programs.csv"
PAGES = {
    "home": "/",
    "profile": "/profile",
    "plan": "/plan",
    "programs": "/programs",
    "programs-im": "/programs?specialty=IM",
    "program": "/programs/{program}",
    "list": "/list",
    "tracker": "/tracker",
    "odds": "/odds",
    "calendar": "/calendar",
    "costs": "/costs",
    "specialties": "/specialties",
    "facts": "/facts",
    "import": "/programs/import",
    "search": "/programs/search?q=internal+medicine",
    "not-found": "/no-such-page",
}
CHARTS = {"specialties": 2, "costs": 1, "calendar": 1}


@pytest.fixture
def filled(server: str, tmp_path: Path) -> str:
    engine, factory = open_database(f"sqlite:///{tmp_path / 'matchready.sqlite3'}")
    import_programs(SqlUnitOfWork(factory), PROGRAMS)
    engine.dispose()
    profile = load_profile(PROFILE).model_dump(mode="json")
    assert httpx.put(server + "/api/profile", json=profile).status_code == 200
    _track(tmp_path, _codes(4))
    return server


def _track(data: Path, codes: list[str]) -> None:
    """Four programs tracked as an applicant would have them in December: planned, one invited
    (its Move-to list then offers "interview scheduled", the longest state), one interviewed
    with a date and a score and ranked, one signalled gold, one marked "would not go"."""
    with bootstrap(Settings(data_dir=data)) as runtime:
        t = Tracking(runtime.units(), runtime.owner, runtime.facts)
        for code in codes:
            t.add(ApplicationRecord.parse({"program": code}))
        for state in (AppState.SUBMITTED, AppState.INVITED):
            t.move(ChangeRecord.parse({"program": codes[1], "state": state}))
        for state in (AppState.SUBMITTED, AppState.INVITED, AppState.INTERVIEW_SCHEDULED):
            t.move(ChangeRecord.parse({"program": codes[2], "state": state}))
        interview = {"program": codes[2], "date": "2026-11-20", "format": "virtual"}
        t.interview(InterviewRecord.parse({**interview, "scores": "fit=4; city=3"}))
        t.rank(RankRecord.parse({"program": codes[2]}))
        t.signal(SignalRecord.parse({"program": codes[0], "season": 2027, "tier": "gold"}))
        t.set(codes[3], would_not_go=True)


def _first_program() -> str:
    table = read_table(PROGRAMS)
    return table.rows[0][table.header.index("acgme_number")]


def _codes(count: int) -> list[str]:
    table = read_table(PROGRAMS)
    column = table.header.index("nrmp_codes")
    return [row[column].split(";")[0] for row in table.rows[:count]]


@pytest.mark.parametrize("width", [390, 1280])
def test_no_page_is_wider_than_the_screen(filled: str, browser: Any, width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    program = _first_program()
    wide: list[str] = []
    try:
        for name, path in PAGES.items():
            page.goto(filled + path.format(program=program))
            sizes = page.evaluate(
                "() => [document.documentElement.scrollWidth,"
                " document.documentElement.clientWidth]"
            )
            if sizes[0] > sizes[1]:
                wide.append(f"{path}: scrollWidth {sizes[0]} > clientWidth {sizes[1]}")
            if name == "tracker":
                assert page.locator("#applications tbody tr").count() == 4
                table = page.eval_on_selector(
                    "#applications",
                    "t => [t.parentElement.scrollWidth, t.parentElement.clientWidth]",
                )
                if table[0] > table[1]:
                    wide.append(f"{path} table: scrollWidth {table[0]} > clientWidth {table[1]}")
            if width == 390 and page.locator(".table-wrap td").count():
                display = page.eval_on_selector(
                    ".table-wrap td", "cell => getComputedStyle(cell).display"
                )
                assert display == "block", path  # a stacked row, not a squeezed column
            if name in CHARTS:
                charts = page.locator("svg.chart")
                assert charts.count() == CHARTS[name], name
                for index in range(charts.count()):
                    chart = charts.nth(index)
                    assert chart.get_attribute("role") == "img"
                    assert (chart.locator("title").text_content() or "").strip()
                    assert (chart.locator("desc").text_content() or "").strip()
                    assert chart.bounding_box()["width"] <= width
            shoot(page, f"{name}-{width}")
    finally:
        context.close()
    assert wide == []
