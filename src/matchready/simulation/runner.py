"""Run one seeded task over many seeds, on a local process pool, Dask or Ray.

Results come back in seed order whatever the engine, so the same seeds give the same answer
everywhere. A task must be a picklable function of one integer seed (module-level, or a
`functools.partial` of one). Ctrl-C stops the run cleanly: pending work is cancelled and the
error says how many seeds were done.
"""

from __future__ import annotations

import os
import signal
import socket
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from contextlib import contextmanager
from enum import StrEnum
from functools import partial
from multiprocessing import get_context
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


CONNECT_SECONDS = 5.0
"""How long to wait for a Dask scheduler or Ray head to answer before giving up."""


def check_reachable(address: str, engine: str, timeout: float = CONNECT_SECONDS) -> None:
    """Fail fast, with a clear message, when nothing answers at `address` (HOST:PORT, with or
    without a tcp:// or ray:// scheme): the engines' own clients can wait for minutes."""
    target = address.split("://", 1)[-1].rstrip("/")
    host, _, port = target.rpartition(":")
    if not host or not port.isdigit():
        raise EngineUnavailable(f"the {engine} address must be HOST:PORT, not '{address}'")
    try:
        with socket.create_connection((host.strip("[]"), int(port)), timeout=timeout):
            pass
    except OSError as error:
        reason = "no answer" if isinstance(error, TimeoutError) else error.strerror or error
        raise EngineUnavailable(
            f"cannot reach the {engine} cluster at {address} ({reason} within {timeout:g} s); "
            "check the address, or run with --engine local"
        ) from None


def default_workers() -> int:
    return max(1, (os.cpu_count() or 1))


def _collect(
    completions: Iterator[tuple[int, T]],
    total: int,
    progress: Progress | None,
    cancel: Callable[[], None],
) -> list[T]:
    """Gather (position, result) pairs as they complete, reporting progress; on Ctrl-C cancel
    what is pending and say how far the run got."""
    results: dict[int, T] = {}
    try:
        for position, value in completions:
            results[position] = value
            if progress is not None:
                progress(len(results), total)
    except KeyboardInterrupt:
        cancel()
        raise SimulationInterrupted(len(results), total) from None
    return [results[i] for i in range(total)]


@contextmanager
def _sigint_ignored() -> Iterator[None]:
    """Ignore SIGINT for the block (in the main thread; elsewhere signals cannot be set)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _local(
    task: Callable[[int], T], seeds: Sequence[int], workers: int, progress: Progress | None
) -> list[T]:
    if workers == 1:  # no pool to start: the seeds run here, one after the other
        return _collect(
            ((i, task(seed)) for i, seed in enumerate(seeds)), len(seeds), progress, lambda: None
        )
    executor = ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn"))

    def completions() -> Iterator[tuple[int, T]]:
        # Submitting starts the workers: they inherit "ignore Ctrl-C" and this process stops
        # them on Ctrl-C (so no half-imported worker prints a traceback).
        with _sigint_ignored():
            pending: dict[Future[T], int] = {
                executor.submit(task, seed): i for i, seed in enumerate(seeds)
            }
        while pending:
            finished, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in finished:
                yield pending.pop(future), future.result()

    def cancel() -> None:
        """Drop what is pending and stop the workers now (their current market is lost), so
        an interrupted run leaves no process behind."""
        workers_now = dict(getattr(executor, "_processes", None) or {})
        executor.shutdown(wait=False, cancel_futures=True)
        # a worker the pool started while shutting down is stopped too
        workers_now.update(getattr(executor, "_processes", None) or {})
        for process in workers_now.values():
            process.terminate()
        for process in workers_now.values():
            process.join(timeout=10)

    try:
        return _collect(completions(), len(seeds), progress, cancel)
    finally:
        executor.shutdown(wait=True, cancel_futures=True)


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
                dashboard_address="127.0.0.1:0",  # any free port: runs side by side
            )
            client = dask.Client(cluster)
    except OSError as error:
        raise EngineUnavailable(f"cannot reach the Dask scheduler at {address}: {error}") from None
    try:
        futures = client.map(task, list(seeds), pure=False)
        position = {future.key: i for i, future in enumerate(futures)}
        completions = ((position[f.key], f.result()) for f in dask.as_completed(futures))
        return _collect(completions, len(seeds), progress, partial(client.cancel, futures))
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _apply(task: Callable[[int], T], seed: int) -> T:
    """`task(seed)`: Ray's remote() takes functions only, not a `functools.partial`."""
    return task(seed)


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
    remote: Any = ray.remote(_apply)
    shared = ray.put(task)  # sent to the object store once, not once per seed
    refs = [remote.remote(shared, seed) for seed in seeds]
    position = {ref: i for i, ref in enumerate(refs)}
    waiting = list(refs)

    def completions() -> Iterator[tuple[int, T]]:
        nonlocal waiting
        while waiting:
            ready, waiting = ray.wait(waiting, num_returns=1)
            for ref in ready:
                yield position[ref], ray.get(ref)

    def cancel() -> None:
        for ref in waiting:
            ray.cancel(ref, force=True)

    try:
        return _collect(completions(), len(seeds), progress, cancel)
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
    if address and engine is not Engine.LOCAL:
        check_reachable(address, engine.value)
    if engine is Engine.LOCAL:
        return _local(task, seeds, count, progress)
    if engine is Engine.DASK:
        return _dask(task, seeds, count, address, progress)
    return _ray(task, seeds, count, address, progress)
