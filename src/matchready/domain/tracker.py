"""The application tracker's domain (pure; the store and the files map it at their edge).

One owner's `Tracker` holds applications, letters, documents, signals, geographic preferences,
interviews and the rank order list draft; every operation returns a new tracker. Each
application's history is stored once, in `Application.history`, and its state is derived from
it (the state of the last line). Applications move through a transition table; an illegal move
is refused with a TrackerError naming the program and both states. Letters are limited per
program by the fact `eras.max_letters_per_program`; signals by the sourced per-season table
(`domain.signals`). The draft warns about any program the applicant marked "would not go".
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import StrEnum
from typing import NamedTuple

from matchready.domain.facts import Facts
from matchready.domain.report import Citation
from matchready.domain.signals import Signal, add_signal
from matchready.errors import NotFoundError, TrackerError

# --- applications -------------------------------------------------------------------------


class AppState(StrEnum):
    PLANNED = "planned"
    SUBMITTED = "submitted"
    INVITED = "invited"
    INTERVIEW_SCHEDULED = "interview_scheduled"
    INTERVIEWED = "interviewed"
    RANKED = "ranked"
    WAITLISTED = "waitlisted"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"

    @property
    def words(self) -> str:
        return self.value.replace("_", " ")


S = AppState
TRANSITIONS: Mapping[AppState, frozenset[AppState]] = {
    S.PLANNED: frozenset({S.SUBMITTED, S.WITHDRAWN}),
    S.SUBMITTED: frozenset({S.INVITED, S.WAITLISTED, S.REJECTED, S.WITHDRAWN}),
    S.WAITLISTED: frozenset({S.INVITED, S.REJECTED, S.WITHDRAWN}),
    S.INVITED: frozenset({S.INTERVIEW_SCHEDULED, S.WITHDRAWN}),
    S.INTERVIEW_SCHEDULED: frozenset({S.INTERVIEWED, S.INVITED, S.WITHDRAWN}),
    S.INTERVIEWED: frozenset({S.RANKED, S.WITHDRAWN}),
    S.RANKED: frozenset({S.INTERVIEWED, S.WITHDRAWN}),
    S.REJECTED: frozenset(),
    S.WITHDRAWN: frozenset(),
}
"""Allowed next states. INTERVIEW_SCHEDULED -> INVITED: the interview was cancelled and is to
be rebooked; RANKED -> INTERVIEWED: taken off the rank order list draft."""


def check_move(program: str, start: AppState, to: AppState) -> None:
    """TrackerError, naming the program, both states and the way on, if the table refuses."""
    allowed = TRANSITIONS[start]
    if to not in allowed:
        options = f"'{start.words}' is final"
        if allowed:
            options = "allowed next: " + ", ".join(sorted(s.words for s in allowed))
        raise TrackerError(
            f"program {program}: cannot go from '{start.words}' to '{to.words}' ({options})"
        )


@dataclass(frozen=True)
class Change:
    """One line of an application's history: the state it went to, the day it happened (as
    the applicant gives it), when and by whom it was recorded, and why. The first line of an
    application records it being added (as planned)."""

    to: AppState
    on: date | None
    at: datetime
    by: str
    note: str = ""


class Line(NamedTuple):
    """A history line as shown; `from_state` is None for the line that added the application."""

    from_state: AppState | None
    to_state: AppState
    on: date | None
    at: datetime
    by: str
    note: str


@dataclass(frozen=True)
class Application:
    """One application to one program. `history` (oldest first) is the one record of its
    states; `state` is the last line's (planned before any line)."""

    program: str
    specialty: str
    history: tuple[Change, ...] = ()
    advanced: bool = False
    would_not_go: bool = False
    notes: str = ""

    @property
    def state(self) -> AppState:
        return self.history[-1].to if self.history else AppState.PLANNED

    @property
    def visited(self) -> frozenset[AppState]:
        """Every state the application has been in."""
        return frozenset({AppState.PLANNED, *(c.to for c in self.history)})

    def lines(self) -> list[Line]:
        """The history as shown: each line with the state before it."""
        before = [None, *(c.to for c in self.history)]
        return [
            Line(b, c.to, c.on, c.at, c.by, c.note)
            for b, c in zip(before, self.history, strict=False)
        ]

    def move(self, change: Change) -> Application:
        """The application after `change`; TrackerError if the table does not allow it."""
        check_move(self.program, self.state, change.to)
        return replace(self, history=(*self.history, change))

    def check_history(self) -> None:
        """TrackerError unless the history starts with 'added' and follows the table."""
        if not self.history or self.history[0].to is not AppState.PLANNED:
            raise TrackerError(f"program {self.program}: its history does not start with 'added'")
        for line in self.lines()[1:]:
            check_move(self.program, line.from_state or AppState.PLANNED, line.to_state)


