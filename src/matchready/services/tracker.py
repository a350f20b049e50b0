"""Tracker use cases, shared by `matchready track` and the web's Tracker page.

`Tracking` binds the use cases to one unit of work, one owner and the facts, so a CLI command
or a web route is one call. Every change reads the owner's tracker, applies one operation of
the domain, replays the whole result against the domain's rules (`Tracker.validate`) and saves
it, in one unit of work. Inputs arrive as the record models of `domain.tracker_records` (the
one parser of a tracker's fields). Programs are shared: a program must be in the program store
to be tracked. Each owner (the local owner, or an account on the server) has its own tracker.

The rank order list export: NRMP publishes no file layout for rank order lists; lists are
entered and certified by hand in NRMP's R3 system, so the export is a worksheet to type from
(see `io.tracker_table.write_rank_list`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, TypeVar

from matchready.domain.facts import Facts, FactStatus
from matchready.domain.interval import WhatIf
from matchready.domain.program import Program, ProgramCode, TrackType, is_nrmp_code
from matchready.domain.rank_checks import interviewed_programs
from matchready.domain.signals import Signal
from matchready.domain.tracker import (
    PRIMARY,
    Application,
    Change,
    Document,
    DocumentKind,
    DocumentStatus,
    Interview,
    Letter,
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
    SignalRecord,
    from_records,
    to_records,
)
from matchready.errors import (
    ImportFileError,
    InputError,
    Location,
    NotFoundError,
    Problem,
    TrackerError,
)
from matchready.io.tracker_table import RankLine, RankList, read_tracker, write_tracker
from matchready.services.ports import UnitOfWork

if TYPE_CHECKING:  # the what-if needs the simulator (numpy) only when it runs
    from matchready.domain.applicant import Profile
    from matchready.simulation.applicant import Strategy

T = TypeVar("T")


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


def specialty_of(program: Program | None, facts: Facts, *, by_name: bool = False) -> str:
    """The specialty code (IM, FM, ...) whose ACGME code is the program's: verified in the
    specialty table, or named by the ACGME specialty-code table (acgme_specialty_codes.csv);
    with `by_name`, else the specialty whose name is the program's; '' when none tells."""
    if program is None:
        return ""
    code = program.specialty_code or (program.codes[0].specialty_code if program.codes else None)
    for stats in facts.specialties:
        if stats.acgme_code == code and (
            stats.acgme_code_status is FactStatus.VERIFIED or facts.acgme_specialty(code)
        ):
            return stats.code
    name = (program.specialty or "").strip().lower() if by_name else ""
    return next((s.code for s in facts.specialties if name and s.name.lower() == name), "")


