"""The Import page (local mode) and the empty states that lead to it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from matchready.settings import Settings
from matchready.web.app import create_app

ROOT = Path(__file__).parents[2]
PROGRAMS = ROOT / "examples" / "programs" / "example_programs.csv"


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(data_dir=tmp_path))) as test_client:
        yield test_client


def _token(client: TestClient) -> str:
    found = re.search(r'name="csrftoken" value="([^"]+)"', client.get("/programs/import").text)
    assert found
    return found.group(1)


def _upload(client: TestClient, name: str, content: bytes, **fields: str):  # type: ignore[no-untyped-def]
    files = {"file": (name, content, "text/csv")}
    return client.post(
        "/programs/import", data={"csrftoken": _token(client), **fields}, files=files
    )


def test_an_empty_store_says_how_to_import(client: TestClient) -> None:
    page = client.get("/programs").text
    assert "No programs yet." in page
    assert (
        "Import programs: <code>matchready programs import FILE</code>, or the "
        '<a href="/programs/import">Import page</a>.'
    ) in page


def test_a_program_file_imported_from_the_page(client: TestClient) -> None:
    checked = _upload(client, "mine.csv", PROGRAMS.read_bytes(), check_only="yes")
    assert checked.status_code == 200
    assert "checked only: nothing was written" in checked.text
    assert "No programs yet." in client.get("/programs").text
    imported = _upload(client, "mine.csv", PROGRAMS.read_bytes())
    assert imported.status_code == 200
    assert "<strong>mine.csv</strong> (template): 300 new, 0 updated, 0 unchanged" in imported.text
    assert "300 programs in the database" in client.get("/programs").text
    again = _upload(client, "mine.csv", PROGRAMS.read_bytes())
    assert "0 new, 0 updated, 300 unchanged, 0 rejected" in again.text


def test_a_bad_file_is_refused_naming_the_row_and_nothing_is_written(client: TestClient) -> None:
    lines = PROGRAMS.read_text().splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("acgme_number"))
    columns = lines[header].split(",")
    row = lines[header + 1].split(",")
    row[columns.index("state")] = "Atlantis"
    bad = "\n".join([lines[header], lines[header + 2], ",".join(row)]) + "\n"
    refused = _upload(client, "bad.csv", bad.encode())
    assert refused.status_code == 422
    assert "Nothing was imported" in refused.text and "bad.csv" in refused.text
    assert "row 3" in refused.text and "state" in refused.text
    assert "No programs yet." in client.get("/programs").text
    wrong = _upload(client, "programs.pdf", b"%PDF-1.4")
    assert wrong.status_code == 422
    assert "programs.pdf: import a .csv, .tsv, .txt, .xlsx, .json file" in wrong.text


def test_server_mode_has_no_import_page(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'server.sqlite3'}"
    settings = Settings(data_dir=tmp_path, database_url=url, multi_user=True)
    with TestClient(create_app(settings)) as client:
        assert "/programs/import" not in {getattr(r, "path", "") for r in client.app.routes}
