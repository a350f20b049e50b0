from datetime import date

import pytest

from factories import make_profile
from matchready.data import load_facts
from matchready.domain.flags import red_flags
from matchready.domain.report import Severity
from matchready.domain.yog import Elapsed

FACTS = load_facts()
AS_OF = date(2025, 11, 1)


RECENT = Elapsed(6)


def flags(yog: Elapsed | None = RECENT, **patches: object) -> dict[str, Severity]:
    found = red_flags(make_profile(**patches), FACTS, AS_OF, yog)
    return {f.key: f.severity for f in found}


def test_a_strong_recent_applicant_has_no_red_flag() -> None:
    assert flags() == {}


def test_flags_come_most_severe_first() -> None:
    found = red_flags(
        make_profile(**{"school.ecfmg_note": "no", "usce": []}), FACTS, AS_OF, Elapsed(70)
    )
    ranks = [f.severity.rank for f in found]
    assert ranks == sorted(ranks) and found[0].severity is Severity.CRITICAL


@pytest.mark.parametrize(
    ("note", "expected"),
    [("yes", None), ("unknown", Severity.MEDIUM), ("no", Severity.CRITICAL)],
)
def test_school_flag(note: str, expected: Severity | None) -> None:
    found = flags(**{"school.ecfmg_note": note})
    key = "school_not_eligible" if note == "no" else "school_eligibility_unknown"
    assert found.get(key) is expected


def test_a_failed_attempt_is_a_high_flag_with_its_evidence() -> None:
    profile = make_profile(
        **{"exams.step1": {"status": "passed", "attempts": 2, "date": date(2024, 1, 1)}}
    )
    (flag,) = red_flags(profile, FACTS, AS_OF, Elapsed(6))
    assert flag.key == "exam_attempts" and flag.severity is Severity.HIGH
    assert flag.evidence == ["Step 1: 1 failed attempt"]
    assert "74.1%" in flag.cause and flag.citations


def test_four_failed_attempts_reach_the_limit() -> None:
    found = flags(**{"exams.step3": {"status": "failed", "attempts": 4, "date": date(2025, 1, 1)}})
    assert found["attempt_limit_reached"] is Severity.CRITICAL


@pytest.mark.parametrize(
    ("months", "expected"),
    [
        (23, None),
        (24, Severity.LOW),
        (36, Severity.MEDIUM),
        (59, Severity.MEDIUM),
        (60, Severity.HIGH),
    ],
)
def test_old_graduate_thresholds_come_from_the_facts(
    months: int, expected: Severity | None
) -> None:
    assert flags(yog=Elapsed(months)).get("old_graduate") is expected


def test_the_old_graduate_flag_says_it_is_a_rule_of_thumb() -> None:
    (flag,) = red_flags(make_profile(), FACTS, AS_OF, Elapsed(40))
    assert flag.rule_of_thumb and "rules of thumb" in flag.cause


def test_no_yog_flag_without_a_reference_date() -> None:
    assert "old_graduate" not in flags(yog=None)


@pytest.mark.parametrize(
    ("score", "expected"),
    [(251, None), (250, Severity.MEDIUM), (243, Severity.MEDIUM), (242, Severity.HIGH)],
)
def test_step2ck_against_the_matched_and_unmatched_medians(
    score: int, expected: Severity | None
) -> None:
    found = flags(**{"exams.step2ck.score": score})
    assert found.get("step2ck_below_matched_im") is expected


def test_step2ck_flag_is_per_specialty_and_skips_specialties_without_data() -> None:
    found = flags(
        **{"exams.step2ck.score": 245, "target.specialties": ["IM", "FM", "DERM", "XYZ"]}
    )
    assert "step2ck_below_matched_im" in found
    assert "step2ck_below_matched_fm" not in found  # FM matched median 230
    assert not any(k.endswith(("derm", "xyz")) for k in found)


def test_no_hands_on_usce_is_high_and_observership_only_is_medium() -> None:
    assert flags(usce=[])["no_hands_on_usce"] is Severity.HIGH
    observership = {
        "kind": "observership",
        "institution": "X",
        "start": date(2025, 1, 1),
        "end": date(2025, 2, 1),
        "letter": True,
    }
    found = flags(usce=[observership])
    assert found["no_hands_on_usce"] is Severity.MEDIUM
    assert "no_us_letters" not in found


def test_no_us_letters() -> None:
    assert "no_us_letters" in flags(usce=[{**_externship(), "letter": False}])


def _externship() -> dict[str, object]:
    return {
        "kind": "externship",
        "institution": "X",
        "start": date(2025, 1, 1),
        "end": date(2025, 3, 1),
        "letter": True,
    }


def test_unexplained_gaps_only() -> None:
    explained = {"start": date(2023, 1, 1), "end": date(2023, 6, 1), "reason": "Research"}
    unexplained = {"start": date(2024, 1, 1), "end": date(2024, 6, 1)}
    assert "unexplained_gaps" not in flags(gaps=[explained])
    assert "unexplained_gaps" in flags(gaps=[explained, unexplained])


def test_h1b_without_step3() -> None:
    assert "h1b_without_step3" in flags(**{"visa.preference": "h1b"})
    passed = {"status": "passed", "attempts": 1, "date": date(2025, 6, 1), "score": 230}
    assert "h1b_without_step3" not in flags(**{"visa.preference": "h1b", "exams.step3": passed})
    assert "h1b_without_step3" not in flags(**{"visa.preference": "j1"})
    assert "h1b_without_step3" not in flags(
        **{"visa.preference": "h1b", "applicant.immigration_status": "permanent_resident"}
    )


def test_communication_missing() -> None:
    missing = {"pathway": "none", "status": "not_started"}
    profile = make_profile(communication=missing)
    early = red_flags(profile, FACTS, date(2025, 6, 1), Elapsed(6))  # 276 days before the ROL
    assert {f.key: f.severity for f in early}["communication_missing"] is Severity.MEDIUM
    near = red_flags(profile, FACTS, date(2025, 11, 1), Elapsed(6))  # 123 days before
    assert {f.key: f.severity for f in near}["communication_missing"] is Severity.HIGH
    assert "communication_missing" not in flags()


def test_graduation_after_the_start_is_critical() -> None:
    found = flags(**{"school.graduation": date(2026, 7, 15)})
    assert found["graduation_after_start"] is Severity.CRITICAL


def test_certificate_expected_late() -> None:
    assert "certificate_late" in flags(**{"ecfmg.certificate_expected": date(2026, 9, 1)})
    assert "certificate_late" not in flags(**{"ecfmg.certificate_expected": date(2026, 5, 1)})
