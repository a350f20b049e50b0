"""`matchready track`: applications, letters, documents, signals, interviews and the rank list.

One shape throughout: `track VERB PROGRAM ...` for applications, `track NOUN VERB ...` for the
rest (letter, doc, signal, interview, rank, rol). PROGRAM is an NRMP code or an ACGME number
of a program in the program store. Each command calls one service function and renders it;
a refused change (an illegal move, a fifth letter) is one red line and exit code 1.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from matchready.cli.common import ProfileArg, console, facts, parse_date, profile_of, store
from matchready.domain.tracker import (
    AppState,
    DocumentKind,
    DocumentStatus,
    InterviewFormat,
    LetterStatus,
    SignalTier,
    signal_usage,
)
from matchready.domain.tracker_book import Tracker
from matchready.services import tracker as service
from matchready.services import tracker_files as files
from matchready.services.ports import LOCAL_OWNER
from matchready.services.tracker_whatif import draft_what_if
from matchready.simulation.study import DEFAULT_SCALE

OWNER = LOCAL_OWNER
app = typer.Typer(
    help="Track applications, letters, documents, signals, interviews and the rank list.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
letter_app = typer.Typer(help="Letters of recommendation.", no_args_is_help=True)
doc_app = typer.Typer(help="Documents and their versions (by SHA-256).", no_args_is_help=True)
signal_app = typer.Typer(help="Program signals and geographic preferences.", no_args_is_help=True)
rank_app = typer.Typer(help="The rank order list draft.", no_args_is_help=True)
rol_app = typer.Typer(help="The rank order list in NRMP's layout.", no_args_is_help=True)
app.add_typer(letter_app, name="letter")
app.add_typer(doc_app, name="doc")
app.add_typer(signal_app, name="signal")
app.add_typer(rank_app, name="rank")
app.add_typer(rol_app, name="rol")

ProgramArg = Annotated[str, typer.Argument(help="NRMP code or ACGME number.")]
DateOption = Annotated[
    str | None, typer.Option("--date", metavar="YYYY-MM-DD", help="When it happened.")
]
NoteOption = Annotated[str, typer.Option("--note", help="A note for the history.")]


def _say(text: str) -> None:
    console().print(text, highlight=False, soft_wrap=True)


def _warn(warnings: list[str]) -> None:
    for warning in warnings:
        console().print(f"[yellow]warning:[/yellow] {warning}", highlight=False, soft_wrap=True)


def _tracker() -> Tracker:
    with store() as uow:
        return service.get_tracker(uow, OWNER)


# --- applications -------------------------------------------------------------------------


@app.command("add")
def add(
    program: ProgramArg,
    specialty: Annotated[
        str | None, typer.Option(help="Specialty code (IM, FM, ...) when it is not known.")
    ] = None,
    would_not_go: Annotated[
        bool, typer.Option("--would-not-go", help="You would not go there if matched.")
    ] = False,
    on: DateOption = None,
    note: NoteOption = "",
) -> None:
    """Start tracking a program (as planned)."""
    with store() as uow:
        app_ = service.add_program(
            uow,
            OWNER,
            facts(),
            program,
            specialty=specialty,
            would_not_go=would_not_go,
            on=parse_date(on),
            note=note,
        )
    _say(f"tracking {app_.program} ({app_.specialty or 'specialty unknown'}): planned")


@app.command("move")
def move(
    program: ProgramArg,
    state: Annotated[AppState, typer.Argument(help="The new state.")],
    on: DateOption = None,
    note: NoteOption = "",
) -> None:
    """Move an application to a new state (only moves the state table allows)."""
    with store() as uow:
        moved = service.move_program(
            uow, OWNER, facts(), program, state, on=parse_date(on), note=note
        )
    _say(f"{moved.program}: {moved.state.words}")


@app.command("set")
def set_command(
    program: ProgramArg,
    would_not_go: Annotated[
        bool | None,
        typer.Option("--would-not-go/--would-go", help="Mark whether you would go there."),
    ] = None,
    notes: Annotated[str | None, typer.Option("--notes", help="Replace the notes.")] = None,
) -> None:
    """Mark a program 'would not go' (or not), or replace its notes."""
    with store() as uow:
        changed = service.set_program(
            uow, OWNER, facts(), program, would_not_go=would_not_go, notes=notes
        )
    _say(f"{changed.program}: would not go: {'yes' if changed.would_not_go else 'no'}")


@app.command("list")
def list_command() -> None:
    """List the tracked applications with their states."""
    tracker = _tracker()
    table = Table(title=f"{len(tracker.applications)} applications")
    for column in ("program", "specialty", "state", "since", "letters", "flags"):
        table.add_column(column)
    for app_ in tracker.applications:
        since = next((c.on for c in reversed(tracker.history(app_.program)) if c.on), None)
        letters = sum(1 for x in tracker.letters if app_.program in x.programs)
        flags = [
            f for f, on in (("advanced", app_.advanced), ("would not go", app_.would_not_go)) if on
        ]
        table.add_row(
            app_.program,
            app_.specialty or "unknown",
            app_.state.words,
            since.isoformat() if since else "",
            str(letters),
            ", ".join(flags),
        )
    console().print(table)


@app.command("show")
def show(program: ProgramArg) -> None:
    """Show one application: state, notes, letters, signals, interview and full history."""
    with store() as uow:
        tracker, app_ = service.get_application(uow, OWNER, program)
    key = app_.program
    out = console()
    out.print(f"[bold]{app_.program}[/bold]: {app_.state.words}", highlight=False)
    out.print(f"  specialty: {app_.specialty or 'unknown'}", highlight=False)
    out.print(f"  advanced: {'yes' if app_.advanced else 'no'}", highlight=False)
    out.print(f"  would not go: {'yes' if app_.would_not_go else 'no'}", highlight=False)
    if app_.notes:
        out.print(f"  notes: {app_.notes}", highlight=False)
    letters = [x for x in tracker.letters if key in x.programs]
    out.print(f"  letters: {', '.join(f'{x.key} {x.writer}' for x in letters) or 'none'}")
    for item in (s for s in tracker.signals if s.program == key):
        tier = f" ({item.tier.value})" if item.tier else ""
        out.print(f"  signal: {item.season} {item.specialty}{tier}", highlight=False)
    interview = tracker.interview(key)
    if interview is not None:
        scores = ", ".join(f"{k} {v}" for k, v in interview.scores) or "not scored"
        when = interview.on.isoformat() if interview.on else "date unknown"
        out.print(f"  interview: {when}, {interview.format.value}; {scores}", highlight=False)
    table = Table(title="history")
    for column in ("recorded", "date", "from", "to", "by", "note"):
        table.add_column(column)
    for change in tracker.history(key):
        table.add_row(
            change.at.strftime("%Y-%m-%d %H:%M"),
            change.on.isoformat() if change.on else "",
            change.from_state.words if change.from_state else "(added)",
            change.to_state.words,
            change.by,
            change.note,
        )
    out.print(table)


# --- letters ------------------------------------------------------------------------------


@letter_app.command("add")
def letter_add(
    writer: Annotated[str, typer.Argument(help="The writer's name.")],
    specialty: Annotated[str, typer.Option(help="The writer's specialty code, e.g. IM.")],
    us: Annotated[
        bool, typer.Option("--us/--non-us", help="Whether the writer is a US physician.")
    ] = True,
    on: DateOption = None,
) -> None:
    """Record a requested letter (it gets a key: L1, L2, ...)."""
    with store() as uow:
        letter = service.add_letter(
            uow, OWNER, facts(), writer, us_physician=us, specialty=specialty, on=parse_date(on)
        )
    _say(f"letter {letter.key} from {letter.writer}: requested")


@letter_app.command("status")
def letter_status(
    key: Annotated[str, typer.Argument(help="The letter's key, e.g. L1.")],
    status: Annotated[LetterStatus, typer.Argument(help="received or uploaded.")],
    on: DateOption = None,
) -> None:
    """Move a letter on: requested -> received -> uploaded."""
    with store() as uow:
        letter = service.advance_letter(uow, OWNER, facts(), key, status, parse_date(on))
    _say(f"letter {letter.key} from {letter.writer}: {letter.status.value}")


@letter_app.command("assign")
def letter_assign(
    key: Annotated[str, typer.Argument(help="The letter's key, e.g. L1.")], program: ProgramArg
) -> None:
    """Assign a letter to a tracked program (ERAS allows at most 4 per program)."""
    with store() as uow:
        letter = service.assign_letter(uow, OWNER, facts(), key, program)
    _say(f"letter {letter.key} assigned to {', '.join(sorted(letter.programs))}")


@letter_app.command("unassign")
def letter_unassign(
    key: Annotated[str, typer.Argument(help="The letter's key, e.g. L1.")], program: ProgramArg
) -> None:
    """Take a letter off a program."""
    with store() as uow:
        letter = service.assign_letter(uow, OWNER, facts(), key, program, remove=True)
    _say(f"letter {letter.key} assigned to {', '.join(sorted(letter.programs)) or 'nothing'}")


@letter_app.command("list")
def letter_list() -> None:
    """List the letters with their status and programs."""
    tracker = _tracker()
    table = Table(title=f"{len(tracker.letters)} letters")
    for column in ("key", "writer", "US", "specialty", "status", "programs"):
        table.add_column(column)
    for x in tracker.letters:
        table.add_row(
            x.key,
            x.writer,
            "yes" if x.us_physician else "no",
            x.specialty,
            x.status.value,
            ", ".join(sorted(x.programs)),
        )
    console().print(table)


# --- documents ----------------------------------------------------------------------------


@doc_app.command("add")
def doc_add(
    file: Annotated[Path, typer.Argument(help="The document file.")],
    kind: Annotated[DocumentKind, typer.Option("--kind", help="What the document is.")],
    name: Annotated[str | None, typer.Option(help="Its name (the file name by default).")] = None,
) -> None:
    """Record a document by its SHA-256; a changed file becomes a new version."""
    with store() as uow:
        doc, new = service.add_document(uow, OWNER, facts(), file, kind, name)
    what = f"version {doc.version}" if new else f"unchanged (version {doc.version})"
    _say(f"{doc.kind.value} '{doc.name}': {what}, sha256 {doc.sha256}")


@doc_app.command("status")
def doc_status(
    kind: Annotated[DocumentKind, typer.Argument(help="The document's kind.")],
    name: Annotated[str, typer.Argument(help="The document's name.")],
    status: Annotated[DocumentStatus, typer.Argument(help="draft, final or uploaded.")],
) -> None:
    """Set the status of a document's newest version."""
    with store() as uow:
        doc = service.mark_document(uow, OWNER, facts(), kind, name, status)
    _say(f"{doc.kind.value} '{doc.name}' version {doc.version}: {doc.status.value}")


