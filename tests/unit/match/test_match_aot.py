"""The engine compiled ahead of time (``_aot``) gives the jitted kernel's results, is chosen
when built, and a run with it imports neither numba nor scipy."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from matchready.match import _aot, generate, solve, to_arrays, write_instance


@pytest.fixture(scope="module")
def built() -> Path:
    """The module of the current sources (``make env`` builds it; built here if missing)."""
    found = _aot.path()
    return found if found is not None else _aot.build()


@pytest.fixture
def restore() -> Iterator[None]:
    chosen = _aot._chosen
    yield
    _aot._chosen = chosen


FIELDS = ("program", "rank", "supplemental_program", "supplemental_rank", "reverted")


@pytest.mark.parametrize(
    ("preset", "seed", "couples"),
    [("toy", 1, None), ("small", 3, None), ("small", 4, 200), ("state", 0, None)],
)
def test_the_compiled_module_gives_the_jit_kernels_results(
    built: Path, restore: None, preset: str, seed: int, couples: int | None
) -> None:
    overrides = {} if couples is None else {"couples": couples}
    arrays = to_arrays(generate(preset, seed, **overrides))
    results = {}
    for kernels in (_aot._from(_load(built), "aot"), _aot.jit_kernels()):
        _aot._chosen = kernels
        results[kernels.kind] = solve(arrays, audit=True, max_attempts=3)
    aot, jit = results["aot"], results["jit"]
    for name in FIELDS:
        assert np.array_equal(getattr(aot, name), getattr(jit, name)), name
    assert (aot.proposals, aot.attempts, aot.cycled, aot.stable, aot.blocking) == (
        jit.proposals,
        jit.attempts,
        jit.cycled,
        jit.stable,
        jit.blocking,
    )


def _load(path: Path) -> object:
    module = _aot.load()
    assert module is not None and Path(module.__file__ or "") == path
    return module


def test_the_module_is_chosen_when_built(built: Path, restore: None) -> None:
    _aot._chosen = None
    assert _aot.kernels().kind == "aot"


def test_without_the_module_the_jit_is_used(
    tmp_path: Path, restore: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NUMBA_CACHE_DIR", str(tmp_path / "empty"))
    assert _aot.path() is None
    _aot._chosen = None
    assert _aot.kernels().kind == "jit"


def test_the_name_follows_the_sources(monkeypatch: pytest.MonkeyPatch) -> None:
    name = _aot.module_name()
    monkeypatch.setattr(_aot, "EXPORTS", {**_aot.EXPORTS, "extra": ("_kernel", "void()")})
    assert _aot.module_name() != name
    assert name.startswith(_aot.PREFIX)


def test_a_run_imports_neither_numba_nor_scipy(built: Path, tmp_path: Path) -> None:
    path = tmp_path / "small.json"
    write_instance(generate("small", 1), path)
    script = (
        "import sys\n"
        "from matchready.cli.app import app\n"
        f"sys.argv = ['matchready', 'match', 'run', {str(path)!r}]\n"
        "try:\n    app()\nexcept SystemExit as end:\n    assert not end.code, end.code\n"
        "print('numba' in sys.modules, 'scipy' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=300
    )
    assert done.stdout.strip().splitlines()[-1] == "False False"
