import json
from datetime import date
from pathlib import Path

import pytest

from factories import make_profile
from matchready.data import load_facts
from matchready.domain.report import Plan
from matchready.errors import InputError
from matchready.services.plan import build_plan

FACTS = load_facts()
SCHEMA = Path(__file__).parents[2] / "docs" / "plan.schema.json"


def test_next_actions_are_in_date_order_with_undated_ones_last() -> None:
    profile = make_profile(
        **{
            "exams.step2ck": {"status": "not_taken"},
            "ecfmg.credentials": "not_started",
            "usce": [],
        }
    )
    plan = build_plan(profile, FACTS, date(2025, 7, 1), zone="America/New_York")
    assert plan.now.phase == "season_open"  # no phase actions of its own: checklist first
    dated = [a.due.on for a in plan.next_actions if a.due is not None and a.due.on is not None]
    assert dated == sorted(dated) and len(dated) >= 2
    first_undated = next(i for i, a in enumerate(plan.next_actions) if a.due is None)
    assert all(a.due is None for a in plan.next_actions[first_undated:])


def test_the_plan_shows_yog_at_application_and_at_start() -> None:
    profile = make_profile(**{"school.graduation": date(2019, 3, 1), "target.match_year": 2026})
    plan = build_plan(profile, FACTS, date(2025, 10, 1))
    texts = {p.label.split(" (")[0]: p.text for p in plan.yog.points}
    assert texts["at application"] == "6 years 6 months"  # to 2025-09-03
    assert texts["at program start"] == "7 years 4 months"  # to 2026-07-01
    assert any(f.key == "old_graduate" for f in plan.red_flags)


def test_unknowns_are_listed_not_guessed() -> None:
    profile = make_profile(**{"target.match_year": 2028, "communication": {"pathway": "none"}})
    plan = build_plan(profile, FACTS, date(2025, 10, 1))
    assert any("requirement for the 2028 Match is not in our sources" in n for n in plan.unknowns)
    assert plan.cycle and all(d.kind.value == "estimated" for d in plan.cycle)


def test_a_match_year_with_no_facts_and_no_pattern_is_refused() -> None:
    with pytest.raises(InputError, match="2035 Match has no dates in our sources"):
        build_plan(make_profile(**{"target.match_year": 2035}), FACTS, date(2025, 10, 1))


def test_the_documented_json_schema_is_up_to_date() -> None:
    schema = Plan.model_json_schema()
    assert json.loads(SCHEMA.read_text()) == schema, "run: make docs"
