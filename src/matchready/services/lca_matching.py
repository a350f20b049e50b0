"""Match LCA employers to stored institutions: normalised names, city and state (rapidfuzz).

An employer is compared with every institution that has a program in its state; the score is
rapidfuzz's token-sort ratio of the normalised names, plus 5 when the city is one of the
institution's programs' cities (at most 100). At `MATCHED` or above the match is taken; from
`UNCERTAIN` it is listed for review (`matchready programs lca review`); below, no match.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

MATCHED = 92.0
UNCERTAIN = 75.0
CITY_BONUS = 5.0

_DROP = {
    "inc", "llc", "llp", "lp", "corp", "corporation", "co", "company", "the", "dba", "pc",
    "pa", "ltd", "of", "and", "at", "a", "plc", "pllc", "d/b/a",
}  # fmt: skip
_EXPAND = {
    "univ": "university",
    "hosp": "hospital",
    "hosps": "hospitals",
    "med": "medical",
    "ctr": "center",
    "cntr": "center",
    "centre": "center",
    "hlth": "health",
    "sys": "system",
    "svcs": "services",
    "st": "saint",
    "mt": "mount",
    "reg": "regional",
    "cmty": "community",
}


def normalise_name(name: str) -> str:
    """An organisation's name reduced to its words: lower case, no punctuation, no legal
    suffixes, common abbreviations spelled out ('Univ. Hosp. Med. Ctr., Inc.' ->
    'university hospital medical center')."""
    words = re.sub(r"[^a-z0-9 ]", " ", name.lower().replace("&", " and ")).split()
    return " ".join(_EXPAND.get(w, w) for w in words if w not in _DROP)


@dataclass(frozen=True)
class Place:
    """A stored institution and where its programs are."""

    key: str  # the institution's code, else its name
    name: str
    places: frozenset[tuple[str, str]]  # (CITY, ST) of its programs


@dataclass(frozen=True)
class Match:
    """The best institution for an employer, its score and what it means."""

    institution: str | None
    score: float | None
    status: str  # matched, uncertain, unmatched


def best_match(employer: str, city: str, state: str, places: Sequence[Place]) -> Match:
    """The institution an employer most likely is (see the module docstring)."""
    candidates = [p for p in places if any(s == state for _, s in p.places)]
    if not candidates:
        return Match(None, None, "unmatched")
    names = [normalise_name(p.name) for p in candidates]
    scored = process.extract(
        normalise_name(employer), names, scorer=fuzz.token_sort_ratio, limit=5
    )
    best: tuple[float, Place] | None = None
    for _name, score, index in scored:
        place = candidates[index]
        total = min(100.0, float(score) + (CITY_BONUS if (city, state) in place.places else 0.0))
        if best is None or total > best[0]:
            best = (total, place)
    assert best is not None
    score, place = best
    if score >= MATCHED:
        return Match(place.key, round(score, 1), "matched")
    if score >= UNCERTAIN:
        return Match(place.key, round(score, 1), "uncertain")
    return Match(None, round(score, 1), "unmatched")


def places_of(rows: Iterable[tuple[str, str, str | None, str | None]]) -> list[Place]:
    """Institutions from (key, name, city, state) rows, one per key."""
    found: dict[str, tuple[str, set[tuple[str, str]]]] = {}
    for key, name, city, state in rows:
        entry = found.setdefault(key, (name, set()))
        if city and state:
            entry[1].add((" ".join(city.split()).upper(), state.upper()))
        elif state:
            entry[1].add(("", state.upper()))
    return [Place(k, n, frozenset(p)) for k, (n, p) in sorted(found.items())]
