"""Start-up time of the CLI (issue 18): whole processes, as a user runs them.

Run: .venv/bin/python bench/bench_startup.py [--runs N] [--no-write]

Targets: `matchready --help` <= 0.3 s and `matchready plan` (an example profile) <= 1.0 s.
Each command runs N times as a fresh process (the `matchready` script of this environment,
Python's start included); the section gives the median, the spread (min to max) and what else
was running, since the machine may be shared.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _report import others_running, publish

ROOT = Path(__file__).parents[1]
SCRIPT = Path(sys.executable).parent / "matchready"
PROFILE = ROOT / "examples" / "profiles" / "recent-graduate-j1.toml"
TARGETS = {"--help": 0.3, "plan": 1.0}


def timed(args: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run([str(SCRIPT), *args], env=env, check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--no-write", action="store_true", help="do not update README.md")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data:
        env = {**os.environ, "MATCHREADY_DATA_DIR": data, "COLUMNS": "80"}
        commands = {
            "--help": ["--help"],
            "plan": ["plan", str(PROFILE), "--as-of", "2026-12-01"],
        }
        timed(["--help"], env)  # a first run compiles the bytecode
        times = {
            name: [timed(cmd, env) for _ in range(args.runs)] for name, cmd in commands.items()
        }
    busy = others_running()
    lines = [
        "| command | target | median | min to max | runs | met |",
        "|---|---|---|---|---|---|",
    ]
    met = True
    for name, values in times.items():
        median = statistics.median(values)
        ok = median <= TARGETS[name]
        met &= ok
        lines.append(
            f"| `matchready {name}` | ≤ {TARGETS[name]:.1f} s | {median:.3f} s | "
            f"{min(values):.3f} to {max(values):.3f} s | {len(values)} | {'yes' if ok else 'no'} |"
        )
    body = "\n".join(
        [
            "Whole processes (Python's start included), the `matchready` script of the "
            "environment; `plan` on an example profile.",
            "",
            *lines,
            "",
            f"Also running: {busy}.",
        ]
    )
    publish("startup", body, write=not args.no_write)
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
