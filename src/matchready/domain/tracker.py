"""The application tracker's domain (pure; the store maps these values at its edge).

Applications move through a transition table; an illegal move is refused with a TrackerError
that names the program and both states. Letters of recommendation are limited per program by the
fact `eras.max_letters_per_program`; signals by the sourced per-season table (a season without a
row has an unknown limit, which is reported, not guessed). A rank order list draft warns about any
program the applicant marked "would not go".
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import StrEnum

from matchready.domain.facts import Facts
from matchready.domain.report import Citation
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


@dataclass(frozen=True)
class Application:
    """One application to one program; `history` holds every (state, date) it has been in."""

    program: str
    specialty: str
    state: AppState = AppState.PLANNED
    advanced: bool = False
    would_not_go: bool = False
    history: tuple[tuple[AppState, date | None], ...] = ()
    notes: str = ""

    def move(self, to: AppState, on: date | None = None) -> Application:
        """The application in state `to`; TrackerError if the table does not allow the move."""
        allowed = TRANSITIONS[self.state]
        if to not in allowed:
            if allowed:
                options = "allowed next: " + ", ".join(sorted(s.words for s in allowed))
            else:
                options = f"'{self.state.words}' is final"
            raise TrackerError(
                f"program {self.program}: cannot go from '{self.state.words}' to "
                f"'{to.words}' ({options})"
            )
        return replace(self, state=to, history=(*self.history, (to, on)))


@dataclass(frozen=True)
class StateChange:
    """One line of an application's history: who moved it from what to what, when and why.

    `from_state` is None for the line that records the application being added (as planned).
    `on` is the date the applicant gives (the day it happened); `at` when it was recorded.
    """

    program: str
    from_state: AppState | None
    to_state: AppState
    on: date | None
    at: datetime
    by: str
    note: str = ""


# --- letters of recommendation ----------------------------------------------------------


class LetterStatus(StrEnum):
    REQUESTED = "requested"
    RECEIVED = "received"
    UPLOADED = "uploaded"


_LETTER_ORDER = (LetterStatus.REQUESTED, LetterStatus.RECEIVED, LetterStatus.UPLOADED)


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


def letters_for(letters: Iterable[Letter], program: str) -> list[Letter]:
    return [letter for letter in letters if program in letter.programs]


def assign_letter(
    letters: Sequence[Letter], key: str, program: str, facts: Facts
) -> tuple[Letter, ...]:
    """The letters with letter `key` assigned to `program`, within the per-program limit."""
    found = [letter for letter in letters if letter.key == key]
    if not found:
        raise NotFoundError(f"no letter '{key}'")
    letter = found[0]
    if program in letter.programs:
        raise TrackerError(f"letter from {letter.writer} is already assigned to {program}")
    limit, source = letter_limit(facts)
    assigned = letters_for(letters, program)
    if len(assigned) >= limit:
        writers = ", ".join(a.writer for a in assigned)
        raise TrackerError(
            f"program {program} already has {len(assigned)} letters ({writers}); ERAS allows "
            f"at most {limit} per program ({source}). Unassign one first."
        )
    updated = replace(letter, programs=letter.programs | {program})
    return tuple(updated if item.key == key else item for item in letters)


def unassign_letter(letters: Sequence[Letter], key: str, program: str) -> tuple[Letter, ...]:
    return tuple(
        replace(item, programs=item.programs - {program}) if item.key == key else item
        for item in letters
    )


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


_SHA256 = re.compile(r"^[0-9a-f]{64}$")


def checksum(data: bytes) -> str:
    """The SHA-256 of a document's bytes, as 64 hex digits."""
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class Document:
    kind: DocumentKind
    name: str
    version: int
    status: DocumentStatus
    sha256: str
    path: str | None = None

    def __post_init__(self) -> None:
        if self.version < 1:
            raise TrackerError(f"document {self.name}: version must be 1 or more")
        if not _SHA256.match(self.sha256):
            raise TrackerError(f"document {self.name}: sha256 must be 64 lowercase hex digits")

    @classmethod
    def first(
        cls, kind: DocumentKind, name: str, data: bytes, path: str | None = None
    ) -> Document:
        return cls(kind, name, 1, DocumentStatus.DRAFT, checksum(data), path)

    def revise(self, data: bytes, path: str | None = None) -> Document:
        """A new version (back to draft) when the content changed; the same one otherwise."""
        digest = checksum(data)
        if digest == self.sha256:
            return self
        return replace(
            self,
            version=self.version + 1,
            status=DocumentStatus.DRAFT,
            sha256=digest,
            path=path if path is not None else self.path,
        )

    def mark(self, status: DocumentStatus) -> Document:
        return replace(self, status=status)


