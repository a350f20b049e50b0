"""The couple stability definitions of the audit (issue 19; docs/decisions/0005).

The minimal case: program P (1 place) ranks B, X, A; single X ranks P; couple A+B ranks
(P, No Match) then (No Match, P). The engine returns B at P. Under the adopted definition
("own-seat") and Manlove-McBride-Trimble's, that is stable: P would have to prefer A to B, and
it does not. Under "vacated" (both partners' places count as free), (P, No Match) blocks, and
then none of the four possible matchings is stable.
"""

from __future__ import annotations

import pytest

from conftest import Builder
from matchready.match import Assignment, Instance, check_stability, run_match

MATCHINGS: dict[str, dict[str, Assignment]] = {
    "nobody": {},
    "X at P": {"X": Assignment("P", 1)},
    "A at P": {"A": Assignment("P", 1)},
    "B at P": {"B": Assignment("P", 2)},
}


@pytest.fixture
def minimal(build: Builder) -> Instance:
    return build(
        {"P": 1},
        {"X": ["P"], "A": ["P", None], "B": [None, "P"]},
        {"P": ["B", "X", "A"]},
        couples=[("A", "B")],
    )


def blocking(instance: Instance, matching: str, definition: str) -> list[str]:
    assignments = {a.id: Assignment() for a in instance.applicants} | MATCHINGS[matching]
    found = check_stability(
        instance,
        assignments,
        {"P": 1},
        definition=definition,  # type: ignore[arg-type]
    )
    assert found.violations == ()
    return [str(pair) for pair in found.blocking]


def test_the_engine_returns_b_at_p_and_calls_it_stable(minimal: Instance) -> None:
    for engine in ("fast", "reference"):
        result = run_match(minimal, engine=engine)  # type: ignore[arg-type]
        assert result.matched() == {"X": None, "A": None, "B": "P"}
        assert result.stable and result.blocking == ()


@pytest.mark.parametrize("definition", ["own-seat", "mmt"])
def test_b_at_p_is_the_only_stable_matching_when_the_partners_seat_is_held(
    minimal: Instance, definition: str
) -> None:
    assert blocking(minimal, "B at P", definition) == []
    assert blocking(minimal, "nobody", definition) == [
        "single X and P",
        "couple A+B and P, No Match",
        "couple A+B and No Match, P",
    ]
    assert blocking(minimal, "X at P", definition) == ["couple A+B and No Match, P"]
    assert blocking(minimal, "A at P", definition) == ["single X and P"]


def test_with_both_seats_vacated_no_matching_is_stable(minimal: Instance) -> None:
    assert blocking(minimal, "B at P", "vacated") == ["couple A+B and P, No Match"]
    assert blocking(minimal, "nobody", "vacated") == [
        "single X and P",
        "couple A+B and P, No Match",
        "couple A+B and No Match, P",
    ]
    assert blocking(minimal, "X at P", "vacated") == ["couple A+B and No Match, P"]
    assert blocking(minimal, "A at P", "vacated") == ["single X and P"]


def test_same_program_pair_own_seat_and_mmt_differ(build: Builder) -> None:
    # P (2 places) holds X and Y and ranks A, X, B, Y; the couple ranks (P, P) only. A
    # responsive P prefers {A, B} to {X, Y} (A over X, B over Y): Manlove-McBride-Trimble's
    # type-4 pair blocks. Choosing from {X, Y, A, B} P keeps A and X, not B: no block under the
    # adopted definition.
    instance = build(
        {"P": 2},
        {"X": ["P"], "Y": ["P"], "A": ["P"], "B": ["P"]},
        {"P": ["A", "X", "B", "Y"]},
        couples=[("A", "B")],
    )
    assignments = {
        "X": Assignment("P", 1),
        "Y": Assignment("P", 1),
        "A": Assignment(),
        "B": Assignment(),
    }
    assert check_stability(instance, assignments, {"P": 2}).blocking == ()
    mmt = check_stability(instance, assignments, {"P": 2}, definition="mmt")
    assert [str(p) for p in mmt.blocking] == ["couple A+B and P, P"]


def test_unknown_definition_is_refused(minimal: Instance) -> None:
    with pytest.raises(ValueError, match="unknown stability definition 'weak'"):
        check_stability(minimal, {}, {"P": 1}, definition="weak")  # type: ignore[arg-type]