@doc_app.command("list")
def doc_list() -> None:
    """List every document version."""
    tracker = _tracker()
    table = Table(title=f"{len(tracker.latest_documents())} documents")
    for column in ("kind", "name", "version", "status", "sha256", "path"):
        table.add_column(column, overflow="fold")
    for doc in tracker.documents:
        table.add_row(
            doc.kind.value,
            doc.name,
            str(doc.version),
            doc.status.value,
            doc.sha256,
            doc.path or "",
        )
    console().print(table)


# --- signals and geographic preferences ---------------------------------------------------

SeasonOption = Annotated[
    int,
    typer.Option(
        "--season", min=2000, max=2100, help="The ERAS season (= the Match year), e.g. 2026."
    ),
]


@signal_app.command("add")
def signal_add(
    program: ProgramArg,
    season: SeasonOption,
    tier: Annotated[
        SignalTier | None, typer.Option(help="gold or silver, where the specialty tiers them.")
    ] = None,
    specialty: Annotated[str | None, typer.Option(help="Specialty code, e.g. IM.")] = None,
) -> None:
    """Signal a tracked program (within the season's sourced limit)."""
    with store() as uow:
        item = service.add_signal(
            uow, OWNER, facts(), program, season=season, tier=tier, specialty=specialty
        )
    tier_text = f" {item.tier.value}" if item.tier else ""
    _say(f"signal{tier_text} to {item.program} ({item.specialty}, {item.season} season)")
    _signal_usage(_tracker(), season)


