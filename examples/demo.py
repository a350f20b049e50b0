"""The demo run by `make demo`, on the bundled, fictional example data only.

For each example applicant: the first screen of the plan (`plan --summary`: where they stand
today), the odds and an HTML report (in out/); then the full plan of one applicant. The
fictional example programs are imported into a demo database (out/demo-data, never your own
data directory), screened for one applicant and built into a priced list; that applicant's
calendar (with an ICS file in out/) and costs follow, then the calendar (ICS) and costs of the
2028-Match example (estimated dates; fees at the latest published schedule), a small simulated
Match (20 markets at 5% of the national size, a few seconds), and last the specialty table.
Dates move with today's date; `python examples/demo.py --as-of 2026-12-01` pins them.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).parents[1]
PROFILES = ROOT / "examples" / "profiles"
PROGRAMS = ROOT / "examples" / "programs" / "example_programs.csv"
OUT = ROOT / "out"


def run(*args: str) -> int:
    """Run one matchready command as the CLI would; its exit code."""
    from matchready.cli.app import app

    try:
        app(list(args), standalone_mode=False)
    except SystemExit as done:
        return int(done.code or 0)
    return 0


def main(argv: list[str]) -> int:
    os.environ["MATCHREADY_DATA_DIR"] = str(OUT / "demo-data")
    on = ["--as-of", argv[argv.index("--as-of") + 1]] if "--as-of" in argv else []
    commands: list[list[str]] = []
    for profile in sorted(PROFILES.glob("*.toml")):
        report = OUT / f"report-{profile.stem}.html"
        commands += [
            ["plan", str(profile), "--summary", *on],
            ["odds", str(profile), "--ranks", "5"],
            ["report", str(profile), "--ranks", "5", "--html", str(report), *on],
        ]
    focus = str(PROFILES / "recent-graduate-j1.toml")
    later = str(PROFILES / "us-citizen-img.toml")
    commands += [
        ["plan", focus, *on],
        ["programs", "import", str(PROGRAMS)],
        ["screen", focus, "--specialty", "IM", "--limit", "5", *on],
        ["list", "build", focus, "--specialty", "IM", "--budget", "500", *on],
        ["calendar", focus, "--ics", str(OUT / "calendar-recent-graduate-j1.ics"), *on],
        ["costs", focus, "--specialty-programs", "IM=60,PEDS=20", "--ranks", "12", *on],
        ["calendar", later, "--ics", str(OUT / "calendar-us-citizen-img.ics"), *on],
        ["costs", later, "--specialty-programs", "FM=40,EM=20", "--ranks", "12", *on],
        ["simulate", focus, "--specialty", "IM", "--ranks", "5", "--scale", "0.05", "--runs=20"],
        ["specialties"],
    ]
    for command in commands:
        code = run(*command)
        if code:
            return code
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
