"""Reading and writing instances (JSON, or a folder of CSV rank-list files) and results (JSON).

CSV folder layout, one row per rank (row numbers in problems count data rows from 1):

* ``programs.csv``: ``program,capacity,kind``
* ``ranks.csv``: ``list,owner,rank,choice,links``; ``list`` is ``applicant``, ``program`` or
  ``supplemental``; ``rank`` is 1-based; ``choice`` is ``No Match`` for a couple's empty side;
  ``links`` names the advanced programs (``;``-separated) a supplemental list is linked to.
* ``couples.csv`` (optional): ``first,second``
* ``reversions.csv`` (optional): ``donor,receiver``
"""

from __future__ import annotations

import csv
import dataclasses
import gc
import io
import json
import os
import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, overload

from matchready.match._model import (
    PROGRAM_KINDS,
    Applicant,
    Couple,
    Instance,
    InstanceError,
    InstanceProblem,
    Program,
    ProgramKind,
    Reversion,
    Subject,
    SupplementalList,
)
from matchready.match._result import Assignment, BlockingPair, Result, Search

NO_MATCH = "No Match"
RANK_COLUMNS = ("list", "owner", "rank", "choice", "links")


def _json_codec() -> tuple[Callable[[str], Any], Callable[[Any], bytes]]:
    """orjson's ``loads`` and ``dumps`` when installed (matchready depends on it: it reads a
    national market in about a third of the standard library's time), else the standard
    library's, so the engine still needs nothing beyond numpy and numba."""
    try:
        import orjson
    except ImportError:  # pragma: no cover - orjson is a dependency of matchready
        return json.loads, lambda value: json.dumps(value, indent=1).encode("utf-8")
    return orjson.loads, lambda value: orjson.dumps(value, option=orjson.OPT_INDENT_2)


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while a market's objects are built.

    Reading a national market allocates about two million lists, tuples and strings, none in a
    reference cycle; the collector's passes over them took about 60% of the reading time."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def read_instance(path: str | os.PathLike[str]) -> Instance:
    """Read an instance from a ``.json`` file or a folder of CSV rank-list files."""
    source = Path(path)
    if source.is_dir():
        return _read_csv(source)
    if not source.is_file():
        raise InstanceError([InstanceProblem("no such file or folder", ("file",), str(source))])
    return _read_json(source)


def write_instance(instance: Instance, path: str | os.PathLike[str]) -> None:
    """Write an instance as ``.json`` (when the path ends so) or as a CSV folder."""
    target = Path(path)
    if target.suffix.lower() == ".json":
        _write_text(target, json.dumps(instance_to_dict(instance), indent=1))
    else:
        _write_csv(instance, target)


def instance_to_dict(instance: Instance) -> dict[str, Any]:
    """The JSON form of an instance."""
    return {
        "programs": [
            {"id": p.id, "capacity": p.capacity, "kind": p.kind, "ranks": list(p.ranks)}
            for p in instance.programs
        ],
        "applicants": [
            {
                "id": a.id,
                "ranks": list(a.ranks),
                "supplemental": [
                    {"links": list(s.links), "ranks": list(s.ranks)} for s in a.supplemental
                ],
            }
            for a in instance.applicants
        ],
        "couples": [{"first": c.first, "second": c.second} for c in instance.couples],
        "reversions": [{"donor": r.donor, "receiver": r.receiver} for r in instance.reversions],
    }


