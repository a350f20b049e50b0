"""Screenshots of the browser tests: saved as artifacts under tests/browser/screenshots/ (not
committed). A module of its own, so test files never import a `conftest` by name."""

from __future__ import annotations

from pathlib import Path
from typing import Any

SHOTS = Path(__file__).parent / "browser" / "screenshots"


def shoot(page: Any, name: str) -> None:
    """Save a full-page screenshot as a test artifact."""
    SHOTS.mkdir(exist_ok=True)
    # a long page at phone width is a tall image: give it time on a loaded machine
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True, timeout=90_000)
