"""The public surface of matchready.match and its independence from the rest of the app."""

from __future__ import annotations

import subprocess
import sys

import matchready.match as match


def test_public_api_is_pinned() -> None:
    assert match.__all__ == [
        "PRESETS",
        "STABILITY_DEFINITIONS",
        "Applicant",
        "ArrayOutcome",
        "Assignment",
        "Audit",
        "BlockingPair",
        "Couple",
        "Exact",
        "Instance",
        "InstanceError",
        "InstanceProblem",
        "MarketArrays",
        "MarketSpec",
        "Program",
        "Result",
        "Reversion",
        "Search",
        "SupplementalList",
        "check_stability",
        "exact_stable",
        "explain",
        "generate",
        "is_compiled",
        "read_instance",
        "read_result",
        "run_match",
        "search_budget",
        "solve",
        "to_arrays",
        "warm_up",
        "warm_up_apart",
        "write_instance",
        "write_result",
    ]
    # ruff's RUF022 order: constants, then classes, then functions, each alphabetical
    assert match.__all__ == sorted(
        match.__all__, key=lambda n: (not n.isupper(), not n[0].isupper(), n)
    )
    for name in match.__all__:
        assert hasattr(match, name)


def test_match_imports_nothing_else_from_matchready() -> None:
    code = (
        "import matchready.match, sys; "
        "print(sorted(m for m in sys.modules if m.startswith('matchready')))"
    )
    output = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    loaded = eval(output)
    assert loaded
    assert all(m == "matchready" or m.startswith("matchready.match") for m in loaded), loaded


def test_importing_match_does_not_import_numba_or_typer() -> None:
    code = (
        "import matchready.match, sys; "
        "print(*(m in sys.modules for m in ('numba', 'typer', 'scipy')))"
    )
    output = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert output.split() == ["False", "False", "False"]