class Tracking:
    """The tracker use cases for one owner, on one unit-of-work factory's unit and the facts."""

    def __init__(
        self,
        uow: UnitOfWork,
        owner: str,
        facts: Facts,
        *,
        by: str | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.uow, self.owner, self.facts = uow, owner, facts
        self.by = by or owner  # who the history lines name
        self.clock = clock or now  # when they were recorded

    def tracker(self) -> Tracker:
        with self.uow:
            return self.uow.tracker.get(self.owner)

    def key(self, typed: str) -> str:
        """The tracker's key for what the user typed (a program since removed stays as typed)."""
        try:
            return resolve_program(self.uow, typed).key
        except NotFoundError:
            return typed.strip()

    def application(self, key: str) -> tuple[Tracker, Application]:
        """The tracker and its application to the program named by `key`."""
        with self.uow:
            tracker = self.uow.tracker.get(self.owner)
            return tracker, tracker.require(self.key(key))

    def _update(self, change: Callable[[Tracker], tuple[Tracker, T]]) -> T:
        with self.uow:
            after, result = change(self.uow.tracker.get(self.owner))
            after.validate(self.facts)  # the domain's rules, on every write
            self.uow.tracker.save(self.owner, after)
            self.uow.commit()
        return result

    def _line(self, change: ChangeRecord) -> Change:
        return Change(change.state, change.date, self.clock(), self.by, change.note)

    # --- applications ---

    def add(self, app: ApplicationRecord, first: ChangeRecord | None = None) -> Application:
        """Start tracking a program of the program store (as planned)."""

        def change(tracker: Tracker) -> tuple[Tracker, Application]:
            ref = resolve_program(self.uow, app.program)
            code = (app.specialty or specialty_of(ref.program, self.facts)).upper()
            line = self._line(first or ChangeRecord(program=ref.key, state="planned"))
            new = Application(ref.key, code, (line,), ref.advanced, app.would_not_go)
            return tracker.add(new), new

        return self._update(change)

    def _on_app(self, typed: str, change: Callable[[Tracker, str], Tracker]) -> Application:
        """One application changed: `change(tracker, its key)`; returns it as changed."""

        def apply(t: Tracker) -> tuple[Tracker, Application]:
            program = self.key(typed)
            after = change(t, program)
            return after, after.require(program)

        return self._update(apply)

    def move(self, change: ChangeRecord) -> Application:
        """Move an application to another state (refused, naming the move, if not allowed)."""
        return self._on_app(change.program, lambda t, key: t.move(key, self._line(change)))

    def set(
        self, key: str, *, would_not_go: bool | None = None, notes: str | None = None
    ) -> Application:
        """Mark an application 'would not go' (or not), or replace its notes."""
        return self._on_app(key, lambda t, p: t.update(p, would_not_go=would_not_go, notes=notes))

    # --- letters and documents ---

    def add_letter(self, letter: LetterRecord) -> Letter:
        """Record a requested letter of recommendation; it gets the next key (L1, L2, ...)."""
        new = Letter("", letter.writer, letter.us_physician, letter.specialty)
        return self._update(lambda t: t.add_letter(replace(new, requested_on=letter.requested_on)))

    def advance_letter(self, key: str, to: LetterStatus, on: date | None = None) -> Letter:
        key = key.strip().upper()
        return self._update(lambda t: (t.advance_letter(key, to, on),) * 2).letter(key)

    def assign(self, item: AssignmentRecord, *, remove: bool = False) -> Letter:
        """Assign a letter to a tracked program (at most the sourced limit per program), or
        take the assignment back with `remove`."""
        key = item.key.upper()

        def change(t: Tracker) -> tuple[Tracker, Letter]:
            program = self.key(item.program)
            after = t.unassign(key, program) if remove else t.assign(key, program, self.facts)
            return after, after.letter(key)

        return self._update(change)

    def add_document_file(
        self, path: Path, kind: DocumentKind, name: str | None = None
    ) -> tuple[Document, bool]:
        """Record a document file by its SHA-256: version 1, or a new version if it changed.
        Returns the document and whether a new version was recorded."""
        try:
            data = path.read_bytes()
        except OSError as error:
            raise InputError(
                Problem(f"cannot read the document ({error.strerror})", Location(file=str(path)))
            ) from None
        return self.add_document(data, kind, name or path.name, str(path.resolve()))

    def add_document(
        self, data: bytes, kind: DocumentKind, name: str, path: str | None = None
    ) -> tuple[Document, bool]:
        """Record a document's content (an upload keeps no path): its SHA-256 names the version."""
        label = name.strip()
        if not label:
            raise InputError(Problem("a document needs a name", Location(field="name")))

        def change(t: Tracker) -> tuple[Tracker, tuple[Document, bool]]:
            after, doc, new = t.add_document(kind, label, data, path)
            return after, (doc, new)

        return self._update(change)

    def mark_document(self, kind: DocumentKind, name: str, status: DocumentStatus) -> Document:
        return self._update(lambda t: t.mark_document(kind, name, status))

    # --- signals, geography, interviews ---

    def signal(self, item: SignalRecord) -> Signal:
        """Signal a tracked program in an ERAS season, within that season's sourced limit."""

        def change(t: Tracker) -> tuple[Tracker, Signal]:
            new = Signal(self.key(item.program), item.specialty, item.tier)
            after = t.signal(new, self.facts, item.season)
            return after, after.signals[-1]

        return self._update(change)

    def unsignal(self, key: str, season: int) -> None:
        self._update(lambda t: (t.unsignal(self.key(key), season), None))

    def set_geography(self, regions: Iterable[str]) -> tuple[str, ...]:
        """Replace the geographic preferences (most preferred first)."""
        return self._update(lambda t: (t.set_geography(regions),) * 2).geography

    def interview(self, item: InterviewRecord) -> Interview:
        """Record (or replace) the interview at a tracked program, scored on your own criteria."""

        def change(t: Tracker) -> tuple[Tracker, Interview]:
            found = Interview(
                self.key(item.program), item.date, item.format, item.scores, item.note
            )
            return t.record_interview(found), found

        return self._update(change)

    # --- the rank order list draft ---

    def rank(self, item: RankRecord, *, remove: bool = False) -> list[str]:
        """Put a program on the draft (or on the supplemental list of advanced program
        `item.list_name`), or take it off with `remove`; returns the draft's warnings."""

        def change(t: Tracker) -> tuple[Tracker, list[str]]:
            under = self.key(item.list_name) if item.list_name else PRIMARY
            if remove:
                after = t.unrank(self.key(item.program), under=under)
            else:
                program = resolve_program(self.uow, item.program).key
                after = t.rank(program, position=item.position, under=under)
            return after, after.rank_warnings()

        return self._update(change)

    def rank_list(self) -> tuple[Tracker, RankList]:
        """The tracker and its draft rank order list with the program store's names and
        tracks (a program tracked without an NRMP code shows `unknown`), and its warnings."""
        with self.uow:
            tracker = self.uow.tracker.get(self.owner)
            lines: list[RankLine] = []
            for under, programs in tracker.draft.lists():
                label = "primary" if under == PRIMARY else f"supplemental for {under}"
                for n, key in enumerate(programs, start=1):
                    program = self.uow.programs.find(key)
                    code = key if is_nrmp_code(key) else "unknown"
                    track = ProgramCode(code).track.value if code != "unknown" else "unknown"
                    name = program.name if program else "(not in the program store)"
                    lines.append(RankLine(label, n, code, name, track))
        return tracker, RankList(tuple(lines), tuple(tracker.rank_warnings()))

    # --- files ---

    def export(self, out: BinaryIO, suffix: str) -> int:
        """Write the whole tracker to `out` as CSV or XLSX; returns the rows written."""
        return write_tracker(out, suffix, to_records(self.tracker()))

    def import_file(self, path: Path, *, replace: bool = False) -> Tracker:
        """Read a tracker file and make it the owner's tracker. The whole file is checked first
        (every cell, every program in the program store, the domain's rules); one bad row
        refuses the file. An owner who already tracks something must ask to `replace` it."""
        records = read_tracker(path)
        tracker = from_records(records)
        with self.uow:
            for app in tracker.applications:
                if resolve_program(self.uow, app.program).key != app.program:
                    raise ImportFileError(
                        Problem(
                            f"program {app.program} is tracked by its NRMP code, not this key",
                            Location(file=path.name, field="program"),
                        )
                    )
            try:
                tracker.validate(self.facts)
            except TrackerError as error:
                raise ImportFileError(Problem(str(error), Location(file=path.name))) from None
            if self.uow.tracker.get(self.owner) != Tracker() and not replace:
                raise InputError(
                    "the tracker is not empty: importing would replace it (use --replace)"
                )
            self.uow.tracker.replace(self.owner, tracker)
            self.uow.commit()
        return tracker

    # --- what if the draft were longer ---

    def draft_strategy(self, specialty: str) -> tuple[Strategy, list[str]]:
        """The draft as a rank-list strategy, counting only the programs the applicant
        interviewed at (a program ranks only applicants it interviewed), and the ranked
        programs left out. Preliminary programs (by the NRMP code's track letter) count as the
        preliminary part; the others by their specialty, the most ranked one first (programs
        whose specialty is not known count as `specialty`); the longest supplemental list
        gives the supplemental length."""
        from matchready.simulation.applicant import Strategy

        with self.uow:
            tracker = self.uow.tracker.get(self.owner)
            draft = tracker.draft
            programs = {key: self.uow.programs.find(key) for key in draft.primary}
        if not draft.primary:
            raise InputError(
                "the draft rank list is empty: add programs first (matchready track rank add)"
            )
        kept, left_out = interviewed_programs(
            draft.primary, tracker.applications, tracker.interviews
        )
        if not kept:
            raise InputError(
                "no program on the draft rank list has an interview recorded: a program ranks "
                "only applicants it interviewed (matchready track interview, or track move ... "
                "interviewed)"
            )
        prelim, counts = 0, Counter[str]()
        for key in kept:
            if is_nrmp_code(key) and ProgramCode(key).track is TrackType.PRELIMINARY:
                prelim += 1
            else:
                counts[specialty_of(programs[key], self.facts, by_name=True) or specialty] += 1
        ranked = counts.most_common()
        main, main_ranks = ranked[0] if ranked else (specialty, 0)
        also, also_ranks = ranked[1] if len(ranked) > 1 else (None, 0)
        longest = max((len(v) for v in draft.supplemental.values()), default=0)
        shape = Strategy(main, main_ranks, prelim=prelim, also=also, also_ranks=also_ranks)
        return (replace(shape, supplemental=longest) if longest else shape), left_out

    def draft_what_if(
        self, profile: Profile, *, extra: int = 3, **simulation: float
    ) -> tuple[Strategy, WhatIf, list[str]]:
        """The draft's strategy (interviewed programs only), how much `extra` more programs
        change P(match) on the same simulated markets, and the ranked programs left out for
        want of an interview. `simulation`: runs, scale, seed, workers."""
        from matchready.simulation.study import what_if_more_ranks

        if not 1 <= extra <= 100:
            raise InputError("--more must be from 1 to 100")
        strategy, left_out = self.draft_strategy(profile.target.specialties[0].upper())
        result = what_if_more_ranks(profile, self.facts, strategy, extra, **simulation)  # type: ignore[arg-type]
        return strategy, result, left_out
