from datetime import date

import pytest

from factories import make_profile
from matchready.data import load_facts
from matchready.domain.visa import visa_advice

FACTS = load_facts()
STEP3 = {"status": "passed", "attempts": 1, "date": date(2025, 6, 1), "score": 230}


@pytest.mark.parametrize("status", ["us_citizen", "permanent_resident"])
def test_citizens_and_permanent_residents_need_no_visa(status: str) -> None:
    advice = visa_advice(make_profile(**{"applicant.immigration_status": status}), FACTS)
    assert not advice.needs_visa and not advice.options
    assert ("non-US IMGs" in " ".join(advice.reasons)) is (status == "permanent_resident")


@pytest.mark.parametrize(
    "status", ["outside_us", "j1", "h1b", "f1", "h4", "ead", "visitor", "other"]
)
def test_everyone_else_gets_both_options_with_conditions(status: str) -> None:
    advice = visa_advice(make_profile(**{"applicant.immigration_status": status}), FACTS)
    assert advice.needs_visa
    assert [o.route for o in advice.options] == ["J-1", "H-1B"]
    j1, h1b = advice.options
    assert "ECFMG" in j1.sponsor
    assert any("212(e)" in c for c in j1.consequences)
    assert any("Conrad 30 (up to 30 per state" in c for c in j1.consequences)
    step3 = next(c for c in h1b.conditions if "Step 3" in c.text)
    assert step3.met is False


def test_without_step3_j1_is_recommended() -> None:
    advice = visa_advice(make_profile(), FACTS)
    assert advice.recommendation.startswith("J-1 through ECFMG is the route open")


def test_with_step3_either_route_is_open_inside_the_us() -> None:
    profile = make_profile(**{"exams.step3": STEP3, "applicant.immigration_status": "f1"})
    advice = visa_advice(profile, FACTS)
    assert advice.recommendation.startswith("Either route")
    assert next(c for c in advice.options[1].conditions if "Step 3" in c.text).met is True


def test_with_step3_abroad_j1_is_the_likely_route_because_of_the_h1b_payment() -> None:
    advice = visa_advice(make_profile(**{"exams.step3": STEP3}), FACTS)
    assert advice.recommendation.startswith("J-1 through ECFMG is the likely route")
    assert "$100,000 payment" in advice.recommendation


def test_h1b_preference_without_step3_says_take_step3() -> None:
    advice = visa_advice(make_profile(**{"visa.preference": "h1b"}), FACTS)
    assert advice.recommendation.startswith("H-1B, as you prefer. Pass Step 3 first")


def test_j1_preference_and_statement_of_need_country() -> None:
    profile = make_profile(**{"visa.preference": "j1", "applicant.residence_country": "Elsewhere"})
    advice = visa_advice(profile, FACTS)
    assert advice.recommendation.startswith("J-1 through ECFMG, as you prefer")
    assert any("Elsewhere" in c.text for c in advice.options[0].conditions)


def test_a_current_j1_holder_is_told_to_check_212e() -> None:
    advice = visa_advice(make_profile(**{"applicant.immigration_status": "j1"}), FACTS)
    assert any("212(e)" in r for r in advice.reasons)
