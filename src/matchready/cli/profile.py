"""`matchready init` and `matchready profile ...`: the applicant's saved profile and TOML files.

In local mode the saved profile is the TOML file `profile.toml` in the data directory: the web
app's profile form edits it and every command that takes a PROFILE reads it when none is given.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from matchready.cli.common import ProfileArg, console, profile_of, runtime

app = typer.Typer(
    help="The applicant's profile: use a TOML file as your saved profile, check, show.",
    rich_markup_mode=None,
)


def init(
    path: Annotated[
        Path | None,
        typer.Argument(
            help="Where to write the profile template; default: your saved profile.",
            show_default=False,
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing file.")] = False,
) -> None:
    """Write a commented profile template to PATH, or start your saved profile with it."""
    from matchready.errors import InputError, Location, Problem
    from matchready.io.files import write_atomic
    from matchready.io.profile import template_text

    if path is not None:
        write_atomic(path, template_text(), overwrite=force)
        console().print(f"Wrote {path}. Edit it, then run: matchready profile check {path}")
        return
    built = runtime()
    where = _saved_where(built.settings.data_dir)
    if built.profiles.read(built.owner) is not None and not force:
        raise InputError(Problem("already exists (use --force to replace it)", Location(where)))
    built.profiles.write(built.owner, template_text())
    console().print(
        f"Wrote {where}. Edit it (or use the web app's profile page), then run: "
        "matchready profile check"
    )


def _saved_where(data_dir: Path) -> str:
    from matchready.io.profile_store import PROFILE_FILE

    return str(data_dir / PROFILE_FILE)


@app.command("use")
def use(path: Annotated[Path, typer.Argument(help="The TOML profile to use.")]) -> None:
    """Check a profile file and make it your saved profile (what the web app and the other
    commands use by default); the file is copied as it is, comments included."""
    from matchready.io.profile import read_profile_text
    from matchready.services.profiles import import_profile_text

    built = runtime()
    profile = import_profile_text(built.profiles, built.owner, read_profile_text(path), str(path))
    console().print(
        f"Saved the profile of {profile.applicant.name} from {path} as your profile "
        f"({_saved_where(built.settings.data_dir)})."
    )


@app.command("check")
def check(path: ProfileArg = None) -> None:
    """Validate a profile; exit 1 naming each bad field (with line) and what is expected."""
    profile = profile_of(path)
    name = path if path is not None else "your saved profile"
    console().print(
        f"ok: {name} is a valid profile for {profile.applicant.name} "
        f"(target: {profile.target.match_year} Match, {', '.join(profile.target.specialties)})."
    )


@app.command("show")
def show() -> None:
    """Print your saved profile (TOML) and where it is kept."""
    built = runtime()
    text = built.profiles.read(built.owner)
    if text is None:
        profile_of(None)  # the error that says how to make one
    typer.echo(text, nl=False)
