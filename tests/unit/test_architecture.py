"""The arrows point inward. The import rules of every layer are import-linter contracts
(pyproject.toml, run by `make lint`); these tests check what importing actually loads."""

import subprocess
import sys


def test_importing_the_domain_loads_no_framework() -> None:
    code = (
        "import sys, importlib, pkgutil, matchready.domain as d\n"
        "for m in pkgutil.iter_modules(d.__path__):\n"
        "    importlib.import_module(f'{d.__name__}.{m.name}')\n"
        "print(' '.join(sorted(sys.modules)))"
    )
    loaded = set(
        subprocess.run(
            [sys.executable, "-c", code], check=True, capture_output=True, text=True
        ).stdout.split()
    )
    for name in ("typer", "rich", "sqlalchemy", "fastapi", "matchready.cli", "matchready.store"):
        assert name not in loaded


def test_importing_the_package_does_no_work() -> None:
    code = "import sys, matchready; print(' '.join(sorted(sys.modules)))"
    loaded = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True
    ).stdout.split()
    assert "pydantic" not in loaded and "matchready.data" not in loaded
