"""What a program asks of an applicant, one requirement per kind, each with its provenance.

A requirement nobody has verified is `unknown`: its value is `None` and screening says
"unknown — verify". It is never filled with a guess.

Every value has one text form (`format_value` / `parse_value`), used by the CSV template,
the export and the database, so a value reads the same everywhere.
"""

from __future__ import annotations

import enum
import re
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

COORDINATOR_QUESTIONS: dict[RequirementKind, str] = {
    RequirementKind.J1_SPONSORED: "Does the program sponsor J-1 visas (through ECFMG) for "
    "incoming residents this cycle?",
    RequirementKind.H1B_SPONSORED: "Does the program sponsor H-1B visas for incoming residents "
    "this cycle, and by when must USMLE Step 3 be passed?",
    RequirementKind.MAX_YEARS_SINCE_GRADUATION: "What is the latest year of medical school "
    "graduation you consider, and is it a strict cutoff?",
    RequirementKind.STEP1_PASS_REQUIRED: "Must Step 1 be passed when applying?",
    RequirementKind.STEP2CK_MINIMUM: "Is there a minimum Step 2 CK score for interview, and is "
    "it a strict cutoff?",
    RequirementKind.MAX_ATTEMPTS: "How many failed USMLE attempts, if any, do you accept?",
    RequirementKind.USCE_REQUIRED: "How many months of US clinical experience do you require, "
    "and do observerships count?",
    RequirementKind.US_LETTERS_REQUIRED: "How many letters of recommendation from US "
    "physicians do you require?",
    RequirementKind.ECFMG_CERTIFICATE_BY: "By when must applicants hold the ECFMG certificate: "
    "application, interview or the rank order list deadline?",
}
"""The short question to send a program's coordinator when the sources of a requirement
disagree."""

_TRUE = {"yes", "y", "true", "t", "1", "x", "✓", "✔", "☑", "sponsored", "sponsors", "required"}
_FALSE = {"no", "n", "false", "f", "0", "✗", "✘", "not sponsored", "none", "not required"}
_INT_RANGES: dict[RequirementKind, tuple[int, int]] = {
    RequirementKind.MAX_YEARS_SINCE_GRADUATION: (0, 60),
    RequirementKind.STEP2CK_MINIMUM: (1, 300),
    RequirementKind.MAX_ATTEMPTS: (0, 20),
    RequirementKind.US_LETTERS_REQUIRED: (0, 10),
}
_ZERO_WORDS = {"none", "no", "0", "not required", "first attempt only", "first attempt"}
_NUMBER = re.compile(r"\d+(?:\.0+)?")
_UNIT_WORDS = re.compile(
    r"\b(?:years?|yrs?|y|months?|mos?|attempts?|letters?|lors?|points?|pts|or more|"
    r"or higher|or less|at least|minimum|min|max|maximum|within|up to|score|of|and above|"
    r"since graduation|graduation|yog|us|from us physicians|physicians?|required)\b"
)
_USCE_NONE = {"none", "no", "not required", "0", "no usce", "not needed"}
_HANDS_ON = re.compile(r"hands[\s-]*on|rotation|clerkship|externship|sub-?internship|elective")
_ANY = re.compile(r"\bany\b|observership|observer|research|usce")
_MONTHS = re.compile(r"(\d+)\s*(months?|mos?|mo\b|weeks?|wks?|years?|yrs?)?")
_DEADLINES: tuple[tuple[re.Pattern[str], EcfmgDeadline], ...] = (
    (re.compile(r"applica|submi|eras"), EcfmgDeadline.APPLICATION),
    (re.compile(r"interview"), EcfmgDeadline.INTERVIEW),
    (re.compile(r"rank|rol\b|match"), EcfmgDeadline.RANK),
)


class RequirementValueError(ValueError):
    """A requirement value's text cannot be read; the message says what is expected."""


def _whole_number(kind: RequirementKind, text: str) -> int:
    """A whole number in the forms people type ("3 yrs", "230+", "min 220", "≤ 2 attempts")."""
    low, high = _INT_RANGES[kind]
    lowered = text.lower().strip()
    if kind in {RequirementKind.MAX_ATTEMPTS, RequirementKind.US_LETTERS_REQUIRED} and (
        lowered in _ZERO_WORDS
    ):
        return 0
    numbers = _NUMBER.findall(lowered)
    rest = _UNIT_WORDS.sub(" ", _NUMBER.sub(" ", lowered))
    rest = re.sub(r"[\s+<>=≤≥:()./,-]+", "", rest)
    if len(numbers) != 1 or rest:
        raise RequirementValueError(f"expected a whole number {low}-{high}, got {text!r}")
    number = int(float(numbers[0]))
    if not low <= number <= high:
        raise RequirementValueError(f"expected a whole number {low}-{high}, got {text!r}")
    return number


