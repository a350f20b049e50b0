"""`matchready report`: the plan and odds with charts, as one HTML file and optionally a PDF."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from matchready.cli.common import ProfileArg, console, facts, profile_of, today
from matchready.domain.odds import MAX_RANKS


def report(
    profile_path: ProfileArg = None,
    html: Annotated[Path, typer.Option("--html", help="Where to write the HTML report.")] = Path(
        "matchready-report.html"
    ),
    pdf: Annotated[
        Path | None, typer.Option("--pdf", help="Also print it to this PDF (needs Chromium).")
    ] = None,
    ranks: Annotated[
        int | None,
        typer.Option("--ranks", min=0, max=MAX_RANKS, help="Programs you expect to rank."),
    ] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", metavar="DATE", help="YYYY-MM-DD.")
    ] = None,
) -> None:
    """Write a self-contained report (plan, odds and specialty charts, sources)."""
    from matchready.report.html import render_report, write_html, write_pdf

    text = render_report(profile_of(profile_path), facts(), today(as_of), ranks)
    write_html(html, text)
    console().print(f"Wrote {html}")
    if pdf is not None:
        write_pdf(pdf, text)
        console().print(f"Wrote {pdf}")
