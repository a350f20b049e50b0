"""Builders for test profiles: a complete, valid profile as a dict, patched by dotted keys."""

from __future__ import annotations

import copy
import re
from datetime import UTC, date, datetime
from typing import Any

import pytest

from matchready.domain.applicant import Profile
from matchready.domain.tracker import Application, AppState, Change

BASE: dict[str, Any] = {
    "applicant": {
        "name": "Test Applicant (fictional)",
        "citizenship": "Testland",
        "residence_country": "Testland",
        "immigration_status": "outside_us",
    },
    "school": {
        "name": "Test School (fictional)",
        "country": "Testland",
        "world_directory_listed": "yes",
        "ecfmg_note": "yes",
        "graduation": date(2025, 6, 30),
    },
    "ecfmg": {
        "usmle_id": "1-111-111-1",
        "application": "done",
        "form_186": "done",
        "credentials": "done",
    },
    "exams": {
        "step1": {"status": "passed", "attempts": 1, "date": date(2024, 3, 1)},
        "step2ck": {"status": "passed", "attempts": 1, "date": date(2025, 3, 1), "score": 255},
        "step3": {"status": "not_taken"},
    },
    "communication": {"pathway": "pathway3", "status": "accepted", "match_year": 2026},
    "target": {"match_year": 2026, "specialties": ["IM"]},
    "usce": [
        {
            "kind": "externship",
            "institution": "Test Hospital (fictional)",
            "specialty": "IM",
            "start": date(2025, 7, 1),
            "end": date(2025, 9, 30),
            "letter": True,
        }
    ],
}


def profile_data(**patches: Any) -> dict[str, Any]:
    """BASE with `patches` applied; keys are dotted paths ('exams__step1__attempts' or
    'exams.step1.attempts'); a value of None removes the key."""
    data = copy.deepcopy(BASE)
    for dotted, value in patches.items():
        parts = dotted.replace("__", ".").split(".")
        node = data
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        if value is None:
            node.pop(parts[-1], None)
        else:
            node[parts[-1]] = value
    return data


def make_profile(**patches: Any) -> Profile:
    return Profile.model_validate(profile_data(**patches))


def tracked(program: str, specialty: str, *states: str, **fields: Any) -> Application:
    """A tracked application whose history walks through `states` (after 'added')."""
    at = datetime(2025, 9, 1, 12, tzinfo=UTC)
    moves = [AppState.PLANNED, *(AppState(s) for s in states)]
    return Application(
        program, specialty, tuple(Change(s, None, at, "test") for s in moves), **fields
    )


def path_to(target: AppState) -> list[AppState]:
    """A shortest way from 'planned' to `target` through the transition table."""
    from matchready.domain.tracker import TRANSITIONS

    paths: dict[AppState, list[AppState]] = {AppState.PLANNED: []}
    queue = [AppState.PLANNED]
    while queue:
        state = queue.pop(0)
        for nxt in sorted(TRANSITIONS[state]):
            if nxt not in paths:
                paths[nxt] = [*paths[state], nxt]
                queue.append(nxt)
    return paths[target]


def refused(kind: type[BaseException], message: str) -> pytest.RaisesExc[BaseException]:
    """`pytest.raises` for exactly `message` (the whole text, not a part of it)."""
    return pytest.raises(kind, match=f"^{re.escape(message)}$")
