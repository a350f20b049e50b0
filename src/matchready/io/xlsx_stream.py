"""Chosen columns of a large XLSX worksheet, streamed: a year of DOL LCA filings (650,000 rows,
hundreds of MB of sheet XML) in seconds and flat memory.

Why not a library: openpyxl's read-only mode builds a Python object per cell (105 s for 20,000
rows of the LCA layout); python-calamine and fastexcel read the whole sheet into memory first
(1.05 and 1.13 GB for a 650,000-row file of 23 columns, several GB at DOL's ~100 columns); and
a Python loop over ElementTree's events is over 90 s (docs/decisions/0015-lca-xlsx-reader.md).

SpreadsheetML (ECMA-376 part 1, §18.3) keeps a sheet as `<row>` elements of `<c r="B2" t="s">
<v>0</v></c>` cells; text is in the shared-string table (`t="s"`) or inline (`t="inlineStr"`,
`<is><t>`). The fast path finds only the chosen columns' cells with one compiled pattern per
chunk of rows, so the regular expression engine, not Python, walks the cells that are not
wanted. It is taken when the sheet is in the regular form every common writer uses (Excel,
LibreOffice, openpyxl, XlsxWriter): UTF-8, the default namespace, each cell starting
`<c r="...`. Any other sheet is read by the general path (ElementTree, every event in Python):
correct, slower. Both give the same rows; a test checks them against openpyxl.
"""

from __future__ import annotations

import io
import posixpath
import re
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterator, Sequence
from html import unescape
from types import TracebackType
from typing import Self

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_M = f"{{{MAIN}}}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
CHUNK = 1 << 20
_PLAIN_SI = re.compile(r'<si>(?:<t(?: xml:space="preserve")?>([^<]*)</t></si>|(.*?)</si>)', re.S)
_ANY_CELL = re.compile(
    r'<c r="([A-Z]+)(\d+)"([^>]*)>(?:<f[^>]*>[^<]*</f>|<f[^>]*/>)?'
    r"(?:<v>([^<]*)</v>|<is><t[^>]*>([^<]*)</t></is>)?"
)


class XlsxFormatError(ValueError):
    """The file is not an XLSX workbook matchready can read (the message says why)."""


def column_index(letters: str) -> int:
    """The 0-based index of a column's letters (A = 0, Z = 25, AA = 26)."""
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index - 1


