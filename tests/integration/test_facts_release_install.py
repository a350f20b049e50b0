"""A newer facts release, built as a wheel and installed with pip, changes the figure matchready
shows, with no change to matchready's code."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import matchready_facts

PACKAGE = Path(matchready_facts.__file__).resolve().parents[2]


def _matchready(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-c", "from matchready.cli.app import main; main()", *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)


@pytest.mark.slow
@pytest.mark.skipif(
    not (PACKAGE / "pyproject.toml").is_file(), reason="needs the facts package's source tree"
)
def test_a_newer_facts_release_changes_the_fee_shown(tmp_path: Path) -> None:
    source = tmp_path / "matchready-facts"
    shutil.copytree(PACKAGE, source, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    init = source / "src" / "matchready_facts" / "__init__.py"
    text = init.read_text()
    assert '__version__ = "2026.12.2"' in text
    init.write_text(
        text.replace('"2026.12.2"', '"2027.1.1"').replace('"2026-12-02"', '"2027-01-05"')
    )
    fees = source / "src" / "matchready_facts" / "fees.csv"
    old = "eras.token,2026,165,once"
    assert old in fees.read_text()
    fees.write_text(fees.read_text().replace(old, "eras.token,2026,175,once"))

    dist, site = tmp_path / "dist", tmp_path / "site"
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run(
        [*pip, "wheel", "--no-deps", "--no-build-isolation", "-w", str(dist), str(source)],
        check=True,
        timeout=300,
    )
    [wheel] = dist.glob("matchready_facts-2027.1.1-*.whl")
    subprocess.run(
        [*pip, "install", "--no-deps", "--no-index", "--target", str(site), str(wheel)],
        check=True,
        timeout=300,
    )

    env = {
        **os.environ,
        "COLUMNS": "200",
        "NO_COLOR": "1",
        "MATCHREADY_DATA_DIR": str(tmp_path / "data"),
    }
    env.pop("PYTHONPATH", None)
    before = _matchready("facts", "fee.2026.eras.token", env=env)
    assert before.returncode == 0, before.stderr
    assert "Facts release 2026.12.2" in before.stdout and "165 usd" in before.stdout

    after = _matchready("facts", "fee.2026.eras.token", env={**env, "PYTHONPATH": str(site)})
    assert after.returncode == 0, after.stderr
    assert "Facts release 2027.1.1 (matchready-facts, published 2027-01-05)" in after.stdout
    assert "175 usd" in after.stdout and "165 usd" not in after.stdout
