"""The Odds page draws its charts as inline SVG (no JavaScript needed), each labelled."""

from __future__ import annotations

from typing import Any

from browser_profile import fill_profile


def _save_profile(server: str, page: Any) -> None:
    page.goto(server + "/profile")
    fill_profile(page, "Chart Test (fictional)", ["IM", "GS"])
    page.get_by_role("button", name="Save profile").click()
    page.wait_for_url("**/profile?saved=1")


def test_the_odds_page_shows_labelled_svg_charts_without_javascript(
    server: str, browser: Any
) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        _save_profile(server, page)
        page.goto(server + "/odds?ranks=4")
        charts = page.locator("main svg[role=img]")
        labels = [charts.nth(i).get_attribute("aria-label") for i in range(charts.count())]
        # across the targets, then per specialty: the Step 2 CK curve and the ranks curve
        assert len(labels) == 1 + 2 * 2, labels
        assert labels[0].startswith("Chart: your P(match) in each target specialty: IM ")
        assert any(
            "P(match) in Internal Medicine against Step 2 CK" in label
            and "matched (251) and unmatched (243) medians marked" in label
            for label in labels
        )
        assert any(
            "P(match) in General Surgery against the number of programs ranked" in label
            for label in labels
        )
        title = page.locator("main svg[role=img] > title").first.text_content()
        assert title == labels[0]
        assert page.locator("main svg[role=img]").first.is_visible()
    finally:
        context.close()
