"""The engine compiled ahead of time: the kernel's four entry points built once by numba's
``numba.pycc`` into an extension module, which a run imports in about a millisecond without
importing numba at all.

Why: a new process that loads numba's on-disk cache of the jitted kernel pays about 1.5 CPU-s
before the first proposal (numba's import 0.4 s, its typing and lowering registries 0.5-0.7 s,
``scipy.linalg``, which numba imports to look for BLAS, 0.25-0.5 s, then the cached code; bench/
README, "the user's path"), and ``matchready match run`` has 1.5 s in all. The extension module
is the same code: the kernel's Python functions compiled by numba's own compiler with explicit
signatures (C-contiguous arrays, as the callers pass them). A test holds it to the jitted
kernel's results, and a property of the market is not needed to choose between them.

:func:`build` (``matchready match warmup``, which ``make env`` runs) writes the module into the
first writable folder of :func:`folders`. Its name carries a hash of the kernel's sources and of
the numpy and Python it was built for, so a changed kernel is never loaded stale: :func:`load`
then finds nothing and :func:`kernels` falls back to numba's JIT, which compiles on first use or
loads numba's own cache. Building needs a C compiler (``numba.pycc`` links with it); without
one the JIT is used, as before.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import sys
import sysconfig
import tempfile
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any, Literal

import numpy as np

PREFIX = "_matchready_engine_"
SOURCES = ("_layout.py", "_kernel.py", "_audit.py", "_tables.py")
"""The files whose code the module holds (the entry points and what they call)."""
EXPORTS: dict[str, tuple[str, str]] = {
    # entry point: (module, numba signature)
    "run_singles": ("_kernel", "void(i4[::1], i4[::1])"),
    "run_couples": ("_kernel", "void(i4[::1], i4[::1], i8[::1])"),
    "audit": (
        "_audit",
        "Tuple((i8[:, ::1], i8))(i4[::1], i8[::1], i8[::1], i8[::1], i8[::1], i8[::1])",
    ),
    "rank_tables": (
        "_tables",
        "void(i8, i8[::1], i8[::1], i8[::1], i8[::1], i8[::1], i8[::1], i8[::1],"
        " i4[::1], i4[::1], i4[::1])",
    ),
}


@dataclass(frozen=True)
class Kernels:
    """The engine's entry points, compiled ahead of time (``"aot"``) or by numba's JIT."""

    kind: Literal["aot", "jit"]
    run_singles: Callable[..., None]
    run_couples: Callable[..., None]
    audit: Callable[..., tuple[Any, int]]
    rank_tables: Callable[..., None]


_chosen: Kernels | None = None


def kernels() -> Kernels:
    """The compiled module when :func:`load` finds it, else numba's JIT (chosen once per
    process)."""
    global _chosen
    if _chosen is None:
        module = load()
        _chosen = jit_kernels() if module is None else _from(module, "aot")
    return _chosen


def jit_kernels() -> Kernels:
    """The entry points as numba dispatchers (this imports numba)."""
    from matchready.match import _audit, _kernel, _tables

    modules = {"_kernel": _kernel, "_audit": _audit, "_tables": _tables}
    return Kernels(
        "jit",
        **{name: getattr(modules[module], name) for name, (module, _) in EXPORTS.items()},
    )


def _from(module: ModuleType, kind: Literal["aot", "jit"]) -> Kernels:
    return Kernels(kind, **{name: getattr(module, name) for name in EXPORTS})


def module_name() -> str:
    """The module's name: a hash of the sources, the signatures, numpy's and Python's version."""
    digest = hashlib.sha256()
    here = Path(__file__).parent
    for source in SOURCES:
        digest.update((here / source).read_bytes())
    for name, (_, signature) in EXPORTS.items():
        digest.update(f"{name}:{signature}".encode())
    digest.update(f"numpy {np.__version__}; python {sys.version}".encode())
    return PREFIX + digest.hexdigest()[:20]


def _suffix() -> str:
    return str(sysconfig.get_config_var("EXT_SUFFIX") or ".so")


def folders() -> list[Path]:
    """Where the module is looked for and built: ``$NUMBA_CACHE_DIR/matchready`` when that is
    set (as numba's own cache), else the package's ``__pycache__`` folder, then
    ``~/.cache/matchready``."""
    configured = os.environ.get("NUMBA_CACHE_DIR")
    if configured:
        return [Path(configured) / "matchready"]
    return [Path(__file__).parent / "__pycache__", Path.home() / ".cache" / "matchready"]


def path() -> Path | None:
    """The built module of the current sources, if there is one."""
    name = module_name() + _suffix()
    for folder in folders():
        candidate = folder / name
        if candidate.is_file():
            return candidate
    return None


def load() -> ModuleType | None:
    """Import the built module of the current sources; ``None`` if there is none or it fails
    to load (the JIT is then used)."""
    found = path()
    if found is None:
        return None
    name = found.name.removesuffix(_suffix())
    spec = importlib.util.spec_from_file_location(name, found)
    if spec is None or spec.loader is None:
        return None
    try:
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    except (ImportError, OSError):
        return None
    return module


def _writable(folder: Path) -> bool:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return False
    return os.access(folder, os.W_OK)


def build() -> Path:
    """Compile the entry points into the module; its path. About 50 CPU-s: numba compiles the
    kernel's functions (writing its own cache too) and gcc compiles numba's C helpers.
    Written to a temporary name and renamed, so a reader never sees half a file; modules of
    older sources in the same folder are removed. Raises ``OSError`` when no folder is
    writable and whatever numba's compiler raises (no C compiler, for one)."""
    with warnings.catch_warnings():  # numba.pycc: "pending deprecation" since numba 0.57
        warnings.filterwarnings("ignore", message="The 'pycc' module is pending deprecation")
        compiler_class: Any = importlib.import_module("numba.pycc").CC  # untyped

    target = next((folder for folder in folders() if _writable(folder)), None)
    if target is None:
        raise OSError("no writable folder for the compiled Match engine")
    modules = {
        name: importlib.import_module(f"matchready.match.{name}")
        for name in {module for module, _ in EXPORTS.values()}
    }
    name = module_name()
    with tempfile.TemporaryDirectory(dir=target, prefix=".build-") as scratch:
        compiler = compiler_class(name)
        compiler.output_dir = scratch
        compiler.verbose = False
        # target_cpu stays generic: the module runs on any x86-64 (measured as fast as "host")
        for entry, (module, signature) in EXPORTS.items():
            compiler.export(entry, signature)(getattr(modules[module], entry).py_func)
        compiler.compile()
        built = Path(scratch) / compiler.output_file
        final = target / (name + _suffix())
        os.replace(built, final)
    for old in target.glob(f"{PREFIX}*"):
        if old != final and old.is_file():
            old.unlink(missing_ok=True)
    return final
