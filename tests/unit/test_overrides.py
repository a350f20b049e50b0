"""A user's own values (domain/overrides) and the service rules, on the in-memory fakes."""

from __future__ import annotations

from datetime import date

import pytest

from fakes import MemoryUnitOfWork
from matchready.domain.overrides import Override, ProposalState, apply_overrides, shown_as
from matchready.domain.program import Claim, ClaimSource, Program
from matchready.domain.requirements import Requirement, RequirementKind, Strictness
from matchready.errors import NotAllowedError, NotFoundError
from matchready.services.overrides import (
    LOCAL_ACTOR,
    Actor,
    Scope,
    correct_requirement,
    decide_proposal,
    list_proposals,
    propose_override,
)
from matchready.services.programs import RequirementEdit

J1 = RequirementKind.J1_SPONSORED
TODAY = date(2026, 11, 25)
SHARED = Requirement(J1, True, Strictness.HARD, "https://example.org/im", date(2026, 1, 10))
PROGRAM = Program(
    "Example IM (fictional)",
    acgme_number="1403621075",
    requirements=(SHARED,),
    claims=(Claim(J1, True, "https://example.org/im", ClaimSource.IMPORT, date(2026, 1, 10)),),
)
MINE = Requirement(J1, False, Strictness.HARD, "coordinator email", date(2026, 11, 20))
ANA = Actor("a1", False, "account:a1")
EDA = Actor("e1", True, "account:e1")


def test_an_override_replaces_the_value_and_sets_the_shared_sources_aside() -> None:
    seen = apply_overrides(PROGRAM, [Override("a1", PROGRAM.key, MINE)])
    assert seen.requirement(J1) == MINE
    assert seen.conflict(J1) == ()
    assert [(c.source, c.superseded) for c in seen.claims] == [
        ("https://example.org/im", True),
        ("your value (coordinator email)", False),
    ]
    assert apply_overrides(PROGRAM, [Override("a1", "1203100001", MINE)]) is PROGRAM


def test_history_names_accounts_as_you_or_an_editor() -> None:
    assert shown_as("account:a1", "a1") == "you"
    assert shown_as("account:a1", "b2") == "an editor"
    assert shown_as("account:a1", None) == "an editor"
    assert shown_as("user (programs.csv)", "a1") == "user (programs.csv)"


def _edit(value: str) -> RequirementEdit:
    return RequirementEdit(PROGRAM.key, "j1_sponsored", value, "hard", "coordinator email")


def test_a_non_editors_correction_is_kept_as_theirs_and_proposals_need_an_editor() -> None:
    uow = MemoryUnitOfWork()
    with uow:
        uow.programs.save(PROGRAM, None)
        uow.commit()
    done = correct_requirement(uow, _edit("no"), ANA, TODAY)
    assert done.scope is Scope.YOURS and done.change is not None
    assert done.change.old == SHARED and done.change.new.value is False
    assert correct_requirement(uow, _edit("no"), ANA, TODAY).change is None
    with uow:
        assert uow.programs.find(PROGRAM.key) == PROGRAM  # shared: untouched
        assert [o.proposal for o in uow.overrides.of("a1")] == [ProposalState.OWN]
    with pytest.raises(NotFoundError):
        propose_override(uow, ANA, PROGRAM.key, RequirementKind.STEP2CK_MINIMUM)
    number = propose_override(uow, ANA, PROGRAM.key, J1).number
    assert number is not None
    with pytest.raises(NotAllowedError):
        list_proposals(uow, ANA)
    with pytest.raises(NotAllowedError):
        decide_proposal(uow, ANA, number, accept=True)
    assert [p.proposed.value for p in list_proposals(uow, EDA)] == [False]
    change = decide_proposal(uow, EDA, number, accept=True)
    assert change is not None and change.changed_by == "account:e1"
    with uow:
        program = uow.programs.find(PROGRAM.key)
        assert uow.overrides.of("a1") == []
    assert program is not None and program.requirement(J1).value is False
    assert program.conflict(J1) == ()  # accepting settles it: the import's claim is set aside


def test_the_local_user_is_the_editor() -> None:
    uow = MemoryUnitOfWork()
    with uow:
        uow.programs.save(PROGRAM, None)
        uow.commit()
    done = correct_requirement(uow, _edit("no"), LOCAL_ACTOR, TODAY)
    assert done.scope is Scope.SHARED
    assert done.change is not None and done.change.changed_by == "local user"