# --- signals ---------------------------------------------------------------------------


class SignalTier(StrEnum):
    GOLD = "gold"
    SILVER = "silver"


@dataclass(frozen=True)
class Signal:
    program: str
    specialty: str
    tier: SignalTier | None = None
    season: int | None = None


@dataclass(frozen=True)
class SignalUsage:
    """Signals used in one specialty against the season's limit (None: limit unknown)."""

    specialty: str
    used: int
    limit: int | None
    gold_used: int = 0
    gold_limit: int | None = None
    citation: Citation | None = None

    @property
    def text(self) -> str:
        if self.limit is None:
            return f"{self.specialty}: {self.used} signals used; the limit is unknown"
        return f"{self.specialty}: {self.used} of {self.limit} signals used"


def signal_usage(signals: Iterable[Signal], facts: Facts, season: int) -> list[SignalUsage]:
    """Per specialty, how many signals are used and the season's limit (or unknown)."""
    by_specialty: dict[str, list[Signal]] = {}
    for item in signals:
        if item.season not in (None, season):
            continue
        by_specialty.setdefault(item.specialty.upper(), []).append(item)
    out = []
    for specialty, items in sorted(by_specialty.items()):
        fact = facts.signal_limit(season, specialty)
        out.append(
            SignalUsage(
                specialty=specialty,
                used=len(items),
                limit=fact.signals if fact else None,
                gold_used=sum(1 for i in items if i.tier is SignalTier.GOLD),
                gold_limit=fact.gold if fact else None,
                citation=Citation.of(fact) if fact else None,
            )
        )
    return out


def add_signal(
    signals: Sequence[Signal], new: Signal, facts: Facts, season: int
) -> tuple[Signal, ...]:
    """The signals with `new` added; refused when it would pass the season's sourced limit."""
    specialty = new.specialty.upper()
    if any(
        s.program == new.program
        and s.specialty.upper() == specialty
        and s.season in (None, season)
        for s in signals
    ):
        raise TrackerError(f"program {new.program} already has a {specialty} signal")
    fact = facts.signal_limit(season, specialty)
    mine = [s for s in signals if s.specialty.upper() == specialty and s.season in (None, season)]
    if fact is not None:
        tiered = fact.gold is not None
        if tiered and new.tier is None:
            raise TrackerError(f"{specialty} signals are gold or silver in {season}: pick one")
        if not tiered and new.tier is not None:
            raise TrackerError(f"{specialty} signals have no gold/silver tiers in {season}")
        tier_limits = {SignalTier.GOLD: fact.gold, SignalTier.SILVER: fact.silver}
        if new.tier is not None:
            limit = tier_limits[new.tier]
            used = sum(1 for s in mine if s.tier is new.tier)
            label = f"{new.tier.value} {specialty}"
        else:
            limit, used, label = fact.signals, len(mine), specialty
        if limit is not None and used >= limit:
            raise TrackerError(
                f"program {new.program}: all {limit} {label} signals of the {season} season are "
                f"used ({Citation.of(fact)})"
            )
    return (*signals, replace(new, specialty=specialty, season=season))


# --- rank order list draft ----------------------------------------------------------------


@dataclass(frozen=True)
class RankOrderDraft:
    """Programs in order of preference; supplemental lists hang off advanced programs."""

    primary: tuple[str, ...] = ()
    supplemental: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


def check_rank_order(draft: RankOrderDraft, applications: Iterable[Application]) -> list[str]:
    """Warnings about the draft; TrackerError for what NRMP would not accept."""
    by_program = {a.program: a for a in applications}
    seen: set[str] = set()
    for program in draft.primary:
        if program in seen:
            raise TrackerError(f"program {program} is ranked twice on the primary list")
        seen.add(program)
    warnings: list[str] = []
    for advanced, programs in draft.supplemental.items():
        app = by_program.get(advanced)
        if advanced not in seen:
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
        if len(set(names)) != len(names):
            raise TrackerError(f"interview at {self.program}: a criterion is scored twice")
        for name, score in self.scores:
            if not name or not re.fullmatch(r"[\w -]+", name):
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