@signal_app.command("remove")
def signal_remove(program: ProgramArg, season: SeasonOption) -> None:
    """Take a signal back."""
    with store() as uow:
        service.remove_signal(uow, OWNER, facts(), program, season=season)
    _say(f"signal to {program} ({season}) removed")


def _signal_usage(tracker: Tracker, season: int) -> None:
    for usage in signal_usage(tracker.signals, facts(), season):
        source = f" ({usage.citation})" if usage.citation else ""
        gold = ""
        if usage.gold_limit is not None:
            gold = f"; gold {usage.gold_used} of {usage.gold_limit}"
        _say(f"{season} {usage.text}{gold}{source}")


@signal_app.command("list")
def signal_list() -> None:
    """List signals and the use of each season's limits, then geographic preferences."""
    tracker = _tracker()
    for item in tracker.signals:
        tier = f" {item.tier.value}" if item.tier else ""
        _say(f"{item.season} {item.specialty}{tier}: {item.program}")
    for season in sorted({s.season for s in tracker.signals if s.season is not None}):
        _signal_usage(tracker, season)
    regions = ", ".join(tracker.geography) or "none recorded"
    _say(f"geographic preferences: {regions}")


@signal_app.command("geo")
def signal_geo(
    regions: Annotated[
        list[str] | None, typer.Argument(help="Preferred regions, most preferred first.")
    ] = None,
    clear: Annotated[bool, typer.Option("--clear", help="Remove every preference.")] = False,
) -> None:
    """Set your geographic preferences (as you enter them in MyERAS), or show them."""
    if regions or clear:
        with store() as uow:
            service.set_geography(uow, OWNER, facts(), regions or [])
    _say(f"geographic preferences: {', '.join(_tracker().geography) or 'none recorded'}")


