"""The `matchready` command: its command groups and the one place errors become exit codes.

Exit codes: 0 success, 1 invalid data or a failed check (one red line per problem, never a
traceback), 2 usage errors (Click's own).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer import _click as click  # the click that typer vendors
from typer._click.utils import make_default_short_help
from typer.core import TyperGroup

from matchready import __version__
from matchready.errors import InputError, MatchreadyError

if TYPE_CHECKING:  # Rich is imported when something is printed: `--help` needs none of it
    from rich.console import Console

COMMANDS: dict[str, tuple[str, str, str]] = {
    "init": (
        "profile",
        "init",
        "Write a commented profile template to PATH, or start your saved profile with it.",
    ),
    "plan": (
        "plan",
        "plan",
        "Where you stand now, then the ECFMG checklist, year of graduation, red flags, "
        "visa advice and every next action.",
    ),
    "specialties": (
        "odds",
        "specialties",
        "Competitiveness of each specialty from published NRMP figures, with their source.",
    ),
    "odds": (
        "odds",
        "odds",
        "Estimate your odds of matching, with a range, the data year and what-ifs.",
    ),
    "validate-odds": (
        "odds",
        "validate_odds_command",
        "Check the odds model on a per-specialty table: a consistency check with one "
        "year of data, a validation only when the table is another year's.",
    ),
    "simulate": (
        "simulate",
        "simulate",
        "Simulate your Match in seeded national markets: P(match), where, and what-ifs.",
    ),
    "serve": (
        "serve",
        "serve",
        "Open matchready in your browser: the web app on http://127.0.0.1:8000 by default.",
    ),
    "report": (
        "report",
        "report",
        "Write a self-contained report (plan, odds and specialty charts, sources).",
    ),
    "screen": (
        "screen",
        "screen",
        "Screen every program in the database for you: eligible, ineligible or unknown — "
        "verify, with each rule's outcome, evidence, strictness and how old its verification "
        "is.",
    ),
    "costs": (
        "costs",
        "costs",
        "Itemise the fees of your target Match in phase: what was due before today is "
        "spent, the rest ahead; exams, ERAS, NRMP and travel, each with its source and "
        "season.",
    ),
    "calendar": (
        "calendar",
        "calendar",
        "Show the target Match's dates (official, or estimated from a named pattern), "
        "your own dated items and tasks, each with its source.",
    ),
    "facts": (
        "facts",
        "app",
        "List the facts matchready uses (filtered by TEXT), each with its source and date.",
    ),
    "programs": ("programs", "app", "Residency programs: import, export, list and show."),
    "match": ("match", "app", "Run, generate and check NRMP Match markets."),
    "list": ("lists", "app", "Build your program list."),
    "profile": (
        "profile",
        "app",
        "The applicant's profile: use a TOML file as your saved profile, check, show.",
    ),
    "track": (
        "tracker",
        "app",
        "Track applications, letters, documents, signals, interviews and the rank list.",
    ),
    "accounts": (
        "accounts",
        "app",
        "Accounts of the multi-user server.",
    ),
}
"""Every command: its module under matchready.cli, the object there (a function or a Typer
app) and its help's first paragraph. `matchready --help` lists them from this table and a
command's module is imported only when the command runs, so the CLI starts without importing
SQLAlchemy, numpy or the web stack (a test checks the help texts against the commands)."""


def report_error(error: MatchreadyError, console: Console | None = None) -> None:
    """Print an expected error as red lines (one per problem), never a traceback."""
    from rich.console import Console

    console = console or Console(stderr=True)
    if isinstance(error, InputError) and len(error.problems) > 1:
        console.print(f"[red]error:[/red] {len(error.problems)} problems", highlight=False)
        for problem in error.problems:
            console.print(f"  [red]-[/red] {problem}", highlight=False, soft_wrap=True)
    else:
        console.print(f"[red]error:[/red] {error}", highlight=False, soft_wrap=True)


def load_command(name: str) -> click.Command:
    """The click command of one entry of COMMANDS (its module imported now)."""
    module, attribute, _ = COMMANDS[name]
    target = getattr(importlib.import_module(f"matchready.cli.{module}"), attribute)
    holder = typer.Typer(add_completion=False, rich_markup_mode=None)
    if isinstance(target, typer.Typer):
        holder.add_typer(target, name=name)
    else:
        holder.command(name)(target)
    return typer.main.get_group(holder).commands[name]


class _ErrorReportingGroup(TyperGroup):
    """The root group: loads each command when it is used, lists them from COMMANDS, and
    turns our expected errors into a red message and exit code 1."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [*super().list_commands(ctx), *COMMANDS]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in COMMANDS and cmd_name not in self.commands:
            self.add_command(load_command(cmd_name), cmd_name)
        return super().get_command(ctx, cmd_name)

    def format_commands(self, _ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The command list of --help, from COMMANDS without importing a command module."""
        limit = formatter.width - 6 - max(len(name) for name in COMMANDS)
        rows = [(name, make_default_short_help(COMMANDS[name][2], limit)) for name in COMMANDS]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

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
        from rich.console import Console

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


def main() -> None:
    """Entry point of the `matchready` script."""
    app()
