"""Read and validate the fact files; a bad row is an error naming file, line and field."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from matchready.domain.facts import (
    AcgmeSpecialtyCode,
    CalendarEvent,
    Facts,
    FeeFact,
    MatchOutcome,
    RuleFact,
    SignalFact,
    SpecialtyStats,
)
from matchready.errors import DataFileError, Location, Problem

RowModel = TypeVar("RowModel", bound=BaseModel)

FILES: dict[str, type[BaseModel]] = {
    "rules.csv": RuleFact,
    "calendar.csv": CalendarEvent,
    "specialties.csv": SpecialtyStats,
    "outcomes.csv": MatchOutcome,
    "fees.csv": FeeFact,
    "signals.csv": SignalFact,
    "acgme_specialty_codes.csv": AcgmeSpecialtyCode,
}


def bundled_dir() -> Path:
    """The folder of the fact files shipped with matchready."""
    return Path(str(resources.files("matchready.data")))


def _rows(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        for row in reader:
            yield reader.line_num, row


def read_table(path: Path, model: type[RowModel]) -> tuple[list[RowModel], list[Problem]]:
    """Validate every row of one CSV file against `model`; collect every problem found."""
    rows: list[RowModel] = []
    problems: list[Problem] = []
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            header = next(csv.reader(handle), [])
    except OSError as error:
        return [], [Problem(f"cannot read: {error.strerror}", Location(file=str(path)))]
    fields = {f.alias or name for name, f in model.model_fields.items()}
    for column in header:
        if column not in fields:
            problems.append(Problem("unknown column", Location(file=str(path), field=column)))
    required = {f.alias or n for n, f in model.model_fields.items() if f.is_required()}
    for column in sorted(required - set(header)):
        problems.append(Problem("missing column", Location(file=str(path), field=column)))
    if problems:
        return [], problems
    for line, raw in _rows(path):
        if None in raw:
            problems.append(Problem("more values than columns", Location(str(path), line=line)))
            continue
        values = {k: v for k, v in raw.items() if v is not None and v.strip() != ""}
        try:
            rows.append(model.model_validate(values))
        except ValidationError as error:
            for item in error.errors():
                name = ".".join(str(part) for part in item["loc"]) or None
                problems.append(
                    Problem(item["msg"], Location(file=str(path), line=line, field=name))
                )
    return rows, problems


def load_facts(directory: Path | None = None) -> Facts:
    """Load and validate every fact file in `directory` (the bundled files by default).

    Raises DataFileError listing every bad row (file, line, field, reason).
    """
    folder = directory or bundled_dir()
    problems: list[Problem] = []
    tables: dict[str, list[BaseModel]] = {}
    for name, model in FILES.items():
        rows, found = read_table(folder / name, model)
        tables[name] = list(rows)
        problems.extend(found)
    rules = [r for r in tables["rules.csv"] if isinstance(r, RuleFact)]
    seen: set[tuple[str, object]] = set()
    for fact in rules:
        if (fact.key, fact.effective_from) in seen:
            where = Location(file=str(folder / "rules.csv"), field="key")
            problems.append(
                Problem(f"duplicate fact {fact.key} from {fact.effective_from}", where)
            )
        seen.add((fact.key, fact.effective_from))
    if problems:
        raise DataFileError(problems)
    return Facts(
        rules=tuple(rules),
        calendar=tuple(r for r in tables["calendar.csv"] if isinstance(r, CalendarEvent)),
        specialties=tuple(r for r in tables["specialties.csv"] if isinstance(r, SpecialtyStats)),
        outcomes=tuple(r for r in tables["outcomes.csv"] if isinstance(r, MatchOutcome)),
        fees=tuple(r for r in tables["fees.csv"] if isinstance(r, FeeFact)),
        signals=tuple(r for r in tables["signals.csv"] if isinstance(r, SignalFact)),
        acgme_codes=tuple(
            r for r in tables["acgme_specialty_codes.csv"] if isinstance(r, AcgmeSpecialtyCode)
        ),
    )
