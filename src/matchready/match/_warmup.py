"""Compiling the engine ahead of the first Match.

The engine is compiled once per install into an extension module (``_aot``: numba's ahead-of-
time compiler, then gcc; 46-51 CPU-s, 55-74 s of wall time on the 2-core machine, bench/README
"cold"), which every later run imports in a millisecond. Without a C compiler it falls back to
numba's JIT, which compiles on first use (about as long) and caches on disk.
:func:`is_compiled` tells whether either is ready (so a caller can say so before the wait);
:func:`warm_up` builds the module, or compiles the JIT, and runs a tiny market through the
engine (``matchready match warmup``, run by ``make env``). :func:`warm_up_apart` does it in a
child process, whose compiler memory (about 300 MB) goes back to the system when it ends, so a
cold ``match run`` does not hold it beside the market.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
from importlib.util import find_spec
from pathlib import Path

ENTRY_POINTS = (
    ("_kernel", "run_singles"),
    ("_kernel", "run_couples"),
    ("_audit", "audit"),
    ("_tables", "rank_tables"),
)
"""The functions Python calls; numba compiles everything else into them."""


def _cache_dirs(source: Path) -> list[Path]:
    configured = os.environ.get("NUMBA_CACHE_DIR")
    if configured:
        return [Path(configured)]
    return [source.parent / "__pycache__", Path.home() / ".cache" / "numba"]


def is_compiled() -> bool:
    """Whether the module compiled ahead of time for the current sources exists, or else
    numba's cache holds every entry point newer than its source (without importing numba). A
    stale or missing entry means the next Match compiles first."""
    from matchready.match import _aot

    if _aot.path() is not None:
        return True
    for module, function in ENTRY_POINTS:
        spec = find_spec(f"matchready.match.{module}")
        if spec is None or spec.origin is None:
            return False
        source = Path(spec.origin)
        stamp = source.stat().st_mtime
        pattern = f"{module}.{function}-*.nbi"
        found = [
            index
            for folder in _cache_dirs(source)
            if folder.is_dir()
            for index in folder.rglob(pattern)
            if index.stat().st_mtime >= stamp
        ]
        if not found:
            return False
    return True


def warm_up() -> float:
    """Build the engine's module (``_aot.build``) unless it exists, falling back to the JIT
    when that fails, then run a tiny market with a couple, a supplemental list and a reversion
    through both entry points; the seconds it took."""
    from matchready.match import _aot
    from matchready.match._arrays import solve, to_arrays
    from matchready.match._model import (
        Applicant,
        Couple,
        Instance,
        Program,
        Reversion,
        SupplementalList,
    )
    from matchready.match._run import run_match

    started = time.perf_counter()
    if _aot.path() is None:
        with contextlib.suppress(Exception):  # no C compiler, no writable folder: the JIT
            _aot.build()
        _aot._chosen = None  # choose again: the module if it was built
    instance = Instance(
        programs=(
            Program("ADV", 1, ("s", "c1"), "advanced"),
            Program("PRE", 1, ("s", "c2"), "preliminary"),
            Program("CAT", 1, ("c1", "c2", "s")),
            Program("GIVE", 1, ()),
        ),
        applicants=(
            Applicant("s", ("ADV", "CAT"), (SupplementalList(("ADV",), ("PRE",)),)),
            Applicant("c1", ("CAT", "ADV")),
            Applicant("c2", ("PRE", "CAT")),
        ),
        couples=(Couple("c1", "c2"),),
        reversions=(Reversion("GIVE", "CAT"),),
    )
    run_match(instance, search=False)
    solve(to_arrays(instance), audit=True)
    return time.perf_counter() - started


def _loaded_here() -> bool:
    """Whether this process already holds the compiled entry points (numba compiles once per
    process too: a test process that ran the engine need not compile again)."""
    from matchready.match import _aot

    if _aot._chosen is not None:
        return True
    for module, function in ENTRY_POINTS:
        loaded = sys.modules.get(f"matchready.match.{module}")
        dispatcher = getattr(loaded, function, None)
        if dispatcher is None or not getattr(dispatcher, "signatures", None):
            return False
    return True


def warm_up_apart() -> float:
    """:func:`warm_up` in a child process that builds the module (or writes numba's cache) and
    ends; this process then loads it. Nothing when this process already holds the compiled
    engine; in this process when the child fails. The seconds it took."""
    started = time.perf_counter()
    if _loaded_here():
        return time.perf_counter() - started
    child = subprocess.run(
        [sys.executable, "-c", "from matchready.match._warmup import warm_up; warm_up()"],
        capture_output=True,
        check=False,
    )
    if child.returncode != 0:  # e.g. no writable cache folder: compile here instead
        warm_up()
    return time.perf_counter() - started
