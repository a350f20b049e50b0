"""Tracker use cases, one function each, shared by `matchready track` and the web's Tracker page.

Every change reads the owner's tracker, applies one pure operation of the domain, replays the
whole result against the domain's rules (`validate`) and saves it, all in one unit of work.
Programs are shared: a program must be in the program store to be tracked. Each owner (the
local owner, or an account on the server) has a tracker of its own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TypeVar

from matchready.domain import tracker_book as book
from matchready.domain.facts import Facts, FactStatus
from matchready.domain.program import Program, is_nrmp_code
from matchready.domain.tracker import (
    Application,
    AppState,
    Document,
    DocumentKind,
    DocumentStatus,
    Interview,
    InterviewFormat,
    Letter,
    LetterStatus,
    Signal,
    SignalTier,
)
from matchready.domain.tracker_book import PRIMARY, Tracker
from matchready.errors import InputError, Location, NotFoundError, Problem, TrackerError
from matchready.services.ports import UnitOfWork


def now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class ProgramRef:
    """A program as the tracker names it: an NRMP code (one track), else an ACGME number."""

    key: str
    program: Program

    @property
    def advanced(self) -> bool:
        return is_nrmp_code(self.key) and self.key[7] == "A"

    @property
    def nrmp_code(self) -> str | None:
        return self.key if is_nrmp_code(self.key) else None


def resolve_program(uow: UnitOfWork, key: str) -> ProgramRef:
    """The tracker's key for a program in the program store (an NRMP code where it has one)."""
    key = key.strip()
    program = uow.programs.find(key)
    if program is None:
        raise NotFoundError(
            f"no program with ACGME number or NRMP code {key} in the program store "
            "(import programs first: matchready programs import FILE)"
        )
    if is_nrmp_code(key):
        return ProgramRef(key, program)
    if len(program.codes) == 1:
        return ProgramRef(program.codes[0].code, program)
    if not program.codes:
        return ProgramRef(program.key, program)
    tracks = ", ".join(f"{c.code} ({c.track.value})" for c in program.codes)
    raise TrackerError(f"program {key} has {len(program.codes)} tracks ({tracks}): name one code")


def tracked_key(uow: UnitOfWork, key: str) -> str:
    """The tracker's key for what the user typed (a program since removed stays as typed)."""
    try:
        return resolve_program(uow, key).key
    except NotFoundError:
        return key.strip()


def specialty_of(program: Program, facts: Facts) -> str:
    """The specialty code (IM, FM, ...) whose ACGME code is the program's: verified in the
    specialty table, or named by the ACGME specialty-code table (acgme_specialty_codes.csv);
    '' when neither knows it (signals then need the specialty named)."""
    code = program.specialty_code or (program.codes[0].specialty_code if program.codes else None)
    for stats in facts.specialties:
        if stats.acgme_code != code:
            continue
        if stats.acgme_code_status is FactStatus.VERIFIED or facts.acgme_specialty(code):
            return stats.code
    return ""


def get_tracker(uow: UnitOfWork, owner: str) -> Tracker:
    with uow:
        return uow.tracker.get(owner)


def get_application(uow: UnitOfWork, owner: str, key: str) -> tuple[Tracker, Application]:
    """The owner's tracker and its application to the program named by `key`."""
    with uow:
        tracker = uow.tracker.get(owner)
        return tracker, tracker.require(tracked_key(uow, key))


T = TypeVar("T")


def _update(
    uow: UnitOfWork, owner: str, facts: Facts, change: Callable[[Tracker], tuple[Tracker, T]]
) -> T:
    with uow:
        after, result = change(uow.tracker.get(owner))
        book.validate(after, facts)  # the domain's rules, on every write
        uow.tracker.save(owner, after)
        uow.commit()
    return result


# --- applications -------------------------------------------------------------------------


