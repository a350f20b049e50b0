"""The local profile store: the one applicant's profile as a TOML file in the data directory.

It is the `ProfileStore` adapter of local mode (the server keeps each user's profile in the
database, `matchready.store.accounts.SqlProfileStore`). The web form writes this file and the
CLI reads it when no profile path is given, so both show the same applicant; the file stays
the user's own, readable and editable by hand.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from matchready.errors import Location, Problem, ProfileError
from matchready.io.files import write_atomic

PROFILE_FILE = "profile.toml"


class FileProfileStore:
    """One owner's profile in one file (local mode has one owner)."""

    def __init__(
        self, path: Path, owner: str, earlier: Callable[[], str | None] | None = None
    ) -> None:
        """`earlier` reads where an older version kept this profile (the database): when the
        file does not exist yet, that text is written to it once and used."""
        self.path = path
        self._owner = owner
        self._earlier = earlier

    def _check(self, owner: str) -> None:
        if owner != self._owner:  # a programming error: local mode has one owner
            raise ValueError(f"the local profile belongs to {self._owner!r}, not {owner!r}")

    def read(self, owner: str) -> str | None:
        self._check(owner)
        try:
            return self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            text = self._earlier() if self._earlier is not None else None
            if text is not None:
                write_atomic(self.path, text)
            return text
        except (OSError, UnicodeDecodeError) as error:
            where = Location(file=str(self.path))
            raise ProfileError(Problem(f"cannot read: {error}", where)) from None

    def write(self, owner: str, text: str) -> None:
        self._check(owner)
        write_atomic(self.path, text)
