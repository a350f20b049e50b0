"""Safe file writes: write to a temporary file beside the target, then rename it into place."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from matchready.errors import InputError, Location, Problem


def write_atomic(path: Path, data: str | bytes, *, overwrite: bool = True) -> None:
    """Write `data` to `path` so that a reader sees the old file or the whole new one."""
    if not overwrite and path.exists():
        raise InputError(
            Problem("already exists (use --force to replace it)", Location(str(path)))
        )
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as error:
        raise InputError(Problem(f"cannot write: {error.strerror}", Location(str(path)))) from None
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
