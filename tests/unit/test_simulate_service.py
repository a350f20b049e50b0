"""One answer, two views: the market simulation beside the odds model for the same inputs."""

from __future__ import annotations

from pathlib import Path

import pytest

from matchready.data import load_facts
from matchready.domain.applicant import ImmigrationStatus
from matchready.domain.interval import Interval
from matchready.io.profile import load_profile
from matchready.services.odds import agreement_tolerance, estimate_odds, with_step2ck
from matchready.services.simulate import agreement_of, measured_difference, simulate_odds
from matchready.simulation.applicant import Strategy

FACTS = load_facts()
PROFILE = load_profile(
    Path(__file__).parents[2] / "examples" / "profiles" / "older-graduate-h1b.toml"
)
TINY = {"runs": 3, "scale": 0.02, "workers": 1}


def test_the_headline_names_both_views_and_the_agreement_is_stated() -> None:
    result = simulate_odds(PROFILE, FACTS, Strategy("IM", 4), **TINY)  # type: ignore[arg-type]
    odds = estimate_odds(PROFILE, FACTS, "IM", 4)
    assert result.odds_model == odds
    assert result.headline.startswith("P(match to IM) ≈ ")
    assert f"odds model {odds.estimate}" in result.headline
    assert result.agreement.tolerance_points == 10.0
    sim = result.simulation.in_specialty.estimate
    assert result.agreement.difference_points == 100 * (sim - odds.estimate.estimate)  # type: ignore[union-attr]
    assert result.agreement.reasons[0].startswith("The odds model is Bayes' rule")
    assert result.unsupported[0].name == "year of graduation"


def test_views_far_apart_are_reported_as_differing_with_reasons() -> None:
    result = simulate_odds(PROFILE, FACTS, Strategy("IM", 4, prelim=3), **TINY)  # type: ignore[arg-type]
    odds = result.odds_model
    assert odds.estimate is not None
    far = Interval(estimate=min(odds.estimate.high + 0.2, 1.0), low=0.9, high=1.0)
    report = result.simulation.model_copy(update={"in_specialty": far})
    agreement = agreement_of(PROFILE, Strategy("IM", 4, prelim=3), odds, report)
    assert agreement.agrees is False
    assert agreement.summary().startswith("The two views differ")
    assert any("preliminary or other-specialty" in r for r in agreement.reasons)
    near = Interval(estimate=odds.estimate.estimate + 0.05, low=0.0, high=1.0)
    close = agreement_of(
        PROFILE, Strategy("IM", 4), odds, report.model_copy(update={"in_specialty": near})
    )
    assert close.agrees is True and close.summary().startswith("The two views agree")


def test_a_us_citizen_is_told_which_figures_stand_in() -> None:
    citizen = PROFILE.model_copy(
        update={
            "applicant": PROFILE.applicant.model_copy(
                update={"immigration_status": ImmigrationStatus.US_CITIZEN}
            )
        }
    )
    result = simulate_odds(with_step2ck(citizen, 240), FACTS, Strategy("EM", 3), **TINY)  # type: ignore[arg-type]
    assert result.simulation.applicant_type == "US IMGs"
    assert any(
        "non-US IMGs' per-specialty figures standing in" in r for r in result.agreement.reasons
    )
    assert any(n.startswith("US IMG figures used:") for n in result.simulation.assumptions)


def test_a_refused_specialty_leaves_the_simulation_alone_and_says_why() -> None:
    result = simulate_odds(PROFILE, FACTS, Strategy("DERM", 3), **TINY)  # type: ignore[arg-type]
    assert result.agreement.agrees is None and result.agreement.odds_model is None
    assert result.agreement.reasons[0].startswith("The odds model refuses:")
    assert result.simulation.warnings  # uncalibrated: said in the result
    assert agreement_tolerance(30) == 15.0 and agreement_tolerance(6992) == 10.0


def test_the_shipped_calibration_records_agreement_within_the_stated_tolerance() -> None:
    """The bench (bench/bench_sim_calibration.py) writes, per calibrated specialty, the odds
    model's and the simulator's P(match) for a typical applicant and the tolerance."""
    from matchready.simulation.calibration import load_calibration

    rows = [r for r in load_calibration().specialties if r.calibrated]
    assert len(rows) == 17
    apart = []
    for row in rows:
        assert row.simulator is not None and row.tolerance is not None, row.code
        if row.agrees is False:
            apart.append(row.code)
    # bench/README.md, the check after the re-fit on 64 markets (session 7): PEDS's typical
    # applicant gets 72% (65-78%) from the simulator against the odds model's 59% (55-63%), 13
    # points (+9 after the previous fit, 200 markets each); the market's own PEDS cohort is at
    # the published 68.5%. Every other specialty with an odds estimate agrees.
    assert apart == ["PEDS"]
    path = load_calibration().specialty("PATH")
    assert path is not None and path.agrees is True
    assert measured_difference("PATH") is None and measured_difference("IM") is None
    why = measured_difference("PEDS")
    assert why is not None and why.startswith(
        "For PEDS's typical applicant the bench measured the simulator at 72% and the odds "
        "model at 59%, outside its interval and beyond the 10-point tolerance"
    )
    assert "the odds model moves more than the market does" in why


def test_a_specialty_the_bench_found_apart_says_so_on_every_result(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from dataclasses import replace

    from matchready.services import simulate as service
    from matchready.simulation.calibration import load_calibration

    shipped = load_calibration()
    rows = tuple(
        replace(r, simulator=68.0, odds_model=50.0, odds_low=45.0, odds_high=56.0)
        if r.code == "PATH"
        else r
        for r in shipped.specialties
    )
    monkeypatch.setattr(service, "load_calibration", lambda: replace(shipped, specialties=rows))
    why = measured_difference("PATH")
    assert why is not None
    assert why.startswith(
        "For PATH's typical applicant the bench measured the simulator at 68% and the odds "
        "model at 50%, outside its interval and beyond the 10-point tolerance"
    )
    assert "the odds model moves more than the market does" in why
    assert measured_difference("IM") is None
    lower = tuple(replace(r, simulator=30.0) if r.code == "PATH" else r for r in rows)
    monkeypatch.setattr(service, "load_calibration", lambda: replace(shipped, specialties=lower))
    below = measured_difference("PATH")
    assert below is not None and "the odds model moves less than the market does" in below
    monkeypatch.setattr(service, "load_calibration", lambda: replace(shipped, specialties=rows))
    result = simulate_odds(PROFILE, FACTS, Strategy("PATH", 5), **TINY)  # type: ignore[arg-type]
    assert why in result.agreement.reasons
