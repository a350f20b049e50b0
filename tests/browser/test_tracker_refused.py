"""A refused tracker action in a browser: the interview form sent with a criterion scored twice
comes back with the message right above that form and every field as the user typed it, and
nothing is wider than the screen (phone and laptop widths, screenshots)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from browser_shots import shoot
from matchready.bootstrap import bootstrap
from matchready.domain.tracker_records import ApplicationRecord
from matchready.io.tables import read_table
from matchready.services.programs import import_programs
from matchready.services.tracker import Tracking
from matchready.settings import Settings
from matchready.store.database import open_database
from matchready.store.sql import SqlUnitOfWork

PROGRAMS = Path(__file__).parents[2] / "examples" / "programs" / "example_programs.csv"
TYPED = {
    "#iv-program": "",  # the tracked program's code, filled in below
    "#iv-date": "2026-11-20",
    "#iv-scores": "fit=4; fit=2",
    "#iv-notes": "kind people & <b>long</b> days",
}


def _first_code() -> str:
    table = read_table(PROGRAMS)
    return table.rows[0][table.header.index("nrmp_codes")].split(";")[0]


@pytest.fixture
def tracked(server: str, tmp_path: Path) -> str:
    engine, factory = open_database(f"sqlite:///{tmp_path / 'matchready.sqlite3'}")
    import_programs(SqlUnitOfWork(factory), PROGRAMS)
    engine.dispose()
    with bootstrap(Settings(data_dir=tmp_path)) as runtime:
        tracking = Tracking(runtime.units(), runtime.owner, runtime.facts)
        tracking.add(ApplicationRecord.parse({"program": _first_code()}))
    return server


@pytest.mark.parametrize("width", [390, 1280])
def test_a_refused_interview_keeps_what_was_typed(tracked: str, browser: Any, width: int) -> None:
    code = _first_code()
    typed = {**TYPED, "#iv-program": code}
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20_000)
    try:
        page.goto(tracked + "/tracker")
        for selector, text in typed.items():
            page.fill(selector, text)
        page.select_option("#iv-format", "in_person")
        with page.expect_response("**/tracker/interview") as answer:
            page.get_by_role("button", name="Record").last.click()
        assert answer.value.status == 422
        page.wait_for_load_state()
        message = page.locator("#refused")
        assert message.locator("p").inner_text() == "Not saved:"
        assert message.locator("li").all_inner_texts() == [
            f"interview at {code}: 'fit' is scored twice"
        ]
        # the message is the element right before the interview form, and drawn above it
        after = message.evaluate("m => m.nextElementSibling.getAttribute('action')")
        assert after == "/tracker/interview"
        form = page.locator("form[action='/tracker/interview']")
        above, below = message.bounding_box(), form.bounding_box()
        assert above["y"] + above["height"] <= below["y"]
        # the page's top says where the message is
        assert page.locator("main p.alert a[href='#refused']").count() == 1
        for selector, text in typed.items():
            assert page.input_value(selector) == text, selector
        assert page.input_value("#iv-format") == "in_person"
        sizes = page.evaluate(
            "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert sizes[0] <= sizes[1], sizes
        message.scroll_into_view_if_needed()
        shoot(page, f"tracker-refused-{width}")
    finally:
        context.close()
