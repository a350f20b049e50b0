"""`matchready screen`: every stored program screened for the applicant, with reasons."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from matchready.cli.common import (
    OutputFormat,
    ProfileArg,
    console,
    facts,
    profile_of,
    store,
    today,
)
from matchready.domain.requirements import format_value
from matchready.domain.screening import Outcome, ProgramScreening, Verdict
from matchready.domain.yog import months_text
from matchready.services.profile_screening import screen_profile, screening_applicant
from matchready.services.screening import load_program_table

VERDICT_STYLE = {
    Verdict.ELIGIBLE: ("eligible", "green"),
    Verdict.UNKNOWN: ("unknown — verify", "magenta"),
    Verdict.INELIGIBLE: ("ineligible", "red"),
}


def _reasons(screening: ProgramScreening) -> Text:
    text = Text()
    for rule in screening.rules:
        if rule.outcome is Outcome.PASS and not rule.stale:
            continue
        style = {Outcome.FAIL: "red", Outcome.UNKNOWN: "magenta"}.get(rule.outcome, "dim")
        line = (
            f"{rule.kind.value}: {rule.outcome.name.lower()} (you {rule.applicant_value}; "
            f"program {rule.program_value}; {rule.strictness.value}"
        )
        line += ", stale" if rule.stale else ""
        text.append(line + ")\n", style=style)
    return text


def _as_json(screening: ProgramScreening) -> dict[str, object]:
    return {
        "program": screening.program_key,
        "name": screening.program_name,
        "verdict": screening.verdict.name.lower(),
        "fit": screening.fit_score,
        "rules": [
            {
                "kind": r.kind.value,
                "outcome": r.outcome.name.lower(),
                "applicant": r.applicant_value,
                "program": r.program_value,
                "strictness": r.strictness.value,
                "source": r.source,
                "verified_on": r.verified_on.isoformat() if r.verified_on else None,
                "stale": r.stale,
                "conflict": [
                    {
                        "value": format_value(c.value) or None,
                        "source": c.source,
                        "source_kind": c.source_kind.value,
                        "recorded_on": c.recorded_on.isoformat() if c.recorded_on else None,
                        "evidence": c.evidence,
                    }
                    for c in r.conflict
                ],
            }
            for r in screening.rules
        ],
    }


def screen(
    profile_path: ProfileArg = None,
    specialty: Annotated[
        str | None, typer.Option("--specialty", help="Only this specialty (name or ACGME code).")
    ] = None,
    state: Annotated[
        str | None, typer.Option("--state", help="Only this state (e.g. NY).")
    ] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, help="Programs to show.")] = 25,
    as_of: Annotated[
        str | None, typer.Option("--as-of", metavar="DATE", help="YYYY-MM-DD.")
    ] = None,
    output: Annotated[
        OutputFormat, typer.Option("--format", help="text or json.")
    ] = OutputFormat.TEXT,
) -> None:
    """Screen every program in the database for you: eligible, ineligible or unknown — verify,
    with each rule's outcome, evidence, strictness and how old its verification is."""
    profile = profile_of(profile_path)
    known, on = facts(), today(as_of)
    with store() as uow:
        table = load_program_table(uow)
    report = screen_profile(profile, known, table, on, specialty=specialty, state=state)
    results = list(report.results())
    if output is OutputFormat.JSON:
        typer.echo(json.dumps([_as_json(r) for r in results], indent=2))
        return
    out = console()
    if not results:
        out.print("No program matches: import programs first (matchready programs import FILE).")
        raise typer.Exit(1)
    counts = {v: sum(1 for r in results if r.verdict is v) for v in Verdict}
    applicant = screening_applicant(profile, known, on)
    out.print(
        f"{len(results)} programs screened for {profile.applicant.name}: "
        f"{counts[Verdict.ELIGIBLE]} eligible, {counts[Verdict.UNKNOWN]} unknown — verify, "
        f"{counts[Verdict.INELIGIBLE]} ineligible (visa screened: {applicant.visa.value}; "
        f"{months_text(applicant.months_since_graduation)} since graduation at application)."
    )
    table_out = Table(expand=True, show_lines=True)
    table_out.add_column("program", ratio=3)
    table_out.add_column("verdict", no_wrap=True)
    table_out.add_column("fit", justify="right")
    table_out.add_column("rules not passed (and stale ones)", ratio=5)
    for result in results[:limit]:
        label, style = VERDICT_STYLE[result.verdict]
        table_out.add_row(
            f"{result.program_name}\n{result.program_key}",
            Text(label, style=style),
            str(result.fit_score),
            _reasons(result),
        )
    out.print(table_out)
    if len(results) > limit:
        out.print(f"… {len(results) - limit} more (--limit, or --format json for all).")
