"""The simulator gives identical results for the same seeds on every engine."""

from __future__ import annotations

from pathlib import Path

import pytest

from matchready.data import load_facts
from matchready.io.profile import load_profile
from matchready.simulation.applicant import Strategy
from matchready.simulation.runner import Engine, run_seeds
from matchready.simulation.study import SeedResult, Task, prepare, run_seed, seed_task

PROFILE = Path(__file__).parents[2] / "examples" / "profiles" / "recent-graduate-j1.toml"
SEEDS = [21, 22, 23, 24]


@pytest.fixture(scope="module")
def expected() -> tuple[Task, list[SeedResult]]:
    task, _ = prepare(load_profile(PROFILE), load_facts(), Strategy("IM", 4), scale=0.02)
    return task, [run_seed(task, seed) for seed in SEEDS]


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.filterwarnings("ignore::ResourceWarning")
@pytest.mark.filterwarnings("ignore::FutureWarning")
@pytest.mark.parametrize("engine", [Engine.LOCAL, Engine.DASK, Engine.RAY])
def test_every_engine_gives_the_same_results(
    engine: Engine, expected: tuple[Task, list[SeedResult]]
) -> None:
    task, results = expected
    assert run_seeds(seed_task(task), SEEDS, engine=engine, workers=2) == results
