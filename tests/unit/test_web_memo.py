"""The web results memo, and the program table updated after requirement edits."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from fakes import MemoryUnitOfWork
from matchready.domain.requirements import Requirement, RequirementKind, Strictness
from matchready.domain.screening_table import ProgramTable
from matchready.services.programs import import_programs
from matchready.services.screening import ProgramIndex, with_programs
from matchready.web.state import Memo

EXAMPLES = Path(__file__).parents[2] / "examples" / "programs" / "example_programs.csv"


def test_updating_edited_programs_equals_building_the_table_again() -> None:
    uow = MemoryUnitOfWork()
    import_programs(uow, EXAMPLES)
    with uow:
        programs = uow.programs.all()
    table = ProgramTable.build(programs)
    step2 = Requirement(RequirementKind.STEP2CK_MINIMUM, 250, Strictness.HARD, "test")
    edited = [programs[3].with_requirements([step2]), programs[40].with_requirements([step2])]
    updated = with_programs(table, edited)
    expected = list(programs)
    expected[3], expected[40] = edited
    again = ProgramTable.build(expected)
    assert updated is not None and updated.programs == again.programs
    for name in ("values", "strictness", "verified_days", "usce_hands_on"):
        np.testing.assert_array_equal(getattr(updated, name), getattr(again, name))
    assert with_programs(table, [replace(programs[0], acgme_number="9999999999")]) is None


def test_the_filter_index_matches_the_loop() -> None:
    uow = MemoryUnitOfWork()
    import_programs(uow, EXAMPLES)
    with uow:
        programs = uow.programs.all()
    table = ProgramTable.build(programs)
    index = ProgramIndex.of(table)
    name = programs[0].specialty or ""
    keep = index.keep(name.upper(), None)
    assert keep.sum() == sum(1 for p in programs if p.specialty == name)
    state = programs[0].state or ""
    both = index.keep(programs[0].specialty_code, state.lower())
    assert both.sum() == sum(
        1 for p in programs if p.specialty_code == programs[0].specialty_code and p.state == state
    )


def test_the_memo_keeps_the_most_recently_used_results_only() -> None:
    memo = Memo(size=2)
    calls: list[str] = []

    def compute(key: str) -> str:
        calls.append(key)
        return key.upper()

    assert memo.get("a", lambda: compute("a")) == "A"
    assert memo.get("b", lambda: compute("b")) == "B"
    assert memo.get("a", lambda: compute("a")) == "A"  # kept; a is now the most recent
    assert memo.get("c", lambda: compute("c")) == "C"  # b goes
    assert memo.get("b", lambda: compute("b")) == "B"
    assert calls == ["a", "b", "c", "b"] and len(memo) == 2


def test_a_failed_computation_is_not_kept() -> None:
    memo = Memo()

    def fail() -> str:
        raise ValueError("bad input")

    with pytest.raises(ValueError):
        memo.get("k", fail)
    assert memo.get("k", lambda: "ok") == "ok"
