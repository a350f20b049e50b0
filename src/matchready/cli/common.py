"""Small helpers shared by the command modules."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

import typer
from rich.console import Console

from matchready.domain.facts import Facts
from matchready.domain.tracker import Application
from matchready.services.facts import load_all_facts


class OutputFormat(StrEnum):
    TEXT = "text"
    JSON = "json"


def console() -> Console:
    """The console commands print to (standard output)."""
    return Console(highlight=False)


def facts() -> Facts:
    """The facts in use: the installed facts release, validated, with your own facts in place."""
    return load_all_facts()


def parse_date(value: str | None) -> date | None:
    """Parse an --as-of style option (YYYY-MM-DD); a bad value is a usage error (exit 2)."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"'{value}' is not a date of the form YYYY-MM-DD") from None


def tracked_applications() -> tuple[Application, ...]:
    """The applications in this computer's tracker (the local owner)."""
    from matchready.services.database import configured_unit_of_work
    from matchready.services.tracker import LOCAL_OWNER, get_tracker

    with configured_unit_of_work() as uow:
        return get_tracker(uow, LOCAL_OWNER).applications


def tracked_interviews() -> tuple[tuple[str, date], ...]:
    """(program, day) of each dated interview in this computer's tracker."""
    from matchready.services.database import configured_unit_of_work
    from matchready.services.tracker import LOCAL_OWNER, get_tracker

    with configured_unit_of_work() as uow:
        tracker = get_tracker(uow, LOCAL_OWNER)
    return tuple((i.program, i.on) for i in tracker.interviews if i.on is not None)
