"""What a program asks of an applicant, one requirement per kind, each with its provenance.

A requirement nobody has verified is `unknown`: its value is `None` and screening says
"unknown — verify". It is never filled with a guess.

Every value has one text form (`format_value` / `parse_value`), used by the CSV template,
the export and the database, so a value reads the same everywhere.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime


class RequirementKind(enum.StrEnum):
    """The requirements matchready screens on; the value is the template's column name."""

    J1_SPONSORED = "j1_sponsored"
    H1B_SPONSORED = "h1b_sponsored"
    MAX_YEARS_SINCE_GRADUATION = "max_years_since_graduation"
    STEP1_PASS_REQUIRED = "step1_pass_required"
    STEP2CK_MINIMUM = "step2ck_minimum"
    MAX_ATTEMPTS = "max_attempts"
    USCE_REQUIRED = "usce_required"
    US_LETTERS_REQUIRED = "us_letters_required"
    ECFMG_CERTIFICATE_BY = "ecfmg_certificate_by"


class Strictness(enum.StrEnum):
    """Whether a program applies a requirement as a cutoff, as a preference, or nobody knows."""

    HARD = "hard"
    PREFERENCE = "preference"
    UNKNOWN = "unknown"


class UsceKind(enum.StrEnum):
    """Which US clinical experience counts: hands-on only, or any (observerships included)."""

    HANDS_ON = "hands-on"
    ANY = "any"


class EcfmgDeadline(enum.StrEnum):
    """By when a program wants the ECFMG certificate."""

    APPLICATION = "application"
    INTERVIEW = "interview"
    RANK = "rank"


@dataclass(frozen=True)
class UsceRequirement:
    """US clinical experience asked for: its kind and the minimum number of months."""

    kind: UsceKind
    months: int

    def __post_init__(self) -> None:
        if self.months < 0:
            raise ValueError("USCE months cannot be negative")
        if self.months == 0 and self.kind is not UsceKind.ANY:
            object.__setattr__(self, "kind", UsceKind.ANY)  # "none" has one spelling


RequirementValue = bool | int | UsceRequirement | EcfmgDeadline

BOOL_KINDS = frozenset(
    {
        RequirementKind.J1_SPONSORED,
        RequirementKind.H1B_SPONSORED,
        RequirementKind.STEP1_PASS_REQUIRED,
    }
)
INT_KINDS = frozenset(
    {
        RequirementKind.MAX_YEARS_SINCE_GRADUATION,
        RequirementKind.STEP2CK_MINIMUM,
        RequirementKind.MAX_ATTEMPTS,
        RequirementKind.US_LETTERS_REQUIRED,
    }
)

VALUE_HELP: dict[RequirementKind, str] = {
    RequirementKind.J1_SPONSORED: "yes/no: the program sponsors J-1 visas",
    RequirementKind.H1B_SPONSORED: "yes/no: the program sponsors H-1B visas",
    RequirementKind.MAX_YEARS_SINCE_GRADUATION: "whole years since medical school graduation",
    RequirementKind.STEP1_PASS_REQUIRED: "yes/no: a passed Step 1 is required",
    RequirementKind.STEP2CK_MINIMUM: "minimum Step 2 CK score (1-300)",
    RequirementKind.MAX_ATTEMPTS: "most failed USMLE attempts accepted (0 = none)",
    RequirementKind.USCE_REQUIRED: "'none', or 'hands-on:MONTHS' / 'any:MONTHS'",
    RequirementKind.US_LETTERS_REQUIRED: "number of letters from US physicians",
    RequirementKind.ECFMG_CERTIFICATE_BY: "application / interview / rank (deadline)",
}

_TRUE = {"yes", "y", "true", "1"}
_FALSE = {"no", "n", "false", "0"}
_INT_RANGES: dict[RequirementKind, tuple[int, int]] = {
    RequirementKind.MAX_YEARS_SINCE_GRADUATION: (0, 60),
    RequirementKind.STEP2CK_MINIMUM: (1, 300),
    RequirementKind.MAX_ATTEMPTS: (0, 20),
    RequirementKind.US_LETTERS_REQUIRED: (0, 10),
}


class RequirementValueError(ValueError):
    """A requirement value's text cannot be read; the message says what is expected."""


def parse_value(kind: RequirementKind, text: str) -> RequirementValue | None:
    """Read a value from its text form; an empty text is an unknown value (`None`)."""
    text = text.strip()
    if not text:
        return None
    lowered = text.lower()
    if kind in BOOL_KINDS:
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        raise RequirementValueError(f"expected yes or no, got {text!r}")
    if kind in INT_KINDS:
        low, high = _INT_RANGES[kind]
        if not lowered.isdigit() or not low <= int(lowered) <= high:
            raise RequirementValueError(f"expected a whole number {low}-{high}, got {text!r}")
        return int(lowered)
    if kind is RequirementKind.USCE_REQUIRED:
        if lowered == "none":
            return UsceRequirement(UsceKind.ANY, 0)
        usce_kind, _, months = lowered.partition(":")
        if usce_kind not in {k.value for k in UsceKind} or not months.isdigit():
            raise RequirementValueError(
                f"expected 'none', 'hands-on:MONTHS' or 'any:MONTHS', got {text!r}"
            )
        return UsceRequirement(UsceKind(usce_kind), int(months))
    if lowered not in {d.value for d in EcfmgDeadline}:
        raise RequirementValueError(f"expected application, interview or rank, got {text!r}")
    return EcfmgDeadline(lowered)


def format_value(value: RequirementValue | None) -> str:
    """The text form of a value; `None` (unknown) is the empty text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, UsceRequirement):
        if value.months == 0:
            return "none"
        return f"{value.kind.value}:{value.months}"
    if isinstance(value, EcfmgDeadline):
        return value.value
    return str(value)


@dataclass(frozen=True)
class Requirement:
    """One requirement of one program: its value, how strictly it applies, and its provenance.

    `source` is a URL, a document, or "user"; `verified_on` is when someone last checked it.
    A known value with `Strictness.UNKNOWN` means the program states it but not whether it
    is a cutoff; screening never treats that as a pass when the applicant falls short.
    """

    kind: RequirementKind
    value: RequirementValue | None = None
    strictness: Strictness = Strictness.UNKNOWN
    source: str | None = None
    verified_on: date | None = None

    def __post_init__(self) -> None:
        if self.value is None and self.strictness is not Strictness.UNKNOWN:
            raise ValueError(f"{self.kind}: an unknown value cannot have a strictness")

    @property
    def known(self) -> bool:
        """Whether the value is known."""
        return self.value is not None

    @classmethod
    def unknown(cls, kind: RequirementKind) -> Requirement:
        """The requirement of a kind nobody has verified."""
        return cls(kind)


@dataclass(frozen=True)
class RequirementChange:
    """A requirement of a program changed: who changed it, when, and from what to what."""

    program_key: str
    old: Requirement | None
    new: Requirement
    changed_by: str
    changed_at: datetime | None = None  # set when read back from the store
    by_import: bool = False  # written by a file import (else an edit by hand)
