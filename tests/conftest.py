"""Shared test fixtures. The database fixtures (SQLite and a throwaway PostgreSQL cluster) are
in tests/integration/conftest.py; the browser fixtures in tests/browser/conftest.py."""

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _own_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads or writes the user's real data directory (profile, database, secret)."""
    monkeypatch.setenv("MATCHREADY_DATA_DIR", str(tmp_path / "matchready-data"))
