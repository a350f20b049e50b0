"""LCA benchmark: reading a year-sized DOL disclosure file (issue 16: <= 60 s, <= 1 GB on 2 cores).

    .venv/bin/python bench/bench_lca.py [--rows 650000] [--runs 3]

The file is generated in the DOL column layout (23 of its columns; fictional employers), with
about 1% resident/fellow physician filings, as in a real year, as CSV and as XLSX (the same
filings). Each run reads it in a fresh process, so the peak memory (max RSS) is that of one
read. Figures go in bench/README.md under
"LCA".
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from _report import how_busy, others_running, publish
from matchready.io.xlsx_stream import column_letters

COLUMNS = [
    "CASE_NUMBER", "CASE_STATUS", "RECEIVED_DATE", "DECISION_DATE", "ORIGINAL_CERT_DATE",
    "VISA_CLASS", "JOB_TITLE", "SOC_CODE", "SOC_TITLE", "FULL_TIME_POSITION", "BEGIN_DATE",
    "END_DATE", "TOTAL_WORKER_POSITIONS", "EMPLOYER_NAME", "TRADE_NAME_DBA", "EMPLOYER_CITY",
    "EMPLOYER_STATE", "EMPLOYER_POSTAL_CODE", "WORKSITE_CITY", "WORKSITE_STATE",
    "WAGE_RATE_OF_PAY_FROM", "WAGE_UNIT_OF_PAY", "PREVAILING_WAGE",
]  # fmt: skip
JOBS = [
    ("SOFTWARE ENGINEER", "15-1252", "Software Developers"),
    ("DATA SCIENTIST", "15-2051", "Data Scientists"),
    ("ACCOUNTANT", "13-2011", "Accountants and Auditors"),
    ("RESEARCH FELLOW", "19-1042", "Medical Scientists"),
    ("HOSPITALIST", "29-1229", "Physicians, All Other"),
]
RESIDENT = [
    ("RESIDENT PHYSICIAN", "29-1229.00", "Physicians, All Other"),
    ("FELLOW PHYSICIAN", "29-1229", "Physicians, All Other"),
    ("INTERNAL MEDICINE RESIDENT", "29-1216", "General Internal Medicine Physicians"),
]
STATES = ["NY", "CA", "TX", "OH", "IL", "PA", "MI", "FL", "NJ", "MA"]


def generated_rows(rows: int, seed: int = 16) -> Iterator[list[str]]:
    """The header, then `rows` filings in the DOL layout (fictional employers)."""
    rng = random.Random(seed)
    employers = [f"EXAMPLE EMPLOYER {i} INC" for i in range(40_000)]
    hospitals = [f"EXAMPLE HOSPITAL {i}" for i in range(900)]
    yield COLUMNS
    for n in range(rows):
        resident = rng.random() < 0.012
        title, soc, soc_title = rng.choice(RESIDENT if resident else JOBS)
        employer = rng.choice(hospitals if resident else employers)
        state = rng.choice(STATES)
        month = rng.randint(1, 12)
        decided = f"{2024 if month >= 10 else 2025}-{month:02d}-{rng.randint(1, 28):02d}"
        status = rng.choices(
            ["Certified", "Denied", "Certified - Withdrawn", "Withdrawn"], [90, 2, 6, 2]
        )[0]
        city = f"CITY {zlib.crc32(employer.encode()) % 500}"
        yield [
            f"I-200-25{n % 365:03d}-{n:06d}", status, "2024-10-01", decided, decided, "H-1B",
            title, soc, soc_title, "Y", "2025-07-01", "2028-06-30", "1", employer, "", city,
            state, "10001", city, state, "85000", "Year", "80000",
        ]  # fmt: skip


def generate(path: Path, rows: int, seed: int = 16) -> None:
    """A generated disclosure file as CSV."""
    with path.open("w", newline="") as out:
        csv.writer(out).writerows(generated_rows(rows, seed))


_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
    ),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/workbook.xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/worksheet" Target="worksheets/sheet1.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>'
    ),
}


def generate_xlsx(path: Path, rows: int, seed: int = 16) -> None:
    """The same filings as an XLSX workbook written as Excel writes one (shared strings, a
    dimension), streamed to the zip so a year-sized file takes seconds, not the minutes
    openpyxl's writer needs."""
    strings: dict[str, int] = {}
    letters = [column_letters(i) for i in range(len(COLUMNS))]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as book:
        for name, text in _PARTS.items():
            book.writestr(name, text)
        with book.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as raw:
            sheet = io.TextIOWrapper(raw, encoding="utf-8")
            sheet.write(
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                f'<dimension ref="A1:{letters[-1]}{rows + 1}"/><sheetData>'
            )
            for number, row in enumerate(generated_rows(rows, seed), start=1):
                cells = []
                for letter, value in zip(letters, row, strict=True):
                    if not value:
                        continue
                    at = strings.setdefault(value, len(strings))
                    cells.append(f'<c r="{letter}{number}" t="s"><v>{at}</v></c>')
                sheet.write(f'<row r="{number}">{"".join(cells)}</row>')
            sheet.write("</sheetData></worksheet>")
            sheet.flush()
            sheet.detach()
        with book.open("xl/sharedStrings.xml", "w", force_zip64=True) as raw:
            shared = io.TextIOWrapper(raw, encoding="utf-8")
            shared.write(
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                f'uniqueCount="{len(strings)}">'
            )
            for text in strings:
                shared.write(f"<si><t>{escape(text)}</t></si>")
            shared.write("</sst>")
            shared.flush()
            shared.detach()


