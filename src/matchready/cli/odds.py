"""`matchready specialties` and `matchready odds`: competitiveness and an applicant's odds."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from matchready.cli.common import OutputFormat, ProfileArg, console, facts, profile_of
from matchready.domain.facts import ApplicantType
from matchready.domain.odds import MAX_RANKS, STEP2CK_MAX, STEP2CK_MIN
from matchready.services.odds import OddsEstimate, estimate_odds, with_step2ck
from matchready.services.odds_validation import (
    in_sample,
    kind_of,
    read_specialty_table,
    summary,
    validate_odds,
)
from matchready.services.specialties import SORTABLE, competitiveness

FormatOption = Annotated[OutputFormat, typer.Option("--format", help="text or json.")]
Step2Option = Annotated[
    int | None,
    typer.Option(
        "--step2ck",
        min=STEP2CK_MIN,
        max=STEP2CK_MAX,
        help=f"Try another Step 2 CK score ({STEP2CK_MIN}-{STEP2CK_MAX}, the USMLE three-digit "
        "scale) instead of the profile's.",
    ),
]


def _num(value: float | int | None) -> str:
    if value is None:
        return "—"
    return f"{value:,}" if isinstance(value, int) else f"{value:g}"


def specialties(
    applicant_type: Annotated[
        ApplicantType, typer.Option("--type", help="Applicant type of the figures.")
    ] = ApplicantType.NON_US_IMG,
    sort: Annotated[
        str, typer.Option("--sort", help=f"Column to sort by: {', '.join(SORTABLE)}.")
    ] = "match_rate_pct",
    output: FormatOption = OutputFormat.TEXT,
) -> None:
    """Competitiveness of each specialty from published NRMP figures, with their source."""
    table = competitiveness(facts(), applicant_type, sort)
    if output is OutputFormat.JSON:
        typer.echo(table.model_dump_json(indent=2))
        return
    out = console()
    grid = Table(title="Specialties: non-US IMGs who ranked the specialty first", expand=True)
    for name in (
        "code",
        "positions",
        "IMGs",
        "matched",
        "match %",
        "S2 M",
        "S2 U",
        "CR M",
        "CR U",
    ):
        grid.add_column(name, justify="left" if name == "code" else "right")
    for s in table.specialties:
        grid.add_row(
            s.code,
            _num(s.positions),
            _num(s.img_preferred),
            _num(s.img_matched),
            _num(s.match_rate_pct),
            _num(s.step2_matched_median),
            _num(s.step2_unmatched_median),
            _num(s.contiguous_ranks_matched_median),
            _num(s.contiguous_ranks_unmatched_median),
        )
    out.print(grid)
    first = table.specialties[0]
    out.print(
        "S2 = Step 2 CK median, CR = contiguous ranks median; M matched, U not matched; "
        "— = suppressed (fewer than 5) or not reported."
    )
    out.print(f"Source: {first.source} ({first.as_of}).")
    if table.outcomes:
        year = table.outcomes[0].match_year
        rates = ", ".join(f"{o.applicant_type.label} {o.rate:.1f}%" for o in table.outcomes)
        out.print(f"PGY-1 match rate by applicant type, {year} Match: {rates}.")


def _show(result: OddsEstimate) -> None:
    out = console()
    title = f"{result.specialty_name} ({result.specialty})"
    out.rule(f"Odds of matching — {title}")
    if result.estimate is None:
        out.print(Text(f"No estimate: {result.refused}.", style="yellow"))
        return
    out.print(
        Text(f"P(match) ≈ {result.estimate}", style="bold"),
        f" — {result.estimate.level:.0%} interval; data: {result.data_year} Match, "
        f"applicant type {result.applicant_type.label if result.applicant_type else 'unknown'}",
    )
    out.print("Inputs: " + "; ".join(f"{k}: {v}" for k, v in result.inputs.items()))
    table = Table(title="What if", title_justify="left", expand=True)
    table.add_column("change", ratio=3)
    table.add_column("estimate", ratio=4)
    for item in result.what_ifs:
        if item.estimate is None:
            table.add_row(item.label, Text(str(item.reason), style="dim"))
        else:
            sign = f" ({item.change.estimate * 100:+.0f} points)" if item.change else ""
            table.add_row(item.label, f"{item.estimate}{sign}")
    out.print(table)
    if result.simulator_check:
        out.print(Text(result.simulator_check))
    for unused in result.unsupported:
        out.print(Text(unused.sentence(), style="dim"))
    for note in [*result.context, *result.assumptions]:
        out.print(Text(f"• {note}", style="dim"))
    for citation in result.citations:
        out.print(Text(f"Source: {citation}", style="dim"))


def odds(
    profile_path: ProfileArg = None,
    specialty: Annotated[
        list[str] | None,
        typer.Option("--specialty", help="Specialty code (repeatable); default: the profile's."),
    ] = None,
    ranks: Annotated[
        int | None,
        typer.Option("--ranks", min=0, max=MAX_RANKS, help="Programs you expect to rank in it."),
    ] = None,
    step2ck: Step2Option = None,
    output: FormatOption = OutputFormat.TEXT,
) -> None:
    """Estimate your odds of matching, with a range, the data year and what-ifs."""
    profile = with_step2ck(profile_of(profile_path), step2ck)
    known = facts()
    codes = specialty or profile.target.specialties
    results = [estimate_odds(profile, known, code, ranks) for code in codes]
    if output is OutputFormat.JSON:
        typer.echo(json.dumps([r.model_dump(mode="json") for r in results], indent=2))
        return
    for result in results:
        _show(result)


def _points(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}"


def validate_odds_command(
    test: Annotated[
        Path,
        typer.Argument(
            metavar="TEST_CSV",
            help="Another year's per-specialty table with the columns of matchready's bundled "
            "data/specialties.csv.",
        ),
    ],
    train: Annotated[
        Path | None,
        typer.Option("--train", help="The table to fit on; default: the bundled one."),
    ] = None,
    output: FormatOption = OutputFormat.TEXT,
) -> None:
    """Check the odds model on a per-specialty table: a consistency check with one year of
    data, a validation only when the table is another year's."""
    known = facts()
    fitted = read_specialty_table(train) if train else list(known.specialties)
    rows = validate_odds(fitted, read_specialty_table(test), known)
    totals = summary(rows)
    if output is OutputFormat.JSON:
        body = {
            "kind": kind_of(rows),
            "rows": [r.model_dump(mode="json") for r in rows],
            "summary": totals,
        }
        typer.echo(json.dumps(body, indent=2))
        return
    out = console()
    kind = kind_of(rows)
    grid = Table(title=f"Odds model {kind}", expand=True)
    for name in ("code", "train", "test", "IMGs", "train %", "test %", "predicted %", "error pts",
                 "Brier", "Brier, rate only"):  # fmt: skip
        grid.add_column(name, justify="left" if name == "code" else "right")
    for row in rows:
        if row.reason:
            continue
        grid.add_row(
            row.specialty,
            row.train_year,
            row.test_year,
            _num(row.applicants),
            _points(row.train_rate),
            _points(row.test_rate),
            _points(row.predicted_rate),
            f"{row.error_points:+.1f}" if row.error_points is not None else "—",
            f"{row.brier:.3f}" if row.brier is not None else "—",
            f"{row.brier_baseline:.3f}" if row.brier_baseline is not None else "—",
        )
    out.print(grid)
    if in_sample(rows):
        out.print(
            "This is a consistency check, not a validation: with one year of data the model is "
            "fitted and tested on the same figures and returns each published rate by "
            "construction, so only the Brier scores say anything. Give another year's table "
            "(TEST_CSV, with --train for the first) to validate it."
        )
    for row in rows:
        if row.reason:
            out.print(Text(f"• {row.specialty} not scored: {row.reason}", style="dim"))
    if totals.get("applicants"):
        out.print(
            f"{totals['specialties']} specialties, {totals['applicants']:,} IMGs: mean absolute "
            f"error {totals['mean_abs_error_points']:.1f} points (weighted by IMGs); Brier "
            f"{totals['brier']:.3f} against {totals['brier_baseline']:.3f} for the training "
            "year's rate alone."
        )
    else:
        out.print("No specialty could be scored: see the reasons above.")
