"""`matchready track`: applications, letters, documents, signals, interviews and the rank list.

One shape throughout: `track VERB PROGRAM ...` for applications, `track NOUN VERB ...` for the
rest (letter, doc, signal, interview, rank, rol). PROGRAM is an NRMP code or an ACGME number
of a program in the program store. Each command calls one service function and renders it;
a refused change (an illegal move, a fifth letter) is one red line and exit code 1.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer
from rich.table import Table

from matchready.cli.common import ProfileArg, console, profile_of, runtime, tracking
from matchready.domain.signals import SignalTier, signal_usage
from matchready.domain.tracker import (
    AppState,
    DocumentKind,
    DocumentStatus,
    InterviewFormat,
    LetterStatus,
    Tracker,
)
from matchready.domain.tracker_records import (
    ApplicationRecord,
    AssignmentRecord,
    ChangeRecord,
    InterviewRecord,
    LetterRecord,
    RankRecord,
    Record,
    SignalRecord,
    field_value,
)
from matchready.errors import InputError

if TYPE_CHECKING:
    from matchready.services.tracker import Tracking

R = TypeVar("R", bound=Record)
T = TypeVar("T")
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


def parse(model: type[R], **values: object) -> R:
    """The options as a record (the one parser of tracker fields); bad values are a usage
    error (exit 2), as Typer's own are."""
    try:
        return model.parse(values)
    except InputError as error:
        raise typer.BadParameter(str(error)) from None


def _day(on: str | None) -> date | None:
    """A --date option on its own, parsed as a record's date is."""
    try:
        value: date | None = field_value(ChangeRecord, "date", on)
    except InputError as error:
        raise typer.BadParameter(str(error)) from None
    return value


def do(action: Callable[[Tracking], T]) -> T:
    """Run one use case for this computer's owner."""
    with tracking() as track:
        return action(track)


def _tracker() -> Tracker:
    return do(lambda t: t.tracker())


def _table(title: str, columns: str, rows: Iterable[Iterable[str]], **style: str) -> None:
    table = Table(title=title)
    for column in columns.split(","):
        table.add_column(column, **style)  # type: ignore[arg-type]
    for row in rows:
        table.add_row(*row)
    console().print(table)


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
    record = parse(
        ApplicationRecord, program=program, specialty=specialty, would_not_go=would_not_go
    )
    first = parse(ChangeRecord, program=program, state=AppState.PLANNED, date=on, note=note)
    added = do(lambda t: t.add(record, first))
    _say(f"tracking {added.program} ({added.specialty or 'specialty unknown'}): planned")


@app.command("move")
def move(
    program: ProgramArg,
    state: Annotated[AppState, typer.Argument(help="The new state.")],
    on: DateOption = None,
    note: NoteOption = "",
) -> None:
    """Move an application to a new state (only moves the state table allows)."""
    change = parse(ChangeRecord, program=program, state=state, date=on, note=note)
    moved = do(lambda t: t.move(change))
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
    changed = do(lambda t: t.set(program, would_not_go=would_not_go, notes=notes))
    _say(f"{changed.program}: would not go: {'yes' if changed.would_not_go else 'no'}")


@app.command("list")
def list_command() -> None:
    """List the tracked applications with their states."""
    tracker = _tracker()
    rows = []
    for item in tracker.applications:
        since = next((c.on.isoformat() for c in reversed(item.history) if c.on), "")
        flags = [
            f for f, on in (("advanced", item.advanced), ("would not go", item.would_not_go)) if on
        ]
        letters = str(len(tracker.letters_for(item.program)))
        state = item.state.words
        rows.append(
            [item.program, item.specialty or "unknown", state, since, letters, ", ".join(flags)]
        )
    _table(
        f"{len(tracker.applications)} applications",
        "program,specialty,state,since,letters,flags",
        rows,
    )


