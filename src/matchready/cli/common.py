"""Small helpers shared by the command modules, and the CLI's side of the composition root."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

if TYPE_CHECKING:
    from matchready.bootstrap import Runtime
    from matchready.domain.applicant import Profile
    from matchready.domain.facts import Facts
    from matchready.domain.tracker import Application
    from matchready.services.ports import UnitOfWork
    from matchready.services.tracker import Tracking

ProfileArg = Annotated[
    Path | None,
    typer.Argument(
        metavar="[PROFILE]",
        help=(
            "The applicant's profile (TOML); default: your saved profile (the one the web "
            "app edits; set it with: matchready profile use FILE)."
        ),
        show_default=False,
    ),
]


class OutputFormat(StrEnum):
    TEXT = "text"
    JSON = "json"


def console() -> Console:
    """The console commands print to (standard output)."""
    return Console(highlight=False)


def runtime() -> Runtime:
    """What this command runs on, built from the settings (`matchready.bootstrap`)."""
    from matchready.bootstrap import bootstrap

    return bootstrap()


def facts() -> Facts:
    """The facts in use: the installed facts release, validated, with your own facts in place."""
    from matchready.services.facts import load_all_facts

    return load_all_facts()


@contextmanager
def store() -> Iterator[UnitOfWork]:
    """A unit of work on the configured database; the database is closed after."""
    with runtime() as built:
        yield built.units()


def profile_of(path: Path | None) -> Profile:
    """The profile at `path`, or the saved profile when no path is given."""
    from matchready.errors import Location, Problem, ProfileError
    from matchready.io.profile import load_profile
    from matchready.services.profiles import current_profile

    if path is not None:
        return load_profile(path)
    with runtime() as built:
        profile = current_profile(built.profiles, built.owner)
    if profile is None:
        raise ProfileError(
            Problem(
                "no saved profile yet: run `matchready init`, or `matchready profile use FILE`, "
                "or fill in the profile in the web app (matchready serve); or give a path",
                Location(),
            )
        )
    return profile


def today(as_of: str | None) -> date:
    """The --as-of date, or today (the runtime's clock)."""
    return parse_date(as_of) or runtime().today()


def parse_date(value: str | None) -> date | None:
    """Parse an --as-of style option (YYYY-MM-DD); a bad value is a usage error (exit 2)."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"'{value}' is not a date of the form YYYY-MM-DD") from None


@contextmanager
def tracking() -> Iterator[Tracking]:
    """The tracker use cases for this computer's owner, on the configured store."""
    from matchready.services.tracker import Tracking

    with runtime() as built:
        yield Tracking(built.units(), built.owner, built.facts)


def tracked_applications() -> tuple[Application, ...]:
    """The applications in this computer's tracker (the runtime's owner)."""
    with tracking() as track:
        return track.tracker().applications


def tracked_interviews() -> tuple[tuple[str, date], ...]:
    """(program, day) of each dated interview in this computer's tracker."""
    from matchready.services.calendar import interview_days

    with tracking() as track:
        return interview_days(track.tracker())
