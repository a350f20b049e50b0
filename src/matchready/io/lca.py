"""DOL LCA disclosure files (H-1B Labor Condition Applications; US federal data, public domain).

The Office of Foreign Labor Certification publishes one file per fiscal year (XLSX, and the
same columns as CSV), one row per application. matchready keeps only the certified filings
of resident and fellow physicians and counts them per employer (name, city, state) and
federal fiscal year (October to September, from the decision date).

Columns read (FY2020 onward layout): CASE_STATUS, DECISION_DATE, JOB_TITLE, SOC_CODE,
EMPLOYER_NAME, EMPLOYER_CITY, EMPLOYER_STATE. A file without one of them is refused with the
missing columns named. CSV files are scanned with polars (streaming, all columns as text);
XLSX files are streamed by `matchready.io.xlsx_stream` (only these columns' cells, in flat
memory: openpyxl and the calamine readers are too slow or too large for a year's file).

A filing counts when CASE_STATUS is "Certified" (certified-then-withdrawn filings do not),
and its job title names a resident or fellow (resident, residency, fellow, house staff,
house officer, intern, PGY-n) of a physician: the SOC code is a physicians-and-surgeons code
(29-12xx in the 2018 SOC, 29-106x in the 2010 SOC) or the title says physician, medical or
PGY.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import zipfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from matchready.errors import ImportFileError, Location, Problem
from matchready.io.xlsx_stream import XlsxColumns, XlsxFormatError, serial_date

COLUMNS = (
    "CASE_STATUS",
    "DECISION_DATE",
    "JOB_TITLE",
    "SOC_CODE",
    "EMPLOYER_NAME",
    "EMPLOYER_CITY",
    "EMPLOYER_STATE",
)
TRAINEE = (
    r"(?i)\b(resident|residency|fellow|fellowship|house ?staff|house ?officer|intern|pgy[ -]?\d)\b"
)
PHYSICIAN_TITLE = r"(?i)\b(physician|medical|medicine|md|pgy[ -]?\d|house ?staff|house ?officer)\b"
PHYSICIAN_SOC = r"^\s*29-?(12\d\d|106\d)"
_TRAINEE = re.compile(TRAINEE)
_PHYSICIAN_TITLE = re.compile(PHYSICIAN_TITLE)
_PHYSICIAN_SOC = re.compile(PHYSICIAN_SOC)
_US_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")


@dataclass(frozen=True)
class EmployerCount:
    """Certified resident/fellow physician LCAs of one employer in one fiscal year."""

    employer: str
    city: str
    state: str
    fiscal_year: int
    certified: int


@dataclass(frozen=True)
class LcaFile:
    """What a disclosure file holds for matchready: counts, and how many rows were read."""

    file: str
    rows_read: int
    filings_kept: int
    counts: tuple[EmployerCount, ...]

    @property
    def fiscal_years(self) -> tuple[int, ...]:
        return tuple(sorted({c.fiscal_year for c in self.counts}))


def is_resident_physician(job_title: str, soc_code: str) -> bool:
    """Whether a filing's job title and SOC code describe a resident or fellow physician."""
    if not _TRAINEE.search(job_title):
        return False
    return bool(_PHYSICIAN_SOC.match(soc_code) or _PHYSICIAN_TITLE.search(job_title))


def fiscal_year(day: dt.date) -> int:
    """The US federal fiscal year of a date (FY2025 = October 2024 to September 2025)."""
    return day.year + 1 if day.month >= 10 else day.year


def _missing(path: Path, header: list[str]) -> None:
    present = {h.strip().upper() for h in header}
    missing = [c for c in COLUMNS if c not in present]
    if missing:
        raise ImportFileError(
            Problem(
                "not an LCA disclosure file of a known layout (FY2020 onward): missing "
                f"columns {', '.join(missing)}",
                Location(file=path.name),
            )
        )


def read_lca(path: Path) -> LcaFile:
    """Read a disclosure file (CSV or XLSX) into per-employer, per-fiscal-year counts."""
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return _read_xlsx(path)
    if suffix not in {".csv", ".txt"}:
        raise ImportFileError(
            Problem("expected the DOL file as .xlsx or .csv", Location(file=path.name))
        )
    return _read_csv(path)


