"""Read an applicant profile from TOML, with errors that name line, column and field."""

from __future__ import annotations

import difflib
import re
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

import tomli_w
from pydantic import BaseModel, ValidationError

from matchready.domain.applicant import Profile
from matchready.errors import Location, Problem, ProfileError

_AT = re.compile(r"\(at line (\d+), column (\d+)\)")
_TABLE = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.\-]+)\s*\]\]?")
_KEY = re.compile(r"^\s*([A-Za-z0-9_\-]+)\s*=")

EXPECTED = {
    "date_type": "a date such as 2024-06-30",
    "date_from_datetime_parsing": "a date such as 2024-06-30",
    "date_parsing": "a date such as 2024-06-30",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "bool_type": "true or false",
    "string_type": "text in quotes",
    "list_type": 'a list such as ["IM", "FM"]',
}


def template_text() -> str:
    """The commented profile template written by `matchready init`."""
    return (resources.files("matchready.io") / "profile_template.toml").read_text("utf-8")


def _key_lines(text: str) -> dict[tuple[str | int, ...], int]:
    """Map each key path of a TOML document to its 1-based line (tables and arrays of tables)."""
    lines: dict[tuple[str | int, ...], int] = {}
    counts: dict[tuple[str, ...], int] = {}
    current: tuple[str | int, ...] = ()
    for number, line in enumerate(text.splitlines(), start=1):
        if table := _TABLE.match(line):
            parts = tuple(table.group(2).split("."))
            if table.group(1) == "[[":
                index = counts.get(parts, 0)
                counts[parts] = index + 1
                current = (*parts, index)
            else:
                current = parts
            lines.setdefault(current, number)
        elif key := _KEY.match(line):
            lines.setdefault((*current, key.group(1)), number)
    return lines


def _model_at(path: tuple[str | int, ...]) -> type[BaseModel] | None:
    """The pydantic model that holds the field at `path` (for suggesting field names)."""
    model: Any = Profile
    for part in path:
        if isinstance(part, int):
            continue
        field = model.model_fields.get(part)
        if field is None:
            return None
        annotation = field.annotation
        args = getattr(annotation, "__args__", ())
        candidates = [annotation, *args]
        model = next(
            (c for c in candidates if isinstance(c, type) and issubclass(c, BaseModel)), None
        )
        if model is None:
            return None
    return model if isinstance(model, type) and issubclass(model, BaseModel) else None


def _problem(item: Any, lines: dict[tuple[str | int, ...], int], source: str) -> Problem:
    loc = tuple(item["loc"])
    dotted = ".".join(str(p) if not isinstance(p, int) else f"[{p}]" for p in loc).replace(
        ".[", "["
    )
    kind = item["type"]
    line = None
    for size in range(len(loc), 0, -1):
        if loc[:size] in lines:
            line = lines[loc[:size]]
            break
    where = Location(file=source, line=line, field=dotted or None)
    if kind == "extra_forbidden":
        parent = _model_at(loc[:-1])
        message = "unknown field"
        if parent is not None:
            close = difflib.get_close_matches(str(loc[-1]), list(parent.model_fields), n=1)
            if close:
                message += f"; did you mean '{close[0]}'?"
            else:
                message += "; valid fields: " + ", ".join(parent.model_fields)
        return Problem(message, where)
    if kind == "missing":
        return Problem("required field is missing", where)
    message = str(item["msg"])
    if kind in EXPECTED:
        message += f" (expected {EXPECTED[kind]})"
    if kind == "enum":
        message = f"{message}; got {item.get('input')!r}"
    return Problem(message, where)


def parse_profile(text: str, source: str = "<profile>") -> Profile:
    """Validate a TOML profile; raise ProfileError naming every problem with its place."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        found = _AT.search(message)
        location = Location(file=source)
        if found:
            line = int(found[1])
            keys = [path for path, at in _key_lines(text).items() if at == line]
            dotted = ".".join(str(p) for p in keys[-1]) if keys else None
            location = Location(file=source, line=line, column=int(found[2]), field=dotted)
            message = _AT.sub("", message).strip()
            if "date" in message.lower():
                message += " (expected a real date such as 2024-06-30)"
        raise ProfileError(Problem(f"malformed TOML: {message}", location)) from None
    try:
        return Profile.model_validate(data)
    except ValidationError as error:
        lines = _key_lines(text)
        problems = [_problem(item, lines, source) for item in error.errors()]
        raise ProfileError(problems) from None


def validate_profile_data(data: dict[str, Any], source: str = "<form>") -> Profile:
    """Validate already-parsed profile data (from a form or JSON); problems name field paths."""
    try:
        return Profile.model_validate(data)
    except ValidationError as error:
        raise ProfileError([_problem(item, {}, source) for item in error.errors()]) from None


def dump_profile(profile: Profile) -> str:
    """The profile as TOML text (what `parse_profile` reads back)."""
    data = profile.model_dump(mode="python", exclude_none=True)
    return tomli_w.dumps(data)


def read_profile_text(path: Path) -> str:
    """The text of the profile file at `path` (not yet validated)."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ProfileError(Problem("no such file", Location(file=str(path)))) from None
    except (OSError, UnicodeDecodeError) as error:
        raise ProfileError(Problem(f"cannot read: {error}", Location(file=str(path)))) from None


def load_profile(path: Path) -> Profile:
    """Read and validate the profile at `path`."""
    return parse_profile(read_profile_text(path), str(path))
