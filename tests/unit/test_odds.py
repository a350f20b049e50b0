import math
from datetime import date

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factories import make_profile
from matchready.data import load_facts
from matchready.domain import odds
from matchready.services.odds import cohorts_of, estimate_odds

FACTS = load_facts()
ESTIMABLE = [
    s.code
    for s in FACTS.specialties
    if s.code != "ALL" and not isinstance(cohorts_of(s, FACTS), str)
]


def cohorts(code: str) -> odds.Cohorts:
    found = cohorts_of(FACTS.specialty(code), FACTS)
    assert isinstance(found, odds.Cohorts)
    return found


def test_the_main_img_specialties_are_estimable() -> None:
    assert {"IM", "FM", "PEDS", "NEURO", "PSYCH", "PATH", "GS", "ANES"} <= set(ESTIMABLE)


def normal(x: np.ndarray, mu: float, sd: float) -> np.ndarray:
    return np.exp(-0.5 * ((x - mu) / sd) ** 2) / (sd * math.sqrt(2 * math.pi))


@pytest.mark.parametrize("code", ESTIMABLE)
def test_averaged_over_the_published_cohorts_the_model_returns_the_published_rate(
    code: str,
) -> None:
    c = cohorts(code)
    p = odds.point(c)
    sd = float(p.sd[0])
    x = np.arange(100.0, 400.0, 0.05)
    mixture = c.rate * normal(x, c.step2_matched, sd) + (1 - c.rate) * normal(
        x, c.step2_unmatched, sd
    )
    posterior = np.array([odds.probability(p, float(v), None)[0] for v in x[::4]])
    averaged = float(np.sum(posterior * mixture[::4]) * 0.05 * 4)
    assert averaged == pytest.approx(c.rate, abs=1e-3)
    # the same for the number of ranks (log-normal in k)
    y = np.arange(-6.0, 8.0, 0.01)
    s = c.ranks_log_sd
    mix = c.rate * normal(y, math.log(c.ranks_matched_median), s) + (1 - c.rate) * normal(
        y, math.log(c.ranks_unmatched_median), s
    )
    prior = math.log(c.rate / (1 - c.rate))  # the likelihood model itself, without the k >= 1 rule
    post = np.array(
        [1 / (1 + math.exp(-prior - odds.ranks_log_ratio(p, math.exp(v))[0])) for v in y]
    )
    assert float(np.sum(post * mix) * 0.01) == pytest.approx(c.rate, abs=1e-3)


@pytest.mark.parametrize("code", ESTIMABLE)
def test_matched_cohort_profiles_score_above_the_rate_and_unmatched_below(code: str) -> None:
    c = cohorts(code)
    p = odds.point(c)
    if c.step2_matched > c.step2_unmatched:
        assert odds.probability(p, c.step2_matched, None)[0] > c.rate
        assert odds.probability(p, c.step2_unmatched, None)[0] < c.rate
    else:  # e.g. Family Medicine: no separation, so no effect
        assert odds.probability(p, 300, None)[0] == pytest.approx(c.rate)


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from(ESTIMABLE),
    st.integers(min_value=200, max_value=290),
    st.integers(min_value=0, max_value=20),
    st.integers(min_value=1, max_value=60),
    st.integers(min_value=0, max_value=20),
)
def test_a_higher_score_or_more_ranks_never_lowers_the_odds(
    code: str, score: int, more_score: int, ranks: int, more_ranks: int
) -> None:
    d = odds.draw(cohorts(code), 200, seed=1)
    base = odds.probability(d, score, ranks)
    assert np.all(odds.probability(d, score + more_score, ranks) >= base - 1e-12)
    assert np.all(odds.probability(d, score, ranks + more_ranks) >= base - 1e-12)


def test_ranking_nothing_gives_no_chance() -> None:
    assert odds.probability(odds.point(cohorts("IM")), 250, 0)[0] == 0