# --- letters of recommendation ----------------------------------------------------------


class LetterStatus(StrEnum):
    REQUESTED = "requested"
    RECEIVED = "received"
    UPLOADED = "uploaded"


_LETTER_ORDER = tuple(LetterStatus)


@dataclass(frozen=True)
class Letter:
    key: str
    writer: str
    us_physician: bool
    specialty: str
    status: LetterStatus = LetterStatus.REQUESTED
    programs: frozenset[str] = field(default_factory=frozenset)
    requested_on: date | None = None
    received_on: date | None = None
    uploaded_on: date | None = None

    def advance(self, to: LetterStatus, on: date | None = None) -> Letter:
        """Requested -> received -> uploaded; never backwards. `on` dates the new status."""
        if _LETTER_ORDER.index(to) <= _LETTER_ORDER.index(self.status):
            raise TrackerError(
                f"letter from {self.writer}: cannot go from '{self.status.value}' to '{to.value}'"
            )
        if to is LetterStatus.RECEIVED:
            return replace(self, status=to, received_on=on)
        return replace(self, status=to, uploaded_on=on)


def letter_limit(facts: Facts) -> tuple[int, Citation]:
    """The most letters ERAS lets an applicant assign to one program, with its source."""
    fact = facts.rule("eras.max_letters_per_program")
    if fact is None:
        raise NotFoundError("fact eras.max_letters_per_program is missing")
    return fact.integer(), Citation.of(fact)


# --- documents -------------------------------------------------------------------------


class DocumentKind(StrEnum):
    CV = "cv"
    PERSONAL_STATEMENT = "personal_statement"
    PHOTO = "photo"
    MSPE = "mspe"
    TRANSCRIPT = "transcript"
    DIPLOMA = "diploma"
    OTHER = "other"


class DocumentStatus(StrEnum):
    DRAFT = "draft"
    FINAL = "final"
    UPLOADED = "uploaded"


def checksum(data: bytes) -> str:
    """The SHA-256 of a document's bytes, as 64 hex digits."""
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class Document:
    """One version of a document, named by its content's SHA-256 (the file is not kept)."""

    kind: DocumentKind
    name: str
    version: int
    status: DocumentStatus
    sha256: str
    path: str | None = None

    def __post_init__(self) -> None:
        if self.version < 1:
            raise TrackerError(f"document {self.name}: version must be 1 or more")
        if not re.fullmatch(r"[0-9a-f]{64}", self.sha256):
            raise TrackerError(f"document {self.name}: sha256 must be 64 lowercase hex digits")


# --- interviews ---------------------------------------------------------------------------


class InterviewFormat(StrEnum):
    VIRTUAL = "virtual"
    IN_PERSON = "in_person"


SCORE_RANGE = range(1, 6)
"""Impressions are scored 1 (poor) to 5 (excellent) on criteria the applicant names."""


@dataclass(frozen=True)
class Interview:
    """One interview: when, how, and the applicant's own scores (criterion, 1-5)."""

    program: str
    on: date | None
    format: InterviewFormat
    scores: tuple[tuple[str, int], ...] = ()
    notes: str = ""

    def __post_init__(self) -> None:
        names = [name for name, _ in self.scores]
        for name, score in self.scores:
            if names.count(name) > 1:
                raise TrackerError(f"interview at {self.program}: '{name}' is scored twice")
            if not re.fullmatch(r"[\w -]+", name):
                raise TrackerError(
                    f"interview at {self.program}: criterion '{name}' must be letters, digits, "
                    "spaces or dashes"
                )
            if score not in SCORE_RANGE:
                raise TrackerError(
                    f"interview at {self.program}: score {score} for '{name}' is not 1 to 5"
                )

    @property
    def mean(self) -> float | None:
        """The mean score, or None when nothing is scored."""
        if not self.scores:
            return None
        return sum(score for _, score in self.scores) / len(self.scores)


# --- rank order list draft ----------------------------------------------------------------

