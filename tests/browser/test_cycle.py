"""Calendar and Costs in a real browser: dated entries, the ICS download, bad input."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from browser_shots import shoot
from matchready.io.profile import load_profile

PROFILE = Path(__file__).parents[2] / "examples" / "profiles" / "recent-graduate-j1.toml"


def test_calendar_and_costs(server: str, page: Any, tmp_path: Path) -> None:
    data = load_profile(PROFILE).model_dump(mode="json")
    saved = page.request.put(
        server + "/api/profile",
        data=json.dumps(data),
        headers={"content-type": "application/json"},
    )
    assert saved.ok, saved.text()
    page.goto(server + "/plan")
    page.get_by_role("link", name="Calendar", exact=True).click()
    page.wait_for_url("**/calendar")
    main = page.inner_text("main")
    assert "Match Day" in main and "Source" in main
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the calendar (ICS)").click()
    path = tmp_path / "cycle.ics"
    download.value.save_as(str(path))
    assert path.read_bytes().startswith(b"BEGIN:VCALENDAR")
    shoot(page, "calendar")

    page.get_by_role("link", name="Costs", exact=True).click()
    page.get_by_label("Programs per target specialty").fill("30")
    page.get_by_label("Interview travel (USD)").fill("2000")
    page.get_by_role("button", name="Update").click()
    page.wait_for_url("**/costs?*programs=30*")
    main = page.inner_text("main")
    assert "Total still ahead:" in main and "$2,000" in main
    shoot(page, "costs")
