"""The tracker by name in a browser: find a program by part of its name, track it with one
click, see it by name in the applications table (phone and laptop widths, screenshots)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from browser_shots import shoot
from matchready.io.tables import read_table
from matchready.services.programs import import_programs
from matchready.store.database import open_database
from matchready.store.sql import SqlUnitOfWork

PROGRAMS = Path(__file__).parents[2] / "examples" / "programs" / "example_programs.csv"


@pytest.fixture
def stocked(server: str, tmp_path: Path) -> str:
    engine, factory = open_database(f"sqlite:///{tmp_path / 'matchready.sqlite3'}")
    import_programs(SqlUnitOfWork(factory), PROGRAMS)
    engine.dispose()
    return server


def _first() -> tuple[str, str]:
    table = read_table(PROGRAMS)
    row = table.rows[0]
    column = table.header.index
    code = row[column("nrmp_codes")].split(";")[0]
    return row[column("name")], code


@pytest.mark.parametrize("width", [390, 1280])
def test_a_program_is_tracked_by_its_name(stocked: str, browser: Any, width: int) -> None:
    name, code = _first()
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20_000)
    try:
        page.goto(stocked + "/tracker")
        words = name.removeprefix("Example ").removesuffix(" (fictional)")  # as people type it
        page.get_by_label("Find a program by name, city or code").fill(words.lower())
        page.get_by_role("button", name="Find").click()
        page.wait_for_url("**/programs/search?q=*")
        shoot(page, f"tracker-search-{width}")
        page.get_by_role("button", name=f"Track {name}, {code}").click()
        page.wait_for_url("**/tracker")
        row = page.locator("#applications tbody tr").first
        assert row.locator("td[data-label=Program] a").inner_text() == name
        assert row.locator("td[data-label=Status]").inner_text() == "planned"
        sizes = page.evaluate(
            "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert sizes[0] <= sizes[1], sizes
        shoot(page, f"tracker-by-name-{width}")
    finally:
        context.close()
