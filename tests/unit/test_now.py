"""The plan's first screen: phase, next deadline, phase-fitting actions, overdue, Match over."""

from datetime import date
from pathlib import Path

from typer.testing import CliRunner

from factories import make_profile
from matchready.cli.app import app
from matchready.data import load_facts
from matchready.domain.report import ItemState
from matchready.domain.yog import Elapsed, calendar_months
from matchready.io.profile import load_profile
from matchready.services.plan import build_plan
from matchready.services.profile_screening import screening_applicant

FACTS = load_facts()
EXAMPLES = Path(__file__).parents[2] / "examples" / "profiles"
RECENT = EXAMPLES / "recent-graduate-j1.toml"
OLDER = EXAMPLES / "older-graduate-h1b.toml"
LATER = EXAMPLES / "us-citizen-img.toml"


def run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, list(args), env={"COLUMNS": "80", "NO_COLOR": "1"})


def test_a_2027_applicant_in_december_is_in_interview_season() -> None:
    plan = build_plan(load_profile(RECENT), FACTS, date(2026, 12, 1))
    now = plan.now
    assert (now.match_year, now.phase, now.phase_estimated) == (2027, "interviews", True)
    assert now.time_zone == "Africa/Lagos" and not now.match_over
    # not registered with the NRMP yet: the standard registration deadline comes first
    assert now.next_deadline is not None
    assert now.next_deadline.basis == (
        "NRMP standard registration deadline (late fee after), 2027 Match"
    )
    assert now.next_deadline.label.startswith("2027-01-31, 11:59 pm ET (estimated: ")
    assert now.days_to_next_deadline == 62  # 5:59 am on 1 February in Lagos
    assert now.next_phase_title == (
        "Ranking (rank order list open until the certification deadline)"
    )
    assert [a.title for a in now.actions] == [
        "Attend your interviews and keep notes on each program for ranking.",
        "Register for the 2027 Main Residency Match with the NRMP (R3 system).",
        "Prepare your rank order list: rank only programs you would attend.",
    ]
    # the due date follows the action itself; how to say "done already" is in the reason
    assert now.actions[1].why.endswith(
        "Registered already? Enter the day in your profile ('Registered with the NRMP on'; "
        "target.nrmp_registered in the file)."
    )
    assert [a.due.on if a.due else None for a in now.actions] == [
        None,
        date(2027, 1, 31),
        date(2027, 3, 3),
    ]
    titles = " ".join(a.title for a in plan.next_actions)
    assert "personal statement" not in titles and "Screen programs" not in titles


def test_a_registered_applicant_is_not_asked_to_register_and_sees_the_rank_list_deadline() -> None:
    plan = build_plan(load_profile(OLDER), FACTS, date(2026, 12, 1))  # registered 2026-09-22
    now = plan.now
    assert now.next_deadline is not None
    assert now.next_deadline.basis == "Rank order list deadline, 2027 Match"
    assert now.next_deadline.on == date(2027, 3, 3)
    assert not any("Register for" in a.title for a in plan.next_actions)


def test_after_the_standard_registration_deadline_registration_is_due_by_the_rank_list() -> None:
    profile = make_profile(**{"target.match_year": 2027})
    plan = build_plan(profile, FACTS, date(2027, 2, 10), zone="America/New_York")
    assert plan.now.phase == "ranking"
    register = plan.now.actions[:1]  # unregistered, the rank list would not be used at all
    assert register[0].title.startswith("Register for") and "late fee" in register[0].why
    assert register[0].due is not None and register[0].due.on == date(2027, 3, 3)
    assert not register[0].overdue


def test_application_advice_comes_before_the_interview_season_and_drops_out_after() -> None:
    profile = make_profile(
        **{"school.graduation": date(2018, 6, 30), "target.match_year": 2027, "usce": []}
    )
    before = build_plan(profile, FACTS, date(2026, 7, 1), zone="America/New_York")
    after = build_plan(profile, FACTS, date(2026, 12, 1), zone="America/New_York")
    assert before.now.phase == "season_open" and after.now.phase == "interviews"
    before_titles = " ".join(a.title for a in before.next_actions)
    after_titles = " ".join(a.title for a in after.next_actions)
    assert "personal statement" in before_titles and "externship" in before_titles
    assert "personal statement" not in after_titles and "externship" not in after_titles
    assert before.now.next_deadline is not None
    assert before.now.next_deadline.basis == (
        "submit your applications before programs start reviewing them, 2027 Match"
    )
    assert before.now.next_phase_title == "Applications to programs"
    assert not any("Register for" in a.title for a in before.next_actions)  # not open yet


def test_ranking_phase_puts_the_rank_list_and_exam_results_first() -> None:
    profile = make_profile(
        **{
            "target.match_year": 2027,
            "target.nrmp_registered": date(2026, 9, 22),
            "exams.step2ck": {"status": "scheduled"},
        }
    )
    plan = build_plan(profile, FACTS, date(2027, 2, 10), zone="America/New_York")
    assert plan.now.phase == "ranking"
    first, second = plan.now.actions[:2]
    assert "certify your rank order list" in first.title
    assert "Step 2 CK" in second.title and second.due is not None
    assert plan.now.days_to_next_deadline == 21


