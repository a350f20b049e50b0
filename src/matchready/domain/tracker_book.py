"""One applicant's whole tracker as a value, and the pure operations that change it.

Every operation returns a new `Tracker` or raises TrackerError / NotFoundError; the rules
themselves (transitions, the letter limit, signal limits, what a rank list may hold) live in
`matchready.domain.tracker` and are applied here on every change. `validate` replays a whole
tracker against the same rules, so a tracker read from a file obeys them too.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from matchready.domain.facts import Facts
from matchready.domain.tracker import (
    Application,
    AppState,
    Document,
    DocumentKind,
    DocumentStatus,
    Interview,
    Letter,
    LetterStatus,
    RankOrderDraft,
    Signal,
    StateChange,
    add_signal,
    assign_letter,
    check_rank_order,
    letter_limit,
    letters_for,
    unassign_letter,
)
from matchready.errors import NotFoundError, TrackerError

PRIMARY = ""
"""The list name of the primary rank order list (supplemental lists are named by their
advanced program)."""


@dataclass(frozen=True)
class Tracker:
    """Everything one owner tracks; each tuple kept in a canonical order."""

    applications: tuple[Application, ...] = ()  # by program
    changes: tuple[StateChange, ...] = ()  # oldest first
    letters: tuple[Letter, ...] = ()  # by key
    documents: tuple[Document, ...] = ()  # every version, by kind, name, version
    signals: tuple[Signal, ...] = ()  # in the order they were added
    geography: tuple[str, ...] = ()  # preferred regions, most preferred first
    interviews: tuple[Interview, ...] = ()  # by program
    draft: RankOrderDraft = field(default_factory=RankOrderDraft)

    def application(self, program: str) -> Application | None:
        for app in self.applications:
            if app.program == program:
                return app
        return None

    def require(self, program: str) -> Application:
        """The application to `program`; NotFoundError naming how to add it."""
        app = self.application(program)
        if app is None:
            raise NotFoundError(f"program {program} is not in the tracker: add it first")
        return app

    def history(self, program: str) -> list[StateChange]:
        return [c for c in self.changes if c.program == program]

    def interview(self, program: str) -> Interview | None:
        return next((i for i in self.interviews if i.program == program), None)

    def latest_documents(self) -> list[Document]:
        """The newest version of each document."""
        latest: dict[tuple[DocumentKind, str], Document] = {}
        for doc in self.documents:
            latest[(doc.kind, doc.name)] = doc
        return list(latest.values())

    def letter(self, key: str) -> Letter:
        for letter in self.letters:
            if letter.key == key:
                return letter
        raise NotFoundError(f"no letter '{key}'")


def _with_app(tracker: Tracker, app: Application) -> Tracker:
    apps = {a.program: a for a in tracker.applications}
    apps[app.program] = app
    return replace(tracker, applications=tuple(apps[k] for k in sorted(apps)))


# --- applications -------------------------------------------------------------------------


def add_application(
    tracker: Tracker,
    app: Application,
    *,
    on: date | None,
    at: datetime,
    by: str,
    note: str = "",
) -> Tracker:
    """The tracker with a new application (planned), its first history line recorded."""
    if tracker.application(app.program) is not None:
        raise TrackerError(f"program {app.program} is already in the tracker")
    if app.state is not AppState.PLANNED or app.history:
        raise TrackerError(f"program {app.program}: a new application starts as planned")
    change = StateChange(app.program, None, AppState.PLANNED, on, at, by, note.strip())
    return replace(_with_app(tracker, app), changes=(*tracker.changes, change))


def move(
    tracker: Tracker,
    program: str,
    to: AppState,
    *,
    on: date | None,
    at: datetime,
    by: str,
    note: str = "",
) -> Tracker:
    """The tracker with one application moved (TrackerError if the move is not allowed)."""
    app = tracker.require(program)
    moved = app.move(to, on)
    change = StateChange(program, app.state, to, on, at, by, note.strip())
    return replace(_with_app(tracker, moved), changes=(*tracker.changes, change))


def update_application(
    tracker: Tracker, program: str, *, would_not_go: bool | None = None, notes: str | None = None
) -> Tracker:
    app = tracker.require(program)
    if would_not_go is not None:
        app = replace(app, would_not_go=would_not_go)
    if notes is not None:
        app = replace(app, notes=notes.strip())
    return _with_app(tracker, app)


# --- letters ------------------------------------------------------------------------------


def add_letter(
    tracker: Tracker, writer: str, us_physician: bool, specialty: str, on: date | None
) -> tuple[Tracker, Letter]:
    """The tracker with a newly requested letter, keyed L1, L2, ..."""
    if not writer.strip():
        raise TrackerError("a letter needs the writer's name")
    taken = {letter.key for letter in tracker.letters}
    number = len(taken) + 1
    while f"L{number}" in taken:
        number += 1
    letter = Letter(
        f"L{number}", writer.strip(), us_physician, specialty.strip().upper(), requested_on=on
    )
    return _with_letters(tracker, (*tracker.letters, letter)), letter


def _with_letters(tracker: Tracker, letters: Iterable[Letter]) -> Tracker:
    ordered = sorted(letters, key=lambda item: (len(item.key), item.key))
    return replace(tracker, letters=tuple(ordered))


def advance_letter(tracker: Tracker, key: str, to: LetterStatus, on: date | None) -> Tracker:
    letter = tracker.letter(key).advance(to, on)
    return _with_letters(tracker, (letter if x.key == key else x for x in tracker.letters))


def assign(tracker: Tracker, key: str, program: str, facts: Facts) -> Tracker:
    """Assign a letter to a program in the tracker, within ERAS's per-program limit."""
    tracker.require(program)
    return _with_letters(tracker, assign_letter(tracker.letters, key, program, facts))