def add_program(
    uow: UnitOfWork,
    owner: str,
    facts: Facts,
    key: str,
    *,
    specialty: str | None = None,
    would_not_go: bool = False,
    on: date | None = None,
    note: str = "",
    by: str | None = None,
) -> Application:
    """Start tracking a program of the program store (as planned)."""

    def change(tracker: Tracker) -> tuple[Tracker, Application]:
        ref = resolve_program(uow, key)
        code = (specialty or specialty_of(ref.program, facts)).strip().upper()
        app = Application(ref.key, code, advanced=ref.advanced, would_not_go=would_not_go)
        tracker = book.add_application(tracker, app, on=on, at=now(), by=by or owner, note=note)
        return tracker, tracker.require(ref.key)

    return _update(uow, owner, facts, change)


def move_program(
    uow: UnitOfWork,
    owner: str,
    facts: Facts,
    key: str,
    to: AppState,
    *,
    on: date | None = None,
    note: str = "",
    by: str | None = None,
) -> Application:
    """Move an application to another state (refused, naming the move, if not allowed)."""

    def change(tracker: Tracker) -> tuple[Tracker, Application]:
        program = tracked_key(uow, key)
        tracker = book.move(tracker, program, to, on=on, at=now(), by=by or owner, note=note)
        return tracker, tracker.require(program)

    return _update(uow, owner, facts, change)


def set_program(
    uow: UnitOfWork,
    owner: str,
    facts: Facts,
    key: str,
    *,
    would_not_go: bool | None = None,
    notes: str | None = None,
) -> Application:
    """Mark an application 'would not go' (or not), or replace its notes."""

    def change(tracker: Tracker) -> tuple[Tracker, Application]:
        program = tracked_key(uow, key)
        tracker = book.update_application(tracker, program, would_not_go=would_not_go, notes=notes)
        return tracker, tracker.require(program)

    return _update(uow, owner, facts, change)


# --- letters ------------------------------------------------------------------------------


def add_letter(
    uow: UnitOfWork,
    owner: str,
    facts: Facts,
    writer: str,
    *,
    us_physician: bool,
    specialty: str,
    on: date | None = None,
) -> Letter:
    """Record a requested letter of recommendation; it gets the next key (L1, L2, ...)."""
    return _update(
        uow, owner, facts, lambda t: book.add_letter(t, writer, us_physician, specialty, on)
    )


def advance_letter(
    uow: UnitOfWork, owner: str, facts: Facts, key: str, to: LetterStatus, on: date | None = None
) -> Letter:
    def change(tracker: Tracker) -> tuple[Tracker, Letter]:
        tracker = book.advance_letter(tracker, key.strip().upper(), to, on)
        return tracker, tracker.letter(key.strip().upper())

    return _update(uow, owner, facts, change)


def assign_letter(
    uow: UnitOfWork, owner: str, facts: Facts, key: str, program_key: str, *, remove: bool = False
) -> Letter:
    """Assign a letter to a tracked program (at most the sourced limit per program), or
    take the assignment back with `remove`."""

    def change(tracker: Tracker) -> tuple[Tracker, Letter]:
        letter, program = key.strip().upper(), tracked_key(uow, program_key)
        if remove:
            tracker = book.unassign(tracker, letter, program)
        else:
            tracker = book.assign(tracker, letter, program, facts)
        return tracker, tracker.letter(letter)

    return _update(uow, owner, facts, change)


# --- documents ----------------------------------------------------------------------------


def add_document(
    uow: UnitOfWork,
    owner: str,
    facts: Facts,
    path: Path,
    kind: DocumentKind,
    name: str | None = None,
) -> tuple[Document, bool]:
    """Record a document file by its SHA-256: version 1, or a new version if it changed.
    Returns the document and whether a new version was recorded."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputError(
            Problem(f"cannot read the document ({error.strerror})", Location(file=str(path)))
        ) from None
    label = name or path.name
    return add_document_content(uow, owner, facts, data, kind, label, str(path.resolve()))


def add_document_content(
    uow: UnitOfWork,
    owner: str,
    facts: Facts,
    data: bytes,
    kind: DocumentKind,
    name: str,
    path: str | None = None,
) -> tuple[Document, bool]:
    """Record a document's content (an upload keeps no path): its SHA-256 names the version."""
    label = name.strip()
    if not label:
        raise InputError(Problem("a document needs a name", Location(field="name")))

    def change(tracker: Tracker) -> tuple[Tracker, tuple[Document, bool]]:
        before = len(tracker.documents)
        tracker, doc = book.add_document(tracker, kind, label, data, path)
        return tracker, (doc, len(tracker.documents) > before)

    return _update(uow, owner, facts, change)


