"""Use case: list and check the facts matchready uses, each with its source."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from pydantic import ValidationError

from matchready.data.loader import load_facts
from matchready.data.user_facts import FILE_NAME, read_user_facts, user_rows, write_user_facts
from matchready.domain.facts import Facts, FactStatus, FeeFact, SourceKind, SpecialtyStats
from matchready.domain.user_facts import UserFact, UserFactError, UserRow, to_row
from matchready.errors import InputError, Location, NotFoundError, Problem
from matchready.settings import Settings, get_settings

_SPECIALTY_SKIP = {
    "code",
    "name",
    "source",
    "as_of",
    "status",
    "note",
    "acgme_code_status",
    "source_kind",
    "applies_to",
    "content_sha256",
}


@dataclass(frozen=True)
class FactRow:
    """One fact as a flat row: what `matchready facts` shows."""

    key: str
    value: str
    source: str
    as_of: str
    status: FactStatus
    note: str = ""
    applies_to: str = ""
    standing: str = ""

    def matches(self, text: str) -> bool:
        needle = text.casefold()
        return any(needle in part.casefold() for part in (self.key, self.value, self.note))


def _specialty_rows(stats: SpecialtyStats) -> list[FactRow]:
    rows = []
    for name in SpecialtyStats.model_fields:
        value = getattr(stats, name)
        if name in _SPECIALTY_SKIP or value is None:
            continue
        shown = f"{value:g}" if isinstance(value, float) else str(value)
        status = stats.status
        if name == "acgme_code" and stats.acgme_code_status is not None:
            status = stats.acgme_code_status
        rows.append(
            FactRow(
                f"specialty.{stats.code}.{name}",
                shown,
                stats.source,
                stats.as_of,
                status,
                applies_to=stats.applies_to,
                standing=stats.standing() or ("" if status == "verified" else "unverified"),
            )
        )
    return rows


def fact_rows(facts: Facts) -> list[FactRow]:
    """Every fact as a flat row: rules, cycle dates, specialty figures, fees, signals."""
    rows = [
        FactRow(
            key=f.key + (f"@{f.effective_from}" if f.effective_from else ""),
            value=f.value if f.unit in ("text", "date") else f"{f.value} {f.unit}",
            source=f.source,
            as_of=f.as_of,
            status=f.status,
            note=f.summary + (f" ({f.note})" if f.note else ""),
            applies_to=f.applies_to,
            standing=f.standing(),
        )
        for f in facts.rules
    ]
    rows += [
        FactRow(
            key=f"calendar.{e.match_year}.{e.event}",
            value=e.label(),
            source=e.source,
            as_of=e.as_of,
            status=e.status,
            note=e.summary + (f" ({e.note})" if e.note else ""),
            applies_to=e.applies_to,
            standing=e.standing(),
        )
        for e in facts.calendar
    ]
    for stats in facts.specialties:
        rows += _specialty_rows(stats)
    rows += [
        FactRow(
            key=f"outcome.{o.match_year}.{o.applicant_type.value}",
            value=f"{o.rate:.1f}% matched"
            + (f" ({o.matched:,} of {o.active:,})" if o.matched and o.active else ""),
            source=o.source,
            as_of=o.as_of,
            status=o.status,
            note=o.note,
            applies_to=o.applies_to,
            standing=o.standing(),
        )
        for o in facts.outcomes
    ]
    rows += [_fee_row(f) for f in facts.fees]
    rows += [
        FactRow(
            key=f"signals.{s.season}.{s.specialty}",
            value=f"{s.signals}"
            + (f" ({s.gold} gold + {s.silver} silver)" if s.gold is not None else ""),
            source=s.source,
            as_of=s.as_of,
            status=s.status,
            note=f"Program signals, {s.name}" + (f" ({s.note})" if s.note else ""),
            applies_to=s.applies_to,
            standing=s.standing(),
        )
        for s in facts.signals
    ]
    return rows


def _fee_row(fee: FeeFact) -> FactRow:
    tier = ""
    if fee.tier_from is not None:
        tier = f".{fee.tier_from}-{fee.tier_to or ''}"
    per = {"once": "", "block": " for the tier"}.get(fee.per, f" per {fee.per}")
    return FactRow(
        key=f"fee.{fee.match_year}.{fee.key}{tier}",
        value=f"{fee.amount_usd} usd{per}",
        source=fee.source,
        as_of=fee.as_of,
        status=fee.status,
        note=fee.summary + (f" ({fee.note})" if fee.note else ""),
        applies_to=fee.applies_to,
        standing=fee.standing(),
    )


def search_facts(facts: Facts, text: str | None = None) -> list[FactRow]:
    """The facts whose key, value or description contains `text` (all of them without text)."""
    rows = fact_rows(facts)
    return [r for r in rows if text is None or r.matches(text)]


def check_fact_files(directory: Path | None = None) -> Facts:
    """Validate every fact file (raises DataFileError naming file, line and field)."""
    return load_facts(directory)


# --- Your own facts -------------------------------------------------------------------------


def user_facts_file(settings: Settings) -> Path:
    """Where your own facts are kept: `facts.csv` in the data directory."""
    return settings.data_dir / FILE_NAME


def load_all_facts(settings: Settings | None = None) -> Facts:
    """The installed facts release with your own facts in place (DataFileError names the file,
    line and field of a bad line in your file; nothing is dropped silently)."""
    bundled = load_facts()
    path = user_facts_file(settings or get_settings())
    rows = user_rows(path, bundled)
    return bundled.with_overrides(rows) if rows else bundled


def set_user_fact(
    path: Path,
    key: str,
    value: str,
    applies_to: str,
    source: str | None,
    today: date,
    note: str = "",
) -> UserRow:
    """Add (or replace) one of your facts for the `applies_to` Match year(s), validated against
    the bundled fact of the same key; the file is rewritten atomically. Returns the row."""
    if not source or not source.strip():
        raise InputError(Problem("give the URL of the page (--source URL)", _arg("source")))
    candidate = {
        "key": key.strip(),
        "value": value,
        "applies_to": applies_to,
        "source": source,
        "as_of": today.isoformat(),
        "source_kind": SourceKind.USER.value,
        "note": note,
    }
    try:
        fact = UserFact.model_validate(candidate)
    except ValidationError as error:
        problems = [
            Problem(
                item["msg"].removeprefix("Value error, "),
                _arg(".".join(str(p) for p in item["loc"])),
            )
            for item in error.errors()
        ]
        raise InputError(problems) from None
    bundled = load_facts()
    try:
        row = to_row(fact, bundled)
    except UserFactError as error:
        raise InputError(Problem(error.message, _arg(error.field))) from None
    kept = [f for _, f in read_user_facts(path) if f.identity != fact.identity]
    write_user_facts(path, [*kept, fact])
    return row


def unset_user_fact(path: Path, key: str, applies_to: str | None = None) -> int:
    """Remove your fact `key` (for one `applies_to`, or every one); how many were removed."""
    facts = [f for _, f in read_user_facts(path)]
    kept = [f for f in facts if not (f.key == key and applies_to in (None, f.applies_to))]
    if len(kept) == len(facts):
        scope = f" for {applies_to}" if applies_to else ""
        raise NotFoundError(f"no fact of yours named {key}{scope} in {path}")
    write_user_facts(path, kept)
    return len(facts) - len(kept)


def my_fact_rows(path: Path) -> list[FactRow]:
    """Your own facts as you set them (key, value, Match years, source), each checked against
    the bundled facts (DataFileError names the line of a bad one)."""
    rows = user_rows(path, load_facts())
    return [
        FactRow(
            key=fact.key,
            value=fact.value,
            source=fact.source,
            as_of=fact.as_of,
            status=FactStatus.UNVERIFIED,
            note=fact.note,
            applies_to=fact.applies_to,
            standing=row.standing(),
        )
        for (_, fact), row in zip(read_user_facts(path), rows, strict=True)
    ]


def _arg(name: str) -> Location:
    return Location(field=name)
