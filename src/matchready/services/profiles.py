"""Use cases around the stored profile: load, save (validated), import and export as TOML.

Profiles are stored as TOML text behind a small port, so the local file store and a database
store for the multi-user server are interchangeable.
"""

from __future__ import annotations

import functools
from typing import Any, Protocol

from matchready.domain.applicant import Profile
from matchready.io.profile import dump_profile, parse_profile, validate_profile_data


class ProfileStore(Protocol):
    """Where one owner's profile (TOML text) is kept."""

    def read(self, owner: str) -> str | None: ...

    def write(self, owner: str, text: str) -> None: ...


class MemoryProfileStore:
    """An in-memory store (tests, and a server process that keeps nothing)."""

    def __init__(self) -> None:
        self._texts: dict[str, str] = {}

    def read(self, owner: str) -> str | None:
        return self._texts.get(owner)

    def write(self, owner: str, text: str) -> None:
        self._texts[owner] = text


def current_profile(store: ProfileStore, owner: str) -> Profile | None:
    """The owner's saved profile, or None when there is none yet."""
    text = store.read(owner)
    return None if text is None else parsed_profile(text)


@functools.lru_cache(maxsize=256)
def parsed_profile(text: str) -> Profile:
    """Parsing is pure and profiles are immutable, so the same text is parsed once."""
    return parse_profile(text, "saved profile")


def starting_data(store: ProfileStore, owner: str) -> dict[str, Any]:
    """What the profile form starts from: the saved profile, else nothing (the form shows the
    template's values as hints, never as an applicant's values)."""
    profile = current_profile(store, owner)
    return {} if profile is None else profile.model_dump(mode="python")


def save_profile_data(store: ProfileStore, owner: str, data: dict[str, Any]) -> Profile:
    """Validate form or JSON data and save it; raises ProfileError with field paths."""
    profile = validate_profile_data(data)
    store.write(owner, dump_profile(profile))
    return profile


def import_profile_text(store: ProfileStore, owner: str, text: str, source: str) -> Profile:
    """Validate a TOML file's text and save it as the owner's profile."""
    profile = parse_profile(text, source)
    store.write(owner, dump_profile(profile))
    return profile
