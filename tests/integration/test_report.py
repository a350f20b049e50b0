import os
import re
import shutil
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from matchready.cli.app import app
from matchready.data import load_facts
from matchready.io.profile import load_profile
from matchready.report.html import render_report, write_pdf

EXAMPLES = Path(__file__).parents[2] / "examples" / "profiles"
OLDER = EXAMPLES / "older-graduate-h1b.toml"


@pytest.fixture(scope="module")
def html() -> str:
    return render_report(load_profile(OLDER), load_facts(), date(2026, 11, 25), ranks=4)


def test_the_report_holds_every_part_with_charts(html: str) -> None:
    for part in (
        "ECFMG checklist",
        "Year of graduation",
        "Red flags",
        "Visa",
        "Odds of matching",
        "Specialty competitiveness",
        "Next actions",
    ):
        assert f">{part}<" in html
    # across the targets; per estimable specialty (IM, FM) the what-ifs and the two curves;
    # the specialties chart
    assert html.count("<svg") == 1 + 2 * 3 + 1
    assert html.count('role="img"') == 1 + 2 * 3 + 1
    assert "P(match) in Internal Medicine against Step 2 CK, with the published matched" in html
    assert "Chart: your P(match) in each target specialty: IM " in html
    assert "Ravi Sample (fictional)" in html
    assert "unverified" in html


def test_the_report_loads_nothing_from_elsewhere(html: str) -> None:
    assert "<link" not in html and "<script" not in html
    assert not re.search(r'(src|href)="https?://', html)


def test_a_refused_estimate_says_why() -> None:
    profile = load_profile(EXAMPLES / "us-citizen-img.toml")
    text = render_report(profile, load_facts(), date(2026, 11, 25))
    assert text.count("<svg") == 1 + 2 * 3 + 1  # FM and EM estimable


def test_pdf_through_chromium(html: str, tmp_path: Path) -> None:
    if shutil.which("chromium") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("Chromium is missing in CI")
        pytest.skip("Chromium not found: apt-get install chromium to test PDF output")
    out = tmp_path / "report.pdf"
    write_pdf(out, html)
    assert out.read_bytes().startswith(b"%PDF")
    assert out.stat().st_size > 20_000


def test_report_command_writes_the_html(tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    result = CliRunner().invoke(
        app, ["report", str(OLDER), "--html", str(out), "--as-of", "2026-11-25"]
    )
    assert result.exit_code == 0, result.output
    assert out.read_text().startswith("<!doctype html>")
    bad = CliRunner().invoke(app, ["report", str(tmp_path / "none.toml"), "--html", str(out)])
    assert bad.exit_code == 1 and "no such file" in bad.output