@app.command("show")
def show(program: ProgramArg) -> None:
    """Show one application: state, notes, letters, signals, interview and full history."""
    tracker, item = do(lambda t: t.application(program))
    out = console()
    out.print(f"[bold]{item.program}[/bold]: {item.state.words}", highlight=False)
    out.print(f"  specialty: {item.specialty or 'unknown'}", highlight=False)
    out.print(f"  advanced: {'yes' if item.advanced else 'no'}", highlight=False)
    out.print(f"  would not go: {'yes' if item.would_not_go else 'no'}", highlight=False)
    if item.notes:
        out.print(f"  notes: {item.notes}", highlight=False)
    letters = tracker.letters_for(item.program)
    out.print(f"  letters: {', '.join(f'{x.key} {x.writer}' for x in letters) or 'none'}")
    for sent in (s for s in tracker.signals if s.program == item.program):
        tier = f" ({sent.tier.value})" if sent.tier else ""
        out.print(f"  signal: {sent.season} {sent.specialty}{tier}", highlight=False)
    interview = tracker.interview(item.program)
    if interview is not None:
        scores = ", ".join(f"{k} {v}" for k, v in interview.scores) or "not scored"
        when = interview.on.isoformat() if interview.on else "date unknown"
        out.print(f"  interview: {when}, {interview.format.value}; {scores}", highlight=False)
    rows = [
        [
            c.at.strftime("%Y-%m-%d %H:%M"),
            c.on.isoformat() if c.on else "",
            c.from_state.words if c.from_state else "(added)",
            c.to_state.words,
            c.by,
            c.note,
        ]
        for c in item.lines()
    ]
    _table("history", "recorded,date,from,to,by,note", rows)


# --- letters ------------------------------------------------------------------------------

KeyArg = Annotated[str, typer.Argument(help="The letter's key, e.g. L1.")]


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
    record = parse(LetterRecord, writer=writer, specialty=specialty, us_physician=us, date=on)
    letter = do(lambda t: t.add_letter(record))
    _say(f"letter {letter.key} from {letter.writer}: requested")


@letter_app.command("status")
def letter_status(
    key: KeyArg,
    status: Annotated[LetterStatus, typer.Argument(help="received or uploaded.")],
    on: DateOption = None,
) -> None:
    """Move a letter on: requested -> received -> uploaded."""
    day = _day(on)
    letter = do(lambda t: t.advance_letter(key, status, day))
    _say(f"letter {letter.key} from {letter.writer}: {letter.status.value}")


@letter_app.command("assign")
def letter_assign(key: KeyArg, program: ProgramArg) -> None:
    """Assign a letter to a tracked program (ERAS allows at most 4 per program)."""
    letter = do(lambda t: t.assign(parse(AssignmentRecord, key=key, program=program)))
    _say(f"letter {letter.key} assigned to {', '.join(sorted(letter.programs))}")


@letter_app.command("unassign")
def letter_unassign(key: KeyArg, program: ProgramArg) -> None:
    """Take a letter off a program."""
    letter = do(lambda t: t.assign(parse(AssignmentRecord, key=key, program=program), remove=True))
    _say(f"letter {letter.key} assigned to {', '.join(sorted(letter.programs)) or 'nothing'}")


@letter_app.command("list")
def letter_list() -> None:
    """List the letters with their status and programs."""
    tracker = _tracker()
    rows = [
        [
            x.key,
            x.writer,
            "yes" if x.us_physician else "no",
            x.specialty,
            x.status.value,
            ", ".join(sorted(x.programs)),
        ]
        for x in tracker.letters
    ]
    _table(f"{len(tracker.letters)} letters", "key,writer,US,specialty,status,programs", rows)


# --- documents ----------------------------------------------------------------------------


@doc_app.command("add")
def doc_add(
    file: Annotated[Path, typer.Argument(help="The document file.")],
    kind: Annotated[DocumentKind, typer.Option("--kind", help="What the document is.")],
    name: Annotated[str | None, typer.Option(help="Its name (the file name by default).")] = None,
) -> None:
    """Record a document by its SHA-256; a changed file becomes a new version."""
    doc, new = do(lambda t: t.add_document_file(file, kind, name))
    what = f"version {doc.version}" if new else f"unchanged (version {doc.version})"
    _say(f"{doc.kind.value} '{doc.name}': {what}, sha256 {doc.sha256}")


