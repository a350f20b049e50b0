import stat
from pathlib import Path
from typing import Any

import pytest

from matchready.io.secret import load_or_create_secret


def test_the_secret_is_created_once_private_and_reused(tmp_path: Path) -> None:
    path = tmp_path / "data" / "secret.key"
    first = load_or_create_secret(path)
    assert len(first) == 64
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_or_create_secret(path) == first


def _start(folder: str, barrier: Any, results: Any) -> None:
    barrier.wait()  # every process reads, creates and writes at the same moment
    results.put(load_or_create_secret(Path(folder) / "secret.key"))


def test_simultaneous_first_starts_all_get_the_same_whole_secret(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 17: 22 of 400 simultaneous first starts got an empty key (the file was created,
    then written). Eight processes start at once on each of 10 fresh directories; writing the
    file is slowed down so that the others read while the first writes."""
    import multiprocessing
    import os
    import time

    real_fdopen = os.fdopen

    def slow_fdopen(*args: Any, **kwargs: Any) -> Any:
        handle = real_fdopen(*args, **kwargs)
        time.sleep(0.05)
        return handle

    monkeypatch.setattr(os, "fdopen", slow_fdopen)

    context = multiprocessing.get_context("fork")
    for n in range(10):
        folder = str(tmp_path / f"d{n}")
        barrier, results = context.Barrier(8), context.Queue()
        workers = [
            context.Process(target=_start, args=(folder, barrier, results)) for _ in range(8)
        ]
        for worker in workers:
            worker.start()
        values = [results.get(timeout=30) for _ in workers]
        for worker in workers:
            worker.join(timeout=30)
        assert len(set(values)) == 1 and len(values[0]) == 64, values
    assert not list(tmp_path.rglob(".secret-*"))  # no temporary file left