def _usce(text: str) -> UsceRequirement:
    lowered = text.lower().strip()
    if lowered in _USCE_NONE:
        return UsceRequirement(UsceKind.ANY, 0)
    usce_kind, sep, months = lowered.partition(":")
    if sep and usce_kind in {k.value for k in UsceKind} and months.strip().isdigit():
        return UsceRequirement(UsceKind(usce_kind), int(months))
    found = _MONTHS.findall(lowered)
    kind = (
        UsceKind.HANDS_ON
        if _HANDS_ON.search(lowered)
        else (UsceKind.ANY if _ANY.search(lowered) else None)
    )
    if kind is None or len(found) != 1:
        raise RequirementValueError(
            "expected 'none', 'hands-on:MONTHS' or 'any:MONTHS' "
            f"(or e.g. 'hands-on 2 months'), got {text!r}"
        )
    amount, unit = int(found[0][0]), found[0][1]
    if unit.startswith(("y",)):
        amount *= 12
    elif unit.startswith("w"):
        if amount % 4:
            raise RequirementValueError(f"give USCE in whole months (4 weeks = 1), got {text!r}")
        amount //= 4
    return UsceRequirement(kind, amount)


def parse_value(kind: RequirementKind, text: str) -> RequirementValue | None:
    """Read a value from its text form, or from the forms people type in a spreadsheet
    ("Yes", "Y", "✓"; "3 yrs"; "hands-on 2 months"; "by rank"); an empty text is an unknown
    value (`None`). `format_value` writes the one canonical form back."""
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
        return _whole_number(kind, text)
    if kind is RequirementKind.USCE_REQUIRED:
        return _usce(text)
    if lowered in {d.value for d in EcfmgDeadline}:
        return EcfmgDeadline(lowered)
    matches = {d for pattern, d in _DEADLINES if pattern.search(lowered)}
    if len(matches) == 1:
        return matches.pop()
    raise RequirementValueError(f"expected application, interview or rank, got {text!r}")


_STRICTNESS_WORDS: dict[str, Strictness] = {
    "hard": Strictness.HARD,
    "cutoff": Strictness.HARD,
    "hard cutoff": Strictness.HARD,
    "strict": Strictness.HARD,
    "required": Strictness.HARD,
    "must": Strictness.HARD,
    "preference": Strictness.PREFERENCE,
    "preferred": Strictness.PREFERENCE,
    "soft": Strictness.PREFERENCE,
    "pref": Strictness.PREFERENCE,
    "unknown": Strictness.UNKNOWN,
    "?": Strictness.UNKNOWN,
}


def parse_strictness(text: str) -> Strictness:
    """A strictness from its name or the words people use ("cutoff", "preferred", "soft");
    an empty text is unknown. RequirementValueError otherwise."""
    lowered = " ".join(text.lower().split())
    if not lowered:
        return Strictness.UNKNOWN
    if lowered in _STRICTNESS_WORDS:
        return _STRICTNESS_WORDS[lowered]
    raise RequirementValueError(f"expected hard, preference or unknown, got {text.strip()!r}")


VISA_COLUMN_HELP = (
    "visa sponsored: 'J1 only', 'H1B only', 'J1 and H1B' (or 'both'), 'none'; "
    "sets j1_sponsored and h1b_sponsored"
)


def parse_visa_text(text: str) -> tuple[bool, bool] | None:
    """(J-1 sponsored, H-1B sponsored) from one visa cell ("J1 only", "J-1, H-1B", "both",
    "none", "no visas"); `None` for an empty cell. RequirementValueError otherwise."""
    lowered = text.strip().lower()
    if not lowered:
        return None
    if lowered in {"none", "no", "no visa", "no visas", "n", "not sponsored", "citizens only"}:
        return False, False
    if lowered in {"both", "all", "yes - both", "j1 and h1b", "j1/h1b", "h1b/j1"}:
        return True, True
    squeezed = re.sub(r"[\s-]", "", lowered)
    j1 = "j1" in squeezed
    h1b = "h1b" in squeezed
    only = "only" in squeezed
    negated = re.search(r"\bno(t)?\b|don't|doesn't|do not|does not", lowered)
    if (j1 or h1b) and not negated and (only or (j1 and h1b) or squeezed in {"j1", "h1b"}):
        return j1, h1b
    raise RequirementValueError(f"expected {VISA_COLUMN_HELP}, got {text!r}")


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
