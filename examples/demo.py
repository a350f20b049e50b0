"""The demo run by `make demo`: the plan, odds and HTML report of each bundled, fictional
applicant (reports in out/), then the specialty table.

Each profile under examples/profiles/ describes a fictional person. The plans are computed for
today's date, so deadlines and elapsed times move with the calendar.
"""

from __future__ import annotations

import sys
from pathlib import Path

from matchready.cli.app import app

PROFILES = Path(__file__).parent / "profiles"


def run(*args: str) -> int:
    """Run one matchready command as the CLI would; its exit code."""
    try:
        app(list(args), standalone_mode=False)
    except SystemExit as done:
        return int(done.code or 0)
    return 0


OUT = Path(__file__).parents[1] / "out"


def main() -> int:
    for profile in sorted(PROFILES.glob("*.toml")):
        report = OUT / f"report-{profile.stem}.html"
        for command in (
            ["plan", str(profile)],
            ["odds", str(profile), "--ranks", "5"],
            ["report", str(profile), "--ranks", "5", "--html", str(report)],
        ):
            code = run(*command)
            if code:
                return code
    return run("specialties")


if __name__ == "__main__":
    sys.exit(main())
