"""The server secret: from the environment, else a random one kept in the data directory, so
that every worker process and every restart signs with the same key."""

from __future__ import annotations

import contextlib
import os
import secrets
import tempfile
from pathlib import Path

from matchready.errors import StoreError


def load_or_create_secret(path: Path) -> str:
    """The secret in `path`, created (readable by this user only) on first use.

    The secret is written whole to a temporary file and then linked into place, which fails
    if the name exists: a process starting at the same time reads either no file or the whole
    secret, never an empty or half-written one, and all of them end with the same value."""
    existing = _read(path)
    if existing:
        return existing
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".secret-")
    try:
        with os.fdopen(descriptor, "w", encoding="ascii") as handle:  # mkstemp: mode 600
            handle.write(secrets.token_hex(32))
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(FileExistsError):  # another process linked its secret first
            os.link(temporary, path)
    finally:
        os.unlink(temporary)
    value = _read(path)
    if not value:
        raise StoreError(f"{path}: the secret key file is empty; delete it to make a new one")
    return value


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        return ""
