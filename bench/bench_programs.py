"""Programs benchmarks: screening one and many applicants, importing 13,000 programs.

    .venv/bin/python bench/bench_programs.py

Programs are the fictional example generator's, scaled to 13,000 (about the number of
ACGME-accredited programs). Figures go in bench/README.md under "Programs".
"""

from __future__ import annotations

import importlib.util
import platform
import random
import tempfile
import time
from datetime import date
from pathlib import Path

from matchready.bootstrap import bootstrap
from matchready.domain.screening import ScreeningApplicant, SeasonDates, VisaNeed
from matchready.domain.screening_table import ProgramTable, screen_many
from matchready.io.programs_csv import TEMPLATE_COLUMNS, program_row
from matchready.io.tables import write_table
from matchready.services.programs import import_programs
from matchready.services.screening import screen_programs
from matchready.settings import Settings

PROGRAMS = 13_000
APPLICANTS = 10_000
AS_OF = date(2026, 9, 1)
SEASON = SeasonDates(date(2026, 9, 24), date(2027, 1, 31), date(2027, 3, 4))
GENERATOR = Path(__file__).parents[1] / "examples" / "programs" / "generate.py"


def _generator():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("generate", GENERATOR)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _applicants(count: int, seed: int = 7) -> list[ScreeningApplicant]:
    rng = random.Random(seed)
    people = []
    for _ in range(count):
        hands_on = rng.randrange(0, 7)
        people.append(
            ScreeningApplicant(
                visa=rng.choice(list(VisaNeed)),
                months_since_graduation=rng.randrange(0, 180),
                step3_passed=rng.random() < 0.3,
                step1_passed=rng.choice([True, True, None]),
                step2ck_score=rng.choice([None, *range(210, 270)]),
                failed_attempts=rng.choice([0, 0, 0, 1, 2]),
                hands_on_usce_months=hands_on,
                any_usce_months=hands_on + rng.randrange(0, 6),
                us_letters=rng.randrange(0, 4),
                ecfmg_certificate_date=rng.choice([None, date(2026, 8, 1), date(2026, 12, 1)]),
            )
        )
    return people


def _best(seconds: list[float]) -> str:
    return f"best {min(seconds) * 1000:.1f} ms of {len(seconds)}"


def main() -> None:
    programs = _generator().example_programs(PROGRAMS)
    table = ProgramTable.build(programs)
    applicants = _applicants(APPLICANTS)
    print(f"{platform.processor() or platform.machine()}, Python {platform.python_version()}")

    times = []
    for person in applicants[:20]:
        start = time.perf_counter()
        screen_programs(person, table, as_of=AS_OF, season=SEASON)
        times.append(time.perf_counter() - start)
    print(f"screen 1 applicant x {PROGRAMS} programs: {_best(times)}")

    start = time.perf_counter()
    verdicts, _fit = screen_many(applicants, table, AS_OF, SEASON)
    elapsed = time.perf_counter() - start
    print(f"screen {APPLICANTS} applicants x {PROGRAMS} programs: {elapsed:.2f} s")
    print(f"  ({verdicts.size:,} verdicts)")

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "programs.csv"
        write_table(path, TEMPLATE_COLUMNS, [program_row(p) for p in programs])
        with bootstrap(Settings(database_url=f"sqlite:///{tmp}/bench.sqlite3")) as runtime:
            uow = runtime.units()
            start = time.perf_counter()
            summary = import_programs(uow, path)
            first = time.perf_counter() - start
            start = time.perf_counter()
            again = import_programs(uow, path)
            second = time.perf_counter() - start
    print(f"import {summary.inserted} programs into empty SQLite: {first:.2f} s")
    print(f"re-import the same file ({again.unchanged} unchanged): {second:.2f} s")


if __name__ == "__main__":
    main()
