"""Use case: check the sources of a facts release (for the maintainers of the facts).

`audit_facts` reports rows whose source is secondary, whose figure is stale for its kind, that
lack `applies_to` or do not validate, and a verified row whose source is not an official domain;
with `online=True` it fetches every source page and reports the dead ones and those whose
content changed since the digest stored with the row (`content_sha256`).
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from pathlib import Path
from urllib.parse import urlparse

from pydantic import BaseModel, ValidationError

from matchready.data.loader import FILES, bundled_dir, official_domains
from matchready.io.pages import check_pages

_URL = re.compile(r"https?://[^\s),;]+")

#: How old (in years from `as_of` to today) the latest row of a key may be before it is stale.
MAX_AGE_YEARS: dict[str, int] = {
    "fees.csv": 1,
    "signals.csv": 1,
    "rules.csv": 5,
    "specialties.csv": 3,
    "travel_restrictions.csv": 1,
}


class FindingKind(StrEnum):
    INVALID = "invalid"  # the row does not validate
    UNSCOPED = "unscoped"  # no applies_to
    NOT_OFFICIAL = "not_official"  # verified, but the source is not an official domain
    SECONDARY = "secondary"  # the source is secondary
    STALE = "stale"  # older than its kind of fact allows
    DEAD = "dead"  # the source page does not answer (--online)
    CHANGED = "changed"  # the page's text changed since its digest was stored (--online)
    UNHASHED = "unhashed"  # no digest stored to compare with (--online)


#: Findings that mean the release needs work before it ships.
SERIOUS = frozenset(
    {
        FindingKind.INVALID,
        FindingKind.UNSCOPED,
        FindingKind.NOT_OFFICIAL,
        FindingKind.DEAD,
        FindingKind.CHANGED,
    }
)


@dataclass(frozen=True)
class Finding:
    """One thing the audit found about one row (file and line) of the release."""

    kind: FindingKind
    file: str
    line: int
    what: str
    detail: str
    source: str = ""


@dataclass(frozen=True)
class _Row:
    file: str
    line: int
    what: str
    raw: dict[str, str]


def source_url(source: str) -> str | None:
    """The first http(s) URL in a row's source text, if any."""
    found = _URL.search(source)
    return found.group(0).rstrip(".") if found else None


def is_official(url: str, domains: tuple[str, ...]) -> bool:
    host = (urlparse(url).hostname or "").lower().removeprefix("www.")
    return any(host == d or host.endswith("." + d) for d in domains)


def _what(name: str, raw: dict[str, str]) -> str:
    parts = [raw.get(k, "") for k in ("key", "event", "specialty", "code", "country")]
    year = raw.get("match_year") or raw.get("season") or raw.get("applies_to") or ""
    label = next((p for p in parts if p), "?")
    return f"{name.removesuffix('.csv')}: {label} {year}".strip()


def _read(folder: Path) -> list[_Row]:
    rows: list[_Row] = []
    for name in FILES:
        with (folder / name).open(newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            for raw in reader:
                clean = {k: (v or "").strip() for k, v in raw.items() if k is not None}
                rows.append(_Row(name, reader.line_num, _what(name, clean), clean))
    return rows


def _validate(row: _Row) -> str | None:
    model: type[BaseModel] = FILES[row.file]
    values = {k: v for k, v in row.raw.items() if v != ""}
    try:
        model.model_validate(values)
    except ValidationError as error:
        item = error.errors()[0]
        where = ".".join(str(p) for p in item["loc"])
        return f"{where}: {item['msg']}" if where else str(item["msg"])
    return None


def _latest_per_key(rows: list[_Row]) -> list[_Row]:
    """The newest row of each key (by applies_to start) in files whose rows go stale."""
    best: dict[tuple[str, str], _Row] = {}
    for row in rows:
        if row.file not in MAX_AGE_YEARS:
            continue
        ident = (row.file, _ident(row))
        start = (row.raw.get("applies_to") or "0")[:4]
        old = best.get(ident)
        if old is None or (old.raw.get("applies_to") or "0")[:4] <= start:
            best[ident] = row
    return list(best.values())


def _ident(row: _Row) -> str:
    raw = row.raw
    tier = raw.get("tier_from", "")
    return (
        "|".join(raw.get(k, "") for k in ("key", "specialty", "code", "country", "level"))
        + f"|{tier}"
    )


def audit_facts(
    directory: Path | None = None, today: date | None = None, online: bool = False
) -> list[Finding]:
    """Every finding about the release in `directory` (the installed one by default)."""
    folder = directory or bundled_dir()
    today = today or date.today()
    domains = official_domains(folder)
    rows = _read(folder)
    findings: list[Finding] = []
    valid: list[_Row] = []
    for row in rows:
        source = row.raw.get("source", "")
        if not row.raw.get("applies_to"):
            findings.append(
                Finding(
                    FindingKind.UNSCOPED, row.file, row.line, row.what, "no applies_to", source
                )
            )
        problem = _validate(row)
        if problem is not None:
            findings.append(
                Finding(FindingKind.INVALID, row.file, row.line, row.what, problem, source)
            )
            continue
        valid.append(row)
        url = source_url(source)
        if row.raw.get("status") == "verified" and (url is None or not is_official(url, domains)):
            findings.append(
                Finding(
                    FindingKind.NOT_OFFICIAL,
                    row.file,
                    row.line,
                    row.what,
                    "verified, but the source is not on an official domain",
                    source,
                )
            )
        if row.raw.get("source_kind") == "secondary":
            reason = row.raw.get("note", "") or "no official source found"
            findings.append(
                Finding(FindingKind.SECONDARY, row.file, row.line, row.what, reason, source)
            )
    for row in _latest_per_key(valid):
        age = today.year - int(row.raw["as_of"][:4])
        if age > MAX_AGE_YEARS[row.file]:
            findings.append(
                Finding(
                    FindingKind.STALE,
                    row.file,
                    row.line,
                    row.what,
                    f"as of {row.raw['as_of']}: {age} years old, more than the "
                    f"{MAX_AGE_YEARS[row.file]} its kind of fact allows",
                    row.raw.get("source", ""),
                )
            )
    if online:
        findings += _online(valid)
    return findings


def _online(rows: list[_Row]) -> list[Finding]:
    citing: dict[str, list[_Row]] = defaultdict(list)
    for row in rows:
        url = source_url(row.raw.get("source", ""))
        if url is not None:
            citing[url].append(row)
    findings: list[Finding] = []
    for check in check_pages(citing):
        for row in citing[check.url]:
            stored = row.raw.get("content_sha256") or None
            if not check.answered:
                why = f"HTTP {check.status}" if check.status else (check.error or "no answer")
                kind, detail = FindingKind.DEAD, f"the page does not answer ({why})"
            elif stored is None:
                kind, detail = FindingKind.UNHASHED, f"no digest stored; now {check.digest}"
            elif stored != check.digest:
                kind, detail = FindingKind.CHANGED, f"the page changed: now {check.digest}"
            else:
                continue
            findings.append(Finding(kind, row.file, row.line, row.what, detail, check.url))
    return findings