PRIMARY = ""
"""The list name of the primary rank order list (supplemental lists are named by their
advanced program)."""


@dataclass(frozen=True)
class RankOrderDraft:
    """Programs in order of preference; supplemental lists hang off advanced programs."""

    primary: tuple[str, ...] = ()
    supplemental: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def lists(self) -> list[tuple[str, tuple[str, ...]]]:
        """(list name, programs): the primary list first, then each supplemental list."""
        return [(PRIMARY, self.primary), *self.supplemental.items()]


def check_rank_order(draft: RankOrderDraft, applications: Iterable[Application]) -> list[str]:
    """Warnings about the draft; TrackerError for what NRMP would not accept."""
    by_program = {a.program: a for a in applications}
    if len(set(draft.primary)) != len(draft.primary):
        twice = next(p for p in draft.primary if draft.primary.count(p) > 1)
        raise TrackerError(f"program {twice} is ranked twice on the primary list")
    for advanced, programs in draft.supplemental.items():
        app = by_program.get(advanced)
        if advanced not in draft.primary:
            raise TrackerError(f"supplemental list for {advanced}, which is not on the list")
        if app is None or not app.advanced:
            raise TrackerError(
                f"supplemental list for {advanced}: only advanced programs take one"
            )
        if len(set(programs)) != len(programs):
            raise TrackerError(f"supplemental list for {advanced} ranks a program twice")
    listed = [(p, f"rank {n}") for n, p in enumerate(draft.primary, start=1)]
    for advanced, programs in draft.supplemental.items():
        listed += [(p, f"supplemental list of {advanced}") for p in programs]
    warnings: list[str] = []
    for program, where in listed:
        app = by_program.get(program)
        if app is None:
            warnings.append(f"{program} ({where}) is not among your applications")
            continue
        if app.would_not_go:
            warnings.append(
                f"{program} ({where}) is marked 'would not go': a match there is binding"
            )
        if app.state not in (AppState.INTERVIEWED, AppState.RANKED):
            warnings.append(f"{program} ({where}) is '{app.state.words}', not interviewed")
    return warnings


