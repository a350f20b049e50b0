"""The web Facts page: the release and every fact with its standing; your own facts set and
removed through the same service as the CLI; bad input is a 4xx with the message."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from fakes import MemoryProfileStore
from matchready.data.user_facts import FILE_NAME
from matchready.settings import Settings
from matchready.web.app import create_app

NRMP = "https://www.nrmp.org/match-calendar/"


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    app = create_app(Settings(data_dir=tmp_path), profiles=MemoryProfileStore())
    with TestClient(app) as test_client:
        yield test_client


def _token(client: TestClient) -> str:
    found = re.search(r'name="csrftoken" value="([^"]+)"', client.get("/facts").text)
    assert found
    return found.group(1)


def test_the_page_shows_the_release_and_labels(client: TestClient) -> None:
    page = client.get("/facts?q=eras.token")
    assert page.status_code == 200
    assert "Facts release <strong>2026.12.2</strong> (published 2026-12-02)" in page.text
    assert "fee.2026.eras.token" in page.text and "unverified" in page.text
    secondary = client.get("/facts?q=usmle.step3")
    assert "secondary source" in secondary.text


def test_a_fact_set_on_the_page_is_used_and_can_be_removed(
    client: TestClient, tmp_path: Path
) -> None:
    form = {
        "csrftoken": _token(client),
        "key": "calendar.rol_deadline",
        "value": "2027-03-03",
        "applies_to": "2027",
        "source": NRMP,
        "note": "",
    }
    done = client.post("/facts/mine", data=form, follow_redirects=False)
    assert done.status_code == 303
    assert (tmp_path / FILE_NAME).is_file()
    page = client.get("/facts?q=calendar.2027.rol_deadline")
    assert f"your fact (source {NRMP})" in page.text
    assert client.app.state.web.facts.event(2027, "rol_deadline") is not None  # type: ignore[attr-defined]
    removed = client.post(
        "/facts/mine/remove",
        data={"csrftoken": _token(client), "key": "calendar.rol_deadline", "applies_to": "2027"},
        follow_redirects=False,
    )
    assert removed.status_code == 303
    assert client.app.state.web.facts.event(2027, "rol_deadline") is None  # type: ignore[attr-defined]


def test_bad_input_is_a_4xx_with_the_field(client: TestClient, tmp_path: Path) -> None:
    form = {
        "csrftoken": _token(client),
        "key": "calendar.rol_dedline",
        "value": "2027-03-03",
        "applies_to": "2027",
        "source": NRMP,
    }
    bad = client.post("/facts/mine", data=form, follow_redirects=False)
    assert 400 <= bad.status_code < 500
    assert "did you mean calendar.rol_deadline" in bad.text
    assert "Traceback" not in bad.text
    assert not (tmp_path / FILE_NAME).exists()
    no_token = client.post("/facts/mine", data={**form, "csrftoken": "x"})
    assert no_token.status_code == 403
