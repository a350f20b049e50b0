"""Your own facts: a figure you found yourself (with its source) that overrides the bundled one
for the Match years you give, until a facts release has it.

A user fact names a key of the bundled facts (`calendar.rol_deadline`, `fee.nrmp.registration`,
`fee.eras.program.31-`, `signals.IM`, `usmle.step2ck.min_pass`) and is turned into a row of the
same schema as the bundled one (`source_kind = user`), validated the same way. Pure: the files
are read and written by `matchready.data.user_facts`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlparse

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from matchready.domain.facts import (
    CalendarEvent,
    Facts,
    FactStatus,
    FeeFact,
    RuleFact,
    SignalFact,
    SourceKind,
    parse_scope,
)

UserRow = RuleFact | CalendarEvent | FeeFact | SignalFact

_KEY = re.compile(r"^[A-Za-z0-9_]+(\.[A-Za-z0-9_]+)*(\.\d+-\d*)?$")
_DOLLARS = re.compile(r"^\$?\s*(\d{1,7})(\s*(usd|USD))?$")
_SIGNALS = re.compile(r"^(\d{1,3})(\s*\+\s*(\d{1,3}))?$")
_UNIT_WORDS = {
    "score": "a whole number (a score)",
    "count": "a whole number",
    "year": "a year, like 2027",
    "years": "a number of years",
    "percent": "a percentage (a number)",
    "number": "a number",
    "usd": "an amount in US dollars",
    "date": "a date of the form YYYY-MM-DD",
    "text": "some text",
}


class UserFactError(ValueError):
    """A user fact that cannot be accepted: which field, why, and the closest key if any."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