# --- the tracker ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Tracker:
    """Everything one owner tracks; each tuple kept in a canonical order."""

    applications: tuple[Application, ...] = ()  # by program
    letters: tuple[Letter, ...] = ()  # by key (L1, L2, ..., L10)
    documents: tuple[Document, ...] = ()  # every version, by kind, name, version
    signals: tuple[Signal, ...] = ()  # in the order they were added
    geography: tuple[str, ...] = ()  # preferred regions, most preferred first
    interviews: tuple[Interview, ...] = ()  # by program
    draft: RankOrderDraft = field(default_factory=RankOrderDraft)

    def application(self, program: str) -> Application | None:
        return next((a for a in self.applications if a.program == program), None)

    def require(self, program: str) -> Application:
        """The application to `program`; NotFoundError naming how to add it."""
        app = self.application(program)
        if app is None:
            raise NotFoundError(f"program {program} is not in the tracker: add it first")
        return app

    def interview(self, program: str) -> Interview | None:
        return next((i for i in self.interviews if i.program == program), None)

    def letter(self, key: str) -> Letter:
        found = next((x for x in self.letters if x.key == key), None)
        if found is None:
            raise NotFoundError(f"no letter '{key}'")
        return found

    def letters_for(self, program: str) -> list[Letter]:
        return [x for x in self.letters if program in x.programs]

    def latest_documents(self) -> list[Document]:
        """The newest version of each document."""
        return list({(d.kind, d.name): d for d in self.documents}.values())

    def ordered(self) -> Tracker:
        """The same tracker with every tuple in its canonical order."""
        return replace(
            self,
            applications=tuple(sorted(self.applications, key=lambda a: a.program)),
            letters=tuple(sorted(self.letters, key=lambda x: (len(x.key), x.key))),
            documents=tuple(sorted(self.documents, key=lambda d: (d.kind, d.name, d.version))),
            interviews=tuple(sorted(self.interviews, key=lambda i: i.program)),
        )

    # --- applications ---

    def add(self, app: Application) -> Tracker:
        """A new application, its history the one line that records it added (as planned)."""
        if self.application(app.program) is not None:
            raise TrackerError(f"program {app.program} is already in the tracker")
        if [c.to for c in app.history] != [AppState.PLANNED]:
            raise TrackerError(f"program {app.program}: a new application starts as planned")
        return replace(self, applications=(*self.applications, app)).ordered()

    def _with_app(self, app: Application) -> Tracker:
        apps = tuple(app if a.program == app.program else a for a in self.applications)
        return replace(self, applications=apps)

    def move(self, program: str, change: Change) -> Tracker:
        """One application moved (TrackerError if the table does not allow the move)."""
        return self._with_app(self.require(program).move(change))

    def update(
        self, program: str, *, would_not_go: bool | None = None, notes: str | None = None
    ) -> Tracker:
        app = self.require(program)
        if would_not_go is not None:
            app = replace(app, would_not_go=would_not_go)
        if notes is not None:
            app = replace(app, notes=notes.strip())
        return self._with_app(app)

    # --- letters ---

    def add_letter(self, letter: Letter) -> tuple[Tracker, Letter]:
        """A newly requested letter, keyed with the next free L1, L2, ..."""
        if not letter.writer.strip():
            raise TrackerError("a letter needs the writer's name")
        taken = {x.key for x in self.letters}
        number = len(taken) + 1
        while f"L{number}" in taken:
            number += 1
        new = replace(
            letter,
            key=f"L{number}",
            writer=letter.writer.strip(),
            specialty=letter.specialty.strip().upper(),
            status=LetterStatus.REQUESTED,
            programs=frozenset(),
        )
        return replace(self, letters=(*self.letters, new)).ordered(), new

    def _with_letter(self, letter: Letter) -> Tracker:
        letters = tuple(letter if x.key == letter.key else x for x in self.letters)
        return replace(self, letters=letters)

    def advance_letter(self, key: str, to: LetterStatus, on: date | None) -> Tracker:
        return self._with_letter(self.letter(key).advance(to, on))

    def assign(self, key: str, program: str, facts: Facts) -> Tracker:
        """A letter assigned to a tracked program, within ERAS's per-program limit."""
        self.require(program)
        letter = self.letter(key)
        if program in letter.programs:
            raise TrackerError(f"letter from {letter.writer} is already assigned to {program}")
        limit, source = letter_limit(facts)
        assigned = self.letters_for(program)
        if len(assigned) >= limit:
            raise TrackerError(
                f"program {program} already has {len(assigned)} letters "
                f"({', '.join(a.writer for a in assigned)}); ERAS allows at most {limit} per "
                f"program ({source}). Unassign one first."
            )
        return self._with_letter(replace(letter, programs=letter.programs | {program}))

    def unassign(self, key: str, program: str) -> Tracker:
        letter = self.letter(key)
        if program not in letter.programs:
            raise TrackerError(f"letter {key} is not assigned to {program}")
        return self._with_letter(replace(letter, programs=letter.programs - {program}))

    # --- documents ---

    def add_document(
        self, kind: DocumentKind, name: str, data: bytes, path: str | None
    ) -> tuple[Tracker, Document, bool]:
        """A document's content recorded: version 1, a new version (a draft again) if it
        changed, else nothing; says whether a version was added."""
        digest = checksum(data)
        current = [d for d in self.documents if d.kind is kind and d.name == name]
        if current and current[-1].sha256 == digest:
            return self, current[-1], False
        doc = Document(kind, name, len(current) + 1, DocumentStatus.DRAFT, digest, path)
        if current and path is None:
            doc = replace(doc, path=current[-1].path)
        return replace(self, documents=(*self.documents, doc)).ordered(), doc, True

    def mark_document(
        self, kind: DocumentKind, name: str, status: DocumentStatus
    ) -> tuple[Tracker, Document]:
        """The status of the newest version of a document set."""
        current = [d for d in self.documents if d.kind is kind and d.name == name]
        if not current:
            raise NotFoundError(f"no {kind.value} document named '{name}'")
        marked = replace(current[-1], status=status)
        documents = tuple(marked if d is current[-1] else d for d in self.documents)
        return replace(self, documents=documents), marked

    # --- signals, geography, interviews ---

    def signal(self, new: Signal, facts: Facts, season: int) -> Tracker:
        """A signal to a tracked program, within the season's sourced limit; in the program's
        specialty unless `new` names one."""
        app = self.require(new.program)
        if not (new.specialty or app.specialty):
            raise TrackerError(
                f"program {app.program}: its specialty is not known; name it (e.g. IM)"
            )
        new = replace(new, specialty=new.specialty or app.specialty)
        return replace(self, signals=add_signal(self.signals, new, facts, season))

    def unsignal(self, program: str, season: int) -> Tracker:
        kept = tuple(s for s in self.signals if (s.program, s.season) != (program, season))
        if len(kept) == len(self.signals):
            raise NotFoundError(f"no {season} signal to {program}")
        return replace(self, signals=kept)

    def set_geography(self, regions: Iterable[str]) -> Tracker:
        cleaned = [r.strip() for r in regions if r.strip()]
        if len({r.lower() for r in cleaned}) != len(cleaned):
            raise TrackerError("a region is given twice")
        return replace(self, geography=tuple(cleaned))

    def record_interview(self, interview: Interview) -> Tracker:
        """The interview at a tracked program recorded (or replaced)."""
        self.require(interview.program)
        kept = [i for i in self.interviews if i.program != interview.program]
        return replace(self, interviews=(*kept, interview)).ordered()

    # --- the rank order list draft ---

    def rank(self, program: str, *, position: int | None = None, under: str = PRIMARY) -> Tracker:
        """`program` put on the primary list (or on the supplemental list of advanced program
        `under`) at 1-based `position` (the end by default); the draft is then checked."""
        current = [p for p in self._list(under) if p != program]
        position = len(current) + 1 if position is None else position
        if not 1 <= position <= len(current) + 1:
            raise TrackerError(f"position {position} is outside 1 to {len(current) + 1}")
        current.insert(position - 1, program)
        return self._with_list(under, current)

    def unrank(self, program: str, *, under: str = PRIMARY) -> Tracker:
        current = self._list(under)
        if program not in current:
            where = "the primary list" if under == PRIMARY else f"the supplemental list of {under}"
            raise NotFoundError(f"{program} is not on {where}")
        if under == PRIMARY and program in self.draft.supplemental:
            raise TrackerError(f"{program} has a supplemental list: remove its entries first")
        return self._with_list(under, [p for p in current if p != program])

    def _list(self, under: str) -> list[str]:
        return list(
            self.draft.primary if under == PRIMARY else self.draft.supplemental.get(under, ())
        )

    def _with_list(self, under: str, programs: list[str]) -> Tracker:
        lists = dict(self.draft.lists())
        lists[under] = tuple(programs)
        supplemental = {k: v for k, v in sorted(lists.items()) if k != PRIMARY and v}
        draft = RankOrderDraft(lists[PRIMARY], supplemental)
        check_rank_order(draft, self.applications)
        return replace(self, draft=draft)

    def rank_warnings(self) -> list[str]:
        return check_rank_order(self.draft, self.applications)

    # --- the whole tracker against the rules ---

    def validate(self, facts: Facts) -> None:
        """Replay the whole tracker (say, read from a file) against the domain's rules."""
        programs = {a.program for a in self.applications}
        if len(programs) != len(self.applications):
            raise TrackerError("an application is listed twice")
        for app in self.applications:
            app.check_history()
        keys = [x.key for x in self.letters]
        if len(set(keys)) != len(keys):
            raise TrackerError("a letter key is used twice")
        limit, source = letter_limit(facts)
        for program in sorted({p for x in self.letters for p in x.programs}):
            if program not in programs:
                raise TrackerError(f"a letter is assigned to {program}, which has no application")
            if len(self.letters_for(program)) > limit:
                raise TrackerError(
                    f"program {program} has {len(self.letters_for(program))} letters; ERAS "
                    f"allows at most {limit} per program ({source})"
                )
        versions: dict[tuple[DocumentKind, str], list[int]] = {}
        for doc in self.documents:
            versions.setdefault((doc.kind, doc.name), []).append(doc.version)
        for (kind, name), numbers in versions.items():
            if sorted(numbers) != list(range(1, len(numbers) + 1)):
                raise TrackerError(f"{kind.value} '{name}': versions must run 1, 2, 3, ...")
        replayed: tuple[Signal, ...] = ()
        for item in self.signals:
            if item.season is None:
                raise TrackerError(f"the signal to {item.program} has no season")
            if item.program not in programs:
                raise TrackerError(f"a signal to {item.program}, which has no application")
            replayed = add_signal(replayed, item, facts, item.season)
        for interview in self.interviews:
            if interview.program not in programs:
                raise TrackerError(
                    f"an interview at {interview.program}, which has no application"
                )
        check_rank_order(self.draft, self.applications)
