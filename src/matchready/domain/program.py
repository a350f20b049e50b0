"""Residency programs, their sponsoring institutions and their identifiers.

Identifiers (domain-facts.md §11):
- ACGME program number: 10 digits, the first 3 the ACGME specialty code (140 = Internal Medicine).
- NRMP program code: 4-digit institution + 3-digit specialty + type letter + track number,
  `^\\d{4}\\d{3}[CMPARFS]\\d{1,3}$`. One ACGME program may have several codes (tracks).

A program is known by its ACGME number when it has one, else by its first NRMP code.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date

from matchready.domain.requirements import (
    Requirement,
    RequirementKind,
    RequirementValue,
    format_value,
)

ACGME_NUMBER = re.compile(r"^\d{10}$")
NRMP_CODE = re.compile(r"^\d{4}\d{3}[CMPARFS]\d{1,3}$")


class TrackType(enum.StrEnum):
    """The NRMP program type, from the letter of the program code."""

    CATEGORICAL = "categorical"
    PRIMARY_CARE = "primary-care"
    PRELIMINARY = "preliminary"
    ADVANCED = "advanced"
    RESERVED = "reserved"
    FELLOWSHIP = "fellowship"


TRACK_LETTERS: dict[str, TrackType] = {
    "C": TrackType.CATEGORICAL,
    "M": TrackType.PRIMARY_CARE,
    "P": TrackType.PRELIMINARY,  # preliminary, including transitional year
    "A": TrackType.ADVANCED,
    "R": TrackType.RESERVED,
    "F": TrackType.FELLOWSHIP,
    "S": TrackType.FELLOWSHIP,
}


class Setting(enum.StrEnum):
    """How a program is best described (FREIDA's "program best described as")."""

    UNIVERSITY = "university"
    COMMUNITY_UNIVERSITY_AFFILIATED = "community-university-affiliated"
    COMMUNITY = "community"
    MILITARY = "military"
    OTHER = "other"


def is_acgme_number(text: str) -> bool:
    """Whether a text is a well-formed ACGME program number."""
    return bool(ACGME_NUMBER.match(text))


def is_nrmp_code(text: str) -> bool:
    """Whether a text is a well-formed NRMP program code."""
    return bool(NRMP_CODE.match(text))


@dataclass(frozen=True)
class ProgramCode:
    """One NRMP program code (one track) of a program."""

    code: str

    def __post_init__(self) -> None:
        if not is_nrmp_code(self.code):
            raise ValueError(f"not an NRMP program code: {self.code!r}")

    @property
    def track(self) -> TrackType:
        """The track type named by the code's letter."""
        return TRACK_LETTERS[self.code[7]]

    @property
    def institution_code(self) -> str:
        """The 4-digit NRMP institution code."""
        return self.code[:4]

    @property
    def specialty_code(self) -> str:
        """The 3-digit specialty code."""
        return self.code[4:7]


@dataclass(frozen=True)
class Institution:
    """The sponsoring institution of a program and its participating sites."""

    name: str
    code: str | None = None
    sites: tuple[str, ...] = ()


@dataclass(frozen=True)
class Contacts:
    """Who to write to at a program."""

    director: str | None = None
    coordinator: str | None = None
    email: str | None = None
    phone: str | None = None


class ClaimSource(enum.StrEnum):
    """Where a value of a requirement comes from."""

    IMPORT = "import"  # a spreadsheet or template import
    EDIT = "edit"  # a correction by hand (the user's own note)
    PAGE = "page"  # read from the program's own page, with the sentence
    LCA = "lca"  # DOL LCA disclosure data (H-1B evidence; derived, never stored)
    OWN = "own"  # a user's own value in server mode (kept per user, never in shared claims)


@dataclass(frozen=True)
class Claim:
    """One source's value for one requirement of one program, with when it was recorded.

    `source` names it as the user reads it (a URL, a document, a file); `evidence` is the
    sentence of a page or the LCA counts. A superseded claim was set aside when the user
    resolved a conflict; it is kept for the record and no longer counts.
    """

    kind: RequirementKind
    value: RequirementValue | None
    source: str
    source_kind: ClaimSource
    recorded_on: date | None = None
    evidence: str | None = None
    superseded: bool = False


@dataclass(frozen=True)
class LcaEvidence:
    """Certified resident/fellow physician LCAs of a program's institution, per fiscal year,
    from the DOL disclosure files imported (`years`: every fiscal year the files cover)."""

    counts: tuple[tuple[int, int], ...]  # (fiscal year, certified filings), by year
    years: tuple[int, ...]

    @property
    def recent_years(self) -> tuple[int, ...]:
        """The latest two fiscal years the imported files cover."""
        return tuple(sorted(self.years)[-2:])

    @property
    def recent(self) -> int:
        """Certified filings in the recent years."""
        recent = set(self.recent_years)
        return sum(n for year, n in self.counts if year in recent)

    def lines(self) -> list[str]:
        """What a person reads: one line per recent fiscal year."""
        by_year = dict(self.counts)
        return [
            f"H-1B evidence: {by_year.get(year, 0)} resident-physician LCAs certified for this "
            f"institution in FY{year} (DOL)"
            for year in reversed(self.recent_years)
        ]

    def claim(self) -> Claim:
        """The evidence as a claim on H-1B sponsorship: filings in the recent years say yes,
        none say no (to verify: a name the matcher missed also gives none)."""
        span = "-".join(f"FY{y}" for y in (self.recent_years[0], self.recent_years[-1]))
        if self.recent_years[0] == self.recent_years[-1]:
            span = f"FY{self.recent_years[0]}"
        return Claim(
            RequirementKind.H1B_SPONSORED,
            self.recent > 0,
            f"DOL LCA disclosure data {span}",
            ClaimSource.LCA,
            evidence=f"{self.recent} resident-physician LCAs certified for this institution "
            f"in {span} (DOL)",
        )


@dataclass(frozen=True)
class LcaEmployer:
    """Certified resident/fellow physician LCAs of one employer in one fiscal year (DOL), and
    the stored institution it was matched to (`institution`: its code, else its name).

    `match_status`: matched (score at or above the threshold), uncertain (to review),
    unmatched, confirmed or rejected (by the user's review)."""

    employer: str
    city: str
    state: str
    fiscal_year: int
    certified: int
    source_file: str
    institution: str | None = None
    institution_name: str | None = None
    match_score: float | None = None
    match_status: str = "unmatched"


@dataclass(frozen=True)
class Program:
    """A residency program with the facts screening and planning need.

    `requirements` holds at most one requirement per kind; a missing kind is unknown.
    `claims` are every source's value of a requirement (the stated requirement is the latest
    written); `h1b_evidence` the DOL LCA counts of its institution. Neither takes part in
    equality: two programs are equal when they state the same facts.
    """

    name: str
    acgme_number: str | None = None
    codes: tuple[ProgramCode, ...] = ()
    specialty: str | None = None
    specialty_code: str | None = None
    institution: Institution | None = None
    address: str | None = None
    city: str | None = None
    state: str | None = None
    zip_code: str | None = None
    region: str | None = None
    positions_per_year: int | None = None
    setting: Setting | None = None
    img_share: float | None = None
    website: str | None = None
    contacts: Contacts = field(default_factory=Contacts)
    application_service: str | None = None
    accreditation_status: str | None = None
    accreditation_date: date | None = None
    requirements: tuple[Requirement, ...] = ()
    claims: tuple[Claim, ...] = field(default=(), compare=False)
    h1b_evidence: LcaEvidence | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if self.acgme_number is not None and not is_acgme_number(self.acgme_number):
            raise ValueError(f"not an ACGME program number: {self.acgme_number!r}")
        if self.acgme_number is None and not self.codes:
            raise ValueError("a program needs an ACGME number or an NRMP code")
        kinds = [r.kind for r in self.requirements]
        if len(kinds) != len(set(kinds)):
            raise ValueError("a program has at most one requirement per kind")
        if self.img_share is not None and not 0.0 <= self.img_share <= 1.0:
            raise ValueError("the share of IMGs is a fraction between 0 and 1")
        # Keep requirements in one order so equal programs compare equal.
        # An unknown requirement with no provenance is the same as no requirement at all.
        order = list(RequirementKind)
        kept = [r for r in self.requirements if r != Requirement.unknown(r.kind)]
        ordered = tuple(sorted(kept, key=lambda r: order.index(r.kind)))
        object.__setattr__(self, "requirements", ordered)

    @property
    def key(self) -> str:
        """The identifier users type: the ACGME number, else the first NRMP code."""
        return self.acgme_number if self.acgme_number else self.codes[0].code

    @property
    def tracks(self) -> tuple[TrackType, ...]:
        """The track types offered, in code order, without repeats."""
        return tuple(dict.fromkeys(c.track for c in self.codes))

    def requirement(self, kind: RequirementKind) -> Requirement:
        """The requirement of a kind, or an unknown one when nobody has recorded it."""
        for requirement in self.requirements:
            if requirement.kind is kind:
                return requirement
        return Requirement.unknown(kind)

    def claims_for(self, kind: RequirementKind) -> tuple[Claim, ...]:
        """The live values of a requirement: stored claims not set aside, and for H-1B the
        LCA evidence of the institution."""
        found = [c for c in self.claims if c.kind is kind and not c.superseded]
        if kind is RequirementKind.H1B_SPONSORED and self.h1b_evidence is not None:
            found.append(self.h1b_evidence.claim())
        return tuple(found)

    def conflict(self, kind: RequirementKind) -> tuple[Claim, ...]:
        """The claims of a requirement when the sources disagree (with each other or with the
        stated value); empty when they agree. A conflict is never merged into one value:
        screening says "conflict — verify" and shows each source."""
        if not self.claims and self.h1b_evidence is None:
            return ()
        claims = self.claims_for(kind)
        values = {format_value(c.value) for c in claims if c.value is not None}
        stated = self.requirement(kind)
        if stated.known:
            values.add(format_value(stated.value))
        return claims if len(values) > 1 else ()

    def with_claims(self, claims: Iterable[Claim]) -> Program:
        """A copy with these claims replacing those of the same kind and source."""
        new = {(c.kind, c.source): c for c in self.claims}
        new.update({(c.kind, c.source): c for c in claims})
        return replace(self, claims=tuple(new.values()))

    def with_requirements(self, requirements: Iterable[Requirement]) -> Program:
        """A copy with these requirements replacing those of the same kinds."""
        new = {r.kind: r for r in self.requirements}
        new.update({r.kind: r for r in requirements})
        return replace(self, requirements=tuple(new.values()))


@dataclass(frozen=True)
class CrosswalkEntry:
    """A name under which a source writes a program, with the identifiers it gives."""

    name: str
    source: str
    acgme_number: str | None = None
    nrmp_code: str | None = None
