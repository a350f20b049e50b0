"""`matchready init` and `matchready profile check`: write and validate a TOML profile."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from matchready.cli.common import console
from matchready.io.files import write_atomic
from matchready.io.profile import load_profile, template_text

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
    console().print(
        f"ok: {path} is a valid profile for {profile.applicant.name} "
        f"(target: {profile.target.match_year} Match, {', '.join(profile.target.specialties)})."
    )
