"""The CLI starts at once (issue 18): `--help` imports no command module, hence neither
SQLAlchemy, numpy nor FastAPI; the root's command list matches the commands' own help."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from matchready.cli.app import COMMANDS, load_command

HEAVY = ("sqlalchemy", "numpy", "fastapi", "alembic", "pydantic", "openpyxl", "polars", "rich")

PROBE = """
import json, sys
from matchready.cli.app import main
try:
    main()
except SystemExit:
    pass
print(json.dumps(sorted(sys.modules)), file=sys.stderr)
"""


def test_help_imports_no_heavy_library_and_no_command_module() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, "--help"], capture_output=True, text=True, check=True
    )
    assert "Commands:" in done.stdout and "track" in done.stdout
    modules = json.loads(done.stderr.strip().splitlines()[-1])
    loaded = {name.split(".")[0] for name in modules}
    assert loaded.isdisjoint(HEAVY), sorted(loaded & set(HEAVY))
    commands = [
        m for m in modules if m.startswith("matchready.cli.") and m != "matchready.cli.app"
    ]
    assert commands == []


@pytest.mark.parametrize("name", list(COMMANDS))
def test_the_listed_help_is_the_commands_own(name: str) -> None:
    command = load_command(name)
    assert command.help is not None
    first_paragraph = " ".join(command.help.split("\n\n")[0].split())
    assert COMMANDS[name][2] == first_paragraph
