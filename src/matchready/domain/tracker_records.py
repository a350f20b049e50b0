"""The tracker as flat records: one pydantic model per record kind, the one parser of its fields.

The CLI, the web forms, the tracker files (CSV/XLSX) and the store all read a tracker's fields
through these models, so a date, a yes/no, a state or a list of interview scores is parsed in
one place, with one message for each kind of mistake. `to_records` flattens a tracker and
`from_records` builds one back (checking what ties the records together); a record read from
a file carries its location, so a problem names file, row and field.

    application  program specialty state advanced would_not_go note   (state: derived, checked)
    change       program from_state state date recorded_at by note    (history, oldest first)
    letter       key writer us_physician specialty status requested_on received_on uploaded_on
    assignment   key program                                          (a letter sent to a program)
    document     kind name version status sha256 path                 (every version)
    signal       program specialty season tier
    region       position name                                        (geographic preferences)
    interview    program date format scores note                      (scores: "fit=4; city=5")
    rank         list position program                                (list: empty = primary,
                                                                       else the advanced program)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import fields, replace
from datetime import date
from typing import Annotated, Any, ClassVar, Self, TypeVar

from pydantic import (
    AliasChoices,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    TypeAdapter,
    ValidationError,
    model_validator,
)

from matchready.domain.signals import Signal, SignalTier
from matchready.domain.tracker import (
    PRIMARY,
    Application,
    AppState,
    Change,
    Document,
    DocumentKind,
    DocumentStatus,
    Interview,
    InterviewFormat,
    Letter,
    LetterStatus,
    Line,
    RankOrderDraft,
    Tracker,
)
from matchready.errors import ImportFileError, InputError, Location, Problem, TrackerError


def _pairs(value: object) -> object:
    """Interview scores from "fit=4; city=2", from ["fit=4", "city=2"], or from pairs."""
    if isinstance(value, Mapping):
        return tuple(value.items())
    parts = value.split(";") if isinstance(value, str) else value
    if not isinstance(parts, Sequence):
        return value
    out: list[object] = []
    for part in parts:
        if not isinstance(part, str):
            out.append(part)
            continue
        if not part.strip():
            continue
        name, sep, score = part.rpartition("=")
        if not sep or not name.strip() or not score.strip().isdigit():
            raise ValueError(f"'{part.strip()}' is not criterion=score (e.g. fit=4)")
        out.append((name.strip(), int(score)))
    return tuple(out)


Day = date
Scores = Annotated[tuple[tuple[str, int], ...], BeforeValidator(_pairs)]
Text = Annotated[str, Field(max_length=2000)]
Key = Annotated[str, Field(min_length=1, max_length=20)]


class Record(BaseModel):
    """A record of one kind; empty values count as not given."""

    model_config = ConfigDict(frozen=True, str_strip_whitespace=True, extra="ignore")
    record: ClassVar[str]
    """The kind of record (the `record` column of a tracker file)."""
    _where: Location | None = PrivateAttr(default=None)

    @model_validator(mode="before")
    @classmethod
    def _blank_is_missing(cls, data: object) -> object:
        if isinstance(data, Mapping):
            return {k: v for k, v in data.items() if v is not None and v != ""}
        return data

    @classmethod
    def parse(cls, fields: Mapping[str, object], where: Location | None = None) -> Self:
        """The record from raw values (text from a form, a file cell, an option); InputError
        (ImportFileError with `where`) naming the field and what is wrong with it."""
        try:
            record = cls.model_validate(fields)
        except ValidationError as error:
            problems = [_problem(cls.record, e, where) for e in error.errors()]
            raise (ImportFileError if where else InputError)(problems) from None
        record._where = where
        return record

    def refused(self, field: str | None, message: str) -> InputError:
        """The error for a record the rules refuse: located when it was read from a file."""
        if self._where is None:
            return TrackerError(message)
        return ImportFileError(Problem(message, replace(self._where, field=field)))


def _problem(kind: str, error: Any, where: Location | None) -> Problem:
    name = str(error["loc"][0]) if error["loc"] else None
    value, kind_of, ctx = error.get("input"), error["type"], error.get("ctx", {})
    article = "an" if kind[0] in "aeiou" else "a"
    messages = {
        "missing": f"required for {article} {kind}",
        "enum": f"'{value}' is not one of: {ctx.get('expected')}",
        "bool_parsing": f"'{value}' is not yes or no",
        "int_parsing": f"'{value}' is not a whole number",
        "greater_than_equal": f"{value} is less than {ctx.get('ge')}",
        "less_than_equal": f"{value} is more than {ctx.get('le')}",
        "date_from_datetime_parsing": f"'{value}' is not a date such as 2025-09-03",
        "date_parsing": f"'{value}' is not a date such as 2025-09-03",
        "timezone_aware": f"'{value}' is not a date and time with a UTC offset",
        "datetime_from_date_parsing": f"'{value}' is not a date and time with a UTC offset",
        "value_error": str(ctx.get("error", "")),
    }
    message = messages.get(kind_of, str(error["msg"]))
    return Problem(message, replace(where or Location(), field=name))


R = TypeVar("R", bound=Record)
_ADAPTERS: dict[tuple[type[Record], str], TypeAdapter[Any]] = {}


def field_value(model: type[Record], name: str, raw: object) -> Any:
    """One field of a record kind parsed on its own (a letter's status from a form)."""
    adapter = _ADAPTERS.get((model, name))
    if adapter is None:
        info = model.model_fields[name]
        adapter = TypeAdapter(Annotated[info.annotation, info])  # type: ignore[arg-type]
        _ADAPTERS[(model, name)] = adapter
    if raw is None or raw == "":
        info = model.model_fields[name]
        if not info.is_required():
            return info.get_default()
    try:
        return adapter.validate_python(raw.strip() if isinstance(raw, str) else raw)
    except ValidationError as error:
        raise InputError(
            [_problem(model.record, {**e, "loc": (name,)}, None) for e in error.errors()]
        ) from None


class ApplicationRecord(Record):
    record = "application"
    program: Key
    specialty: Annotated[str, Field(max_length=20)] = ""
    state: AppState | None = None
    advanced: bool = False
    would_not_go: bool = False
    note: Text = ""


class ChangeRecord(Record):
    record = "change"
    program: Key
    from_state: AppState | None = None
    state: AppState
    date: Day | None = None
    recorded_at: AwareDatetime | None = None
    by: Annotated[str, Field(max_length=100)] = ""
    note: Annotated[Text, Field(validation_alias=AliasChoices("note", "notes"))] = ""


class LetterRecord(Record):
    record = "letter"
    key: str = ""
    writer: Annotated[str, Field(min_length=1, max_length=200)]
    us_physician: Annotated[bool, Field(validation_alias=AliasChoices("us_physician", "us"))] = (
        False
    )
    specialty: Key
    status: LetterStatus = LetterStatus.REQUESTED
    requested_on: Annotated[
        date | None, Field(validation_alias=AliasChoices("requested_on", "date"))
    ] = None
    received_on: date | None = None
    uploaded_on: date | None = None


class AssignmentRecord(Record):
    record = "assignment"
    key: Annotated[str, Field(min_length=1, max_length=10)]
    program: Key


class DocumentRecord(Record):
    record = "document"
    kind: DocumentKind
    name: Annotated[str, Field(min_length=1, max_length=300)]
    version: Annotated[int, Field(ge=1)] = 1
    status: DocumentStatus = DocumentStatus.DRAFT
    sha256: str = ""
    path: str | None = None


class SignalRecord(Record):
    record = "signal"
    program: Key
    specialty: Annotated[str, Field(max_length=20)] = ""
    season: Annotated[int, Field(ge=2000, le=2100)]
    tier: SignalTier | None = None


class RegionRecord(Record):
    record = "region"
    position: Annotated[int, Field(ge=1)]
    name: Annotated[str, Field(min_length=1, max_length=100)]


class InterviewRecord(Record):
    record = "interview"
    program: Key
    date: Day | None = None
    format: InterviewFormat
    scores: Scores = ()
    note: Annotated[Text, Field(validation_alias=AliasChoices("note", "notes"))] = ""


class RankRecord(Record):
    record = "rank"
    list_name: Annotated[
        str,
        Field(
            validation_alias=AliasChoices("list_name", "list", "under"),
            serialization_alias="list",
            max_length=20,
        ),
    ] = PRIMARY
    position: Annotated[int, Field(ge=1, le=1000)] | None = None
    program: Key


KINDS: dict[str, type[Record]] = {model.record: model for model in Record.__subclasses__()}
"""Every record kind, in the order defined above (the order of a tracker file's columns)."""


_NAMES = {"on": "date", "notes": "note", "to": "state", "to_state": "state", "at": "recorded_at"}
"""Domain field -> record field, where the two differ."""
V = TypeVar("V")


def _record(model: type[R], value: object, **more: object) -> R:
    items = value._asdict() if isinstance(value, Line) else vars(value)
    return model.model_validate({_NAMES.get(k, k): v for k, v in items.items()} | more)


def _value(kind: Callable[..., V], record: Record, **more: object) -> V:
    names = [f.name for f in fields(kind)]  # type: ignore[arg-type]
    known = type(record).model_fields
    given = {n: getattr(record, _NAMES.get(n, n)) for n in names if _NAMES.get(n, n) in known}
    try:
        return kind(**(given | more))
    except TrackerError as error:
        raise record.refused(None, str(error)) from None


def to_records(tracker: Tracker) -> list[Record]:
    """The tracker as records: each application followed by its history, then the rest."""
    out: list[Record] = []
    for app in tracker.applications:
        out.append(_record(ApplicationRecord, app, state=app.state))
        out += [_record(ChangeRecord, c, program=app.program) for c in app.lines()]
    for x in tracker.letters:
        out.append(_record(LetterRecord, x))
        out += [AssignmentRecord(key=x.key, program=p) for p in sorted(x.programs)]
    out += [_record(DocumentRecord, d) for d in tracker.documents]
    out += [_record(SignalRecord, s) for s in tracker.signals]
    out += [RegionRecord(position=n, name=r) for n, r in enumerate(tracker.geography, start=1)]
    out += [_record(InterviewRecord, i) for i in tracker.interviews]
    out += [
        RankRecord(list_name=name, position=n, program=program)
        for name, programs in tracker.draft.lists()
        for n, program in enumerate(programs, start=1)
    ]
    return out


def _of(records: Iterable[Record], model: type[R]) -> list[R]:
    return [r for r in records if isinstance(r, model)]


def _ordered(items: Sequence[RegionRecord | RankRecord], what: str) -> tuple[str, ...]:
    if sorted(r.position or 0 for r in items) != list(range(1, len(items) + 1)):
        raise items[0].refused("position", f"{what} positions must run 1, 2, 3, ...")
    named = sorted(items, key=lambda r: r.position or 0)
    return tuple(r.name if isinstance(r, RegionRecord) else r.program for r in named)


def from_records(records: Sequence[Record]) -> Tracker:
    """A tracker from records (read from a file or the store, in any order but each history
    oldest first). What only the records tie together is checked here (a history line of no
    application, a state its history contradicts); the domain's rules by `Tracker.validate`."""
    apps = {r.program: r for r in _of(records, ApplicationRecord)}
    histories: dict[str, list[Change]] = {}
    for r in _of(records, ChangeRecord):
        if r.program not in apps:
            raise r.refused("program", f"history of {r.program}, which has no application")
        past = histories.setdefault(r.program, [])
        before = past[-1].to if past else None
        if r.from_state is not None and r.from_state is not before:
            words = (before or AppState.PLANNED).words
            message = (
                f"program {r.program}: a line starts from '{r.from_state.words}', not '{words}'"
            )
            raise r.refused("from_state", message)
        if r.recorded_at is None:
            raise r.refused("recorded_at", f"required for a {r.record}")
        past.append(_value(Change, r))
    applications = []
    for a in apps.values():
        app = _value(Application, a, history=tuple(histories.get(a.program, ())))
        if a.state is not None and app.history and a.state is not app.state:
            message = (
                f"program {a.program}: state '{a.state.words}' does not follow from its history"
            )
            raise a.refused("state", message)
        applications.append(app)
    letters: dict[str, Letter] = {}
    for x in _of(records, LetterRecord):
        if x.key in letters:
            raise x.refused("key", f"letter {x.key} is listed twice")
        letters[x.key] = _value(Letter, x)
    for sent in _of(records, AssignmentRecord):
        if sent.key not in letters:
            raise sent.refused("key", f"no letter {sent.key}")
        old = letters[sent.key]
        letters[sent.key] = replace(old, programs=old.programs | {sent.program})
    ranks: dict[str, list[RankRecord]] = {}
    for rank in _of(records, RankRecord):
        ranks.setdefault(rank.list_name, []).append(rank)
    regions, primary = _of(records, RegionRecord), ranks.pop(PRIMARY, [])
    return Tracker(
        applications=tuple(applications),
        letters=tuple(letters.values()),
        documents=tuple(_value(Document, d) for d in _of(records, DocumentRecord)),
        signals=tuple(_value(Signal, s) for s in _of(records, SignalRecord)),
        geography=_ordered(regions, "region") if regions else (),
        interviews=tuple(_value(Interview, i) for i in _of(records, InterviewRecord)),
        draft=RankOrderDraft(
            _ordered(primary, "rank") if primary else (),
            {k: _ordered(v, "rank") for k, v in sorted(ranks.items())},
        ),
    ).ordered()
