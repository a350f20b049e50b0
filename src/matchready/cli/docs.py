"""Generate docs/cli.md from the commands' own --help (run `make docs`; a test checks it)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import typer
from typer import _click as click  # the click that typer vendors
from typer.core import TyperGroup
from typer.testing import CliRunner

from matchready.cli.app import app
from matchready.io.files import write_atomic

HEADER = """# matchready command reference

Generated from `matchready --help` by `make docs`; a test fails when it is out of date.
"""


def _paths(command: Any, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    paths = [prefix]
    if isinstance(command, TyperGroup):
        context = click.Context(command)
        for name in sorted(command.list_commands(context)):
            sub = command.get_command(context, name)
            if sub is not None and not sub.hidden:
                paths += _paths(sub, (*prefix, name))
    return paths


def reference() -> str:
    """The whole reference as Markdown: one section per command, its --help verbatim."""
    runner = CliRunner()
    sections = [HEADER]
    for path in _paths(typer.main.get_command(app)):
        result = runner.invoke(app, [*path, "--help"], env={"COLUMNS": "80", "NO_COLOR": "1"})
        title = " ".join(("matchready", *path))
        sections.append(f"## `{title}`\n\n```text\n{result.output.rstrip()}\n```\n")
    return "\n".join(sections)


if __name__ == "__main__":
    if len(sys.argv) > 1:
        write_atomic(Path(sys.argv[1]), reference())
    else:
        sys.stdout.write(reference())
