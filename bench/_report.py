"""Shared by the benchmarks: the machine's description and writing a section of README.md."""

from __future__ import annotations

import os
import platform
import re
import subprocess
from datetime import UTC, datetime
from pathlib import Path

README = Path(__file__).parent / "README.md"


def machine() -> str:
    """A one-line description of this machine (CPU model, cores, Python)."""
    model = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{model}, {os.cpu_count()} cores, Python {platform.python_version()}"


def stamp() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")


def write_section(name: str, body: str) -> None:
    """Replace (or append) the README section between the markers of `name`."""
    start, end = f"<!-- bench:{name} -->", f"<!-- /bench:{name} -->"
    block = f"{start}\n{body.rstrip()}\n\nMeasured {stamp()} on {machine()}.\n{end}"
    text = README.read_text()
    pattern = re.compile(re.escape(start) + ".*?" + re.escape(end), re.S)
    text = (
        pattern.sub(lambda _: block, text)
        if pattern.search(text)
        else text.rstrip() + "\n\n" + block + "\n"
    )
    tmp = README.with_suffix(".tmp")
    tmp.write_text(text)
    tmp.replace(README)


def publish(name: str, body: str, write: bool = True) -> None:
    """Print a benchmark's section and, unless told not to, write it into README.md."""
    print(body)
    if write:
        write_section(name, body)


def others_running() -> str:
    """The busiest processes over one second (top's second sample), to say what shared the
    machine."""
    try:
        output = subprocess.run(
            ["top", "-b", "-n", "2", "-d", "1", "-o", "%CPU"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    sample = output.split("PID USER")[-1].splitlines()[1:9]
    busy = []
    for line in sample:
        fields = line.split()
        if len(fields) >= 12 and float(fields[8].replace(",", ".")) >= 5.0:
            busy.append(f"{fields[11]} {fields[8]}%")
    return ", ".join(busy) or QUIET


QUIET = "nothing above 5% CPU"
"""What `others_running` says when no other process was busy."""


def how_busy(*samples: str) -> str:
    """ "Taken on a quiet machine" when every `others_running` sample found nothing above 5%
    CPU, else "Taken on a loaded machine" (the caller lists the samples)."""
    if all(sample == QUIET for sample in samples):
        return "Taken on a quiet machine (no other process above 5% CPU)"
    return "Taken on a loaded machine (other jobs running)"
