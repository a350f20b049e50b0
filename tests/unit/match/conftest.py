"""Shared builders for Match engine tests."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest

from matchready.match import Applicant, Couple, Instance, Program, Reversion, SupplementalList

DATA = Path(__file__).parent / "data"

Builder = Callable[..., Instance]


def build_instance(
    capacities: Mapping[str, int],
    applicants: Mapping[str, Sequence[str | None]],
    programs: Mapping[str, Sequence[str]],
    couples: Sequence[tuple[str, str]] = (),
    kinds: Mapping[str, str] | None = None,
    supplemental: Mapping[str, Sequence[tuple[Sequence[str], Sequence[str]]]] | None = None,
    reversions: Sequence[tuple[str, str]] = (),
) -> Instance:
    """An instance from plain dictionaries (program order = ``capacities`` order)."""
    kinds = kinds or {}
    supplemental = supplemental or {}
    return Instance(
        programs=tuple(
            Program(p, c, tuple(programs.get(p, ())), kinds.get(p, "categorical"))  # type: ignore[arg-type]
            for p, c in capacities.items()
        ),
        applicants=tuple(
            Applicant(
                a,
                tuple(ranks),
                tuple(SupplementalList(tuple(k), tuple(r)) for k, r in supplemental.get(a, ())),
            )
            for a, ranks in applicants.items()
        ),
        couples=tuple(Couple(a, b) for a, b in couples),
        reversions=tuple(Reversion(d, r) for d, r in reversions),
    )


@pytest.fixture
def build() -> Builder:
    return build_instance


@pytest.fixture(scope="session")
def examples() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((DATA / "reference_examples.json").read_text())
    return data


@pytest.fixture(scope="session")
def nrmp_8x4(examples: dict[str, Any]) -> Instance:
    e = examples["nrmp_8x4"]
    return build_instance(e["capacities"], e["applicants"], e["programs"])


def random_market(
    seed: int,
    applicants: int,
    programs: int,
    couples: int = 0,
    supplemental: bool = False,
    reversions: int = 0,
) -> Instance:
    """An uncorrelated random market for property tests: short lists, small capacities, couples
    with shared programs and "No Match" sides, advanced programs with supplemental lists."""
    import random

    rng = random.Random(seed)
    names = [f"p{i}" for i in range(programs)]
    kinds = dict.fromkeys(names, "categorical")
    if supplemental and programs >= 3:
        kinds[names[0]] = "advanced"
        kinds[names[1]] = "preliminary"
        kinds[names[2]] = "preliminary"
    people = [f"a{i}" for i in range(applicants)]
    lists: dict[str, list[str | None]] = {}
    extra: dict[str, list[tuple[list[str], list[str]]]] = {}
    for person in people:
        lists[person] = list(rng.sample(names, rng.randint(0, min(4, programs))))
    pairs: list[tuple[str, str]] = []
    for c in range(min(couples, applicants // 2)):
        first, second = people[2 * c], people[2 * c + 1]
        length = rng.randint(1, 5)
        options: list[str | None] = [*names, None]
        lists[first] = [rng.choice(options) for _ in range(length)]
        lists[second] = [rng.choice(options) for _ in range(length)]
        for row in range(length):  # a (No Match, No Match) row is refused by validation
            if lists[first][row] is None and lists[second][row] is None:
                lists[second][row] = rng.choice(names)
        pairs.append((first, second))
    if supplemental and programs >= 3:
        for person in people:
            if names[0] in lists[person]:
                pgy1 = rng.sample(names[1:3], rng.randint(1, 2))
                extra[person] = [([names[0]], pgy1)]
    ranked: dict[str, list[str]] = {p: [] for p in names}
    for person in people:
        wanted = {p for p in lists[person] if p is not None}
        wanted |= {p for _, r in extra.get(person, []) for p in r}
        for choice in sorted(wanted):
            if rng.random() < 0.85:
                ranked[choice].append(person)
    for program in names:
        rng.shuffle(ranked[program])
    capacities = {p: rng.randint(0, 3) for p in names}
    chains = [(names[i], names[i + 1]) for i in range(3, min(programs - 1, 3 + reversions))]
    return build_instance(capacities, lists, ranked, pairs, kinds, extra, chains)
