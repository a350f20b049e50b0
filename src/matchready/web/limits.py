"""How long each form field may be, taken from the database columns the value is stored in.

The request guard (web/middleware.py) checks every url-encoded field against `field_limit`
before a route runs, so a value the database would refuse (a 201-character letter writer on
PostgreSQL) is a 422 naming the field, never a database error. Free-text columns (notes) have
no column length; they get `NOTE_MAX`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from matchready.errors import Location, Problem
from matchready.store.models import (
    AccountRow,
    DocumentVersionRow,
    GeoPreferenceRow,
    LetterRow,
    ProgramRow,
    RequirementRow,
    StateChangeRow,
    TrackedApplicationRow,
)

NOTE_MAX = 5_000
"""Characters in a note (a tracker note, interview notes): a long page of text."""
PASSWORD_MAX = 1_024
DEFAULT_MAX = 500
FACT_KEY_MAX = 120
"""Any other field (profile fields, choices, dates, codes)."""


def _length(column: Any) -> int:
    length = column.property.columns[0].type.length
    assert isinstance(length, int), f"{column} has no length"
    return length


REGION_MAX = _length(GeoPreferenceRow.region)
"""Characters in one preferred region (the regions field holds up to 20, comma-separated)."""

FIELD_LIMITS: dict[str, int] = {
    "email": _length(AccountRow.email),
    "password": PASSWORD_MAX,
    "password2": PASSWORD_MAX,
    "next": 2_000,
    "program": _length(ProgramRow.name),  # a key, or a name to look up
    "under": _length(TrackedApplicationRow.program),
    "specialty": _length(TrackedApplicationRow.specialty),
    "state": _length(StateChangeRow.to_state),
    "writer": _length(LetterRow.writer),
    # a letter key (looked up, never stored from the form) or a fact key such as
    # "residencycas.em.usmle_transcript" on the Facts page
    "key": max(_length(LetterRow.key), FACT_KEY_MAX),
    "name": _length(DocumentVersionRow.name),
    "regions": 20 * REGION_MAX,
    "source": _length(RequirementRow.source),
    "value": _length(RequirementRow.value),
    "note": NOTE_MAX,
    "notes": NOTE_MAX,
    "scores": DEFAULT_MAX,
}


def field_limit(name: str) -> int:
    """The most characters the form field `name` may hold."""
    return FIELD_LIMITS.get(name, DEFAULT_MAX)


NUL_MESSAGE = "contains a NUL character, which text may not hold; remove it"


def text_problems(fields: Iterable[tuple[str, str]]) -> list[Problem]:
    """A problem for each field holding a NUL character or more characters than its limit."""
    problems = []
    for name, value in fields:
        if "\x00" in name or "\x00" in value:
            problems.append(Problem(NUL_MESSAGE, Location(field=name.replace("\x00", ""))))
            continue
        limit = field_limit(name)
        if len(value) > limit:
            message = f"at most {limit:,} characters (this has {len(value):,})"
            problems.append(Problem(message, Location(field=name)))
    return problems
