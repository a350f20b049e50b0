"""The profile form as a user fills it in a browser, shared by the browser tests (a module of
its own, so test files never import a `conftest` by name)."""

from __future__ import annotations

from typing import Any


def fill_profile(page: Any, name: str, specialties: list[str]) -> None:
    """Fill the empty profile form's required fields and a passed Step 2 CK of 244 (a 2024
    graduate of a fictional school aiming for the 2027 Match), without saving."""
    page.locator("#f-applicant-name").fill(name)
    page.locator("#f-applicant-citizenship").fill("Testland")
    page.locator("#f-school-name").fill("Test School (fictional)")
    page.locator("#f-school-country").fill("Testland")
    page.locator("#f-school-ecfmg_note").select_option("yes")
    page.locator("#f-school-graduation").fill("2024-06-30")
    page.locator("#f-target-match_year").fill("2027")
    for code in specialties:  # chosen from the list, by name
        page.locator(f"#f-target-specialties-{code}").check()
    page.locator("#f-exams-step2ck-status").select_option("passed")
    page.locator("#f-exams-step2ck-attempts").fill("1")
    page.locator("#f-exams-step2ck-date").fill("2025-08-01")
    page.locator("#f-exams-step2ck-score").fill("244")
