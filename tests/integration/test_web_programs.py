"""Programs, program and list pages on a real SQLite store with the fictional examples."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from typer.testing import CliRunner

from matchready.cli.app import app as cli
from matchready.io.profile import load_profile
from matchready.settings import Settings
from matchready.web.app import create_app

ROOT = Path(__file__).parents[2]
PROGRAMS = ROOT / "examples" / "programs" / "example_programs.csv"
PROFILE = ROOT / "examples" / "profiles" / "recent-graduate-j1.toml"


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("MATCHREADY_DATA_DIR", str(tmp_path))
    assert CliRunner().invoke(cli, ["programs", "import", str(PROGRAMS)]).exit_code == 0
    return tmp_path


@pytest.fixture
def client(data_dir: Path) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(data_dir=data_dir))) as test_client:
        yield test_client


def save_profile(client: TestClient) -> None:
    profile = load_profile(PROFILE).model_dump(mode="json")
    assert client.put("/api/profile", json=profile).status_code == 200


def test_programs_without_a_profile_are_listed_and_invite_one(client: TestClient) -> None:
    page = client.get("/programs")
    assert page.status_code == 200
    assert "300 programs in the database" in page.text
    assert "Save your profile" in page.text


def test_programs_with_verdicts_filters_and_pages(client: TestClient) -> None:
    save_profile(client)
    page = client.get("/programs?specialty=IM")
    counts = re.search(r"(\d+) eligible · (\d+) unknown — verify · (\d+) ineligible", page.text)
    assert counts and sum(int(n) for n in counts.groups()) == 18
    only = client.get("/programs?specialty=IM&verdict=ineligible")
    assert only.text.count("state-blocked") == int(counts.group(3))
    everything = client.get("/programs")
    assert "next →" in everything.text  # 300 programs, 50 a page
    assert client.get("/programs?page=2").status_code == 200
    assert client.get("/programs?verdict=maybe").status_code == 422


def test_a_program_page_shows_every_requirement_with_its_source(client: TestClient) -> None:
    save_profile(client)
    listing = client.get("/programs?specialty=IM").text
    key = re.search(r'href="/programs/(\d+)"', listing)
    assert key
    page = client.get(f"/programs/{key.group(1)}")
    assert page.status_code == 200
    for kind in ("J-1 sponsored", "Step 2 CK minimum", "USCE required", "ECFMG certificate by"):
        assert kind in page.text
    assert "Your verdict" in page.text
    assert client.get("/programs/0000000000").status_code == 404


def test_the_list_page_and_its_exports(client: TestClient) -> None:
    assert client.get("/list", follow_redirects=False).headers["location"] == "/profile"
    save_profile(client)
    page = client.get("/list?specialty=IM&budget=100")
    assert page.status_code == 200 and "pays for 9 programs" in page.text
    rows = client.get("/list.csv?specialty=IM&budget=100").text.splitlines()
    assert rows[0].startswith("tier,tier_name,program") and len(rows) == 10
    workbook = load_workbook(io.BytesIO(client.get("/list.xlsx?specialty=IM").content))
    sheet = workbook.active
    assert sheet is not None and sheet.cell(1, 1).value == "tier"


def test_programs_are_shared_and_lists_are_per_user(data_dir: Path) -> None:
    from fakes import MemoryAccountStore, MemorySessionStore

    settings = Settings(data_dir=data_dir)
    app = create_app(settings, accounts=MemoryAccountStore(), sessions=MemorySessionStore())
    clients = []
    for email in ("a@example.org", "b@example.org"):
        client = TestClient(app, base_url="https://testserver")
        token = re.search(r'name="csrftoken" value="([^"]+)"', client.get("/register").text)
        assert token
        client.post(
            "/register",
            data={
                "csrftoken": token.group(1),
                "email": email,
                "password": "correct horse battery",
            },
        )
        clients.append(client)
    alice, bob = clients
    save_profile(alice)
    assert "300 programs in the database" in bob.get("/programs").text
    assert alice.get("/list", follow_redirects=False).status_code == 200
    assert bob.get("/list", follow_redirects=False).headers["location"] == "/profile"
    for client in clients:
        client.close()


def test_the_program_table_follows_imports_from_another_process(data_dir: Path) -> None:
    """A CLI import made while the server runs shows within the revision's time to live."""
    app = create_app(Settings(data_dir=data_dir))
    app.state.web.revision_ttl = 0.0
    with TestClient(app) as client:
        client.put("/api/profile", json=load_profile(PROFILE).model_dump(mode="json"))
        before = client.get("/api/programs").json()["total_programs"]
        sample = ROOT / "tests" / "data" / "template_sample.csv"
        assert CliRunner().invoke(cli, ["programs", "import", str(sample)]).exit_code == 0
        assert client.get("/api/programs").json()["total_programs"] == before + 3


def test_the_program_page_shows_lca_evidence_and_conflicts_side_by_side(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MATCHREADY_DATA_DIR", str(tmp_path))
    data = ROOT / "tests" / "data" / "lca"
    runner = CliRunner()
    assert (
        runner.invoke(cli, ["programs", "import", str(data / "institutions.csv")]).exit_code == 0
    )
    lca = runner.invoke(cli, ["programs", "import-lca", str(data / "lca_fy2025_sample.csv")])
    assert lca.exit_code == 0, lca.output
    with TestClient(create_app(Settings(data_dir=tmp_path))) as client:
        page = client.get("/programs/1403621075").text
    assert "H-1B evidence: 3 resident-physician LCAs certified for this institution in FY2025" in (
        page
    )
    assert "Sources disagree: conflict — verify" in page
    assert "lca: DOL LCA disclosure data FY2024-FY2025" in page
    assert "Does the program sponsor H-1B visas for incoming residents" in page
