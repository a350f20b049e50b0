"""The local profile store: one TOML file per owner in the data directory."""

from __future__ import annotations

import re
from pathlib import Path

from matchready.io.files import write_atomic

_SAFE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


class FileProfileStore:
    """Profiles as `<data_dir>/profiles/<owner>.toml`, written atomically."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _path(self, owner: str) -> Path:
        if not _SAFE.match(owner):
            raise ValueError(f"unsafe owner name {owner!r}")
        return self.folder / f"{owner}.toml"

    def read(self, owner: str) -> str | None:
        path = self._path(owner)
        return path.read_text(encoding="utf-8") if path.exists() else None

    def write(self, owner: str, text: str) -> None:
        write_atomic(self._path(owner), text)
