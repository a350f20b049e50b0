"""Run every benchmark in this folder (`make bench`): each bench_*.py script in turn.

Each script prints its figures and updates its own section of bench/README.md with the date and
the machine. Benchmarks are never part of the test suite.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).parent


def main() -> int:
    scripts = sorted(HERE.glob("bench_*.py"))
    if not scripts:
        print("no benchmark scripts found in", HERE)
        return 1
    failed = 0
    for script in scripts:
        print(f"== {script.name}", flush=True)
        failed += subprocess.run([sys.executable, str(script)], check=False).returncode != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
