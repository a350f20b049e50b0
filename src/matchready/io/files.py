"""Safe file writes, in one helper: write a temporary file beside the target, flush it to disk
(fsync), rename it into place, then fsync the folder so the rename itself survives a crash.
A reader sees the old file or the whole new one, never a part."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from matchready.errors import InputError, Location, Problem


@contextmanager
def atomic_file(path: Path, *, overwrite: bool = True) -> Iterator[BinaryIO]:
    """A binary file to write `path`'s new content to; it replaces `path` when the block ends
    without error (and is removed if it raises)."""
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
            yield out
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    _fsync_folder(folder)


def _fsync_folder(folder: Path) -> None:
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:  # some systems cannot open a folder; the rename is done all the same
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def write_atomic(path: Path, data: str | bytes, *, overwrite: bool = True) -> None:
    """Write `data` (text as UTF-8) to `path` atomically (see `atomic_file`)."""
    with atomic_file(path, overwrite=overwrite) as out:
        out.write(data.encode("utf-8") if isinstance(data, str) else data)