def mark_document(
    uow: UnitOfWork,
    owner: str,
    facts: Facts,
    kind: DocumentKind,
    name: str,
    status: DocumentStatus,
) -> Document:
    return _update(uow, owner, facts, lambda t: book.mark_document(t, kind, name, status))


# --- signals and geography ----------------------------------------------------------------


def add_signal(
    uow: UnitOfWork,
    owner: str,
    facts: Facts,
    key: str,
    *,
    season: int,
    tier: SignalTier | None = None,
    specialty: str | None = None,
) -> Signal:
    """Signal a tracked program in an ERAS season, within that season's sourced limit."""

    def change(tracker: Tracker) -> tuple[Tracker, Signal]:
        app = tracker.require(tracked_key(uow, key))
        code = (specialty or app.specialty).strip().upper()
        if not code:
            raise TrackerError(
                f"program {app.program}: its specialty is not known; name it (e.g. IM)"
            )
        tracker = book.signal(tracker, Signal(app.program, code, tier), facts, season)
        return tracker, tracker.signals[-1]

    return _update(uow, owner, facts, change)


def remove_signal(uow: UnitOfWork, owner: str, facts: Facts, key: str, *, season: int) -> None:
    def change(tracker: Tracker) -> tuple[Tracker, None]:
        return book.unsignal(tracker, tracked_key(uow, key), season), None

    _update(uow, owner, facts, change)


def set_geography(
    uow: UnitOfWork, owner: str, facts: Facts, regions: Iterable[str]
) -> tuple[str, ...]:
    """Replace the geographic preferences (most preferred first)."""

    def change(tracker: Tracker) -> tuple[Tracker, tuple[str, ...]]:
        tracker = book.set_geography(tracker, regions)
        return tracker, tracker.geography

    return _update(uow, owner, facts, change)


# --- interviews ---------------------------------------------------------------------------


def record_interview(
    uow: UnitOfWork,
    owner: str,
    facts: Facts,
    key: str,
    *,
    on: date | None,
    interview_format: InterviewFormat,
    scores: Mapping[str, int],
    notes: str = "",
) -> Interview:
    """Record (or replace) the interview at a tracked program, scored on your own criteria."""

    def change(tracker: Tracker) -> tuple[Tracker, Interview]:
        program = tracked_key(uow, key)
        interview = Interview(
            program,
            on,
            interview_format,
            tuple((name.strip(), score) for name, score in scores.items()),
            notes.strip(),
        )
        return book.record_interview(tracker, interview), interview

    return _update(uow, owner, facts, change)


# --- rank order list draft ----------------------------------------------------------------


def rank_program(
    uow: UnitOfWork,
    owner: str,
    facts: Facts,
    key: str,
    *,
    position: int | None = None,
    under: str | None = None,
) -> list[str]:
    """Put a program on the draft (or on the supplemental list of advanced program `under`);
    returns the draft's warnings."""

    def change(tracker: Tracker) -> tuple[Tracker, list[str]]:
        program = resolve_program(uow, key).key
        parent = tracked_key(uow, under) if under else PRIMARY
        tracker = book.rank(tracker, program, position=position, under=parent)
        return tracker, book.rank_warnings(tracker)

    return _update(uow, owner, facts, change)


def unrank_program(
    uow: UnitOfWork, owner: str, facts: Facts, key: str, *, under: str | None = None
) -> list[str]:
    def change(tracker: Tracker) -> tuple[Tracker, list[str]]:
        parent = tracked_key(uow, under) if under else PRIMARY
        tracker = book.unrank(tracker, tracked_key(uow, key), under=parent)
        return tracker, book.rank_warnings(tracker)

    return _update(uow, owner, facts, change)
