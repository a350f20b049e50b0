"""The user's own facts file (`facts.csv` in the data directory): read with every bad line named
(file, line, field), written atomically (a temporary file renamed over the old one).

Same provenance columns as the bundled files (`source`, `as_of`, `source_kind = user`,
`applies_to`); each line names the key of a bundled fact and its value.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from pydantic import ValidationError

from matchready.domain.facts import Facts
from matchready.domain.user_facts import UserFact, UserFactError, UserRow, to_row
from matchready.errors import DataFileError, Location, Problem
from matchready.io.files import atomic_file

FILE_NAME = "facts.csv"
COLUMNS = ("key", "value", "applies_to", "source", "as_of", "source_kind", "note")


def read_user_facts(path: Path) -> list[tuple[int, UserFact]]:
    """The lines of the user's facts file with their line numbers ([] when there is no file).

    Raises DataFileError naming file, line and field of every bad line.
    """
    if not path.exists():
        return []
    where = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise DataFileError(Problem(f"cannot read: {error}", Location(file=where))) from None
    problems: list[Problem] = []
    found: list[tuple[int, UserFact]] = []
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
        header = reader.fieldnames or []
        for column in header:
            if column not in COLUMNS:
                problems.append(Problem("unknown column", Location(file=where, field=column)))
        for column in COLUMNS:
            if column != "note" and column not in header:
                problems.append(Problem("missing column", Location(file=where, field=column)))
        if problems:
            raise DataFileError(problems)
        seen: dict[tuple[str, str], int] = {}
        for raw in reader:
            line = reader.line_num
            if None in raw or any(v is None for v in raw.values()):
                problems.append(Problem("wrong number of values", Location(where, line=line)))
                continue
            values = {k: v for k, v in raw.items() if v.strip() != ""}
            try:
                fact = UserFact.model_validate(values)
            except ValidationError as error:
                for item in error.errors():
                    name = ".".join(str(p) for p in item["loc"]) or None
                    message = item["msg"].removeprefix("Value error, ")
                    problems.append(Problem(message, Location(where, line=line, field=name)))
                continue
            if fact.identity in seen:
                problems.append(
                    Problem(
                        f"the same fact is also on line {seen[fact.identity]}",
                        Location(where, line=line, field="key"),
                    )
                )
            seen[fact.identity] = line
            found.append((line, fact))
    except csv.Error as error:
        problems.append(Problem(f"not a valid CSV file: {error}", Location(file=where)))
    if problems:
        raise DataFileError(problems)
    return found


def user_rows(path: Path, bundled: Facts) -> list[UserRow]:
    """The user's facts as rows of the bundled schema; DataFileError names any bad line."""
    rows: list[UserRow] = []
    problems: list[Problem] = []
    for line, fact in read_user_facts(path):
        try:
            rows.append(to_row(fact, bundled))
        except UserFactError as error:
            where = Location(str(path), line=line, field=error.field)
            problems.append(Problem(error.message, where))
    if problems:
        raise DataFileError(problems)
    return rows


def write_user_facts(path: Path, facts: list[UserFact]) -> None:
    """Write the user's facts file atomically (`io.files.atomic_file`: a temporary file beside
    it, renamed over the old one)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for fact in sorted(facts, key=lambda f: f.identity):
        writer.writerow(fact.model_dump(mode="json"))
    with atomic_file(path) as stream:
        stream.write(out.getvalue().encode("utf-8"))
