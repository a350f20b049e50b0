"""Shared test fixtures. The database fixtures (SQLite and a throwaway PostgreSQL cluster) are
in tests/integration/conftest.py; the browser fixtures in tests/browser/conftest.py."""
