"""Costs: ERAS tiers against the AAMC's own examples, unknown fees, and the total's wording."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from factories import make_profile, tracked
from matchready.data import load_facts
from matchready.domain.costs import (
    CostStatus,
    eras_program_lines,
    estimate_costs,
    fee_schedule,
    submitted_counts,
    tiered_amount,
)
from matchready.domain.facts import Facts
from matchready.errors import InputError
from matchready.services.costs import cost_estimate, program_counts

FACTS = load_facts()
ON = date(2025, 8, 1)


@pytest.mark.parametrize(
    ("counts", "expected", "seasons"),
    [
        # Emergency Medicine left ERAS for ResidencyCAS from the 2026 Match (CORD-EM).
        ({"EM": 30}, 330, (2025,)),
        ({"IM": 43, "DR": 7}, 797, (2025, 2026)),
        ({"IM": 32, "EM": 32}, 780, (2025,)),
    ],
    ids=["30-EM", "43-IM-7-DR", "32-IM-32-EM"],
)
def test_eras_fees_match_the_aamc_examples(
    counts: dict[str, int], expected: int, seasons: tuple[int, ...]
) -> None:
    for season in seasons:
        lines = eras_program_lines(FACTS, season, counts)
        assert sum(line.amount_usd or 0 for line in lines) == expected
        assert all(line.status is CostStatus.VERIFIED for line in lines)
        assert all(line.citations for line in lines)


def test_a_season_without_a_published_fee_falls_back_and_says_so() -> None:
    [line] = eras_program_lines(FACTS, 2027, {"IM": 40})
    assert line.amount_usd == 30 * 11 + 10 * 30 and line.schedule_season == 2026
    assert "at the 2026 schedule; the 2027 fee is not published" in line.basis
    assert line.label == "$630 (at the 2026 schedule)"
    schedule = fee_schedule(FACTS, "eras.program", 2028)
    assert schedule.season == 2026 and schedule.fallback
    assert schedule.note == "at the 2026 schedule; the 2028 fee is not published"
    assert not fee_schedule(FACTS, "eras.program", 2026).fallback


def test_a_fee_with_no_published_schedule_is_unknown_never_zero() -> None:
    [line] = eras_program_lines(Facts(), 2027, {"IM": 40})
    assert line.amount_usd is None and line.status is CostStatus.UNKNOWN
    assert "2027" in line.basis
    # an earlier schedule only: a later season's fees are never carried back
    later_only = Facts(fees=tuple(f for f in FACTS.fees if f.match_year == 2026))
    assert eras_program_lines(later_only, 2025, {"IM": 40})[0].amount_usd is None


def test_a_passed_profile_pays_only_season_fees_2026() -> None:
    profile = make_profile()
    result = estimate_costs(profile, FACTS, ON, {"IM": 30}, ranks=25, travel_usd=1000)
    by_key = {line.key: line for line in result.lines}
    assert "usmle.step1" not in by_key and "oet.medicine" not in by_key
    assert by_key["eras.programs.IM"].amount_usd == 330
    assert by_key["eras.usmle_transcript"].amount_usd == 80
    assert by_key["eras.token"].amount_usd == 165
    assert by_key["eras.token"].status is CostStatus.UNVERIFIED
    # NRMP fees: not published for 2026, so the 2024 schedule (secondary, unverified)
    assert by_key["nrmp.registration"].amount_usd == 70
    assert by_key["nrmp.registration"].schedule_season == 2024
    assert by_key["nrmp.extra_rank"].amount_usd == 5 * 30
    assert by_key["travel"].status is CostStatus.USER
    assert result.known_total_usd == 330 + 80 + 165 + 70 + 150 + 1000
    assert result.unknown_items == 0 and result.spent_total_usd == 0
    assert result.total_text == "$1,795 (2 at an earlier published schedule; 4 unverified)"


def test_fees_due_before_today_are_spent_not_ahead() -> None:
    profile = make_profile(**{"target.match_year": 2027})
    before = estimate_costs(profile, FACTS, date(2026, 8, 1), {"IM": 30}, ranks=25)
    assert not any(line.spent for line in before.lines)
    after = estimate_costs(profile, FACTS, date(2026, 12, 1), {"IM": 30}, ranks=25)
    spent = {line.key for line in after.lines if line.spent}
    assert spent == {"eras.token", "eras.programs.IM", "eras.usmle_transcript"}
    assert after.spent_total_usd == 165 + 330 + 80
    assert after.known_total_usd == 70 + 150  # NRMP registration and extra ranks still ahead
    assert after.total_text.endswith("already spent: $575")
    late = estimate_costs(profile, FACTS, date(2027, 3, 10), {"IM": 30}, ranks=25)
    assert all(line.spent for line in late.lines) and late.known_total_usd == 0


def test_nrmp_registration_is_due_now_while_open_and_spent_once_registered() -> None:
    unregistered = make_profile(**{"target.match_year": 2027})
    december = estimate_costs(unregistered, FACTS, date(2026, 12, 1), {"IM": 30})
    line = next(x for x in december.lines if x.key == "nrmp.registration")
    assert not line.spent and line.amount_usd == 70
    assert "Due now: registration is open and the standard deadline is 2027-01-31" in line.basis
    february = estimate_costs(unregistered, FACTS, date(2027, 1, 20), {"IM": 30})
    assert "2027-01-31" in next(x for x in february.lines if x.key == "nrmp.registration").basis
    august = estimate_costs(unregistered, FACTS, date(2026, 8, 1), {"IM": 30})
    assert "Due now" not in next(x for x in august.lines if x.key == "nrmp.registration").basis
    registered = make_profile(
        **{"target.match_year": 2027, "target.nrmp_registered": date(2026, 9, 22)}
    )
    paid = estimate_costs(registered, FACTS, date(2026, 12, 1), {"IM": 30})
    line = next(x for x in paid.lines if x.key == "nrmp.registration")
    assert line.spent and line.basis.endswith("Spent: paid when you registered (2026-09-22)")
    assert paid.known_total_usd == december.known_total_usd - 70
    assert paid.spent_total_usd == december.spent_total_usd + 70


def test_the_tracker_s_submitted_applications_are_counted_and_spent() -> None:
    submitted = tracked("1111140C0", "IM", "submitted")
    interviewed = tracked("2222140C0", "IM", "submitted", "withdrawn")
    never_sent = tracked("3333140C0", "IM", "withdrawn")
    planned = tracked("4444120C0", "FM")
    apps = [submitted, interviewed, never_sent, planned]
    assert submitted_counts(apps) == {"IM": 2}
    profile = make_profile(**{"target.match_year": 2027})
    result = cost_estimate(profile, FACTS, date(2026, 9, 10), programs=40, applications=apps)
    by_key = {line.key: line for line in result.lines}
    assert by_key["eras.programs.IM"].title == "ERAS applications, IM (2)"
    assert by_key["eras.programs.IM"].spent and by_key["eras.programs.IM"].amount_usd == 22
    assert any("counted from your tracker: IM 2" in n for n in result.notes)


def test_remaining_exams_and_oet_are_unknown_lines() -> None:
    profile = make_profile(
        **{
            "exams.step2ck": {"status": "scheduled"},
            "communication": {"pathway": "none", "status": "not_started"},
            "visa.preference": "h1b",
        }
    )
    keys = {line.key for line in estimate_costs(profile, FACTS, ON, {}).lines}
    assert {"usmle.step2ck", "usmle.step3", "ecfmg.pathways", "oet.medicine"} <= keys
    assert "usmle.step1" not in keys


def test_nrmp_extra_ranks_use_the_tiers_of_their_year() -> None:
    fees = tuple(f for f in FACTS.fees if f.match_year == 2017)
    facts = Facts(fees=tuple(f.model_copy(update={"match_year": 2026}) for f in fees))
    result = estimate_costs(make_profile(), facts, ON, {}, ranks=25)
    by_key = {line.key: line for line in result.lines}
    assert by_key["nrmp.registration"].amount_usd == 75
    assert by_key["nrmp.extra_rank"].amount_usd == 5 * 30
    assert any("number of programs" in note for note in result.notes)


def test_without_unknowns_the_total_is_exact() -> None:
    result = estimate_costs(make_profile(), Facts(), ON, {}, travel_usd=10)
    assert result.unknown_items == 3
    only_travel = result.model_copy(update={"unknown_items": 0, "unverified_items": 0})
    assert only_travel.total_text == "$10"


def test_program_counts() -> None:
    profile = make_profile(**{"target.specialties": ["IM", "fm"]})
    assert program_counts(profile, 10, None) == {"IM": 10, "FM": 10}
    assert program_counts(profile, None, {"im": 5}) == {"IM": 5}
    assert program_counts(profile, None, None) == {}
    with pytest.raises(InputError, match="not both"):
        cost_estimate(profile, FACTS, ON, programs=3, per_specialty={"IM": 4})


def test_a_specialty_outside_eras_is_not_charged_eras_fees() -> None:
    lines = eras_program_lines(FACTS, 2026, {"OBGYN": 20, "IM": 10})
    by_key = {line.key: line for line in lines}
    assert by_key["applications.OBGYN"].amount_usd is None
    assert "ResidencyCAS" in by_key["applications.OBGYN"].title
    assert by_key["applications.OBGYN"].citations
    assert by_key["eras.programs.IM"].amount_usd == 110


@given(st.integers(min_value=0, max_value=600))
def test_eras_tiers_follow_the_published_formula(n: int) -> None:
    tiers = FACTS.fee_tiers("eras.program", 2026)
    assert tiered_amount(tiers, n) == 11 * min(n, 30) + 30 * max(n - 30, 0)


def test_em_is_priced_through_residencycas_never_eras() -> None:
    profile = make_profile(**{"target.match_year": 2028, "target.specialties": ["FM", "EM"]})
    result = estimate_costs(profile, FACTS, date(2026, 12, 1), {"FM": 40, "EM": 20})
    by_key = {line.key: line for line in result.lines}
    assert "eras.programs.EM" not in by_key
    em = by_key["applications.EM"]
    assert em.title == "ResidencyCAS applications, EM (20)"
    assert em.amount_usd == 99 + 2 * 18  # $99 for 1-18, then $18 each (2026 schedule)
    assert em.schedule_season == 2026 and "the 2028 fee is not published" in em.basis
    assert by_key["eras.programs.FM"].amount_usd == 30 * 11 + 10 * 30
    assert by_key["residencycas.em.usmle_transcript"].amount_usd == 80
    assert by_key["eras.usmle_transcript"].amount_usd == 80
    em_only = make_profile(**{"target.match_year": 2028, "target.specialties": ["EM"]})
    keys = {
        line.key for line in estimate_costs(em_only, FACTS, date(2026, 12, 1), {"EM": 20}).lines
    }
    assert "eras.token" not in keys and "eras.usmle_transcript" not in keys