# --- interviews ---------------------------------------------------------------------------


def parse_scores(values: list[str]) -> dict[str, int]:
    """Parse repeated --score CRITERION=N options; a malformed one is a usage error."""
    scores: dict[str, int] = {}
    for value in values:
        name, sep, number = value.rpartition("=")
        if not sep or not name.strip() or not number.strip().isdigit():
            raise typer.BadParameter(f"'{value}' is not CRITERION=SCORE (e.g. fit=4)")
        if name.strip() in scores:
            raise typer.BadParameter(f"criterion '{name.strip()}' is given twice")
        scores[name.strip()] = int(number)
    return scores


@app.command("interview")
def interview(
    program: ProgramArg,
    interview_format: Annotated[
        InterviewFormat, typer.Option("--format", help="virtual or in_person.")
    ],
    on: DateOption = None,
    score: Annotated[
        list[str] | None,
        typer.Option("--score", metavar="CRITERION=1..5", help="Your score on a criterion."),
    ] = None,
    note: Annotated[str, typer.Option("--note", help="Your impressions.")] = "",
) -> None:
    """Record an interview, scored 1-5 on criteria you choose (repeat --score)."""
    scores = parse_scores(score or [])
    with store() as uow:
        result = service.record_interview(
            uow,
            OWNER,
            facts(),
            program,
            on=parse_date(on),
            interview_format=interview_format,
            scores=scores,
            notes=note,
        )
    mean = f", mean score {result.mean:.1f}" if result.mean is not None else ""
    _say(f"interview at {result.program} recorded{mean}")


# --- rank order list ----------------------------------------------------------------------

UnderOption = Annotated[
    str | None,
    typer.Option("--under", metavar="ADVANCED", help="The advanced program's supplemental list."),
]


