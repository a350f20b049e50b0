"""The arrows point inward: the domain imports no interface, store or framework code."""

import ast
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).parents[2] / "src" / "matchready"
FORBIDDEN_IN_DOMAIN = (
    "matchready.cli",
    "matchready.web",
    "matchready.store",
    "matchready.io",
    "matchready.services",
    "matchready.data",
    "typer",
    "rich",
    "sqlalchemy",
    "alembic",
    "fastapi",
    "jinja2",
    "openpyxl",
    "httpx",
)


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_domain_modules_import_no_interface_or_store_code() -> None:
    offenders = []
    for path in sorted((SRC / "domain").rglob("*.py")):
        for name in imports_of(path):
            if any(name == f or name.startswith(f + ".") for f in FORBIDDEN_IN_DOMAIN):
                offenders.append(f"{path.name}: {name}")
    assert offenders == []


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