def _read_csv(path: Path) -> LcaFile:
    try:
        with path.open(newline="", encoding="utf-8-sig", errors="replace") as handle:
            header = next(csv.reader(handle), [])
    except OSError as error:
        raise ImportFileError(
            Problem(f"cannot read the file ({error.strerror})", Location(file=path.name))
        ) from error
    if not header:
        raise ImportFileError(Problem("the file is empty", Location(file=path.name)))
    _missing(path, header)
    names = {h.strip().upper(): h for h in header}
    text = pl.col
    try:
        frame = pl.scan_csv(
            path,
            infer_schema=False,
            encoding="utf8-lossy",
            quote_char='"',
        ).select([text(names[c]).alias(c) for c in COLUMNS])
        total = frame.select(pl.len()).collect(engine="streaming").item()
        kept = (
            frame.filter(text("CASE_STATUS").str.strip_chars().str.to_uppercase() == "CERTIFIED")
            .filter(text("JOB_TITLE").fill_null("").str.contains(TRAINEE))
            .filter(
                text("SOC_CODE").fill_null("").str.contains(PHYSICIAN_SOC)
                | text("JOB_TITLE").fill_null("").str.contains(PHYSICIAN_TITLE)
            )
            .with_columns(_decision_day().alias("DAY"))
        )
        rows = kept.collect(engine="streaming")
    except (pl.exceptions.ComputeError, pl.exceptions.PolarsError) as error:
        raise ImportFileError(
            Problem(f"not a readable CSV file ({error})", Location(file=path.name))
        ) from error
    counts: Counter[tuple[str, str, str, int]] = Counter()
    undated = 0
    for status, day, name, city, state in rows.select(
        "CASE_STATUS", "DAY", "EMPLOYER_NAME", "EMPLOYER_CITY", "EMPLOYER_STATE"
    ).iter_rows():
        del status
        if day is None:
            undated += 1
            continue
        counts[_key(name, city, state, fiscal_year(day))] += 1
    return _result(path, int(total), counts, undated)


def _decision_day() -> pl.Expr:
    text = pl.col("DECISION_DATE").fill_null("").str.strip_chars().str.slice(0, 10)
    iso = text.str.strptime(pl.Date, "%Y-%m-%d", strict=False)
    us = text.str.extract(r"^(\d{1,2}/\d{1,2}/\d{4})").str.strptime(
        pl.Date, "%m/%d/%Y", strict=False
    )
    return pl.coalesce(iso, us)


def _key(name: object, city: object, state: object, year: int) -> tuple[str, str, str, int]:
    return (
        " ".join(str(name or "").split()).upper(),
        " ".join(str(city or "").split()).upper(),
        str(state or "").strip().upper(),
        year,
    )


def _result(
    path: Path, total: int, counts: Counter[tuple[str, str, str, int]], undated: int
) -> LcaFile:
    if undated:
        raise ImportFileError(
            Problem(
                f"{undated} certified resident-physician filings have no readable "
                "DECISION_DATE (expected YYYY-MM-DD or M/D/YYYY)",
                Location(file=path.name, field="DECISION_DATE"),
            )
        )
    found = tuple(
        EmployerCount(name, city, state, year, n)
        for (name, city, state, year), n in sorted(counts.items())
        if name
    )
    return LcaFile(path.name, total, sum(c.certified for c in found), found)


def _day(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value or "").strip()
    if m := _ISO_DATE.match(text):
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    if m := _US_DATE.match(text):
        return dt.date(int(m[3]), int(m[1]), int(m[2]))
    return None


def _read_xlsx(path: Path) -> LcaFile:
    """Stream the first sheet's seven columns (`matchready.io.xlsx_stream`): a year's file in
    seconds and flat memory. A date cell is an Excel serial number, or text as in the CSV."""
    try:
        book = XlsxColumns(str(path))
    except XlsxFormatError as error:
        raise ImportFileError(Problem(str(error), Location(file=path.name))) from error
    counts: Counter[tuple[str, str, str, int]] = Counter()
    undated = 0
    with book:
        if not any(book.header):
            raise ImportFileError(Problem("the file is empty", Location(file=path.name)))
        _missing(path, book.header)
        at = {h.strip().upper(): i for i, h in enumerate(book.header)}
        try:
            for status, decided, title, soc, name, city, state in book.rows(
                [at[c] for c in COLUMNS]
            ):
                if status.strip().upper() != "CERTIFIED":
                    continue
                if not is_resident_physician(title, soc):
                    continue
                day = _day(decided) or _serial_day(decided, book.date1904)
                if day is None:
                    undated += 1
                    continue
                counts[_key(name, city, state, fiscal_year(day))] += 1
        except (XlsxFormatError, zipfile.BadZipFile, ValueError, IndexError) as error:
            raise ImportFileError(
                Problem(f"not a readable XLSX file ({error})", Location(file=path.name))
            ) from error
        total = book.rows_read
    return _result(path, total, counts, undated)


def _serial_day(text: str, date1904: bool) -> dt.date | None:
    found = serial_date(text, date1904)
    return None if found is None else dt.date(*found)
