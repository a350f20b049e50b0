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
import resource
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


def timed(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + system) of one whole process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([str(SCRIPT), *args], env=env, check=True, capture_output=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


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
        "| command | target | wall median | wall min to max | CPU median | CPU min to max "
        "| runs | met (wall) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    met = True
    for name, pairs in times.items():
        walls, cpus = [w for w, _ in pairs], [c for _, c in pairs]
        median = statistics.median(walls)
        ok = median <= TARGETS[name]
        met &= ok
        lines.append(
            f"| `matchready {name}` | ≤ {TARGETS[name]:.1f} s | {median:.3f} s | "
            f"{min(walls):.3f} to {max(walls):.3f} s | {statistics.median(cpus):.3f} s | "
            f"{min(cpus):.3f} to {max(cpus):.3f} s | {len(walls)} | {'yes' if ok else 'no'} |"
        )
    body = "\n".join(
        [
            "Whole processes (Python's start included), the `matchready` script of the "
            "environment; `plan` on an example profile.",
            "",
            *lines,
            "",
            f"Also running: {busy}. CPU is the process's user + system time: on a shared "
            "machine it stands for the quiet-machine wall time far better than the wall time "
            "does (a process waiting for a core uses none).",
        ]
    )
    publish("startup", body, write=not args.no_write)
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
