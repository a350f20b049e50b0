"""Codes shown as words for people (the `words` filter of the web templates)."""

from __future__ import annotations

import pytest

from matchready.web.links import words


@pytest.mark.parametrize(
    ("code", "shown"),
    [
        ("us_md_senior", "US MD senior"),
        ("us_do_senior", "US DO senior"),
        ("non_us_img", "non-US IMG"),
        ("to_do", "to do"),  # the verb, not the degree
        ("in_progress", "in progress"),
        ("j1", "J-1"),
        ("h1b", "H-1B"),
        ("step2ck_minimum", "Step 2 CK minimum"),
        ("usce_months", "USCE months"),
    ],
)
def test_codes_read_as_words(code: str, shown: str) -> None:
    assert words(code) == shown
