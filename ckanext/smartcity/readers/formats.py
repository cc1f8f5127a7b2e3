"""Streaming row sources for CSV and XLSX files (no CKAN imports).

Each opener returns a :class:`Sheet`: the header (names as strings) and an iterator
of ``(line_number, cells)`` already cut to the header's width, plus ``close``. Errors
are :class:`FormatError` with a message that names the line/column, never a value.

Decisions:

* CSV: the encoding is the declared one or detected from the first 64 KiB
  (:mod:`.encoding`); the delimiter is the declared one or sniffed among
  ``, ; TAB |`` on the lines after the title rows, falling back to the most frequent
  of them in the header line. The file is read incrementally in text mode.
  Cells are NFC-normalised; header names also lose a BOM and surrounding spaces.
* ``header_row`` (1-based) skips title rows above the header, for CSV and XLSX.
* Blank rows are skipped. A row shorter than the header is an error ("ragged");
  a longer one is accepted only if the extra cells are empty (trailing delimiters
  from spreadsheet exports). XLSX rows are padded (absent cells are empty).
* An empty header name is an error naming its position; so is a duplicate name.
"""
from __future__ import annotations

import codecs
import csv
import datetime as dt
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

from .encoding import SAMPLE_BYTES, decode_sample, detect_encoding, nfc

__all__ = ["DELIMITERS", "FormatError", "Sheet", "open_csv", "open_xlsx"]

DELIMITERS = ",;\t|"
_CHUNK = 64 * 1024
csv.field_size_limit(16 * 1024 * 1024)


class FormatError(Exception):
    """A file could not be parsed; the message names where, not what (``line``: 1-based,
    when the problem is on one line)."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


class Sheet:
    """Header plus a lazy iterator of ``(line_number, cells)``."""

    def __init__(self, header: list[str], rows: Iterator[tuple[int, list[Any]]],
                 close: Callable[[], None], encoding: str = "", delimiter: str = "") -> None:
        self.header = header
        self.rows = rows
        self.close = close
        self.encoding = encoding
        self.delimiter = delimiter


def _clean_header(cells: list[Any], line: int) -> list[str]:
    names = ["" if c is None else nfc(str(c)).replace("\ufeff", "").strip() for c in cells]
    while names and not names[-1]:
        names.pop()
    if not names:
        raise FormatError(f"header row (line {line}) is empty", line)
    seen: set[str] = set()
    for position, name in enumerate(names, 1):
        if not name:
            raise FormatError(f"column {position} has an empty header (line {line})", line)
        if name in seen:
            raise FormatError(f"column {position} repeats the header {name!r} (line {line})",
                              line)
        seen.add(name)
    return names


def _fit(cells: list[Any], width: int, line: int, pad: bool) -> list[Any]:
    if len(cells) > width:
        if any(c not in (None, "") for c in cells[width:]):
            raise FormatError(f"line {line} has {len(cells)} fields, the header has {width}",
                              line)
        cells = cells[:width]
    if len(cells) < width:
        if not pad:
            raise FormatError(f"line {line} has {len(cells)} fields, the header has {width}",
                              line)
        cells = cells + [None] * (width - len(cells))
    return cells


def _sniff(text: str, header_row: int) -> str:
    lines = text.splitlines()[header_row - 1:]
    if len(lines) > 1:
        lines = lines[:-1]  # the sample may end inside a line
    sample = "\n".join(lines[:200])
    try:
        return csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        header = lines[0] if lines else ""
        counts = {d: header.count(d) for d in DELIMITERS}
        best = max(counts, key=lambda d: counts[d])
        return best if counts[best] else ","


def _decoded_lines(raw: BinaryIO, encoding: str) -> Iterator[str]:
    """Decode ``raw`` incrementally into lines ending in ``\\n`` (the last one may not).

    Decoding here rather than in a text wrapper lets an error name the exact line.
    """
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    pending, lines_done = "", 0
    while True:
        chunk = raw.read(_CHUNK)
        try:
            text = decoder.decode(chunk, final=not chunk)
        except UnicodeDecodeError as exc:
            good = chunk[:max(0, exc.start)].decode(encoding, errors="ignore")
            line = lines_done + pending.count("\n") + good.count("\n") + 1
            raise FormatError(f"line {line}: bytes cannot be decoded as {encoding}", line) from None
        parts = (pending + text).split("\n")
        pending = parts.pop()
        for part in parts:
            lines_done += 1
            yield part + "\n"
        if not chunk:
            break
    if pending:
        yield pending


def open_csv(path: Path, *, encoding: str | None = None, delimiter: str | None = None,
             header_row: int = 1) -> Sheet:
    """Open a CSV file for streaming (see module docstring for the rules)."""
    with path.open("rb") as raw:
        sample = raw.read(SAMPLE_BYTES)
    encoding = encoding or detect_encoding(sample)
    try:
        text = decode_sample(sample, encoding)
    except UnicodeDecodeError as exc:
        raise FormatError(f"bytes cannot be decoded as {encoding} (byte {exc.start})"
                          ) from None
    delimiter = delimiter or _sniff(text, header_row)
    handle = path.open("rb")
    reader = csv.reader(_decoded_lines(handle, encoding), delimiter=delimiter)

    def next_row() -> list[str] | None:
        try:
            return next(reader)
        except StopIteration:
            return None
        except csv.Error as exc:
            raise FormatError(f"line {reader.line_num + 1}: {exc}", reader.line_num + 1) from None

    try:
        for _ in range(header_row - 1):
            next_row()
        header_cells = next_row()
        if header_cells is None:
            raise FormatError("the file has no header row")
        header = _clean_header(header_cells, reader.line_num)
    except BaseException:
        handle.close()
        raise

    def rows() -> Iterator[tuple[int, list[Any]]]:
        while (cells := next_row()) is not None:
            if not any(c.strip() for c in cells):
                continue
            line = reader.line_num
            yield line, [nfc(c) for c in _fit(cells, len(header), line, pad=False)]

    return Sheet(header, rows(), handle.close, encoding, delimiter)


def _xlsx_cell(value: Any) -> Any:
    if isinstance(value, str):
        return nfc(value)
    if isinstance(value, dt.time):
        return value.isoformat()
    return value


def open_xlsx(path: Path, *, sheet: str | None = None, header_row: int = 1) -> Sheet:
    """Open an XLSX worksheet for streaming (openpyxl read-only mode)."""
    from openpyxl import load_workbook  # imported late: only file sources need it
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError) as exc:
        raise FormatError(f"not a readable XLSX workbook ({type(exc).__name__})") from None
    try:
        if sheet is None:
            worksheet = workbook.worksheets[0]
        elif sheet in workbook.sheetnames:
            worksheet = workbook[sheet]
        else:
            raise FormatError(f"sheet {sheet!r} not found (sheets: "
                              f"{', '.join(workbook.sheetnames)})")
        iterator = enumerate(worksheet.iter_rows(values_only=True), 1)
        header: list[str] | None = None
        for line, cells in iterator:
            if line == header_row:
                header = _clean_header(list(cells), line)
                break
        if header is None:
            raise FormatError(f"the sheet has no row {header_row} for the header")
    except BaseException:
        workbook.close()
        raise
    width = len(header)

    def rows() -> Iterator[tuple[int, list[Any]]]:
        for line, cells in iterator:
            values = [_xlsx_cell(c) for c in cells]
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
                continue
            yield line, _fit(values, width, line, pad=True)

    return Sheet(header, rows(), workbook.close, "xlsx")
