"""Run one seeded task over many seeds, on a local process pool, Dask or Ray.

Results come back in seed order whatever the engine, so the same seeds give the same answer
everywhere. A task must be a picklable function of one integer seed (module-level, or a
`functools.partial` of one). Ctrl-C stops the run cleanly: pending work is cancelled and the
error says how many seeds were done.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from enum import StrEnum
from typing import Any, TypeVar

from matchready.errors import MatchreadyError

T = TypeVar("T")
Progress = Callable[[int, int], None]


class Engine(StrEnum):
    LOCAL = "local"
    DASK = "dask"
    RAY = "ray"


class SimulationInterrupted(MatchreadyError):
    """The run was stopped (Ctrl-C) before every seed was done."""

    def __init__(self, done: int, total: int) -> None:
        self.done, self.total = done, total
        super().__init__(f"stopped after {done} of {total} markets")


class EngineUnavailable(MatchreadyError):
    """The chosen engine's package is not installed or its cluster cannot be reached."""


def default_workers() -> int:
    return max(1, (os.cpu_count() or 1))


def _report(progress: Progress | None, done: int, total: int) -> None:
    if progress is not None:
        progress(done, total)


def _local(
    task: Callable[[int], T], seeds: Sequence[int], workers: int, progress: Progress | None
) -> list[T]:
    results: dict[int, T] = {}
    context = multiprocessing.get_context("spawn")
    executor = ProcessPoolExecutor(max_workers=workers, mp_context=context)
    pending: dict[Future[T], int] = {}
    try:
        pending = {executor.submit(task, seed): index for index, seed in enumerate(seeds)}
        while pending:
            finished, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in finished:
                results[pending.pop(future)] = future.result()
            _report(progress, len(results), len(seeds))
    except KeyboardInterrupt:
        executor.shutdown(wait=False, cancel_futures=True)
        raise SimulationInterrupted(len(results), len(seeds)) from None
    executor.shutdown(wait=True)
    return [results[i] for i in range(len(seeds))]


def _dask(
    task: Callable[[int], T],
    seeds: Sequence[int],
    workers: int,
    address: str | None,
    progress: Progress | None,
) -> list[T]:
    try:
        import distributed
    except ImportError:
        raise EngineUnavailable("the Dask engine needs: pip install 'dask[distributed]'") from None
    dask: Any = distributed  # partly untyped
    cluster: Any = None
    client: Any
    try:
        if address:
            client = dask.Client(address, timeout="10s")
        else:
            cluster = dask.LocalCluster(
                n_workers=workers,
                threads_per_worker=1,
                host="127.0.0.1",
                dashboard_address=None,
            )
            client = dask.Client(cluster)
    except OSError as error:
        raise EngineUnavailable(f"cannot reach the Dask scheduler at {address}: {error}") from None
    try:
        futures = client.map(task, list(seeds), pure=False)
        index = {future.key: i for i, future in enumerate(futures)}
        results: dict[int, T] = {}
        try:
            for future in dask.as_completed(futures):
                results[index[future.key]] = future.result()
                _report(progress, len(results), len(seeds))
        except KeyboardInterrupt:
            client.cancel(futures)
            raise SimulationInterrupted(len(results), len(seeds)) from None
        return [results[i] for i in range(len(seeds))]
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _ray(
    task: Callable[[int], T],
    seeds: Sequence[int],
    workers: int,
    address: str | None,
    progress: Progress | None,
) -> list[T]:
    try:
        import ray
    except ImportError:
        raise EngineUnavailable("the Ray engine needs: pip install ray") from None
    started = not ray.is_initialized()
    if started:
        options: dict[str, Any] = {"include_dashboard": False, "log_to_driver": False}
        if address:
            options["address"] = address
        else:  # a private Ray on loopback whose workers import what this process imports
            options["num_cpus"] = workers
            options["_node_ip_address"] = "127.0.0.1"
            options["runtime_env"] = {"env_vars": {"PYTHONPATH": os.pathsep.join(sys.path)}}
        try:
            ray.init(**options)
        except (ConnectionError, RuntimeError) as error:
            raise EngineUnavailable(f"cannot start or reach Ray: {error}") from None
    try:
        remote = ray.remote(task)
        refs = [remote.remote(seed) for seed in seeds]
        position = {ref: i for i, ref in enumerate(refs)}
        results: dict[int, T] = {}
        waiting = list(refs)
        try:
            while waiting:
                ready, waiting = ray.wait(waiting, num_returns=1)
                for ref in ready:
                    results[position[ref]] = ray.get(ref)
                _report(progress, len(results), len(seeds))
        except KeyboardInterrupt:
            for ref in waiting:
                ray.cancel(ref, force=True)
            raise SimulationInterrupted(len(results), len(seeds)) from None
        return [results[i] for i in range(len(seeds))]
    finally:
        if started:
            ray.shutdown()


def run_seeds(
    task: Callable[[int], T],
    seeds: Sequence[int],
    *,
    engine: Engine = Engine.LOCAL,
    workers: int | None = None,
    address: str | None = None,
    progress: Progress | None = None,
) -> list[T]:
    """`[task(seed) for seed in seeds]`, computed in parallel on `engine`, in seed order."""
    count = workers or default_workers()
    if engine is Engine.LOCAL:
        return _local(task, seeds, count, progress)
    if engine is Engine.DASK:
        return _dask(task, seeds, count, address, progress)
    return _ray(task, seeds, count, address, progress)
