import pytest

from matchready.data import load_facts
from matchready.domain.facts import ApplicantType
from matchready.errors import DataFileError
from matchready.simulation.targets import market_targets

FACTS = load_facts()


def test_the_2025_national_market_from_the_facts() -> None:
    t = market_targets(FACTS)
    assert t.total_applicants == 47208
    assert t.applicants[ApplicantType.NON_US_IMG] == 11465
    assert t.others == 47208 - (20368 + 8392 + 4587 + 11465)
    assert t.match_rates[ApplicantType.US_IMG] == pytest.approx(67.8)
    assert (t.positions, t.pgy1_positions, t.programs) == (43237, 40041, 6626)
    assert t.couples == 1259 and not t.couples_verified


def test_a_scaled_market_keeps_the_proportions() -> None:
    t = market_targets(FACTS, scale=0.1)
    assert t.applicants[ApplicantType.US_MD_SENIOR] == 2037
    assert t.positions == 4324
    assert t.match_rates == market_targets(FACTS).match_rates


def test_a_year_without_figures_is_refused() -> None:
    with pytest.raises(DataFileError, match="2019 Match figures lack"):
        market_targets(FACTS, match_year=2019)
    with pytest.raises(ValueError):
        market_targets(FACTS, scale=0)
