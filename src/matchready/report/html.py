"""The report as one self-contained HTML file, and its PDF through headless Chromium."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from datetime import date
from importlib import resources
from pathlib import Path

import jinja2
from markupsafe import Markup

from matchready.domain.applicant import Profile
from matchready.domain.facts import ApplicantType, Facts
from matchready.errors import MatchreadyError
from matchready.io.files import write_atomic
from matchready.report.charts import (
    competitiveness_chart,
    odds_chart,
    odds_charts,
    specialties_odds_chart,
)
from matchready.services.odds import OddsEstimate, estimate_odds
from matchready.services.plan import build_plan
from matchready.services.specialties import competitiveness

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def render_report(profile: Profile, facts: Facts, as_of: date, ranks: int | None = None) -> str:
    """The whole report (plan, odds with charts, specialty chart) as HTML text."""
    plan = build_plan(profile, facts, as_of)
    estimates = [estimate_odds(profile, facts, code, ranks) for code in profile.target.specialties]
    table = competitiveness(facts, ApplicantType.NON_US_IMG)
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(resources.files("matchready.report") / "templates")),
        autoescape=True,
    )
    return env.get_template("report.html").render(
        plan=plan,
        estimates=[(e, [Markup(c) for c in _charts(profile, facts, e, ranks)]) for e in estimates],
        odds_across=Markup(specialties_odds_chart(estimates)),
        specialty_chart=Markup(
            competitiveness_chart(table.specialties, profile.target.specialties)
        ),
        specialties=table.specialties,
    )


def _charts(
    profile: Profile, facts: Facts, estimate: OddsEstimate, ranks: int | None
) -> list[str]:
    """The what-ifs bars (matplotlib), then the two curves."""
    if estimate.estimate is None:
        return []
    return [odds_chart(estimate), *odds_charts(profile, facts, estimate, ranks)]


def write_html(path: Path, html: str) -> None:
    write_atomic(path, html)


def write_pdf(path: Path, html: str) -> None:
    """Print the HTML to PDF with headless Chromium (written to a temporary file, then renamed)."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        raise MatchreadyError(
            "PDF output needs Chromium: apt-get install chromium (HTML works without it)"
        )
    with tempfile.TemporaryDirectory() as folder:
        page = Path(folder) / "report.html"
        page.write_text(html, encoding="utf-8")
        out = Path(folder) / "report.pdf"
        result = subprocess.run(
            [
                browser,
                *CHROMIUM_FLAGS,
                "--no-pdf-header-footer",
                f"--print-to-pdf={out}",
                page.as_uri(),
            ],
            capture_output=True,
            timeout=120,
            check=False,
        )
        if result.returncode != 0 or not out.exists():
            raise MatchreadyError(f"Chromium could not print the PDF (exit {result.returncode})")
        write_atomic(path, out.read_bytes())
