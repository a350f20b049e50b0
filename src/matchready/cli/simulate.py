"""`matchready simulate`: the applicant's Match in seeded simulated national markets, beside the
odds model for the same inputs (a thin wrapper over
:func:`matchready.services.simulate.simulate_odds`)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from matchready.cli.common import OutputFormat, ProfileArg, console, facts, profile_of
from matchready.cli.odds import Step2Option
from matchready.domain.odds import MAX_RANKS
from matchready.services.odds import with_step2ck
from matchready.services.simulate import SimulatedOdds, simulate_odds
from matchready.simulation.applicant import DEFAULT_PRELIM_RANKS, Strategy
from matchready.simulation.layout import PRELIM
from matchready.simulation.runner import Engine, SimulationInterrupted, default_workers
from matchready.simulation.study import DEFAULT_RUNS, DEFAULT_SCALE

PROGRESS_FROM = 10
"""Show a progress bar from this many markets on."""


def _known_specialties() -> list[str]:
    return [s.code for s in facts().specialties if s.positions and s.code != PRELIM]


def _default_ranks(code: str) -> int:
    """The published median contiguous ranks of matched non-US IMGs in the specialty, or 5."""
    stats = facts().specialty(code)
    value = stats.contiguous_ranks_matched_median if stats else None
    return max(1, round(value)) if value else 5


def _show(result: SimulatedOdds) -> None:
    out = console()
    report = result.simulation
    agreement = result.agreement
    out.rule(f"Simulated Match — {report.specialty}")
    out.print(Text(result.headline, style="bold"))
    out.print(agreement.summary())
    for reason in agreement.reasons:
        out.print(Text(f"  - {reason}", style="dim"))
    out.print(
        f"P(PGY-1 match) ≈ {report.probability} — any PGY-1 place (the specialty, your other "
        f"ranks, a supplemental preliminary year); 95% Wilson interval over {report.runs} "
        "simulated markets"
    )
    for warning in report.warnings:
        out.print(Text(f"Warning: {warning}", style="yellow"))
    out.print(
        f"Strategy: {report.strategy}. Applicant: {report.applicant_type}"
        + (f", Step 2 CK {report.step2ck}" if report.step2ck else "")
        + f". Markets: the {report.match_year} Main Match at scale {report.scale:g}, seeds "
        f"{report.first_seed}-{report.first_seed + report.runs - 1}, engine {report.engine}."
    )
    grid = Table(title="Where you matched", title_justify="left", expand=True)
    grid.add_column("outcome", ratio=3)
    grid.add_column("markets", justify="right", ratio=1)
    grid.add_column("share", justify="right", ratio=1)
    for group in (report.ranks, report.tracks, report.tiers):
        for share in group:
            grid.add_row(share.label, str(share.count), f"{share.share:.0%}")
        grid.add_section()
    out.print(grid)
    table = Table(title="What if (same markets)", title_justify="left", expand=True)
    table.add_column("change", ratio=3)
    table.add_column("P(match)", ratio=2)
    table.add_column("difference, 95% interval", ratio=3)
    for item in report.what_ifs:
        change = item.change.points() if item.change else ""
        table.add_row(item.label, str(item.estimate), change)
    out.print(table)
    check = "; ".join(
        f"{r.applicant_type} {r.simulated:.1f}% (published {r.published:.1f}%)"
        for r in report.market_check
    )
    out.print(Text(f"Market check, simulated vs published PGY-1 rates: {check}.", style="dim"))
    if report.cycled_markets:
        out.print(
            Text(
                f"{report.cycled_markets} market(s) met a couples cycle on every attempt: "
                "their matching is complete but its stability was not established.",
                style="yellow",
            )
        )
    out.print(Text(f"Calibration: {report.calibration}.", style="dim"))
    for unused in result.unsupported:
        out.print(Text(unused.sentence(), style="dim"))
    for note in report.assumptions:
        out.print(Text(f"• {note}", style="dim"))


def simulate(
    profile_path: ProfileArg = None,
    specialty: Annotated[
        str | None,
        typer.Option("--specialty", help="Target specialty code; default: the profile's first."),
    ] = None,
    runs: Annotated[
        int, typer.Option("--runs", min=1, max=100_000, help="Number of simulated markets.")
    ] = DEFAULT_RUNS,
    ranks: Annotated[
        int | None,
        typer.Option(
            "--ranks",
            min=1,
            max=MAX_RANKS,
            help="Programs you rank in the specialty; default: the median of matched non-US "
            "IMGs (Charting Outcomes).",
        ),
    ] = None,
    prelim: Annotated[
        bool,
        typer.Option(
            "--prelim", help=f"Also rank {DEFAULT_PRELIM_RANKS} preliminary programs (last)."
        ),
    ] = False,
    also: Annotated[
        str | None,
        typer.Option("--also", help="Another specialty ranked after the first (half as many)."),
    ] = None,
    engine: Annotated[
        Engine, typer.Option("--engine", help="Where the markets run.")
    ] = Engine.LOCAL,
    address: Annotated[
        str | None,
        typer.Option("--address", help="HOST:PORT of a Dask scheduler or Ray head."),
    ] = None,
    scale: Annotated[
        float,
        typer.Option("--scale", min=0.01, max=1.0, help="Market size (1 = national)."),
    ] = DEFAULT_SCALE,
    seed: Annotated[int, typer.Option("--seed", min=0, help="First seed.")] = 0,
    workers: Annotated[
        int | None, typer.Option("--workers", min=1, help="Local processes; default: cores.")
    ] = None,
    step2ck: Step2Option = None,
    output: Annotated[
        OutputFormat, typer.Option("--format", help="text or json.")
    ] = OutputFormat.TEXT,
) -> None:
    """Simulate your Match in seeded national markets: P(match), where, and what-ifs."""
    if address and engine is Engine.LOCAL:
        raise typer.BadParameter("--address needs --engine dask or ray", param_hint="--address")
    known = _known_specialties()
    profile = profile_of(profile_path)
    code = (specialty or profile.target.specialties[0]).upper()
    for name, value in (("--specialty", code), ("--also", also)):
        if value is not None and value.upper() not in known:
            raise typer.BadParameter(
                f"'{value}' is not a simulated specialty; known: {', '.join(known)}",
                param_hint=name,
            )
    if also and also.upper() == code:
        raise typer.BadParameter("must differ from the target specialty", param_hint="--also")
    count = ranks or _default_ranks(code)
    strategy = Strategy(
        specialty=code,
        ranks=count,
        prelim=DEFAULT_PRELIM_RANKS if prelim else 0,
        also=also.upper() if also else None,
        also_ranks=max(count // 2, 1) if also else 0,
    )
    err = Console(stderr=True)
    quiet = output is OutputFormat.JSON or runs < PROGRESS_FROM
    bar = Progress(
        TextColumn("simulating markets"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=quiet or not err.is_terminal,
    )
    if not quiet and not err.is_terminal:
        err.print(
            f"simulating {runs} markets at scale {scale:g} on {engine.value} "
            f"({workers or default_workers()} workers)...",
            highlight=False,
        )
    job = bar.add_task("markets", total=runs)
    try:
        with bar:
            result = simulate_odds(
                with_step2ck(profile, step2ck),
                facts(),
                strategy,
                runs=runs,
                scale=scale,
                seed=seed,
                engine=engine,
                workers=workers,
                address=address,
                progress=lambda done, total: bar.update(job, completed=done, total=total),
            )
    except SimulationInterrupted as stopped:
        err.print(f"[yellow]{stopped}[/yellow]", highlight=False)
        raise typer.Exit(130) from None
    if output is OutputFormat.JSON:
        typer.echo(result.model_dump_json(indent=2))
        return
    _show(result)
