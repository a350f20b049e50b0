"""Correcting a program requirement in a real browser: the message beside the field, then the
saved correction in the history."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from browser_shots import shoot
from matchready.services.programs import import_programs
from matchready.settings import Settings
from stores import store_at

SAMPLE = Path(__file__).parents[1] / "data" / "template_sample.csv"


def test_correct_a_requirement(server: str, page: Any, tmp_path: Path) -> None:
    with store_at(Settings(data_dir=tmp_path).resolved_database_url()) as uow:
        import_programs(uow, SAMPLE)
    page.goto(server + "/programs/1403621075")
    page.get_by_label("Requirement", exact=True).select_option("step2ck_minimum")
    page.get_by_label("Value", exact=True).fill("999")
    page.get_by_label("Strictness", exact=True).select_option("hard")
    page.get_by_label("Source", exact=True).fill("https://example.org/im/2027")
    page.get_by_role("button", name="Save the correction").click()
    error = page.locator("#err-r-value")
    assert "300" in error.inner_text()
    assert page.get_by_label("Value", exact=True).get_attribute("aria-invalid") == "true"

    page.get_by_label("Value", exact=True).fill("238")
    page.get_by_role("button", name="Save the correction").click()
    page.wait_for_url("**/programs/1403621075?saved=step2ck_minimum*")
    history = page.locator("#history + ul").inner_text()
    assert "Step 2 CK minimum: 230 → 238 (hard)" in history
    assert "edited by local user" in history and "https://example.org/im/2027" in history
    shoot(page, "program")