def unassign(tracker: Tracker, key: str, program: str) -> Tracker:
    if program not in tracker.letter(key).programs:
        raise TrackerError(f"letter {key} is not assigned to {program}")
    return _with_letters(tracker, unassign_letter(tracker.letters, key, program))


# --- documents ----------------------------------------------------------------------------


def add_document(
    tracker: Tracker, kind: DocumentKind, name: str, data: bytes, path: str | None
) -> tuple[Tracker, Document]:
    """Record a document's content: version 1, a new version if it changed, else nothing."""
    current = [d for d in tracker.documents if d.kind is kind and d.name == name]
    if not current:
        doc = Document.first(kind, name, data, path)
    else:
        doc = current[-1].revise(data, path)
        if doc is current[-1]:
            return tracker, doc
    return _with_documents(tracker, (*tracker.documents, doc)), doc


def _with_documents(tracker: Tracker, documents: Iterable[Document]) -> Tracker:
    ordered = sorted(documents, key=lambda d: (d.kind.value, d.name, d.version))
    return replace(tracker, documents=tuple(ordered))


def mark_document(
    tracker: Tracker, kind: DocumentKind, name: str, status: DocumentStatus
) -> tuple[Tracker, Document]:
    """Set the status of the newest version of a document."""
    current = [d for d in tracker.documents if d.kind is kind and d.name == name]
    if not current:
        raise NotFoundError(f"no {kind.value} document named '{name}'")
    marked = current[-1].mark(status)
    others = [d for d in tracker.documents if d is not current[-1]]
    return _with_documents(tracker, (*others, marked)), marked


# --- signals and geography ----------------------------------------------------------------


def signal(tracker: Tracker, new: Signal, facts: Facts, season: int) -> Tracker:
    """Add a signal to a tracked program, within the season's sourced limit."""
    tracker.require(new.program)
    return replace(tracker, signals=add_signal(tracker.signals, new, facts, season))


def unsignal(tracker: Tracker, program: str, season: int) -> Tracker:
    kept = tuple(s for s in tracker.signals if not (s.program == program and s.season == season))
    if len(kept) == len(tracker.signals):
        raise NotFoundError(f"no {season} signal to {program}")
    return replace(tracker, signals=kept)


def set_geography(tracker: Tracker, regions: Iterable[str]) -> Tracker:
    cleaned = [r.strip() for r in regions if r.strip()]
    if len({r.lower() for r in cleaned}) != len(cleaned):
        raise TrackerError("a region is given twice")
    return replace(tracker, geography=tuple(cleaned))


# --- interviews ---------------------------------------------------------------------------


def record_interview(tracker: Tracker, interview: Interview) -> Tracker:
    """Record (or replace) the interview at a tracked program."""
    tracker.require(interview.program)
    kept = {i.program: i for i in tracker.interviews}
    kept[interview.program] = interview
    return replace(tracker, interviews=tuple(kept[k] for k in sorted(kept)))


# --- rank order list draft ----------------------------------------------------------------


def rank(
    tracker: Tracker, program: str, *, position: int | None = None, under: str = PRIMARY
) -> Tracker:
    """Put `program` on the primary list (or on the supplemental list of advanced program
    `under`) at 1-based `position` (the end by default); the draft is then checked."""
    draft = tracker.draft
    current = list(draft.primary if under == PRIMARY else draft.supplemental.get(under, ()))
    if program in current:
        current.remove(program)
    if position is None:
        position = len(current) + 1
    if not 1 <= position <= len(current) + 1:
        raise TrackerError(f"position {position} is outside 1 to {len(current) + 1}")
    current.insert(position - 1, program)
    return _with_draft(tracker, under, current)


