"""End to end in a real browser: from an empty home page and profile to the home page's
figures, a plan, odds and specialties."""

from __future__ import annotations

from typing import Any

from browser_profile import fill_profile
from browser_shots import shoot


def test_the_main_flow_from_an_empty_profile_to_a_plan(server: str, page: Any) -> None:
    page.goto(server + "/")
    assert "Start with your profile" in page.inner_text("main")
    page.get_by_role("link", name="Fill in the profile").click()
    page.wait_for_url("**/profile")
    fill_profile(page, "Browser Test (fictional)", ["IM", "FM"])
    shoot(page, "profile")
    page.get_by_role("button", name="Save profile").click()
    page.wait_for_url("**/profile?saved=1")
    assert "Saved." in page.inner_text("main")

    page.get_by_role("link", name="matchready").click()
    page.wait_for_url(server + "/")
    main = page.inner_text("main")
    assert "Where you are, Browser Test (fictional)" in main
    for part in ("Now: ", "Your next three actions", "Checklist: ", "Key figures"):
        assert part in main
    shoot(page, "home")

    page.get_by_role("link", name="Plan", exact=True).click()
    page.wait_for_url("**/plan")
    main = page.inner_text("main")
    assert "Plan for Browser Test (fictional)" in main
    for part in ("ECFMG checklist", "Year of graduation", "Red flags", "Visa", "Next actions"):
        assert part in main
    shoot(page, "plan")

    page.get_by_role("link", name="Odds", exact=True).click()
    page.get_by_label("Programs you expect to rank").fill("5")
    page.get_by_role("button", name="Estimate").click()
    page.wait_for_url("**/odds?*ranks=5*")
    assert "P(match)" in page.inner_text("main")
    shoot(page, "odds")

    page.get_by_role("link", name="Specialties", exact=True).click()
    page.get_by_role("link", name="Positions").click()
    page.wait_for_url("**sort=positions")
    first = page.locator("tbody tr").first.inner_text()
    assert "Internal Medicine" in first
    shoot(page, "specialties")


def test_errors_show_beside_the_field_as_you_type_and_on_save(server: str, page: Any) -> None:
    page.goto(server + "/profile")
    score = page.locator("#f-exams-step2ck-score")
    score.fill("999")
    score.blur()
    message = page.locator("#err-f-exams-step2ck-score")
    message.wait_for(state="visible")
    page.wait_for_function(
        "document.querySelector('#err-f-exams-step2ck-score').textContent.includes('300')"
    )
    assert "300" in message.inner_text()
    page.get_by_role("button", name="Save profile").click()
    page.wait_for_load_state()
    # the empty form's required fields and the score
    assert "Please correct the 8 fields marked below." in page.inner_text("#form-summary")
    assert page.locator("#err-f-school-country").inner_text() == "fill this in"
    assert page.locator("#f-exams-step2ck-score").get_attribute("aria-invalid") == "true"
    assert page.locator("#f-exams-step2ck-score").input_value() == "999"
    shoot(page, "profile-errors")


def test_the_page_can_be_used_from_the_keyboard(server: str, page: Any) -> None:
    page.goto(server + "/profile")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.id")
    assert focused.startswith("f-")
    style = "getComputedStyle(document.activeElement)"
    outline = page.evaluate(f"[{style}.outlineStyle, {style}.outlineWidth]")
    assert outline == ["solid", "3px"]  # the focus ring of app.css


def test_a_narrow_screen_gets_the_same_page(server: str, browser: Any) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(server + "/profile")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 400  # no horizontal scrolling
    shoot(page, "profile-narrow")
    context.close()