class UserFact(BaseModel):
    """One line of the user's facts file, as written (same provenance columns as the bundle)."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    key: str = Field(min_length=1)
    value: str = Field(min_length=1)
    applies_to: str
    source: str = Field(min_length=1)
    as_of: str = Field(pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$")
    source_kind: SourceKind
    note: str = ""

    @field_validator("key")
    @classmethod
    def _check_key(cls, value: str) -> str:
        if not _KEY.match(value):
            raise ValueError("a key is words joined by dots, like calendar.rol_deadline")
        return value

    @field_validator("applies_to")
    @classmethod
    def _check_scope(cls, value: str) -> str:
        parse_scope(value)
        return value

    @field_validator("source")
    @classmethod
    def _check_source(cls, value: str) -> str:
        if not is_url(value):
            raise ValueError("the source must be the URL (http:// or https://) of the page")
        return value

    @field_validator("source_kind")
    @classmethod
    def _check_kind(cls, value: SourceKind) -> SourceKind:
        if value is not SourceKind.USER:
            raise ValueError("rows in your facts file have source_kind 'user'")
        return value

    @property
    def identity(self) -> tuple[str, str]:
        return (self.key, self.applies_to)


def is_url(text: str) -> bool:
    parts = urlparse(text.strip())
    return parts.scheme in ("http", "https") and bool(parts.netloc) and " " not in text.strip()


@dataclass(frozen=True)
class Template:
    """What a key means: the kind of row, and the latest bundled row of that key."""

    kind: str  # rule, calendar, fee, signals
    row: UserRow


def catalogue(facts: Facts) -> dict[str, Template]:
    """Every key a user may set, with the latest bundled row of it as the template."""
    found: dict[str, Template] = {}

    def keep(key: str, kind: str, row: UserRow, year: int) -> None:
        old = found.get(key)
        if old is None or _year(old.row) <= year:
            found[key] = Template(kind, row)

    for rule in facts.rules:
        if not rule.mine:
            keep(rule.key, "rule", rule, rule.scope[0])
    for event in facts.calendar:
        if not event.mine:
            keep(f"calendar.{event.event}", "calendar", event, event.match_year)
    for fee in facts.fees:
        if not fee.mine:
            keep(fee_key(fee), "fee", fee, fee.match_year)
    for signal in facts.signals:
        if not signal.mine:
            keep(f"signals.{signal.specialty}", "signals", signal, signal.season)
    return found


def fee_key(fee: FeeFact) -> str:
    """`fee.nrmp.registration`; a tier adds its range: `fee.eras.program.1-30`, `...31-`."""
    if fee.tier_from is None:
        return f"fee.{fee.key}"
    return f"fee.{fee.key}.{fee.tier_from}-{fee.tier_to or ''}"


def _year(row: UserRow) -> int:
    return row.scope[0]


def closest_key(key: str, keys: list[str]) -> str | None:
    """The known key most like `key` (rapidfuzz), or None when nothing is close."""
    from rapidfuzz import process  # only when a key is unknown: not at every start

    found = process.extractOne(key, keys, score_cutoff=60)
    return str(found[0]) if found else None


def _single_year(fact: UserFact, kind: str) -> int:
    first, last = parse_scope(fact.applies_to)
    if last != first:
        raise UserFactError(
            "applies_to", f"a {kind} applies to one Match year: give --applies-to {first}"
        )
    return first


def _provenance(fact: UserFact) -> dict[str, object]:
    return {
        "source": fact.source,
        "as_of": fact.as_of,
        "status": FactStatus.UNVERIFIED,
        "source_kind": SourceKind.USER,
        "applies_to": fact.applies_to,
        "note": fact.note,
    }


def to_row(fact: UserFact, facts: Facts) -> UserRow:
    """The bundled-schema row a user fact stands for; UserFactError names the field at fault."""
    known = catalogue(facts)
    template = known.get(fact.key)
    if template is None:
        hint = closest_key(fact.key, sorted(known))
        tail = f"; did you mean {hint}?" if hint else "; `matchready facts` lists the keys"
        raise UserFactError("key", f"unknown fact '{fact.key}'{tail}")
    try:
        if template.kind == "calendar":
            return _calendar(fact, template.row)
        if template.kind == "fee":
            return _fee(fact, template.row)
        if template.kind == "signals":
            return _signals(fact, template.row)
        return _rule(fact, template.row)
    except ValidationError as error:
        item = error.errors()[0]
        name = ".".join(str(p) for p in item["loc"]) or "value"
        raise UserFactError(name, item["msg"].removeprefix("Value error, ")) from None


def _rule(fact: UserFact, template: UserRow) -> RuleFact:
    assert isinstance(template, RuleFact)
    try:
        return RuleFact(
            key=template.key,
            value=fact.value,
            unit=template.unit,
            summary=template.summary,
            **_provenance(fact),
        )
    except (ValidationError, ValueError) as error:
        if isinstance(error, ValidationError) and error.errors()[0]["loc"] not in ((), ("value",)):
            raise
        unit = template.unit
        raise UserFactError("value", f"expected {_UNIT_WORDS[unit]} ({unit})") from None


def _calendar(fact: UserFact, template: UserRow) -> CalendarEvent:
    assert isinstance(template, CalendarEvent)
    year = _single_year(fact, "date")
    try:
        day = date.fromisoformat(fact.value)
    except ValueError:
        raise UserFactError("value", "expected a date of the form YYYY-MM-DD") from None
    if not date(year - 2, 1, 1) <= day <= date(year, 12, 31):
        raise UserFactError(
            "value",
            f"{fact.value} is not in the {year} Match cycle (from {year - 2} to {year})",
        )
    return CalendarEvent.model_validate(
        {
            "match_year": year,
            "event": template.event,
            "date": fact.value,
            "summary": template.summary,
            **_provenance(fact),
        }
    )


def _fee(fact: UserFact, template: UserRow) -> FeeFact:
    assert isinstance(template, FeeFact)
    year = _single_year(fact, "fee")
    amount = _DOLLARS.match(fact.value)
    if amount is None:
        raise UserFactError("value", "expected a whole number of US dollars, like 85")
    return FeeFact(
        key=template.key,
        match_year=year,
        amount_usd=int(amount.group(1)),
        per=template.per,
        tier_from=template.tier_from,
        tier_to=template.tier_to,
        summary=template.summary,
        **_provenance(fact),
    )


def _signals(fact: UserFact, template: UserRow) -> SignalFact:
    assert isinstance(template, SignalFact)
    year = _single_year(fact, "signal limit")
    found = _SIGNALS.match(fact.value)
    if found is None:
        raise UserFactError("value", "expected a number of signals, or gold+silver like 3+12")
    first, second = int(found.group(1)), found.group(3)
    gold, silver = (first, int(second)) if second is not None else (None, None)
    total = first + int(second) if second is not None else first
    return SignalFact(
        season=year,
        specialty=template.specialty,
        name=template.name,
        gold=gold,
        silver=silver,
        signals=total,
        **_provenance(fact),
    )