@rank_app.command("add")
def rank_add(
    program: ProgramArg,
    position: Annotated[
        int | None, typer.Option("--position", min=1, help="1 = first choice; the end if not set.")
    ] = None,
    under: UnderOption = None,
) -> None:
    """Put a program on the draft (or move it), or on an advanced program's supplemental list."""
    with store() as uow:
        warnings = service.rank_program(
            uow, OWNER, facts(), program, position=position, under=under
        )
    _say(f"ranked {program}")
    _warn(warnings)


@rank_app.command("remove")
def rank_remove(program: ProgramArg, under: UnderOption = None) -> None:
    """Take a program off the draft (or off a supplemental list)."""
    with store() as uow:
        warnings = service.unrank_program(uow, OWNER, facts(), program, under=under)
    _say(f"removed {program}")
    _warn(warnings)


@rank_app.command("show")
def rank_show() -> None:
    """Show the draft with names and NRMP codes, and its warnings."""
    with store() as uow:
        result = files.rank_list(uow, OWNER)
    console().print(files.rank_list_text(result, date.today()), highlight=False, end="")


@rol_app.command("export")
def rol_export(
    out: Annotated[Path, typer.Argument(help="A .csv file, or .txt for printable text.")],
) -> None:
    """Write the draft rank list to type into NRMP R3 (which takes no file uploads)."""
    with store() as uow:
        result = files.export_rank_list(uow, OWNER, out, date.today())
    _say(f"wrote {len(result.lines)} ranks to {out}")
    _warn(list(result.warnings))


@rol_app.command("what-if")
def rol_what_if(
    profile_path: ProfileArg = None,
    more: Annotated[int, typer.Option("--more", min=1, max=100, help="Programs to add.")] = 3,
    runs: Annotated[
        int, typer.Option("--runs", min=2, max=100_000, help="Simulated markets.")
    ] = 200,
    scale: Annotated[
        float, typer.Option("--scale", min=0.01, max=1.0, help="Market size (1 = national).")
    ] = DEFAULT_SCALE,
    seed: Annotated[int, typer.Option("--seed", help="First market seed.")] = 0,
) -> None:
    """How much ranking more programs would help: the draft, then the draft with --more programs
    of its main specialty, on the same simulated markets (matchready simulate)."""
    with store() as uow, console().status("simulating markets ..."):
        strategy, result = draft_what_if(
            uow,
            OWNER,
            profile_of(profile_path),
            facts(),
            extra=more,
            runs=runs,
            scale=scale,
            seed=seed,
        )
    _say(f"your draft as a strategy: {strategy.label()}")
    _say(f"{result.label}: P(match) {result.probability} ({result.strategy})")
    _say(f"change on the same {runs} markets: {result.change.points()}")
    _say("Simulated markets calibrated to the latest NRMP Main Match; see: matchready simulate.")


# --- files --------------------------------------------------------------------------------


@app.command("export")
def export(
    out: Annotated[Path, typer.Argument(help="Where to write the tracker.")],
    file_format: Annotated[str | None, typer.Option("--format", help="csv or xlsx.")] = None,
) -> None:
    """Export the whole tracker (re-importable with `track import`)."""
    if file_format is not None:
        if file_format not in {"csv", "xlsx"}:
            raise typer.BadParameter("expected csv or xlsx", param_hint="--format")
        if out.suffix.lower() != f".{file_format}":
            out = out.with_suffix(f".{file_format}")
    with store() as uow:
        count = files.export_tracker(uow, OWNER, out)
    _say(f"wrote {count} rows to {out}")


@app.command("import")
def import_command(
    file: Annotated[Path, typer.Argument(help="A tracker file (.csv or .xlsx).")],
    replace: Annotated[
        bool, typer.Option("--replace", help="Replace a tracker that is not empty.")
    ] = False,
) -> None:
    """Import a tracker file; one bad row refuses the whole file."""
    with store() as uow:
        tracker = files.import_tracker(uow, OWNER, facts(), file, replace=replace)
    _say(f"imported {len(tracker.applications)} applications from {file.name}")
