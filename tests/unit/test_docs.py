"""Docs that cannot drift: the CLI reference and the settings page."""

from pathlib import Path

from matchready.cli.docs import reference
from matchready.settings import Settings

ROOT = Path(__file__).parents[2]


def test_the_cli_reference_is_generated_from_help() -> None:
    assert (ROOT / "docs" / "cli.md").read_text() == reference(), "run: make docs"


def test_every_setting_is_documented() -> None:
    text = (ROOT / "docs" / "settings.md").read_text()
    for name in Settings.model_fields:
        assert f"MATCHREADY_{name.upper()}" in text


def test_the_readme_shows_the_two_commands_and_links_the_reference() -> None:
    text = (ROOT / "README.md").read_text()
    assert "make demo" in text and "make test" in text
    assert "docs/cli.md" in text


def test_the_readme_sample_is_the_start_of_the_real_output() -> None:
    import re

    from typer.testing import CliRunner

    from matchready.cli.app import app

    text = (ROOT / "README.md").read_text()
    sample = re.search(r"```text\n(.*?)\n```", text, re.S)
    assert sample is not None
    profile = ROOT / "examples" / "profiles" / "recent-graduate-j1.toml"
    result = CliRunner().invoke(
        app,
        ["plan", str(profile), "--as-of", "2026-11-25"],
        env={"COLUMNS": "80", "NO_COLOR": "1"},
    )
    assert result.output.startswith(sample.group(1)), "update the README sample"
