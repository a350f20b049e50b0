"""Read and validate the fact files; a bad row is an error naming file, line and field.

The files ship as their own distribution, `matchready-facts` (module `matchready_facts`), released
by date; this loader is matchready's side of it: it knows the row schema and checks every row.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

import matchready_facts
from matchready.domain.facts import (
    AcgmeSpecialtyCode,
    CalendarEvent,
    CyclePattern,
    Facts,
    FeeFact,
    MatchOutcome,
    RuleFact,
    SignalFact,
    SourceKind,
    SpecialtyStats,
    TravelRestriction,
)
from matchready.errors import DataFileError, Location, Problem

RowModel = TypeVar("RowModel", bound=BaseModel)

#: The row schema this matchready reads (matchready_facts.SCHEMA must equal it).
SCHEMA = 1

FILES: dict[str, type[BaseModel]] = {
    "rules.csv": RuleFact,
    "calendar.csv": CalendarEvent,
    "specialties.csv": SpecialtyStats,
    "outcomes.csv": MatchOutcome,
    "fees.csv": FeeFact,
    "signals.csv": SignalFact,
    "cycle_patterns.csv": CyclePattern,
    "travel_restrictions.csv": TravelRestriction,
    "acgme_specialty_codes.csv": AcgmeSpecialtyCode,
}
#: Columns every fact file must have and fill on every row (the models default them for rows
#: built in code, so the file check is here).
PROVENANCE = ("source_kind", "applies_to")
DOMAINS_FILE = "official_domains.csv"


@dataclass(frozen=True)
class Release:
    """The facts release in use: its version (by date) and the day it was published."""

    version: str
    released: str
    directory: Path


def release() -> Release:
    """The installed facts release (the distribution's metadata, else the module's own)."""
    try:
        version = metadata.version("matchready-facts")
    except metadata.PackageNotFoundError:  # pragma: no cover - run from a source tree
        version = matchready_facts.__version__
    return Release(version, matchready_facts.RELEASED, matchready_facts.directory())


def bundled_dir() -> Path:
    """The folder of the fact files of the installed facts release."""
    return matchready_facts.directory()


def official_domains(directory: Path | None = None) -> tuple[str, ...]:
    """The domains whose pages count as official sources (kept in the facts release)."""
    path = (directory or bundled_dir()) / DOMAINS_FILE
    with path.open(newline="", encoding="utf-8") as handle:
        return tuple(row["domain"].strip().lower() for row in csv.DictReader(handle))


def _rows(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        for row in reader:
            yield reader.line_num, row


def read_fact_rows(
    path: Path, model: type[RowModel], required: tuple[str, ...] = ()
) -> tuple[list[RowModel], list[Problem]]:
    """Validate every row of one fact file (strict UTF-8 CSV, as the facts release ships it)
    against `model`, collecting every problem with its line; not `io.tables.read_table`, which
    reads a user's spreadsheet of any encoding, delimiter or format as text cells.

    `required` names columns that must be present and filled even where the model has a default.
    """
    rows: list[RowModel] = []
    problems: list[Problem] = []
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            header = next(csv.reader(handle), [])
    except OSError as error:
        return [], [Problem(f"cannot read: {error.strerror}", Location(file=str(path)))]
    except (csv.Error, UnicodeDecodeError) as error:
        return [], [Problem(f"not a readable CSV file: {error}", Location(file=str(path)))]
    fields = {f.alias or name for name, f in model.model_fields.items()}
    for column in header:
        if column not in fields:
            problems.append(Problem("unknown column", Location(file=str(path), field=column)))
    needed = {f.alias or n for n, f in model.model_fields.items() if f.is_required()}
    for column in sorted((needed | set(required)) - set(header)):
        problems.append(Problem("missing column", Location(file=str(path), field=column)))
    if problems:
        return [], problems
    try:
        for line, raw in _rows(path):
            if None in raw:
                where = Location(str(path), line=line)
                problems.append(Problem("more values than columns", where))
                continue
            values = {k: v for k, v in raw.items() if v is not None and v.strip() != ""}
            empty = [c for c in required if c not in values]
            for column in empty:
                where = Location(str(path), line=line, field=column)
                problems.append(Problem("missing value", where))
            if empty:
                continue
            try:
                rows.append(model.model_validate(values))
            except ValidationError as error:
                for item in error.errors():
                    name = ".".join(str(part) for part in item["loc"]) or None
                    problems.append(
                        Problem(item["msg"], Location(file=str(path), line=line, field=name))
                    )
    except (csv.Error, UnicodeDecodeError) as error:
        problems.append(Problem(f"not a readable CSV file: {error}", Location(file=str(path))))
    return rows, problems


def _check_release(folder: Path) -> list[Problem]:
    if folder == bundled_dir() and matchready_facts.SCHEMA != SCHEMA:
        return [
            Problem(
                f"facts release {release().version} has row schema {matchready_facts.SCHEMA}; "
                f"this matchready reads schema {SCHEMA}: install a matching matchready-facts",
                Location(file=str(folder)),
            )
        ]
    return []


def load_facts(directory: Path | None = None) -> Facts:
    """Load and validate every fact file in `directory` (the installed facts release by default).

    Raises DataFileError listing every bad row (file, line, field, reason).
    """
    folder = directory or bundled_dir()
    problems = _check_release(folder)
    tables: dict[str, list[BaseModel]] = {}
    for name, model in FILES.items():
        rows, found = read_fact_rows(folder / name, model, PROVENANCE)
        tables[name] = list(rows)
        problems.extend(found)
        for row in rows:
            if getattr(row, "source_kind", None) is SourceKind.USER:
                where = Location(file=str(folder / name), field="source_kind")
                problems.append(Problem("'user' rows belong in your own facts file", where))
    rules = [r for r in tables["rules.csv"] if isinstance(r, RuleFact)]
    seen: set[tuple[str, object, int]] = set()
    for fact in rules:
        identity = (fact.key, fact.effective_from, fact.scope[0])
        if identity in seen:
            where = Location(file=str(folder / "rules.csv"), field="key")
            problems.append(
                Problem(f"duplicate fact {fact.key} from {fact.effective_from}", where)
            )
        seen.add(identity)
    if problems:
        raise DataFileError(problems)
    info = release() if folder == bundled_dir() else None
    return Facts(
        rules=tuple(rules),
        calendar=tuple(r for r in tables["calendar.csv"] if isinstance(r, CalendarEvent)),
        specialties=tuple(r for r in tables["specialties.csv"] if isinstance(r, SpecialtyStats)),
        outcomes=tuple(r for r in tables["outcomes.csv"] if isinstance(r, MatchOutcome)),
        fees=tuple(r for r in tables["fees.csv"] if isinstance(r, FeeFact)),
        signals=tuple(r for r in tables["signals.csv"] if isinstance(r, SignalFact)),
        patterns=tuple(r for r in tables["cycle_patterns.csv"] if isinstance(r, CyclePattern)),
        travel_restrictions=tuple(
            r for r in tables["travel_restrictions.csv"] if isinstance(r, TravelRestriction)
        ),
        release=info.version if info else "",
        released=info.released if info else "",
        acgme_codes=tuple(
            r for r in tables["acgme_specialty_codes.csv"] if isinstance(r, AcgmeSpecialtyCode)
        ),
    )