@doc_app.command("status")
def doc_status(
    kind: Annotated[DocumentKind, typer.Argument(help="The document's kind.")],
    name: Annotated[str, typer.Argument(help="The document's name.")],
    status: Annotated[DocumentStatus, typer.Argument(help="draft, final or uploaded.")],
) -> None:
    """Set the status of a document's newest version."""
    doc = do(lambda t: t.mark_document(kind, name, status))
    _say(f"{doc.kind.value} '{doc.name}' version {doc.version}: {doc.status.value}")


@doc_app.command("list")
def doc_list() -> None:
    """List every document version."""
    tracker = _tracker()
    rows = [
        [d.kind.value, d.name, str(d.version), d.status.value, d.sha256, d.path or ""]
        for d in tracker.documents
    ]
    title = f"{len(tracker.latest_documents())} documents"
    _table(title, "kind,name,version,status,sha256,path", rows, overflow="fold")


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
    record = parse(SignalRecord, program=program, season=season, tier=tier, specialty=specialty)
    with tracking() as track:
        sent = track.signal(record)
        _say(
            f"signal{f' {sent.tier.value}' if sent.tier else ''} to {sent.program} "
            f"({sent.specialty}, {sent.season} season)"
        )
        _signal_usage(track.tracker(), track, season)


@signal_app.command("remove")
def signal_remove(program: ProgramArg, season: SeasonOption) -> None:
    """Take a signal back."""
    do(lambda t: t.unsignal(program, season))
    _say(f"signal to {program} ({season}) removed")


def _signal_usage(tracker: Tracker, track: Tracking, season: int) -> None:
    for usage in signal_usage(tracker.signals, track.facts, season):
        source = f" ({usage.citation})" if usage.citation else ""
        gold = (
            f"; gold {usage.gold_used} of {usage.gold_limit}"
            if usage.gold_limit is not None
            else ""
        )
        _say(f"{season} {usage.text}{gold}{source}")


@signal_app.command("list")
def signal_list() -> None:
    """List signals and the use of each season's limits, then geographic preferences."""
    with tracking() as track:
        tracker = track.tracker()
        for item in tracker.signals:
            tier = f" {item.tier.value}" if item.tier else ""
            _say(f"{item.season} {item.specialty}{tier}: {item.program}")
        for season in sorted({s.season for s in tracker.signals if s.season is not None}):
            _signal_usage(tracker, track, season)
    _say(f"geographic preferences: {', '.join(tracker.geography) or 'none recorded'}")


@signal_app.command("geo")
def signal_geo(
    regions: Annotated[
        list[str] | None, typer.Argument(help="Preferred regions, most preferred first.")
    ] = None,
    clear: Annotated[bool, typer.Option("--clear", help="Remove every preference.")] = False,
) -> None:
    """Set your geographic preferences (as you enter them in MyERAS), or show them."""
    with tracking() as track:
        kept = (
            track.set_geography(regions or []) if regions or clear else track.tracker().geography
        )
    _say(f"geographic preferences: {', '.join(kept) or 'none recorded'}")


# --- interviews ---------------------------------------------------------------------------


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
    record = parse(
        InterviewRecord,
        program=program,
        format=interview_format,
        date=on,
        scores=score or [],
        note=note,
    )
    result = do(lambda t: t.interview(record))
    mean = f", mean score {result.mean:.1f}" if result.mean is not None else ""
    _say(f"interview at {result.program} recorded{mean}")


# --- rank order list ----------------------------------------------------------------------

UnderOption = Annotated[
    str | None,
    typer.Option("--under", metavar="ADVANCED", help="The advanced program's supplemental list."),
]
CheckProfileOption = Annotated[
    Path | None,
    typer.Option(
        "--profile", metavar="PROFILE", help="Check the ranked programs against this profile."
    ),
]


@rank_app.command("add")
def rank_add(
    program: ProgramArg,
    position: Annotated[
        int | None, typer.Option("--position", min=1, help="1 = first choice; the end if not set.")
    ] = None,
    under: UnderOption = None,
    profile_path: CheckProfileOption = None,
) -> None:
    """Put a program on the draft (or move it), or on an advanced program's supplemental list;
    with --profile, check every ranked program against your profile."""
    record = parse(RankRecord, program=program, position=position, under=under)
    warnings = do(lambda t: t.rank(record))
    _say(f"ranked {program}")
    _warn(warnings + _rank_checks(profile_path))


