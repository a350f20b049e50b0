"""The applicant inserted into simulated markets: profile mapping, insertion, what-ifs."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from matchready.data import load_facts
from matchready.domain.applicant import ImmigrationStatus
from matchready.errors import NotFoundError
from matchready.io.profile import load_profile
from matchready.simulation.applicant import (
    SimApplicant,
    Strategy,
    applicant_of,
    draws_for,
    insert,
    rank_list,
)
from matchready.simulation.calibration import load_calibration
from matchready.simulation.layout import NON_US_IMG, US_IMG, build_layout
from matchready.simulation.market import generate
from matchready.simulation.runner import Engine
from matchready.simulation.study import (
    Variant,
    paired_difference,
    prepare,
    run_seed,
    summarise,
    wilson,
)

FACTS = load_facts()
PROFILES = Path(__file__).parents[2] / "examples" / "profiles"
PROFILE = load_profile(PROFILES / "older-graduate-h1b.toml")
LAYOUT = build_layout(FACTS, 2025, 0.05)
PARAMETERS = load_calibration().parameters


def test_the_profile_becomes_an_img_with_a_score_relative_to_the_published_cohort() -> None:
    applicant, notes = applicant_of(PROFILE, FACTS, "IM")
    assert applicant.kind == NON_US_IMG and applicant.step2ck == 236
    assert applicant.score_z is not None and applicant.score_z < 0  # IM cohort mean ~245
    assert any("assumed" in n for n in notes)
    citizen = PROFILE.model_copy(
        update={
            "applicant": PROFILE.applicant.model_copy(
                update={"immigration_status": ImmigrationStatus.US_CITIZEN}
            )
        }
    )
    assert applicant_of(citizen, FACTS, "IM")[0].kind == US_IMG
    higher = PROFILE.model_copy(
        update={
            "exams": PROFILE.exams.model_copy(
                update={"step2ck": PROFILE.exams.step2ck.model_copy(update={"score": 256})}
            )
        }
    )
    assert applicant_of(higher, FACTS, "IM")[0].score_z > applicant.score_z  # type: ignore[operator]
    with pytest.raises(NotFoundError):
        applicant_of(PROFILE, FACTS, "XYZ")


def test_the_inserted_applicant_is_on_the_lists_of_the_programs_that_rank_them() -> None:
    market = generate(LAYOUT, PARAMETERS, 11)
    draws = draws_for(market, SimApplicant(NON_US_IMG, 0.0, 245), 11)
    primary, supplemental = rank_list(market, draws, Strategy("IM", 6, prelim=2))
    assert len(primary) == 8 and len(set(primary.tolist())) == 8
    arrays = insert(market, draws, primary, supplemental)
    assert arrays.problems() == []
    me = market.arrays.applicants
    assert arrays.applicants == me + 1
    assert np.array_equal(arrays.applicant_programs[arrays.applicant_offsets[me] :], primary)
    owner = np.repeat(np.arange(arrays.programs), np.diff(arrays.program_offsets))
    on = set(owner[arrays.program_applicants == me].tolist())
    assert on == {p for p in primary.tolist() if draws.ranked_by[p]}
    # the longer list keeps the shorter one as its head (common random numbers)
    longer, _ = rank_list(market, draws, Strategy("IM", 6, prelim=2), extra=3)
    assert np.array_equal(longer[:6], primary[:6])
    assert np.array_equal(longer[-2:], primary[-2:]) and len(longer) == 11


def test_more_ranks_never_lowers_the_chance_of_a_match_on_the_same_markets() -> None:
    task, _ = prepare(PROFILE, FACTS, Strategy("IM", 2), scale=0.05)
    variants = (
        Variant("2 ranks", Strategy("IM", 2)),
        Variant("4 ranks", Strategy("IM", 2), extra=2),
        Variant("8 ranks", Strategy("IM", 2), extra=6),
    )
    task = replace(task, variants=variants)
    results = [run_seed(task, seed) for seed in range(30)]
    matched = [[r.placements[i].matched for r in results] for i in range(3)]
    counts = [sum(m) for m in matched]
    assert counts[0] <= counts[1] <= counts[2]
    assert counts[2] > counts[0]  # it is not a vacuous check
    lost = sum(1 for b, o in zip(matched[0], matched[2], strict=True) if b and not o)
    assert lost == 0  # appended programs cannot take a match away (couples aside: none here)


def test_the_same_seeds_give_the_same_report() -> None:
    task, notes = prepare(PROFILE, FACTS, Strategy("IM", 4), scale=0.05)
    first = [run_seed(task, s) for s in (1, 2)]
    again = [run_seed(task, s) for s in (1, 2)]
    assert first == again
    report = summarise(task, first, engine=Engine.LOCAL, notes=notes)
    assert report.runs == 2
    assert [w.label for w in report.what_ifs] == [
        "if you had 3 more IM interviews",
        "add 3 preliminary programs",
        "also rank 2 FM programs",
    ]
    assert sum(s.count for s in report.ranks) == 2


def test_wilson_interval() -> None:
    interval = wilson(8, 10)
    assert interval.estimate == 0.8
    assert interval.low == pytest.approx(0.4902, abs=1e-4)
    assert interval.high == pytest.approx(0.9433, abs=1e-4)
    assert wilson(0, 20).low == 0.0 and wilson(0, 20).high > 0.1


def test_paired_difference() -> None:
    same = paired_difference([True, False] * 10, [True, False] * 10)
    assert same.estimate == 0.0 and same.low < 0 < same.high
    better = paired_difference([False] * 20, [True] * 15 + [False] * 5)
    assert better.estimate == 0.75 and 0.4 < better.low < 0.75 < better.high
