"""The same seeds give the same results on every engine (local pool, Dask LocalCluster, Ray)."""

from __future__ import annotations

import numpy as np
import pytest

from matchready.simulation.runner import Engine, run_seeds

SEEDS = list(range(100, 112))


def market_summary(seed: int) -> tuple[int, float]:
    """A stand-in for one simulated market: seeded, deterministic, picklable."""
    rng = np.random.default_rng(seed)
    draws = rng.normal(size=1000)
    return seed, float(draws.sum())


def expected() -> list[tuple[int, float]]:
    return [market_summary(seed) for seed in SEEDS]


def test_local_pool_returns_results_in_seed_order_with_progress() -> None:
    seen: list[tuple[int, int]] = []
    result = run_seeds(market_summary, SEEDS, workers=2, progress=lambda d, t: seen.append((d, t)))
    assert result == expected()
    assert seen[-1] == (len(SEEDS), len(SEEDS))
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.filterwarnings("ignore::ResourceWarning")
def test_dask_local_cluster_gives_the_same_results() -> None:
    assert run_seeds(market_summary, SEEDS, engine=Engine.DASK, workers=2) == expected()


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.filterwarnings("ignore::FutureWarning")
def test_local_ray_gives_the_same_results() -> None:
    assert run_seeds(market_summary, SEEDS, engine=Engine.RAY, workers=2) == expected()


def test_an_unreachable_dask_scheduler_is_a_clear_error() -> None:
    from matchready.simulation.runner import EngineUnavailable

    with pytest.raises(EngineUnavailable, match="cannot reach"):
        run_seeds(market_summary, SEEDS[:1], engine=Engine.DASK, address="tcp://127.0.0.1:9")


def test_ctrl_c_stops_cleanly_and_says_how_far_it_got() -> None:
    from matchready.simulation.runner import SimulationInterrupted

    def interrupt(done: int, total: int) -> None:
        if done == 2:
            raise KeyboardInterrupt

    with pytest.raises(SimulationInterrupted, match=f"stopped after 2 of {len(SEEDS)}"):
        run_seeds(market_summary, SEEDS, workers=2, progress=interrupt)
    import multiprocessing
    import time

    # no orphaned worker left behind: every worker is stopped and reaped within a few seconds
    deadline = time.monotonic() + 5
    while multiprocessing.active_children() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert multiprocessing.active_children() == []


def test_an_unreachable_ray_head_is_a_clear_error_within_seconds() -> None:
    import time

    from matchready.simulation.runner import EngineUnavailable

    started = time.monotonic()
    with pytest.raises(EngineUnavailable, match=r"cannot reach the ray cluster at 127\.0\.0\.1:9"):
        run_seeds(market_summary, SEEDS[:1], engine=Engine.RAY, address="127.0.0.1:9")
    assert time.monotonic() - started < 10


def test_ctrl_c_on_the_command_leaves_no_process_behind() -> None:
    """A real SIGINT to the command's process group while its workers run: exit 130, one line,
    no traceback, and nothing left in the group."""
    import os
    import signal
    import subprocess
    import sys
    import time
    from pathlib import Path

    command = Path(sys.executable).parent / "matchready"
    profile = Path(__file__).parents[2] / "examples" / "profiles" / "older-graduate-h1b.toml"
    child = subprocess.Popen(
        [str(command), "simulate", str(profile), "--runs", "400", "--workers", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:  # wait until the pool's workers exist
            found = subprocess.run(
                ["pgrep", "-g", str(child.pid)], capture_output=True, text=True, check=False
            ).stdout.split()
            if len(found) >= 3:
                break
            time.sleep(0.5)
        time.sleep(2)
        os.killpg(child.pid, signal.SIGINT)
        _, err = child.communicate(timeout=180)  # a loaded machine is slow to stop 2 workers
    finally:
        if child.poll() is None:
            os.killpg(child.pid, signal.SIGKILL)
            child.communicate()  # close the pipes (an unclosed pipe fails a later test)
    assert child.returncode == 130, err
    assert "stopped after" in err and "Traceback" not in err
    deadline = time.monotonic() + 10
    while True:  # zombies (already exited, not yet reaped by init) do not count
        states = subprocess.run(
            ["ps", "-o", "stat=", "-g", str(child.pid)],
            capture_output=True,
            text=True,
            check=False,
        ).stdout.split()
        alive = [state for state in states if not state.startswith("Z")]
        if not alive or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert alive == []
