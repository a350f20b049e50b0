"""Issue 15, "Done when": the applicant-level order of specialties follows the published order
for a median applicant. The criterion (decision 0008, "Order of specialties"): each calibrated
specialty's own typical non-US IMG (its cohort's mean Step 2 CK, the geometric mean of its
matched and unmatched median contiguous ranks), in the market `simulate` builds for them; no
pair of specialties whose published rates differ by more than 10 points and by more than twice
the standard error of that difference comes out in the wrong order."""

from __future__ import annotations

import pytest

from matchready.data import load_facts
from matchready.simulation.calibration import load_calibration
from matchready.simulation.checks import ORDER_MARGIN, order_violations, published_se
from matchready.simulation.layout import SpecialtyTarget, build_layout


def target(code: str, preferred: int, matched: int) -> SpecialtyTarget:
    return SpecialtyTarget(code, preferred, matched, calibrated=True)


def test_a_firm_pair_in_the_wrong_order_is_found() -> None:
    peds, path = target("PEDS", 791, 542), target("PATH", 375, 169)  # 68.5%, 45.1%
    assert order_violations([peds, path], [67.0, 68.0]) == [("PEDS", "PATH")]
    assert order_violations([peds, path], [68.0, 67.0]) == []
    assert order_violations([path, peds], [68.0, 67.0]) == [("PEDS", "PATH")]


def test_a_pair_within_the_margin_or_the_cohorts_noise_is_not_an_order() -> None:
    im, fm = target("IM", 6992, 3392), target("FM", 1112, 599)  # 48.5%, 53.9%: 5.4 apart
    assert order_violations([im, fm], [60.0, 40.0]) == []
    # IR 48.3% of 29 against OB/GYN 32.8% of 134: 15.5 points apart, but the standard error
    # of the difference is 10.2 points (IR's cohort is small), so it is no firm order
    ir, obgyn = target("IR", 29, 14), target("OBGYN", 134, 44)
    assert published_se(ir) == pytest.approx(100 * (14 / 29 * 15 / 29 / 29) ** 0.5)
    assert order_violations([ir, obgyn], [30.0, 33.0]) == []
    # the same rates on large cohorts are a firm order
    big_ir, big_obgyn = target("IR", 2900, 1400), target("OBGYN", 1340, 440)
    assert order_violations([big_ir, big_obgyn], [30.0, 33.0]) == [("IR", "OBGYN")]
    assert ORDER_MARGIN == 10.0


def test_the_shipped_typical_applicants_follow_the_published_order() -> None:
    """The bench (bench/bench_sim_calibration.py, 200 markets at the `simulate` default) writes
    each specialty's typical applicant's simulated P(match) into the calibration file."""
    layout = build_layout(load_facts(), 2025, 0.1)
    rows = [r for r in load_calibration().specialties if r.calibrated]
    targets = [layout.target(r.code) for r in rows]
    assert all(t is not None for t in targets)
    simulated = [r.simulator for r in rows]
    assert all(s is not None for s in simulated)
    found = order_violations(
        [t for t in targets if t is not None], [s for s in simulated if s is not None]
    )
    assert found == []
