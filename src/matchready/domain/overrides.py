"""A user's own values of program requirements (server mode), and who a change is shown as.

On a shared server the program data is edited only by editors (an administrator grants the
role). Every other user's correction is their own *override*: kept per user, applied to their
own screening, and shown to them as "your value" beside the shared value. They can propose it
to the editors, who accept it (the shared value becomes it, and the override is no longer
needed) or decline it (the user keeps it as their own). Locally the one user is the editor.

An override is the user's decision about that requirement: in their view it replaces the
stated value, and the shared sources' values of that kind are set aside (still shown, no longer
counted), so that their correction decides their screening instead of a conflict.

History names accounts by an opaque marker (`account_marker`), never by email: a viewer sees
"you" for their own changes and "an editor" for anyone else's (`shown_as`).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime

from matchready.domain.program import Claim, ClaimSource, LcaEvidence, Program
from matchready.domain.requirements import Requirement, RequirementKind

ACCOUNT_PREFIX = "account:"
"""How history stores a change made by an account (its id, never its email)."""


class ProposalState(enum.StrEnum):
    """Where a user's value stands with the editors."""

    OWN = "own"  # kept for the user only, not proposed
    PROPOSED = "proposed"  # waiting for an editor
    DECLINED = "declined"  # an editor kept the shared value; the user keeps theirs


@dataclass(frozen=True)
class Override:
    """One user's own value of one requirement of one program."""

    owner: str
    program_key: str
    requirement: Requirement
    recorded_at: datetime | None = None
    proposal: ProposalState = ProposalState.OWN
    number: int | None = None  # the proposal's number (the stored row's), for editors

    @property
    def kind(self) -> RequirementKind:
        return self.requirement.kind


def your_value_claim(requirement: Requirement) -> Claim:
    """The user's value as a claim, shown beside the other sources as "your value"."""
    return Claim(
        requirement.kind,
        requirement.value,
        f"your value ({requirement.source})" if requirement.source else "your value",
        ClaimSource.OWN,
        requirement.verified_on,
    )


def apply_overrides(program: Program, overrides: Iterable[Override]) -> Program:
    """The program as its user sees it: each of their values in place of the stated one, the
    shared claims of that kind set aside, and their value among the sources."""
    mine = [o for o in overrides if o.program_key == program.key]
    if not mine:
        return program
    kinds = {o.kind for o in mine}
    claims = [
        replace(c, superseded=True) if c.kind in kinds and not c.superseded else c
        for c in program.claims
    ]
    claims += [your_value_claim(o.requirement) for o in mine]
    seen = program.with_requirements(o.requirement for o in mine)
    return replace(seen, claims=tuple(claims), h1b_evidence=_evidence(program, kinds))


def _evidence(program: Program, kinds: set[RequirementKind]) -> LcaEvidence | None:
    """LCA evidence stays shown on the page; it no longer counts against the user's own H-1B
    value (it is derived, so it is kept off the program when they set one)."""
    if RequirementKind.H1B_SPONSORED in kinds:
        return None
    return program.h1b_evidence


def account_marker(account_id: str) -> str:
    """What history stores for a change made by an account."""
    return f"{ACCOUNT_PREFIX}{account_id}"


def shown_as(changed_by: str, viewer: str | None) -> str:
    """Who a history entry is shown as to `viewer` (an account id, or None locally): "you" for
    their own changes, "an editor" for another account's; other entries (an import, the local
    user) as recorded. An email address is never shown."""
    if not changed_by.startswith(ACCOUNT_PREFIX):
        return changed_by
    mine = viewer is not None and changed_by[len(ACCOUNT_PREFIX) :] == viewer
    return "you" if mine else "an editor"