def _one_read(path: str) -> None:
    from matchready.io.lca import read_lca

    start = time.perf_counter()
    lca = read_lca(Path(path))
    seconds = time.perf_counter() - start
    use = resource.getrusage(resource.RUSAGE_SELF)
    cpu = use.ru_utime + use.ru_stime
    print(f"{seconds:.3f} {cpu:.3f} {use.ru_maxrss / 1024:.0f} {lca.rows_read} {lca.filings_kept}")


@dataclass
class Reads:
    seconds: list[float]
    cpu: list[float]
    peaks: list[float]
    rows: int = 0
    kept: int = 0

    def line(self, name: str) -> str:
        s, c = self.seconds, self.cpu
        return (
            f"| {name} | {self.rows:,} | {statistics.median(s):.1f} [{min(s):.1f}-{max(s):.1f}] "
            f"| {statistics.median(c):.1f} [{min(c):.1f}-{max(c):.1f}] | {max(self.peaks):.0f} |"
        )


def _measure(path: Path, runs: int) -> Reads:
    reads = Reads([], [], [])
    for _ in range(runs):
        done = subprocess.run(
            [sys.executable, __file__, "--read", str(path)],
            check=True, capture_output=True, text=True,
        )  # fmt: skip
        seconds, cpu, mb, rows, kept = done.stdout.split()
        reads.seconds.append(float(seconds))
        reads.cpu.append(float(cpu))
        reads.peaks.append(float(mb))
        reads.rows, reads.kept = int(rows), int(kept)
    return reads


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=650_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--read")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    if args.read:
        _one_read(args.read)
        return
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "LCA_Disclosure_Data_FY2025_generated.csv"
        generate(path, args.rows)
        size_mb = path.stat().st_size / 1e6
        csv_reads = _measure(path, args.runs)
        xlsx = Path(folder) / "LCA_Disclosure_Data_FY2025_generated.xlsx"
        generate_xlsx(xlsx, args.rows)
        xlsx_mb = xlsx.stat().st_size / 1e6
        xlsx_reads = _measure(xlsx, args.runs)
    if (xlsx_reads.rows, xlsx_reads.kept) != (csv_reads.rows, csv_reads.kept):
        raise SystemExit("the XLSX and the CSV of the same filings gave different counts")
    busy = others_running()
    body = (
        "## LCA disclosure files (issue 16): a year-sized file\n\n"
        f"`bench/bench_lca.py`: a generated file in the DOL layout (23 of its columns; "
        f"fictional employers), {csv_reads.rows:,} rows ({size_mb:.0f} MB as CSV, "
        f"{xlsx_mb:.0f} MB as XLSX with shared strings, as Excel writes it), "
        f"{csv_reads.kept:,} certified resident/fellow physician filings kept (the same from "
        f"both). Each read in a fresh process; {args.runs} runs of each.\n\n"
        "| file | rows | wall time (s): median [min-max] | CPU time (s): median [min-max] "
        "| peak memory (MB): max |\n|---|---|---|---|---|\n"
        f"{csv_reads.line('CSV (polars, streaming)')}\n"
        f"{xlsx_reads.line('XLSX (io/xlsx_stream.py, chosen columns)')}\n\n"
        "Target: ≤ 60 s and ≤ 1 GB for a year's file on 2 cores. CPU time is the reading "
        "process's own (user + system), which a loaded machine inflates far less than wall "
        "time. Before (2026-12-01, openpyxl read-only): 105.5 s for 20,000 XLSX rows. Measured "
        "on the same 650,000-row XLSX while choosing the reader (2026-12-02, loaded machine): "
        "python-calamine 0.9.1 19 s and 1,050 MB, fastexcel 0.21.0 17 s and 1,129 MB (both "
        "hold the whole sheet in memory, so DOL's ~100 columns would take several GB); "
        "ElementTree's events in a Python loop over 90 s. The XLSX reader's time grows with "
        "the sheet's bytes; its memory stays flat (the shared strings and one chunk of rows)."
        f"\n\n{how_busy(busy)}; busiest processes: {busy}."
    )
    publish("lca", body, write=not args.no_write)


if __name__ == "__main__":
    main()