def profile_with_score(score: int, **patches: object):  # type: ignore[no-untyped-def]
    exam = {"status": "passed", "attempts": 1, "date": date(2025, 3, 1), "score": score}
    return make_profile(**{"exams.step2ck": exam, **patches})


def test_estimates_are_reproducible_and_carry_range_year_and_source() -> None:
    a = estimate_odds(profile_with_score(245), FACTS, "IM", 5)
    b = estimate_odds(profile_with_score(245), FACTS, "IM", 5)
    assert a == b
    assert a.estimate is not None
    assert a.estimate.low < a.estimate.estimate < a.estimate.high
    assert a.data_year == "2026" and a.citations


def test_what_ifs_move_the_right_way_and_unsupported_ones_say_why() -> None:
    result = estimate_odds(profile_with_score(240), FACTS, "IM", 3)
    by_label = {w.label.split(" (")[0]: w for w in result.what_ifs}
    assert by_label["Step 2 CK +10"].change.estimate > 0
    assert by_label["if you had 5 more interviews"].change.estimate > 0
    assert by_label["if you had 5 more interviews"].label == (
        "if you had 5 more interviews (and ranked 8)"
    )
    assert by_label["one more year since graduation"].estimate is None
    assert "does not tabulate YOG" in by_label["one more year since graduation"].reason


def test_inputs_the_data_cannot_support_are_named_with_what_is_needed() -> None:
    result = estimate_odds(profile_with_score(240), FACTS, "IM", 3)
    names = [u.name for u in result.unsupported]
    assert names == ["year of graduation", "USMLE attempts", "US clinical experience", "visa need"]
    assert all(u.why and u.needed for u in result.unsupported)
    assert result.unsupported[0].sentence().startswith("Not used: year of graduation (")


def test_without_ranks_the_what_ifs_show_several_list_lengths() -> None:
    result = estimate_odds(profile_with_score(240), FACTS, "IM")
    values = [w.estimate.estimate for w in result.what_ifs if w.label.startswith("if you had")]
    assert len(values) == 3 and values == sorted(values)


def test_an_unknown_score_is_left_out_not_guessed() -> None:
    profile = make_profile(**{"exams.step2ck": {"status": "not_taken"}})
    result = estimate_odds(profile, FACTS, "IM")
    assert result.inputs["Step 2 CK"].startswith("not known")
    assert result.estimate is not None
    im = FACTS.specialty("IM")
    assert im is not None and im.match_rate_pct is not None
    # no score: the specialty's published match rate of non-US IMGs, read from the facts
    assert result.estimate.estimate == pytest.approx(im.match_rate_pct / 100, abs=0.01)


@pytest.mark.parametrize(
    ("code", "reason"),
    [("DERM", "not published"), ("IMPEDS", "too few data"), ("XYZ", "no published figures")],
)
def test_no_number_where_the_data_cannot_support_one(code: str, reason: str) -> None:
    result = estimate_odds(profile_with_score(250), FACTS, code)
    assert result.estimate is None
    assert reason in (result.refused or "")


def test_us_citizens_get_the_applicant_type_adjustment_stated_as_an_assumption() -> None:
    citizen = estimate_odds(
        profile_with_score(245, **{"applicant.immigration_status": "us_citizen"}), FACTS, "IM", 4
    )
    other = estimate_odds(profile_with_score(245), FACTS, "IM", 4)
    assert citizen.applicant_type == "us_img"
    assert citizen.estimate.estimate > other.estimate.estimate
    assert any(
        a.startswith("Stand-in: as a US citizen you are a US IMG")
        and "non-US IMGs' figures stand in" in a
        for a in citizen.assumptions
    )


def test_every_parameter_is_drawn_per_draw() -> None:
    d = odds.draw(cohorts("IM"), 50, seed=3)
    for name in (
        "rate",
        "step2_matched",
        "step2_unmatched",
        "sd",
        "ranks_matched",
        "ranks_unmatched",
    ):
        values = getattr(d, name)
        assert values.shape == (50,), name
        assert len(set(values.tolist())) > 1, name