def instance_from_dict(data: Any, file: str | None = None) -> Instance:
    """Build an instance from its JSON form; malformed entries are reported with their path.

    Types are checked, not coerced: an id or a rank is a string (a couple's "No Match" is
    ``null``), a capacity a whole number (not ``1.7``, ``"3"`` or ``true``), a list a list."""
    problems: list[InstanceProblem] = []

    def bad(message: str, *subject: str) -> None:
        problems.append(InstanceProblem(message, subject, file))

    if not isinstance(data, dict):
        raise InstanceError([InstanceProblem("expected a JSON object", ("file",), file)])
    programs: list[Program] = []
    for i, item in enumerate(_section(data, "programs", bad)):
        where = ("programs", f"[{i}]")
        try:
            capacity = item.get("capacity") if isinstance(item, dict) else None
            if type(capacity) is not int:
                raise _Malformed(f"capacity must be a whole number, got {_shown(capacity)}")
            kind = item.get("kind", "categorical")
            if kind not in PROGRAM_KINDS:
                raise _Malformed(f"unknown program kind {_shown(kind)}")
            programs.append(
                Program(_id(item, "id"), capacity, _strings(item.get("ranks"), "ranks"), kind)
            )
        except _Malformed as error:
            bad(f"malformed program: {error}", *where)
    applicants: list[Applicant] = []
    for i, item in enumerate(_section(data, "applicants", bad)):
        where = ("applicants", f"[{i}]")
        try:
            applicant_id = _id(item, "id")
            ranks = _strings(item.get("ranks"), "ranks", allow_none=True)
            supplemental = tuple(
                SupplementalList(
                    _strings(_field(s, "links"), "links"), _strings(_field(s, "ranks"), "ranks")
                )
                for s in _list(item.get("supplemental"), "supplemental")
            )
            applicants.append(Applicant(applicant_id, ranks, supplemental))
        except _Malformed as error:
            bad(f"malformed applicant: {error}", *where)
    couples: list[Couple] = []
    for i, item in enumerate(_section(data, "couples", bad)):
        try:
            couples.append(Couple(_id(item, "first"), _id(item, "second")))
        except _Malformed as error:
            bad(f"malformed couple: {error}", "couples", f"[{i}]")
    reversions: list[Reversion] = []
    for i, item in enumerate(_section(data, "reversions", bad)):
        try:
            reversions.append(Reversion(_id(item, "donor"), _id(item, "receiver")))
        except _Malformed as error:
            bad(f"malformed reversion: {error}", "reversions", f"[{i}]")
    if problems:
        raise InstanceError(problems)
    return _build(programs, applicants, couples, reversions, file, {})


class _Malformed(Exception):
    """A JSON entry of the wrong shape (the message says which field and what it got)."""


