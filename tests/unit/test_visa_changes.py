"""Visa advice with the 2025-26 changes: the H-1B $100,000 payment (abroad vs a change of status
inside the US), the travel-ban risk flag, and a recommendation that follows the preference."""

from datetime import date

from factories import make_profile
from matchready.data import load_facts
from matchready.domain.visa import visa_advice

FACTS = load_facts()
STEP3 = {"status": "passed", "attempts": 1, "date": date(2025, 6, 1), "score": 230}
ABROAD_H1B = {
    "applicant.immigration_status": "outside_us",
    "visa.preference": "h1b",
    "exams.step3": STEP3,
    "target.match_year": 2027,
}


def test_an_h1b_minded_applicant_abroad_is_told_of_the_payment_with_its_source() -> None:
    advice = visa_advice(make_profile(**ABROAD_H1B), FACTS)
    assert advice.recommendation.startswith("H-1B, as you prefer.")
    assert "$100,000 payment" in advice.recommendation
    assert "keep J-1 programs on your list as the fallback" in advice.recommendation
    [payment] = [r for r in advice.risks if r.kind == "h1b_payment"]
    assert payment.applies and payment.since == date(2025, 9, 21)
    assert payment.title == "H-1B $100,000 payment (applies to you)"
    assert "Programs may decline to petition for you" in payment.text
    assert payment.citations and payment.citations[0].standing == "secondary source"
    h1b = advice.options[1]
    assert any("$100,000 payment by the employer" in c for c in h1b.consequences)


def test_an_h4_holder_is_told_the_payment_does_not_apply_to_a_change_of_status() -> None:
    profile = make_profile(**{**ABROAD_H1B, "applicant.immigration_status": "h4"})
    advice = visa_advice(profile, FACTS)
    [payment] = [r for r in advice.risks if r.kind == "h1b_payment"]
    assert not payment.applies
    assert payment.title == "H-1B $100,000 payment (does not apply)"
    assert "does not apply to a change of status approved inside the US" in payment.text
    assert "H-4" in payment.text
    assert "stay in the US until the change of status is approved" in advice.recommendation


def test_an_f1_holder_wanting_either_route_hears_the_payment_does_not_apply() -> None:
    profile = make_profile(
        **{"applicant.immigration_status": "f1", "exams.step3": STEP3, "visa.preference": "either"}
    )
    advice = visa_advice(profile, FACTS)
    assert advice.recommendation.startswith("Either route is open")
    assert "does not apply to a change of status inside the US" in advice.recommendation


def test_an_applicant_abroad_without_a_preference_is_steered_to_j1_with_its_cost() -> None:
    profile = make_profile(**{**ABROAD_H1B, "visa.preference": "auto"})
    advice = visa_advice(profile, FACTS)
    assert advice.recommendation.startswith("J-1 through ECFMG is the likely route")
    assert "What it costs you: the two-year home residence requirement" in advice.recommendation


def test_a_j1_preference_says_what_it_costs() -> None:
    advice = visa_advice(make_profile(**{"visa.preference": "j1"}), FACTS)
    assert advice.recommendation.startswith("J-1 through ECFMG, as you prefer. What it costs you")


def test_a_citizen_of_a_restricted_country_sees_a_dated_risk_flag() -> None:
    profile = make_profile(**{"applicant.citizenship": "Nigeria", "target.match_year": 2027})
    advice = visa_advice(profile, FACTS)
    [risk] = [r for r in advice.risks if r.kind == "travel_restriction"]
    assert risk.applies and risk.since == date(2026, 1, 1)
    assert risk.title == "Travel restriction for citizens of Nigeria (from 2026-01-01)"
    assert "Proclamation of 2025-12-16" in risk.text
    assert "B-1, B-2, B-1/B-2, F, M, J" in risk.text and "The J-1 is among them" in risk.text
    assert "NRMP: Programs with matched applicants from a restricted country" in risk.text
    assert [c.standing for c in risk.citations] == ["secondary source", ""]


def test_the_june_2025_list_governs_the_2025_match_and_a_second_passport_helps() -> None:
    profile = make_profile(
        **{
            "applicant.citizenship": "Iran",
            "applicant.other_passports": ["Canada"],
            "target.match_year": 2025,
        }
    )
    [risk] = [r for r in visa_advice(profile, FACTS).risks if r.kind == "travel_restriction"]
    assert "Proclamation 10949, signed 2025-06-04, in force from 2025-06-09" in risk.text
    assert "entry on every visa is suspended" in risk.text
    assert "You also hold the citizenship of Canada" in risk.text
    assert risk.citations[0].verified


def test_no_flag_for_an_unlisted_country_or_before_a_list_applied() -> None:
    assert not [r for r in visa_advice(make_profile(), FACTS).risks if r.kind != "h1b_payment"]
    early = make_profile(**{"applicant.citizenship": "Nigeria", "target.match_year": 2025})
    assert not [r for r in visa_advice(early, FACTS).risks if r.kind == "travel_restriction"]
