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
