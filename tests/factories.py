"""Builders for test profiles: a complete, valid profile as a dict, patched by dotted keys."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

from matchready.domain.applicant import Profile

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
