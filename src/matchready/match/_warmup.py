"""Compiling the engine ahead of the first Match (numba compiles on first use, then caches).

On a fresh install the first run compiles the kernel, the audit and the rank tables: about
25-30 s on a 2-core machine (bench/README, "cold"). :func:`is_compiled` tells whether numba's
on-disk cache holds them (so a caller can say so before the wait); :func:`warm_up` compiles them
on a tiny market (``matchready match warmup``, run by ``make env``).
"""

from __future__ import annotations

import os
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
    """Whether numba's cache holds every entry point, newer than its source (without importing
    numba). A stale or missing entry means the next Match compiles first."""
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
    """Compile (or load) the engine on a tiny market with a couple, a supplemental list and a
    reversion, through both entry points; the seconds it took."""
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