def unrank(tracker: Tracker, program: str, *, under: str = PRIMARY) -> Tracker:
    draft = tracker.draft
    current = list(draft.primary if under == PRIMARY else draft.supplemental.get(under, ()))
    if program not in current:
        where = "the primary list" if under == PRIMARY else f"the supplemental list of {under}"
        raise NotFoundError(f"{program} is not on {where}")
    current.remove(program)
    if under == PRIMARY and program in draft.supplemental:
        raise TrackerError(f"{program} has a supplemental list: remove its entries first")
    return _with_draft(tracker, under, current)


def _with_draft(tracker: Tracker, under: str, programs: list[str]) -> Tracker:
    draft = tracker.draft
    if under == PRIMARY:
        new = RankOrderDraft(tuple(programs), draft.supplemental)
    else:
        supplemental = dict(draft.supplemental)
        if programs:
            supplemental[under] = tuple(programs)
        else:
            supplemental.pop(under, None)
        new = RankOrderDraft(draft.primary, {k: supplemental[k] for k in sorted(supplemental)})
    check_rank_order(new, tracker.applications)
    return replace(tracker, draft=new)


def rank_warnings(tracker: Tracker) -> list[str]:
    return check_rank_order(tracker.draft, tracker.applications)


# --- the whole tracker against the rules --------------------------------------------------


def validate(tracker: Tracker, facts: Facts) -> None:
    """Replay a whole tracker (say, read from a file) against the domain's rules."""
    programs = {a.program for a in tracker.applications}
    if len(programs) != len(tracker.applications):
        raise TrackerError("an application is listed twice")
    for app in tracker.applications:
        _replay(app, tracker.history(app.program))
    for change in tracker.changes:
        if change.program not in programs:
            raise TrackerError(f"history of {change.program}, which has no application")
    keys = [letter.key for letter in tracker.letters]
    if len(set(keys)) != len(keys):
        raise TrackerError("a letter key is used twice")
    limit, source = letter_limit(facts)
    for program in sorted({p for letter in tracker.letters for p in letter.programs}):
        if program not in programs:
            raise TrackerError(f"a letter is assigned to {program}, which has no application")
        assigned = letters_for(tracker.letters, program)
        if len(assigned) > limit:
            raise TrackerError(
                f"program {program} has {len(assigned)} letters; ERAS allows at most {limit} "
                f"per program ({source})"
            )
    _check_documents(tracker.documents)
    replayed: tuple[Signal, ...] = ()
    for item in tracker.signals:
        if item.season is None:
            raise TrackerError(f"the signal to {item.program} has no season")
        if item.program not in programs:
            raise TrackerError(f"a signal to {item.program}, which has no application")
        replayed = add_signal(replayed, item, facts, item.season)
    for interview in tracker.interviews:
        if interview.program not in programs:
            raise TrackerError(f"an interview at {interview.program}, which has no application")
    check_rank_order(tracker.draft, tracker.applications)


def _replay(app: Application, changes: list[StateChange]) -> None:
    if not changes or changes[0].from_state is not None:
        raise TrackerError(f"program {app.program}: its history does not start with 'added'")
    replay = Application(app.program, app.specialty)
    for change in changes[1:]:
        if change.from_state is not replay.state:
            raise TrackerError(
                f"program {app.program}: history line '{change.to_state.words}' starts from "
                f"'{(change.from_state or AppState.PLANNED).words}', not '{replay.state.words}'"
            )
        replay = replay.move(change.to_state, change.on)
    if replay.state is not app.state or replay.history != app.history:
        raise TrackerError(
            f"program {app.program}: state '{app.state.words}' does not follow from its history"
        )


def _check_documents(documents: Iterable[Document]) -> None:
    versions: dict[tuple[DocumentKind, str], list[int]] = {}
    for doc in documents:
        versions.setdefault((doc.kind, doc.name), []).append(doc.version)
    for (kind, name), numbers in versions.items():
        if sorted(numbers) != list(range(1, len(numbers) + 1)):
            raise TrackerError(f"{kind.value} '{name}': versions must run 1, 2, 3, ...")


def history_of(
    changes: Iterable[StateChange],
) -> Mapping[str, tuple[tuple[AppState, date | None], ...]]:
    """Each program's `Application.history`, rebuilt from its history lines."""
    out: dict[str, tuple[tuple[AppState, date | None], ...]] = {}
    for change in changes:
        out.setdefault(change.program, ())
        if change.from_state is not None:
            out[change.program] = (*out[change.program], (change.to_state, change.on))
    return out
