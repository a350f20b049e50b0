"""Use cases around the saved profile: load, save (validated), import and export as TOML.

Profiles are stored as TOML text behind one port with two adapters, chosen by
`matchready.bootstrap`: in local mode the file `profile.toml` in the data directory
(`matchready.io.profile_store`), which the CLI and the web app share; in server mode a row per
account in the database (`matchready.store.accounts.SqlProfileStore`).
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
    """Validate a TOML file's text and save it, as it is (comments kept), as the owner's
    profile."""
    profile = parse_profile(text, source)
    store.write(owner, text)
    return profile
