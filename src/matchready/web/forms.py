"""The profile form, generated from the pydantic Profile model so that the two never drift.

Field names are dotted paths (`exams.step1.status`, `usce.0.kind`); `form_to_data` turns a
submitted form back into the nested dict the model validates.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from matchready.domain.applicant import Profile
from matchready.errors import Location, Problem, ProfileError
from matchready.io.profile import parse_profile, template_text

SPARE_ROWS = 1  # empty rows offered for adding to a list (USCE, gaps)
REMOVE = "_remove"


@dataclass
class FormField:
    name: str
    label: str
    kind: str  # text, number, date, select, checkbox, list, choices (several checkboxes)
    value: str = ""
    options: list[str] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)  # option -> what people read
    required: bool = False
    help: str = ""
    example: str = ""  # a hint from the profile template ("e.g. 1-234-567-8"), never a value

    @property
    def id(self) -> str:
        return "f-" + self.name.replace(".", "-")

    @property
    def chosen(self) -> list[str]:
        """The values of a `choices` field (its value is comma-separated)."""
        return [v.strip() for v in self.value.split(",") if v.strip()]


@dataclass
class FormGroup:
    title: str
    fields: list[FormField]
    name: str = ""
    removable: bool = False


def _label(name: str) -> str:
    words = name.replace("_", " ")
    return {
        "usmle id": "USMLE/ECFMG ID",
        "form 186": "Form 186",
        "ecfmg": "ECFMG",
        "ecfmg note": "ECFMG note in the World Directory",
        "step1": "USMLE Step 1",
        "step2ck": "USMLE Step 2 CK",
        "step3": "USMLE Step 3",
        "oet": "OET Medicine",
        "usce": "US clinical experience",
        "gaps": "Gap",
        "target": "Target Match",
        "nrmp registered": "Registered with the NRMP on",
        "visa": "Visa",
    }.get(words, words[:1].upper() + words[1:])


def _plain(annotation: Any) -> tuple[Any, bool]:
    """The annotation without `| None`, and whether None was allowed."""
    args = typing.get_args(annotation)
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        rest = [a for a in args if a is not type(None)]
        return rest[0], len(rest) < len(args)
    return annotation, False


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, bool):
        return "on" if value else ""
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def _example(hint: Any, help_text: str) -> str:
    """The template's value as an example, when it is one: a number, a date, an id or a code
    ("1-234-567-8", "IM"). Words such as "Country of the school" describe the field, they are
    no example, and a value the help already shows is not repeated."""
    text = _shown(hint)
    if not text or text.lower() in help_text.lower():
        return ""
    return text if any(c.isdigit() for c in text) or text.isupper() else ""


def _kind(plain: Any) -> tuple[str, list[str]]:
    """The input kind for a (non-optional) annotation, and the options of a select."""
    if isinstance(plain, type) and issubclass(plain, Enum):
        return "select", [str(m.value) for m in plain]
    if typing.get_origin(plain) is list:
        return "list", []
    kinds = {bool: "checkbox", dt.date: "date", int: "number"}
    return kinds.get(plain, "text"), []


def _field(name: str, info: FieldInfo, value: Any, hint: Any = None) -> FormField:
    plain, optional = _plain(info.annotation)
    kind, options = _kind(plain)
    help_text = info.description or ""
    if kind == "list":
        help_text += " (comma-separated)"
    return FormField(
        name=name,
        label=_label(name.rsplit(".", 1)[-1]),
        kind=kind,
        value=_shown(value),
        options=options,
        required=info.is_required() and not optional,
        help=help_text,
        example="" if kind in ("checkbox", "select") else _example(hint, help_text),
    )


def _groups(
    model: type[BaseModel],
    prefix: str,
    data: Mapping[str, Any],
    title: str,
    hints: Mapping[str, Any] | None = None,
) -> list[FormGroup]:
    """One group for the model's own scalar fields, then one per nested model or list item."""
    own: list[FormField] = []
    nested: list[FormGroup] = []
    for name, info in model.model_fields.items():
        if name == "schema_version":
            continue
        path = f"{prefix}{name}"
        plain, _ = _plain(info.annotation)
        value = data.get(name)
        hint = (hints or {}).get(name)
        inner = typing.get_args(plain)[0] if typing.get_origin(plain) is list else None
        if isinstance(plain, type) and issubclass(plain, BaseModel):
            sub = value if isinstance(value, Mapping) else {}
            sub_hints = hint if isinstance(hint, Mapping) else {}
            nested += _groups(plain, f"{path}.", sub, _label(name), sub_hints)
        elif isinstance(inner, type) and issubclass(inner, BaseModel):
            items = list(value) if isinstance(value, list) else []
            for index in range(len(items) + SPARE_ROWS):
                item = items[index] if index < len(items) else {}
                heading = (
                    f"{_label(name)} {index + 1}" if index < len(items) else f"Add {_label(name)}"
                )
                first = hint[0] if isinstance(hint, list) and hint else {}
                for group in _groups(inner, f"{path}.{index}.", item, heading, first):
                    group.name, group.removable = f"{path}.{index}", index < len(items)
                    nested.append(group)
        else:
            own.append(_field(path, info, value, hint))
    return ([FormGroup(title=title, fields=own)] if own else []) + nested


SPECIALTY_FIELDS = {"target.specialties": "choices", "specialty": "select"}
"""The fields holding specialty codes (the target list; a USCE entry's, under any index)."""


