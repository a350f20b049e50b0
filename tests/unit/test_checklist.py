from datetime import date

import pytest

from factories import make_profile
from matchready.data import load_facts
from matchready.domain.ecfmg import checklist
from matchready.domain.facts import CalendarEvent, Facts
from matchready.domain.report import ItemState

FACTS = load_facts()
BEFORE_2026_DEADLINE = date(2025, 11, 1)


def states(as_of: date = BEFORE_2026_DEADLINE, facts: Facts = FACTS, **patches: object):  # type: ignore[no-untyped-def]
    items = checklist(make_profile(**patches), facts, as_of)
    return {item.key: item for item in items}


def test_a_complete_applicant_has_everything_done_but_the_certificate() -> None:
    items = states()
    assert [k for k, i in items.items() if i.state is not ItemState.DONE] == ["certificate"]
    assert items["certificate"].state is ItemState.TO_DO


def test_an_issued_certificate_is_done() -> None:
    assert states(**{"ecfmg.certificate_issued": date(2025, 10, 1)})["certificate"].state is (
        ItemState.DONE
    )


@pytest.mark.parametrize(
    ("note", "state"),
    [("yes", ItemState.DONE), ("no", ItemState.BLOCKED), ("unknown", ItemState.UNKNOWN)],
)
def test_school_eligibility_states(note: str, state: ItemState) -> None:
    assert states(**{"school.ecfmg_note": note})["school"].state is state


def test_a_blocked_school_blocks_the_certificate() -> None:
    items = states(**{"school.ecfmg_note": "no"})
    assert items["certificate"].state is ItemState.BLOCKED
    assert "school" in items["certificate"].detail


def test_missing_id_is_to_do_after_the_school() -> None:
    item = states(**{"ecfmg.usmle_id": None})["usmle_id"]
    assert item.state is ItemState.TO_DO
    assert item.after == ["school"]


@pytest.mark.parametrize(
    ("application", "form", "state"),
    [
        ("done", "done", ItemState.DONE),
        ("done", "in_progress", ItemState.IN_PROGRESS),
        ("not_started", "done", ItemState.IN_PROGRESS),
        ("not_started", "not_started", ItemState.TO_DO),
    ],
)
def test_application_states(application: str, form: str, state: ItemState) -> None:
    item = states(**{"ecfmg.application": application, "ecfmg.form_186": form})["application"]
    assert item.state is state


@pytest.mark.parametrize(
    ("exam", "state"),
    [
        ({"status": "passed", "attempts": 1, "date": date(2025, 1, 1)}, ItemState.DONE),
        ({"status": "scheduled", "attempts": 0, "date": date(2026, 1, 5)}, ItemState.IN_PROGRESS),
        ({"status": "not_taken"}, ItemState.TO_DO),
        ({"status": "failed", "attempts": 1, "date": date(2025, 1, 1)}, ItemState.TO_DO),
        ({"status": "failed", "attempts": 4, "date": date(2025, 1, 1)}, ItemState.BLOCKED),
    ],
)
def test_exam_states(exam: dict[str, object], state: ItemState) -> None:
    item = states(**{"exams.step2ck": exam})["step2ck"]
    assert item.state is state
    assert item.due is not None and item.due.on == date(2026, 3, 4)


def test_an_exam_not_passed_by_the_rank_list_deadline_is_blocked() -> None:
    item = states(as_of=date(2026, 3, 5), **{"exams.step2ck": {"status": "not_taken"}})["step2ck"]
    assert item.state is ItemState.BLOCKED
    assert "has passed" in item.detail


def test_an_unknown_deadline_is_shown_as_unknown() -> None:
    item = states(**{"target.match_year": 2035, "exams.step1": {"status": "not_taken"}})["step1"]
    assert item.due is not None and item.due.on is None and item.due.label == "unknown"


@pytest.mark.parametrize(
    ("communication", "state"),
    [
        ({"pathway": "step2_cs", "status": "not_started"}, ItemState.DONE),
        ({"pathway": "pathway6", "status": "accepted"}, ItemState.DONE),
        ({"pathway": "pathway6", "status": "applied"}, ItemState.IN_PROGRESS),
        ({"pathway": "none", "status": "not_started"}, ItemState.TO_DO),
    ],
)
def test_communication_states(communication: dict[str, object], state: ItemState) -> None:
    assert states(communication=communication)["communication"].state is state


def test_communication_for_a_match_year_beyond_our_sources_is_unknown() -> None:
    item = states(
        **{
            "target.match_year": 2028,
            "communication": {"pathway": "none", "status": "not_started"},
        }
    )["communication"]
    assert item.state is ItemState.UNKNOWN
    assert "2028 Match is not in our sources" in item.detail


def test_a_past_pathway_deadline_blocks_communication() -> None:
    facts = Facts(
        rules=FACTS.rules,
        calendar=(
            CalendarEvent.model_validate(
                {
                    "match_year": 2026,
                    "event": "pathways_deadline",
                    "date": "2025-10-01",
                    "summary": "test deadline",
                    "source": "test",
                    "as_of": "2025",
                    "status": "verified",
                }
            ),
        ),
    )
    item = states(facts=facts, communication={"pathway": "pathway6", "status": "applied"})[
        "communication"
    ]
    assert item.state is ItemState.BLOCKED


def test_oet_below_the_minimum_is_explained() -> None:
    oet = {
        "date": date(2025, 5, 1),
        "listening": 340,
        "reading": 360,
        "writing": 320,
        "speaking": 360,
    }
    item = states(communication={"pathway": "pathway3", "status": "not_started", "oet": oet})[
        "communication"
    ]
    assert "listening 340 < 350" in item.detail
    assert "writing" not in item.detail.split("minimum:")[1]


def test_oet_before_april_2022_needs_350_in_writing() -> None:
    oet = {
        "date": date(2022, 1, 10),
        "listening": 360,
        "reading": 360,
        "writing": 320,
        "speaking": 360,
    }
    item = states(communication={"pathway": "pathway3", "status": "not_started", "oet": oet})[
        "communication"
    ]
    assert "writing 320 < 350" in item.detail


@pytest.mark.parametrize(
    ("status", "state"),
    [
        ("done", ItemState.DONE),
        ("in_progress", ItemState.IN_PROGRESS),
        ("not_started", ItemState.TO_DO),
    ],
)
def test_credentials_states(status: str, state: ItemState) -> None:
    assert states(**{"ecfmg.credentials": status})["credentials"].state is state


def test_credentials_wait_for_graduation_and_block_after_the_start_date() -> None:
    waiting = states(
        **{"ecfmg.credentials": "not_started", "school.graduation": date(2026, 5, 1)}
    )["credentials"]
    assert waiting.state is ItemState.TO_DO and "after graduation" in waiting.detail
    late = states(**{"ecfmg.credentials": "not_started", "school.graduation": date(2026, 8, 1)})
    assert late["credentials"].state is ItemState.BLOCKED
    assert late["certificate"].state is ItemState.BLOCKED


def test_a_certificate_expected_after_the_start_is_blocked() -> None:
    item = states(**{"ecfmg.certificate_expected": date(2026, 8, 1)})["certificate"]
    assert item.state is ItemState.BLOCKED


def test_without_an_attempt_limit_fact_attempts_do_not_block() -> None:
    facts = Facts(
        rules=tuple(f for f in FACTS.rules if f.key != "usmle.attempt_limit"),
        calendar=FACTS.calendar,
    )
    exam = {"status": "failed", "attempts": 6, "date": date(2025, 1, 1)}
    assert states(facts=facts, **{"exams.step1": exam})["step1"].state is ItemState.TO_DO
