"""The demo run by `make demo`: the plan of each bundled, fictional example applicant.

Each profile under examples/profiles/ describes a fictional person. The plans are computed for
today's date, so deadlines and elapsed times move with the calendar.
"""

from __future__ import annotations

import sys
from pathlib import Path

from matchready.cli.app import app

PROFILES = Path(__file__).parent / "profiles"


def main() -> int:
    for profile in sorted(PROFILES.glob("*.toml")):
        try:
            app(["plan", str(profile)], standalone_mode=False)
        except SystemExit as done:
            if done.code:
                return int(done.code)
    return 0


if __name__ == "__main__":
    sys.exit(main())