@rank_app.command("remove")
def rank_remove(program: ProgramArg, under: UnderOption = None) -> None:
    """Take a program off the draft (or off a supplemental list)."""
    warnings = do(lambda t: t.rank(parse(RankRecord, program=program, under=under), remove=True))
    _say(f"removed {program}")
    _warn(warnings)


@rank_app.command("show")
def rank_show(profile_path: CheckProfileOption = None) -> None:
    """Show the draft with names and NRMP codes, and its warnings; with --profile, check every
    ranked program against your profile (visa, graduation cutoff, attempts, certification)."""
    from matchready.io.tracker_table import rank_list_text

    _, result = do(lambda t: t.rank_list())
    console().print(rank_list_text(result, runtime().today()), highlight=False, end="")
    _warn(_rank_checks(profile_path))


def _rank_checks(profile_path: Path | None) -> list[str]:
    if profile_path is None:
        return []
    from matchready.services.rank_checks import rank_list_checks

    profile = profile_of(profile_path)
    with tracking() as track:
        return [str(w) for w in rank_list_checks(track.uow, track.owner, profile, track.facts)]


@rol_app.command("export")
def rol_export(
    out: Annotated[Path, typer.Argument(help="A .csv file, or .txt for printable text.")],
) -> None:
    """Write the draft rank list to type into NRMP R3 (which takes no file uploads)."""
    from matchready.io.files import atomic_file
    from matchready.io.tracker_table import write_rank_list

    _, result = do(lambda t: t.rank_list())
    with atomic_file(out) as file:
        write_rank_list(file, out.suffix, result, runtime().today())
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
        float | None,
        typer.Option(
            "--scale", min=0.01, max=1.0, help="Market size (1 = national; default: simulate's)."
        ),
    ] = None,
    seed: Annotated[int, typer.Option("--seed", help="First market seed.")] = 0,
) -> None:
    """How much ranking more programs would help: the draft, then the draft with --more programs
    of its main specialty, on the same simulated markets (matchready simulate)."""
    profile = profile_of(profile_path)
    with tracking() as track, console().status("simulating markets ..."):
        options = {"runs": runs, "seed": seed} | ({"scale": scale} if scale else {})
        strategy, result, left_out = track.draft_what_if(profile, extra=more, **options)
    _say(f"your draft as a strategy: {strategy.label()} (interviewed programs only)")
    if left_out:
        _say(f"not counted, no interview recorded: {', '.join(left_out)}")
    _say(f"{result.label}: P(match) {result.estimate} ({result.strategy})")
    _say(f"change on the same {runs} markets: {result.change.points() if result.change else ''}")
    _say("Simulated markets calibrated to the latest NRMP Main Match; see: matchready simulate.")


# --- files --------------------------------------------------------------------------------


@app.command("export")
def export(
    out: Annotated[Path, typer.Argument(help="Where to write the tracker.")],
    file_format: Annotated[str | None, typer.Option("--format", help="csv or xlsx.")] = None,
) -> None:
    """Export the whole tracker (re-importable with `track import`)."""
    from matchready.io.files import atomic_file
    from matchready.io.tracker_table import SUFFIXES

    if file_format is not None:
        if file_format not in {"csv", "xlsx"}:
            raise typer.BadParameter("expected csv or xlsx", param_hint="--format")
        out = (
            out.with_suffix(f".{file_format}") if out.suffix.lower() != f".{file_format}" else out
        )
    if out.suffix.lower() not in SUFFIXES:
        raise InputError(f"{out.name}: expected a .csv or .xlsx file")
    with tracking() as track, atomic_file(out) as file:
        count = track.export(file, out.suffix)
    _say(f"wrote {count} rows to {out}")


@app.command("import")
def import_command(
    file: Annotated[Path, typer.Argument(help="A tracker file (.csv or .xlsx).")],
    replace: Annotated[
        bool, typer.Option("--replace", help="Replace a tracker that is not empty.")
    ] = False,
) -> None:
    """Import a tracker file; one bad row refuses the whole file."""
    tracker = do(lambda t: t.import_file(file, replace=replace))
    _say(f"imported {len(tracker.applications)} applications from {file.name}")
