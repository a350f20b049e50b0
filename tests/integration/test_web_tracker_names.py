"""The tracker by name: a search box over the program store, names (not codes) on every part of
the page, and the spreadsheet applicants keep (visa, status, interview, score, letters, signal,
rank)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from test_web_tracker import _app, post

from matchready.settings import Settings
from matchready.web.app import create_app

NAME = "Example Internal Medicine (fictional)"


@pytest.fixture
def local(database_url: str, tmp_path: Path) -> Iterator[TestClient]:
    for app in _app(database_url, tmp_path, multi_user=False):
        with TestClient(app) as client:
            yield client


def test_a_program_is_found_by_part_of_its_name_and_tracked(local: TestClient) -> None:
    found = local.get("/programs/search?q=internal+medicine+exampleville")
    assert found.status_code == 200
    rows = re.search(r'<table id="search-results">.*?</table>', found.text, re.S)
    assert rows and f"{NAME}, Exampleville, NY" in rows.group(0)
    assert 'name="program" value="1000140C0"' in rows.group(0)  # one button per track
    assert 'name="program" value="1000140P0"' in rows.group(0)
    added = post(local, "/tracker/add", program="1000140C0")
    assert added.status_code == 303 and added.headers["location"] == "/tracker"  # type: ignore[attr-defined]
    page = local.get("/tracker").text
    table = re.search(r'<table id="applications">.*?</table>', page, re.S)
    assert table
    cells = re.findall(r'<td data-label="([^"]+)"[^>]*>(.*?)</td>', table.group(0), re.S)
    shown = {label: re.sub(r"<[^>]+>", "", text).strip() for label, text in cells}
    assert shown["Program"].startswith(NAME)
    assert "Exampleville, NY · 1000140C0" in shown["Program"]
    assert shown["Visa"] == "J-1 yes · H-1B unknown"
    assert shown["Status"] == "planned"
    assert (shown["Interview"], shown["Score"], shown["Letters"]) == ("—", "—", "0")
    assert (shown["Signal"], shown["Rank"]) == ("—", "—")
    program = local.get("/tracker/program/1000140C0").text
    assert f"<h1>{NAME}: planned</h1>" in program
    # the boxes that name a tracked program (signal, interview, rank; letter once one exists)
    offered = re.search(r'<datalist id="tracked-programs">(.*?)</datalist>', page, re.S)
    assert offered and offered.group(1) == (
        f'<option value="1000140C0">{NAME}, Exampleville, NY</option>'
    )
    assert page.count('list="tracked-programs"') == 3  # no letter yet: no assign form


def test_nothing_alike_says_so_and_a_long_query_is_refused(local: TestClient) -> None:
    none = local.get("/programs/search?q=zzqxw")
    assert none.status_code == 200 and "No program in the database is like" in none.text
    long = local.get("/programs/search?q=" + "a" * 101)
    assert long.status_code == 422
    assert (
        '<p class="field-error" id="err-q" role="status">write at most 100 characters</p>'
        in long.text
    )


def test_an_empty_store_says_how_to_import(tmp_path: Path) -> None:
    with TestClient(create_app(Settings(data_dir=tmp_path))) as client:
        page = client.get("/programs/search?q=anything").text
        assert "No programs yet." in page and 'href="/programs/import"' in page
