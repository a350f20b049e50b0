"""The `matchready` command: its command groups and the one place errors become exit codes.

Exit codes: 0 success, 1 invalid data or a failed check (one red line per problem, never a
traceback), 2 usage errors (Click's own).
"""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.console import Console
from typer.core import TyperGroup

from matchready import __version__
from matchready.cli import accounts as accounts_cli
from matchready.cli import calendar as calendar_cli
from matchready.cli import costs as costs_cli
from matchready.cli import facts as facts_cli
from matchready.cli import lists as lists_cli
from matchready.cli import match as match_cli
from matchready.cli import odds as odds_cli
from matchready.cli import plan as plan_cli
from matchready.cli import profile as profile_cli
from matchready.cli import programs as programs_cli
from matchready.cli import report as report_cli
from matchready.cli import screen as screen_cli
from matchready.cli import serve as serve_cli
from matchready.cli import simulate as simulate_cli
from matchready.cli import tracker as tracker_cli
from matchready.errors import InputError, MatchreadyError


def report_error(error: MatchreadyError, console: Console | None = None) -> None:
    """Print an expected error as red lines (one per problem), never a traceback."""
    console = console or Console(stderr=True)
    if isinstance(error, InputError) and len(error.problems) > 1:
        console.print(f"[red]error:[/red] {len(error.problems)} problems", highlight=False)
        for problem in error.problems:
            console.print(f"  [red]-[/red] {problem}", highlight=False, soft_wrap=True)
    else:
        console.print(f"[red]error:[/red] {error}", highlight=False, soft_wrap=True)


class _ErrorReportingGroup(TyperGroup):
    """The root group: turns our expected errors into a red message and exit code 1."""

    def invoke(self, ctx: Any) -> Any:  # the click Context that typer vendors
        try:
            return super().invoke(ctx)
        except MatchreadyError as error:
            report_error(error)
            raise typer.Exit(1) from None


app = typer.Typer(
    name="matchready",
    cls=_ErrorReportingGroup,
    help="Plan the road of an international medical graduate to a US residency.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _show_version(value: bool) -> None:
    if value:
        Console().print(f"matchready {__version__}", highlight=False)
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_show_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """Plan the road of an international medical graduate to a US residency."""


app.add_typer(facts_cli.app, name="facts")
app.add_typer(programs_cli.app, name="programs")
app.add_typer(match_cli.app, name="match")
app.add_typer(lists_cli.app, name="list")
app.add_typer(profile_cli.app, name="profile")
app.add_typer(tracker_cli.app, name="track")
app.add_typer(accounts_cli.app, name="accounts")
app.command("init")(profile_cli.init)
app.command("plan")(plan_cli.plan)
app.command("specialties")(odds_cli.specialties)
app.command("odds")(odds_cli.odds)
app.command("validate-odds")(odds_cli.validate_odds_command)
app.command("simulate")(simulate_cli.simulate)
app.command("serve")(serve_cli.serve)
app.command("report")(report_cli.report)
app.command("screen")(screen_cli.screen)
app.command("costs")(costs_cli.costs)
app.command("calendar")(calendar_cli.calendar)


def main() -> None:
    """Entry point of the `matchready` script."""
    app()