def column_letters(index: int) -> str:
    """The letters of a 0-based column index."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _text(value: str) -> str:
    return unescape(value) if "&" in value else value


class XlsxColumns:
    """The first worksheet of a workbook: its header row, then chosen columns of every other
    row as text ('' for an empty cell). Numbers are their stored text (a date is its serial
    number: see `serial_date`). Close it (or use `with`)."""

    def __init__(self, path: str) -> None:
        try:
            self._zip = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError) as error:
            raise XlsxFormatError(f"not a readable XLSX file ({error})") from error
        try:
            self.sheet_name, self._sheet, self.date1904 = self._first_sheet()
            self._shared = self._shared_strings()
        except (KeyError, ET.ParseError, zipfile.BadZipFile) as error:
            self._zip.close()
            raise XlsxFormatError(f"not a readable XLSX file ({error})") from error
        self.rows_read = 0
        """Data rows of the sheet (the header excluded), known once `rows` is exhausted."""
        self._row_tags = 0
        self.header = self._header()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self._zip.close()

    def _first_sheet(self) -> tuple[str, str, bool]:
        workbook = ET.fromstring(self._zip.read("xl/workbook.xml"))
        sheet = workbook.find(f"{_M}sheets/{_M}sheet")
        if sheet is None:
            raise XlsxFormatError("the workbook has no worksheet")
        properties = workbook.find(f"{_M}workbookPr")
        date1904 = properties is not None and properties.get("date1904") in {"1", "true"}
        rels = ET.fromstring(self._zip.read("xl/_rels/workbook.xml.rels"))
        target = next(
            r.get("Target", "") for r in rels.iter(_PKG) if r.get("Id") == sheet.get(_REL)
        )
        path = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
        return sheet.get("name", ""), posixpath.normpath(path), date1904

    def _shared_strings(self) -> list[str]:
        if "xl/sharedStrings.xml" not in self._zip.namelist():
            return []
        strings: list[str] = []
        for part in self._parts("xl/sharedStrings.xml", "</si>"):
            for plain, rich in _PLAIN_SI.findall(part):
                strings.append(_text(plain) if not rich else _rich(rich))
        return strings

    def _parts(self, name: str, end: str) -> Iterator[str]:
        """The decoded text of a part, in chunks that each end with `end` (the last whole)."""
        with self._zip.open(name) as raw:
            text = io.TextIOWrapper(raw, encoding="utf-8")
            rest = ""
            while chunk := text.read(CHUNK):
                buffer = rest + chunk
                cut = buffer.rfind(end)
                if cut < 0:
                    rest = buffer
                    continue
                cut += len(end)
                yield buffer[:cut]
                rest = buffer[cut:]
            if rest:
                yield rest

    def _regular(self) -> bool:
        """Whether the sheet is in the regular form of the fast path (see the module)."""
        with self._zip.open(self._sheet) as raw:
            head = raw.read(CHUNK).decode("utf-8", errors="replace")
        declared = re.match(r'<\?xml[^>]*encoding="([^"]+)"', head)
        if declared and declared.group(1).lower().replace("-", "") != "utf8":
            return False
        return "<sheetData" in head or "<sheetData/>" in head

    def _header(self) -> list[str]:
        self._fast = self._regular()
        self._header_row = -1
        for number, cells in self._cells(None):
            self._header_row = number
            width = max(cells, default=-1) + 1
            return [cells.get(i, "").strip() for i in range(width)]
        return []

    def rows(self, columns: Sequence[int]) -> Iterator[tuple[str, ...]]:
        """The chosen columns (0-based) of every row after the header, in order."""
        self._row_tags = 0
        for number, cells in self._cells(columns):
            if number != self._header_row:
                yield tuple(cells.get(c, "") for c in columns)
        self.rows_read = max(0, self._row_tags - 1)

    def _cells(self, columns: Sequence[int] | None) -> Iterator[tuple[int, dict[int, str]]]:
        if self._fast:
            yield from self._fast_cells(columns)
        else:
            yield from self._general_cells(columns)

    def _fast_cells(self, columns: Sequence[int] | None) -> Iterator[tuple[int, dict[int, str]]]:
        """Rows as {column: text}; `columns` None: the first row only, every column."""
        if columns is None:
            pattern = _ANY_CELL
        else:
            wanted = "|".join(column_letters(c) for c in sorted(set(columns)))
            pattern = re.compile(_ANY_CELL.pattern.replace("([A-Z]+)", f"({wanted})", 1))
        shared = self._shared
        number, cells = -1, dict[int, str]()
        for part in self._parts(self._sheet, "</row>"):
            if part.count("<c ") + part.count("<c>") != part.count('<c r="'):
                raise XlsxFormatError(f"sheet {self.sheet_name!r}: a cell without its reference")
            if columns is None:
                part = part[: part.find("</row>")]
            self._row_tags += part.count("<row ") + part.count("<row>")
            for letters, row, attrs, value, inline in pattern.findall(part):
                at = int(row)
                if at != number:
                    if cells:
                        yield number, cells
                    number, cells = at, {}
                if 't="s"' in attrs:
                    cells[column_index(letters)] = shared[int(value)] if value else ""
                else:
                    cells[column_index(letters)] = _text(value or inline)
            if columns is None:
                break
        if cells:
            yield number, cells

    def _general_cells(
        self, columns: Sequence[int] | None
    ) -> Iterator[tuple[int, dict[int, str]]]:
        wanted = None if columns is None else set(columns)
        with self._zip.open(self._sheet) as raw:
            number = 0
            for _event, element in ET.iterparse(raw):
                if element.tag != f"{_M}row":
                    continue
                self._row_tags += 1
                number = int(element.get("r") or number + 1)
                cells: dict[int, str] = {}
                position = -1
                for cell in element.iter(f"{_M}c"):
                    ref = cell.get("r")
                    position = column_index(ref.rstrip("0123456789")) if ref else position + 1
                    if wanted is not None and position not in wanted:
                        continue
                    kind = cell.get("t")
                    if kind == "inlineStr":
                        text = "".join(t.text or "" for t in cell.iter(f"{_M}t"))
                    else:
                        text = cell.findtext(f"{_M}v") or ""
                        if kind == "s" and text:
                            text = self._shared[int(text)]
                    cells[position] = text
                element.clear()
                if cells:
                    yield number, cells
                    if columns is None:
                        return


def _rich(fragment: str) -> str:
    """The text of a rich shared string (runs of `<r><t>`), without phonetic runs (`<rPh>`)."""
    root = ET.fromstring(f'<si xmlns="{MAIN}">{fragment}</si>')
    for phonetic in root.findall(f"{_M}rPh"):
        root.remove(phonetic)
    return "".join(t.text or "" for t in root.iter(f"{_M}t"))


def serial_date(text: str, date1904: bool = False) -> tuple[int, int, int] | None:
    """(year, month, day) of an Excel date serial number ('45590' or '45590.5'), else None."""
    import datetime as dt

    try:
        days = float(text)
    except ValueError:
        return None
    if not 0 < days < 2_958_466:  # up to 9999-12-31
        return None
    start = dt.date(1904, 1, 1) if date1904 else dt.date(1899, 12, 30)
    day = start + dt.timedelta(days=int(days))
    return day.year, day.month, day.day