def _with_specialties(field_: FormField, names: Mapping[str, str]) -> FormField:
    """A specialty field as a choice from the list, each code with its name; a code the list
    does not hold (an imported profile's) stays, shown as it is."""
    kind = SPECIALTY_FIELDS.get(field_.name) or SPECIALTY_FIELDS.get(field_.name.rsplit(".")[-1])
    if kind is None or field_.name.startswith("target.") != (kind == "choices"):
        return field_
    values = field_.chosen if kind == "choices" else [field_.value] if field_.value else []
    extra = [v for v in values if v not in names]
    field_.kind, field_.options = kind, [*names, *extra]
    field_.labels = {code: f"{name} ({code})" for code, name in names.items()}
    field_.help = "" if kind == "choices" else field_.help
    field_.example = ""
    return field_


@functools.cache
def _template_hints() -> dict[str, Any]:
    """The profile template's (fictional) values, shown as hints beside empty fields."""
    return parse_profile(template_text()).model_dump(mode="python")


def profile_form(
    data: Mapping[str, Any], specialties: Mapping[str, str] | None = None
) -> list[FormGroup]:
    """The form's groups, filled from `data` (a profile dumped to a dict, or submitted values;
    empty for a new profile), each field with the template's value as a hint. With
    `specialties` (code -> name), the specialty fields are choices from that list."""
    groups = _groups(Profile, "", data, "Profile", _template_hints())
    if specialties:
        for group in groups:
            group.fields = [_with_specialties(f, specialties) for f in group.fields]
    return groups


def _is_blank(value: Any) -> bool:
    if isinstance(value, dict):
        return all(_is_blank(v) for v in value.values())
    return value is None or value is False or value == "" or value == []


def _set(node: dict[str, Any], parts: list[str], value: Any) -> None:
    """Put `value` at the dotted path; a path that is both a value and a section (`gaps=x`
    and `gaps.0.reason=y` in one form) is refused, naming the field."""
    for index, part in enumerate(parts[:-1]):
        node = node.setdefault(part, {})
        if not isinstance(node, dict):
            name = ".".join(parts[: index + 1])
            raise ProfileError(
                Problem(
                    f"the form sent '{name}' both as a value and as a section",
                    Location(field=name),
                )
            )
    if isinstance(node.get(parts[-1]), dict):
        name = ".".join(parts)
        raise ProfileError(
            Problem(
                f"the form sent '{name}' both as a value and as a section", Location(field=name)
            )
        )
    node[parts[-1]] = value


def _listify(node: Any) -> Any:
    """Turn dicts keyed by indices into lists, dropping blank rows and rows marked for removal."""
    if not isinstance(node, dict):
        return node
    if node and all(k.isdigit() for k in node):
        rows = [node[k] for k in sorted(node, key=int)]
        return [_listify(r) for r in rows if not _is_blank(r) and not r.pop(REMOVE, None)]
    return {k: _listify(v) for k, v in node.items() if not _is_blank(v) or k in ("specialties",)}


def form_to_data(form: Mapping[str, str]) -> dict[str, Any]:
    """Nested profile data from submitted form fields (empty fields are left out)."""
    data: dict[str, Any] = {}
    for name, raw in form.items():
        if name.startswith("csrf") or name == "csrftoken":
            continue
        value: Any = raw.strip()
        if name == "target.specialties":
            value = [s.strip().upper() for s in re.split(r"[,\s]+", raw) if s.strip()]
        elif name.endswith((".letter", f".{REMOVE}")):
            value = raw == "on"
        _set(data, name.split("."), value)
    result = _listify(data)
    assert isinstance(result, dict)
    return result


PLAIN_BY_FIELD = {
    "usmle_id": "write the USMLE ID like 1-234-567-8",
    "specialties": "choose at least one specialty from the list",
}
PLAIN = [
    (
        re.compile(r"^required field is missing|^String should have at least 1 character"),
        "fill this in",
    ),
    (re.compile(r"^Input should be a valid integer"), "write a whole number, such as 245"),
    (
        re.compile(r"^Input should be a valid date|^expected a date"),
        "write a date like 2026-06-30",
    ),
    (re.compile(r"^Input should be less than or equal to (\S+)"), r"at most \1"),
    (re.compile(r"^Input should be greater than or equal to (\S+)"), r"at least \1"),
    (re.compile(r"^Input should be (.*)$"), r"choose \1"),
]


def plain_words(name: str, message: str) -> str:
    """A validation message as an applicant would say it ("write the USMLE ID like
    1-234-567-8", "fill this in"), for the form; the CLI keeps the exact ones."""
    leaf = name.rsplit(".", 1)[-1]
    if leaf in PLAIN_BY_FIELD and not message.startswith("required"):
        return PLAIN_BY_FIELD[leaf]
    for pattern, words in PLAIN:
        if pattern.search(message):
            return pattern.sub(words, message.split(" (expected")[0], count=1)
    return message


def field_errors(error: ProfileError, groups: list[FormGroup]) -> dict[str, str]:
    """Form field name -> message (`usce[0].kind` -> `usce.0.kind`). A problem with a whole
    section (a missing table) is shown beside each required field of that section."""
    fields = [f for g in groups for f in g.fields]
    names = {f.name for f in fields}
    found: dict[str, str] = {}
    for problem in error.problems:
        name = re.sub(r"\[(\d+)\]", r".\1", problem.location.field or "")
        if name in names:
            found.setdefault(name, plain_words(name, problem.message))
            continue
        inside = [f.name for f in fields if f.name.startswith(name + ".") and f.required]
        for field_name in inside:
            found.setdefault(field_name, plain_words(field_name, problem.message))
        if not inside:
            found.setdefault("_form", f"{name or 'profile'}: {problem.message}")
    return found
