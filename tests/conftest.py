"""Shared test fixtures. The database fixtures (SQLite and a throwaway PostgreSQL cluster) are
in tests/integration/conftest.py; the browser fixtures in tests/browser/conftest.py."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _own_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads or writes the user's real data directory (profile, database, secret)."""
    monkeypatch.setenv("MATCHREADY_DATA_DIR", str(tmp_path / "matchready-data"))


@pytest.fixture(autouse=True)
def _test_client_host(monkeypatch: pytest.MonkeyPatch) -> None:
    """Starlette's TestClient sends `Host: testserver`; the apps built in tests answer that
    name besides the loopback names (tests of the Host check pass `allowed_hosts` themselves)."""
    monkeypatch.setenv("MATCHREADY_ALLOWED_HOSTS", '["testserver"]')
