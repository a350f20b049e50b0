"""The facts matchready uses, as data files beside this module, released by date.

Nothing here reads a file at import time: `directory()` says where the files are; matchready's
loader (`matchready.data`) reads and validates them.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

__all__ = ["RELEASED", "SCHEMA", "__version__", "directory"]

__version__ = "2026.12.2"
#: The day this release of the facts was published (ISO date).
RELEASED = "2026-12-02"
#: The version of the row schema; matchready refuses a release whose schema it does not know.
SCHEMA = 1


def directory() -> Path:
    """The folder holding this release's CSV files."""
    return Path(str(resources.files(__name__)))
