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
from .limits import DEFAULT_LIMITS, LimitError, Limits
from .xlsxcheck import check_workbook

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


def _undecodable(line: int, encoding: str) -> str:
    return (f"dòng {line}: có byte không hợp lệ với mã {encoding}; hãy lưu lại tệp dạng "
            f"UTF-8 (CSV UTF-8) / line {line}: bytes cannot be decoded as {encoding}; save "
            f"the file again as UTF-8 (CSV UTF-8)")


def _too_long(line: int, limits: Limits) -> FormatError:
    return FormatError(
        f"dòng {line} dài quá {limits.max_line_chars} ký tự; hãy kiểm tra dấu phân cách và "
        f"xuống dòng / line {line} is longer than {limits.max_line_chars} characters (limit "
        f"max_line_chars); check the delimiter and the line breaks", line)


def _decoded_lines(raw: BinaryIO, encoding: str, limits: Limits = DEFAULT_LIMITS
                   ) -> Iterator[str]:
    """Decode ``raw`` incrementally into lines ending in ``\\n`` (the last one may not).

    Linear time: a line's pieces are kept in a list and joined once, when its end arrives;
    a line longer than ``limits.max_line_chars`` stops the read (so memory stays bounded).
    A NUL character is refused (PostgreSQL cannot store it). Decoding here rather than in a
    text wrapper lets an error name the exact line.
    """
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    pieces: list[str] = []
    pending, lines_done = 0, 0
    longest = limits.max_line_chars
    while True:
        chunk = raw.read(_CHUNK)
        try:
            text = decoder.decode(chunk, final=not chunk)
        except UnicodeDecodeError as exc:
            good = chunk[:max(0, exc.start)].decode(encoding, errors="ignore")
            line = lines_done + good.count("\n") + 1
            raise FormatError(_undecodable(line, encoding), line) from None
        nul = text.find("\x00")
        if nul >= 0:
            line = lines_done + text.count("\n", 0, nul) + 1
            raise FormatError(
                f"dòng {line} có ký tự NUL (byte 0); tệp có thể là tệp nhị phân hoặc UTF-16 "
                f"bị hỏng: hãy xuất lại thành CSV UTF-8 / line {line} holds a NUL character "
                f"(byte 0): the file may be binary or broken UTF-16; export it again as CSV "
                f"UTF-8", line)
        start = 0
        while (end := text.find("\n", start)) >= 0:
            if pending + end - start > longest:
                raise _too_long(lines_done + 1, limits)
            lines_done += 1
            if pieces:
                pieces.append(text[start:end + 1])
                yield "".join(pieces)
                pieces, pending = [], 0
            else:
                yield text[start:end + 1]
            start = end + 1
        if start < len(text):
            pieces.append(text[start:])
            pending += len(text) - start
            if pending > longest:
                raise _too_long(lines_done + 1, limits)
        if not chunk:
            break
    if pieces:
        yield "".join(pieces)


def _too_wide(width: int, line: int, limits: Limits) -> FormatError:
    return FormatError(
        f"dòng tiêu đề (dòng {line}) có {width} cột, nhiều hơn giới hạn {limits.max_columns}; "
        f"hãy tách bảng / the header (line {line}) has {width} columns, more than the limit "
        f"of {limits.max_columns} (max_columns); split the table", line)


def _check_cells(cells: list[Any], header: list[str], line: int, limits: Limits) -> None:
    for position, cell in enumerate(cells):
        if isinstance(cell, str) and len(cell) > limits.max_cell_chars:
            name = header[position] if position < len(header) else str(position + 1)
            raise FormatError(
                f"dòng {line}, cột {name!r}: ô dài quá {limits.max_cell_chars} ký tự / line "
                f"{line}, column {name!r}: a cell is longer than {limits.max_cell_chars} "
                f"characters (limit max_cell_chars); publish long texts as a separate "
                f"document", line)


def open_csv(path: Path, *, encoding: str | None = None, delimiter: str | None = None,
             header_row: int = 1, limits: Limits = DEFAULT_LIMITS) -> Sheet:
    """Open a CSV file for streaming (see module docstring for the rules)."""
    with path.open("rb") as raw:
        sample = raw.read(SAMPLE_BYTES)
    encoding = encoding or detect_encoding(sample)
    try:
        text = decode_sample(sample, encoding)
    except UnicodeDecodeError as exc:
        line = sample[:exc.start].count(b"\n") + 1
        raise FormatError(_undecodable(line, encoding), line) from None
    delimiter = delimiter or _sniff(text, header_row)
    handle = path.open("rb")
    reader = csv.reader(_decoded_lines(handle, encoding, limits), delimiter=delimiter)

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
        if len(header_cells) > limits.max_columns:
            raise _too_wide(len(header_cells), reader.line_num, limits)
        _check_cells(header_cells, [], reader.line_num, limits)
        header = _clean_header(header_cells, reader.line_num)
    except BaseException:
        handle.close()
        raise

    def rows() -> Iterator[tuple[int, list[Any]]]:
        while (cells := next_row()) is not None:
            if not any(c.strip() for c in cells):
                continue
            line = reader.line_num
            cells = _fit(cells, len(header), line, pad=False)
            _check_cells(cells, header, line, limits)
            yield line, [nfc(c) for c in cells]

    return Sheet(header, rows(), handle.close, encoding, delimiter)


def _xlsx_cell(value: Any) -> Any:
    if isinstance(value, str):
        return nfc(value)
    if isinstance(value, dt.time):
        return value.isoformat()
    return value


def open_xlsx(path: Path, *, sheet: str | None = None, header_row: int = 1,
              limits: Limits = DEFAULT_LIMITS) -> Sheet:
    """Open an XLSX worksheet for streaming (openpyxl read-only mode), after
    :func:`~.xlsxcheck.check_workbook` has inflated its parts within ``limits``."""
    from openpyxl import load_workbook  # imported late: only file sources need it
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        check_workbook(path, limits)
    except LimitError as exc:
        raise FormatError(str(exc), exc.line) from None

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
                if len(cells) > limits.max_columns:
                    raise _too_wide(len(cells), line, limits)
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
            values = _fit(values, width, line, pad=True)
            _check_cells(values, header, line, limits)
            yield line, values

    return Sheet(header, rows(), workbook.close, "xlsx")
