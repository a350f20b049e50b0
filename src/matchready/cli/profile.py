"""`matchready init` and `matchready profile check`: write and validate a TOML profile."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from matchready.cli.common import console, facts
from matchready.domain.cycle import target_warnings
from matchready.io.files import write_atomic
from matchready.io.profile import load_profile, template_text
from matchready.services.plan import applicant_today, applicant_zone

app = typer.Typer(help="Work with applicant profiles (TOML).", rich_markup_mode=None)


def init(
    path: Annotated[Path, typer.Argument(help="Where to write the profile template.")],
    force: Annotated[bool, typer.Option("--force", help="Replace an existing file.")] = False,
) -> None:
    """Write a commented profile template to PATH."""
    write_atomic(path, template_text(), overwrite=force)
    console().print(f"Wrote {path}. Edit it, then run: matchready profile check {path}")


@app.command("check")
def check(path: Annotated[Path, typer.Argument(help="The profile to validate.")]) -> None:
    """Validate a profile; exit 1 naming each bad field (with line) and what is expected."""
    profile = load_profile(path)
    out = console()
    out.print(
        f"ok: {path} is a valid profile for {profile.applicant.name} "
        f"(target: {profile.target.match_year} Match, {', '.join(profile.target.specialties)})."
    )
    today = applicant_today(profile)
    for warning in target_warnings(facts(), profile.target.match_year, today):
        out.print(f"[yellow]warning:[/yellow] {escape(warning)}", soft_wrap=True)
    if profile.applicant.time_zone is None:
        out.print(
            f"note: no [applicant] time_zone: 'today' is taken in this computer's zone "
            f"({applicant_zone(profile)}).",
            soft_wrap=True,
        )