def _shown(value: Any) -> str:
    """A JSON value as the user wrote it, briefly: ``null``, ``true``, ``1.7``, an object."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    text = json.dumps(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _section(data: dict[str, Any], name: str, bad: Any) -> list[Any]:
    value = data.get(name, [])
    if not isinstance(value, list):
        bad(f"{name} must be a list, got {_shown(value)}", name)
        return []
    return value


def _field(item: Any, name: str) -> Any:
    if not isinstance(item, dict):
        raise _Malformed(f"expected an object, got {_shown(item)}")
    if name not in item:
        raise _Malformed(f"{name} is missing")
    return item[name]


def _id(item: Any, name: str) -> str:
    value = _field(item, name)
    if not isinstance(value, str) or not value:
        raise _Malformed(f"{name} must be a non-empty string, got {_shown(value)}")
    return value


def _list(values: Any, name: str) -> list[Any]:
    if values is None:
        return []
    if not isinstance(values, list):
        raise _Malformed(f"{name} must be a list, got {_shown(values)}")
    return values


_ID: set[type] = {str}
_ID_OR_NONE: set[type] = {str, type(None)}


@overload
def _strings(values: Any, name: str) -> tuple[str, ...]: ...
@overload
def _strings(values: Any, name: str, allow_none: bool) -> tuple[str | None, ...]: ...
def _strings(values: Any, name: str, allow_none: bool = False) -> tuple[str | None, ...]:
    """A list of ids (``null`` too where ``allow_none``: a couple's "No Match")."""
    items = _list(values, name)
    if set(map(type, items)) <= (_ID_OR_NONE if allow_none else _ID) and "" not in items:
        return tuple(items)  # the common case, checked in C-level passes
    for index, value in enumerate(items, 1):
        if isinstance(value, str) and value:
            continue
        if value is None and allow_none:
            continue
        raise _Malformed(f"{name} entry {index} must be a non-empty string, got {_shown(value)}")
    return tuple(items)


def _build(
    programs: list[Program],
    applicants: list[Applicant],
    couples: list[Couple],
    reversions: list[Reversion],
    file: str | None,
    origins: dict[Subject, tuple[str, int]],
) -> Instance:
    try:
        return Instance(
            tuple(programs), tuple(applicants), tuple(couples), tuple(reversions), origins
        )
    except InstanceError as error:
        if file is None:
            raise
        raise InstanceError(
            InstanceProblem(p.message, p.subject, p.file or file, p.row) for p in error.problems
        ) from None


NESTED = "JSON nested too deeply (a Match file is at most 4 levels deep)"


def _read_json(path: Path) -> Instance:
    loads, _ = _json_codec()
    text = _text(path)
    with paused_gc():
        try:
            data = loads(text)
        except RecursionError:
            raise InstanceError([InstanceProblem(NESTED, ("file",), str(path))]) from None
        except json.JSONDecodeError as error:  # orjson's error is a subclass
            if "depth" in error.msg or "recursion" in error.msg:  # orjson stops at 1,024 levels
                raise InstanceError([InstanceProblem(NESTED, ("file",), str(path))]) from None
            message = f"invalid JSON at line {error.lineno}, column {error.colno}: {error.msg}"
            raise InstanceError([InstanceProblem(message, ("file",), str(path))]) from None
        return instance_from_dict(data, str(path))


def _text(path: Path) -> str:
    """A file's text; unreadable or not UTF-8 is an :class:`InstanceError` naming the line."""
    try:
        data = path.read_bytes()
    except OSError as error:
        message = f"cannot read the file: {error.strerror or error}"
        raise InstanceError([InstanceProblem(message, ("file",), str(path))]) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        message = (
            f"not UTF-8 text: byte 0x{data[error.start]:02x} at line {line}, column {column}"
            " (save the file as UTF-8)"
        )
        raise InstanceError([InstanceProblem(message, ("file",), str(path))]) from None


def _rows(
    path: Path, columns: tuple[str, ...], problems: list[InstanceProblem]
) -> list[dict[str, str]]:
    """Data rows of a CSV file; a missing column is a problem on the header."""
    try:
        text = _text(path)
    except InstanceError as error:
        problems.extend(error.problems)
        return []
    with io.StringIO(text, newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in columns if c not in (reader.fieldnames or [])]
        if missing:
            problems.append(
                InstanceProblem(f"missing column(s) {', '.join(missing)}", ("file",), str(path))
            )
            return []
        return [{k: (v or "").strip() for k, v in row.items() if k} for row in reader]


def _read_csv(folder: Path) -> Instance:
    problems: list[InstanceProblem] = []
    origins: dict[Subject, tuple[str, int]] = {}
    programs_file = folder / "programs.csv"
    ranks_file = folder / "ranks.csv"
    for required in (programs_file, ranks_file):
        if not required.is_file():
            problems.append(InstanceProblem("file is missing", ("file",), str(required)))
    if problems:
        raise InstanceError(problems)

    def bad(message: str, file: Path, row: int) -> None:
        problems.append(InstanceProblem(message, ("row",), str(file), row))

    program_rows: list[tuple[str, int, ProgramKind, int]] = []
    for row_number, row in enumerate(_rows(programs_file, ("program", "capacity"), problems), 1):
        kind = row.get("kind") or "categorical"
        try:
            capacity = int(row["capacity"])
        except ValueError:
            bad(f"capacity {row['capacity']!r} is not a whole number", programs_file, row_number)
            continue
        if kind not in PROGRAM_KINDS:
            bad(f"unknown program kind {kind!r}", programs_file, row_number)
            continue
        program_rows.append((row["program"], capacity, kind, row_number))
        origins[("program", row["program"])] = (str(programs_file), row_number)

    lists: dict[tuple[str, str, str], dict[int, tuple[str, int]]] = defaultdict(dict)
    for row_number, row in enumerate(_rows(ranks_file, RANK_COLUMNS[:4], problems), 1):
        kind = row["list"]
        if kind not in ("applicant", "program", "supplemental"):
            bad(f"unknown list {kind!r}", ranks_file, row_number)
            continue
        try:
            rank = int(row["rank"])
        except ValueError:
            bad(f"rank {row['rank']!r} is not a whole number", ranks_file, row_number)
            continue
        links = row.get("links", "") if kind == "supplemental" else ""
        key = (kind, row["owner"], links)
        if rank < 1:
            bad(f"rank {rank} is below 1", ranks_file, row_number)
        elif rank in lists[key]:
            first_row = lists[key][rank][1]
            bad(
                f"rank {rank} of {row['owner']} already given in row {first_row}",
                ranks_file,
                row_number,
            )
        else:
            lists[key][rank] = (row["choice"], row_number)
    couples, reversions = _read_pairs(folder, problems, origins)
    if problems:
        raise InstanceError(problems)

    programs_ranks: dict[str, tuple[str, ...]] = {}
    applicant_ranks: dict[str, tuple[str | None, ...]] = {}
    supplementals: dict[str, list[SupplementalList]] = defaultdict(list)
    for (kind, owner, links), entries in lists.items():
        ordered = [entries[r] for r in sorted(entries)]
        if kind == "program":
            subject_owner = owner
            programs_ranks[owner] = tuple(c for c, _ in ordered)
        elif kind == "applicant":
            subject_owner = owner
            applicant_ranks[owner] = tuple(None if c == NO_MATCH else c for c, _ in ordered)
        else:
            link_ids = tuple(x.strip() for x in links.split(";") if x.strip())
            supplementals[owner].append(SupplementalList(link_ids, tuple(c for c, _ in ordered)))
            subject_owner = f"{owner} list {len(supplementals[owner])}"
        origins.setdefault((kind, subject_owner), (str(ranks_file), ordered[0][1]))
        for index, (_, row_number) in enumerate(ordered, 1):
            origins[(kind, subject_owner, f"rank {index}")] = (str(ranks_file), row_number)
    programs = [
        Program(pid, capacity, programs_ranks.pop(pid, ()), kind)
        for pid, capacity, kind, _ in program_rows
    ]
    for pid in programs_ranks:
        problems.append(
            InstanceProblem(f"ranks given for unknown program {pid!r}", ("program", pid))
        )
    names = list(dict.fromkeys([*applicant_ranks, *supplementals]))
    applicants = [
        Applicant(a, applicant_ranks.get(a, ()), tuple(supplementals.get(a, ()))) for a in names
    ]
    for couple in couples:
        for member in (couple.first, couple.second):
            if member not in applicant_ranks and member not in supplementals:
                applicants.append(Applicant(member))
    if problems:
        raise InstanceError(
            [
                InstanceProblem(p.message, p.subject, *origins.get(p.subject, (None, None)))
                for p in problems
            ]
        )
    return _build(programs, applicants, couples, reversions, None, origins)


def _read_pairs(
    folder: Path, problems: list[InstanceProblem], origins: dict[Subject, tuple[str, int]]
) -> tuple[list[Couple], list[Reversion]]:
    couples: list[Couple] = []
    reversions: list[Reversion] = []
    couples_file = folder / "couples.csv"
    if couples_file.is_file():
        for row_number, row in enumerate(_rows(couples_file, ("first", "second"), problems), 1):
            couples.append(Couple(row["first"], row["second"]))
            origins[("couple", f"{row['first']}+{row['second']}")] = (
                str(couples_file),
                row_number,
            )
    reversions_file = folder / "reversions.csv"
    if reversions_file.is_file():
        for row_number, row in enumerate(
            _rows(reversions_file, ("donor", "receiver"), problems), 1
        ):
            reversions.append(Reversion(row["donor"], row["receiver"]))
            subject = ("reversion", f"{row['donor']}->{row['receiver']}")
            origins[subject] = (str(reversions_file), row_number)
    return couples, reversions


def _write_csv(instance: Instance, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    _write_rows(
        folder / "programs.csv",
        ("program", "capacity", "kind"),
        [(p.id, str(p.capacity), p.kind) for p in instance.programs],
    )
    rows: list[tuple[str, ...]] = []
    for applicant in instance.applicants:
        for rank, choice in enumerate(applicant.ranks, 1):
            rows.append(("applicant", applicant.id, str(rank), choice or NO_MATCH, ""))
        for supplemental in applicant.supplemental:
            links = ";".join(supplemental.links)
            for rank, choice in enumerate(supplemental.ranks, 1):
                rows.append(("supplemental", applicant.id, str(rank), choice, links))
    for program in instance.programs:
        for rank, choice in enumerate(program.ranks, 1):
            rows.append(("program", program.id, str(rank), choice, ""))
    _write_rows(folder / "ranks.csv", RANK_COLUMNS, rows)
    _write_rows(
        folder / "couples.csv",
        ("first", "second"),
        [(c.first, c.second) for c in instance.couples],
    )
    _write_rows(
        folder / "reversions.csv",
        ("donor", "receiver"),
        [(r.donor, r.receiver) for r in instance.reversions],
    )


def _write_rows(path: Path, header: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    with tempfile.NamedTemporaryFile(
        "w", newline="", encoding="utf-8", dir=path.parent, delete=False, suffix=".tmp"
    ) as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    os.replace(handle.name, path)


def _write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(
        "w", encoding="utf-8", dir=path.parent, delete=False, suffix=".tmp"
    ) as handle:
        handle.write(text)
    os.replace(handle.name, path)


def result_to_dict(result: Result) -> dict[str, Any]:
    """The JSON form of a result."""
    json_form = getattr(result.assignments, "json_form", None)  # the fast engine's lazy mapping
    assignments = json_form() if json_form is not None else None
    return {
        "engine": result.engine,
        "assignments": assignments
        if assignments is not None
        else {
            a: {
                "program": s.program,
                "rank": s.rank,
                "supplemental": s.supplemental,
                "supplemental_rank": s.supplemental_rank,
            }
            for a, s in result.assignments.items()
        },
        "programs": {p: list(h) for p, h in result.programs.items()},
        "capacities": dict(result.capacities),
        "unfilled": dict(result.unfilled),
        "proposals": result.proposals,
        "reversions_applied": [list(r) for r in result.reversions_applied],
        "stable": result.stable,
        "blocking": [
            {"kind": b.kind, "applicants": list(b.applicants), "programs": list(b.programs)}
            for b in result.blocking
        ],
        "seed": result.seed,
        "attempts": result.attempts,
        "couple_order": list(result.couple_order),
        "search": None if result.search is None else dataclasses.asdict(result.search),
    }


def result_from_dict(data: dict[str, Any]) -> Result:
    """Build a result from its JSON form."""
    return Result(
        engine=str(data["engine"]),
        assignments={a: Assignment(**s) for a, s in data["assignments"].items()},
        programs={p: tuple(h) for p, h in data["programs"].items()},
        capacities={p: int(c) for p, c in data["capacities"].items()},
        unfilled={p: int(c) for p, c in data["unfilled"].items()},
        proposals=int(data["proposals"]),
        reversions_applied=tuple((d, r, int(n)) for d, r, n in data["reversions_applied"]),
        stable=bool(data["stable"]),
        blocking=tuple(
            BlockingPair(b["kind"], tuple(b["applicants"]), tuple(b["programs"]))
            for b in data["blocking"]
        ),
        seed=int(data["seed"]),
        attempts=int(data["attempts"]),
        couple_order=tuple(int(i) for i in data["couple_order"]),
        search=None if data.get("search") is None else Search(**data["search"]),
    )


def write_result(result: Result, path: str | os.PathLike[str]) -> None:
    """Write a result as JSON (to a temporary file, then renamed)."""
    _, dumps = _json_codec()
    with paused_gc():
        data = dumps(result_to_dict(result))
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("wb", dir=target.parent, delete=False, suffix=".tmp") as out:
        out.write(data)
    os.replace(out.name, target)


def read_result(path: str | os.PathLike[str]) -> Result:
    """Read a result written by :func:`write_result`."""
    source = Path(path)
    try:
        return result_from_dict(_json_codec()[0](source.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError) as error:
        message = f"not a readable Match result: {error}"
        raise InstanceError([InstanceProblem(message, ("file",), str(source))]) from None
