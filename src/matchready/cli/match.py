"""`matchready match`: run, generate and check NRMP Match markets (thin wrappers over
:mod:`matchready.match`)."""

from __future__ import annotations

import gc
import time
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Literal

import typer
from rich.console import Console
from rich.table import Table

from matchready.errors import InputError, Location, Problem
from matchready.match import (
    PRESETS,
    Instance,
    InstanceError,
    Result,
    check_stability,
    explain,
    generate,
    is_compiled,
    read_instance,
    read_result,
    run_match,
    warm_up,
    warm_up_apart,
    write_instance,
    write_result,
)

COMPILING = "compiling the Match engine (once, about 1-2 minutes)"
"""Said before a fast run that must compile first: cold runs measured 55-132 s of wall time,
46-60 CPU-s, on the 2-core machine at load 2.5-14 (bench/README, "cold"); ``make env`` does it
at install instead."""

app = typer.Typer(
    help="Run, generate and check NRMP Match markets.",
    no_args_is_help=True,
    rich_markup_mode=None,
)


class Engine(StrEnum):
    """Which engine runs the Match."""

    fast = "fast"
    reference = "reference"


def _input_error(error: InstanceError) -> InputError:
    """Map the engine's instance problems to the app's error tree, keeping file and row."""
    problems = [
        Problem(
            p.message,
            Location(file=p.file, row=p.row, field=_subject(p.subject) if p.row is None else None),
        )
        for p in error.problems
    ]
    return InputError(problems)


def _subject(subject: tuple[str, ...]) -> str | None:
    return None if subject[:1] == ("file",) else " ".join(subject)


def _load(path: Path) -> Instance:
    try:
        return read_instance(path)
    except InstanceError as error:
        raise _input_error(error) from None


def _summary(result: Result, applicants: int, seconds: float) -> Table:
    matched = result.matched_count()
    table = Table(title="Match result", show_header=False)
    rows = [
        ("engine", result.engine),
        ("applicants matched", f"{matched} of {applicants}"),
        ("places filled", f"{sum(len(h) for h in result.programs.values())}"),
        ("unfilled places", f"{sum(result.unfilled.values())}"),
        ("proposals", f"{result.proposals}"),
        ("reversions applied", f"{len(result.reversions_applied)}"),
        ("stable", "yes" if result.stable else f"no ({len(result.blocking)} blocking pairs)"),
        ("attempts / seed", f"{result.attempts} / {result.seed}"),
        ("time", f"{seconds:.3f} s"),
    ]
    for name, value in rows:
        table.add_row(name, value)
    return table


@app.command("run")
def run_command(
    instance_path: Annotated[
        Path, typer.Argument(metavar="INSTANCE", help="JSON file or CSV folder.")
    ],
    engine: Annotated[Engine, typer.Option("--engine", help="Which engine to use.")] = Engine.fast,
    explain_applicant: Annotated[
        str | None,
        typer.Option("--explain", metavar="APPLICANT", help="Explain this applicant's outcome."),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the result (JSON).")
    ] = None,
    seed: Annotated[
        int, typer.Option("--seed", help="Seed for re-shuffling couples after a cycle.")
    ] = 0,
) -> None:
    """Run the Match on INSTANCE and print a summary."""
    # A run allocates millions of objects and no reference cycles: the cyclic collector's
    # passes over them cost more than the Match (bench/README, "the user's path").
    collecting = gc.isenabled()
    gc.disable()
    try:
        _run(instance_path, engine, explain_applicant, output, seed)
    finally:
        if collecting:
            gc.enable()


def _run(
    instance_path: Path,
    engine: Engine,
    explain_applicant: str | None,
    output: Path | None,
    seed: int,
) -> None:
    if engine == Engine.fast and not is_compiled():
        # compile on a tiny market in a child process first: the compiler's memory goes back
        # to the system with it, so it does not add up with the market's (bench/README)
        errors = Console(stderr=True)
        if errors.is_terminal:
            with errors.status(COMPILING):
                warm_up_apart()
        else:
            errors.print(COMPILING, highlight=False)
            warm_up_apart()
    instance = _load(instance_path)
    if explain_applicant is not None and explain_applicant not in {
        a.id for a in instance.applicants
    }:
        raise InputError(
            Problem(f"unknown applicant {explain_applicant!r}", Location(field="--explain"))
        )
    name: Literal["fast", "reference"] = "fast" if engine == Engine.fast else "reference"
    started = time.perf_counter()
    result = run_match(instance, engine=name, seed=seed)
    seconds = time.perf_counter() - started
    console = Console()
    console.print(_summary(result, len(instance.applicants), seconds))
    if result.search is not None:
        console.print(f"search: {result.search}", highlight=False)
    for pair in result.blocking[:20]:
        console.print(f"[yellow]blocking:[/yellow] {pair}", highlight=False)
    if explain_applicant is not None:
        for line in explain(instance, result, explain_applicant):
            console.print(line, highlight=False)
    if output is not None:
        write_result(result, output)
        console.print(f"result written to {output}", highlight=False)


@app.command("generate")
def generate_command(
    output: Annotated[
        Path, typer.Argument(metavar="OUT", help="A .json file, or a folder for CSV.")
    ],
    preset: Annotated[str, typer.Option("--preset", help="toy, small, state or national.")] = (
        "small"
    ),
    seed: Annotated[int, typer.Option("--seed", help="Seed of the generator.")] = 0,
) -> None:
    """Generate an NRMP-like market and write it to OUT."""
    if preset not in PRESETS:
        raise InputError(
            Problem(
                f"unknown preset {preset!r}; choose one of {', '.join(PRESETS)}",
                Location(field="--preset"),
            )
        )
    instance = generate(preset, seed)
    write_instance(instance, output)
    sizes = ", ".join(f"{k} {v}" for k, v in instance.size().items())
    Console().print(f"wrote {output}: {sizes}", highlight=False)


@app.command("check")
def check_command(
    instance_path: Annotated[
        Path, typer.Argument(metavar="INSTANCE", help="JSON file or CSV folder.")
    ],
    result_path: Annotated[
        Path, typer.Argument(metavar="RESULT", help="Result JSON from `run -o`.")
    ],
) -> None:
    """Audit RESULT against INSTANCE: capacities, consistency and blocking pairs."""
    instance = _load(instance_path)
    try:
        result = read_result(result_path)
    except InstanceError as error:
        raise _input_error(error) from None
    audit = check_stability(instance, dict(result.assignments), dict(result.capacities))
    console = Console()
    for violation in audit.violations:
        console.print(f"[red]violation:[/red] {violation}", highlight=False)
    for pair in audit.blocking:
        console.print(f"[red]blocking:[/red] {pair}", highlight=False)
    if not audit.ok:
        console.print(
            f"[red]not stable:[/red] {len(audit.violations)} violations, "
            f"{len(audit.blocking)} blocking pairs",
            highlight=False,
        )
        raise typer.Exit(1)
    console.print("[green]stable:[/green] no violations and no blocking pairs", highlight=False)


@app.command("warmup")
def warmup_command() -> None:
    """Compile the Match engine now, so the first Match does not wait (once per install;
    `make env` runs it)."""
    cached = is_compiled()
    seconds = warm_up()
    how = "loaded from numba's cache" if cached else "compiled"
    Console().print(f"the Match engine is ready ({how} in {seconds:.1f} s)", highlight=False)