def test_past_items_are_overdue_never_open() -> None:
    profile = make_profile(
        **{
            "target.match_year": 2027,
            "ecfmg.credentials": "not_started",
            "school.graduation": date(2020, 6, 30),
        }
    )
    plan = build_plan(profile, FACTS, date(2027, 7, 10), zone="America/New_York")
    open_states = (ItemState.TO_DO, ItemState.IN_PROGRESS, ItemState.UNKNOWN)
    for item in plan.checklist:
        if item.due is not None and item.due.on is not None and item.due.on < plan.as_of:
            assert item.state not in open_states, item.key
    credentials = {i.key: i for i in plan.checklist}["credentials"]
    assert credentials.state is ItemState.OVERDUE
    for action in plan.next_actions:
        if action.due is not None and action.due.on is not None and action.due.on < plan.as_of:
            assert action.overdue
    assert all(a.overdue for a in plan.now.overdue) and plan.now.overdue
    assert not any(a.overdue for a in plan.now.actions)


def test_a_target_match_that_is_over_is_said_plainly_with_the_next_cycle() -> None:
    plan = build_plan(make_profile(), FACTS, date(2026, 12, 1), zone="America/New_York")
    assert plan.now.match_over and plan.now.phase == "after_match"
    assert plan.now.headline.startswith("The 2026 Match ended on 2026-03-20")
    assert "2027 Match is the next cycle" in plan.now.headline
    assert any(d.event == "rol_deadline" for d in plan.now.next_cycle)


def test_yog_at_application_is_one_number_in_plan_flags_and_screening() -> None:
    profile = load_profile(OLDER)
    day = date(2026, 12, 1)
    plan = build_plan(profile, FACTS, day)
    point = next(p for p in plan.yog.points if p.label.startswith("at application"))
    months = point.months_since_graduation
    assert months == 89  # 2019-03-15 to the estimated 2026-09-02
    flag = next(f for f in plan.red_flags if f.key == "old_graduate")
    assert str(Elapsed(months)) in flag.cause
    # screening counts the same dates in calendar months (never floored); the box shows whole ones
    screened = screening_applicant(profile, FACTS, day).months_since_graduation
    assert point.on is not None
    assert screened == calendar_months(profile.school.graduation, point.on)
    assert int(screened) == months


def test_plan_summary_prints_only_the_first_screen() -> None:
    result = run("plan", str(RECENT), "--as-of", "2026-12-01", "--summary")
    assert result.exit_code == 0, result.output
    assert "Now — 2027 Match" in result.output and "Interview season" in result.output
    words = " ".join(result.output.replace("│", " ").split())
    assert "2027-01-31, 11:59 pm ET" in words and "in 62 days" in words
    assert "2027-03-03 (estimated)" in words  # the rank list, among the actions
    assert "ECFMG checklist" not in result.output
    full = run("plan", str(RECENT), "--as-of", "2026-12-01")
    assert full.output.index("Now — 2027 Match") < full.output.index("ECFMG checklist")


def test_plan_for_2028_shows_estimated_dates() -> None:
    result = run("plan", str(LATER), "--as-of", "2026-12-01", "--summary")
    assert result.exit_code == 0, result.output
    assert "Now — 2028 Match" in result.output and "(estimated" in result.output
    assert "unknown" not in result.output


def test_plan_bad_input_is_one_line_and_exit_1(tmp_path: Path) -> None:
    for day in ("1999-06-01", "2099-06-01"):
        result = run("plan", str(RECENT), "--as-of", day)
        assert result.exit_code == 1 and "out of range" in result.output
        assert "Traceback" not in result.output
    bad_zone = tmp_path / "zone.toml"
    bad_zone.write_text(RECENT.read_text().replace("Africa/Lagos", "Africa/Atlantis"))
    result = run("plan", str(bad_zone))
    assert result.exit_code == 1 and "Africa/Atlantis" in result.output
    assert "is not a time zone" in result.output
    far = tmp_path / "far.toml"
    far.write_text(RECENT.read_text().replace("match_year = 2027", "match_year = 2035"))
    result = run("plan", str(far), "--as-of", "2026-12-01")
    assert result.exit_code == 1 and "2035 Match has no dates" in result.output


def test_profile_check_warns_about_a_target_match_that_is_over(tmp_path: Path) -> None:
    over = tmp_path / "over.toml"
    over.write_text(RECENT.read_text().replace("match_year = 2027", "match_year = 2026"))
    result = run("profile", "check", str(over))
    assert result.exit_code == 0, result.output
    assert "warning: the 2026 Match ended on 2026-03-20" in result.output
    ok = run("profile", "check", str(RECENT))
    assert ok.exit_code == 0 and "warning" not in ok.output


def test_target_warnings() -> None:
    from matchready.domain.cycle import target_warnings

    [over] = target_warnings(FACTS, 2026, date(2026, 12, 1))
    assert over.startswith("the 2026 Match ended on 2026-03-20 (Match Day); the next cycle")
    assert "2027-03-03" in over
    assert target_warnings(FACTS, 2027, date(2026, 12, 1)) == []
    assert "no dates in our sources" in target_warnings(FACTS, 2035, date(2026, 12, 1))[0]
