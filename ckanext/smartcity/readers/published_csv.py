"""The one CSV writer of the portal (no CKAN imports): what is published, what the
privacy gate stores instead of an upload with small counts, what ``privacy-scan`` writes.

UTF-8 with BOM (so Excel shows Vietnamese), ``\r\n`` lines, ``None`` as an empty cell (NULL
for the DataStore's ``COPY``), dates in ISO form; the bytes are hashed as they are written
(:attr:`CsvSpool.sha256`, the published CSV's hash).
"""
from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import os
import tempfile
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal
from itertools import chain
from typing import IO, Any

__all__ = ["CsvSpool", "CsvWriter", "write_csv", "save_csv", "csv_cell", "csv_cells"]


def csv_cell(value: Any) -> str | None:
    """How one value is written: ``None`` stays empty (NULL for ``COPY``)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, (int, Decimal, str)):
        return str(value)
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if isinstance(value, bytes):
        return value.hex()
    return str(value)


class CsvSpool:
    """The published CSV in a temporary file, with its row count and SHA-256."""

    def __init__(self, path: str, rows: int, sha256: str) -> None:
        self.path = path
        self.rows = rows
        self.sha256 = sha256

    def close(self) -> None:
        """Delete the file."""
        try:
            os.unlink(self.path)
        except FileNotFoundError:
            pass

    def __enter__(self) -> CsvSpool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


#: cell types the csv module already writes exactly as :func:`csv_cell` would
#: (``None`` → empty, ``str`` as is, ``int``/``Decimal`` via ``str``, ``float`` via ``repr``)
_AS_IS = frozenset({str, int, float, Decimal, type(None)})


def csv_cells(rows: list[Sequence[Any]]) -> list[Sequence[Any]]:
    """``rows`` ready for ``csv.writer.writerows``: what :func:`csv_cell` would write.

    When every cell is of a type the csv module already writes the same way (the usual
    case), the rows are returned untouched after one pass over the cells, with no
    transposing; otherwise the columns that need it are converted column by column.
    """
    if not rows:
        return rows
    if _AS_IS.issuperset(map(type, chain.from_iterable(rows))):
        return rows
    columns = list(zip(*rows))
    if set(map(len, rows)) != {len(columns)}:
        return [[csv_cell(v) for v in row] for row in rows]
    for index, column in enumerate(columns):
        if not _AS_IS.issuperset(map(type, column)):
            columns[index] = tuple(map(csv_cell, column))
    return list(zip(*columns))


class CsvWriter:
    """Writes the published CSV batch by batch, hashing the bytes as they are written."""

    def __init__(self, header: Sequence[str], directory: str | None = None,
                 on_lines: Callable[[bytes, int], None] | None = None) -> None:
        """``on_lines``: also called with the bytes of every batch's lines (no BOM, no
        header) and its row count, e.g. to stream them into ``COPY``."""
        self._on_lines = on_lines
        handle, self.path = tempfile.mkstemp(prefix="smartcity-", suffix=".csv",
                                             dir=directory)
        self._file: IO[bytes] = os.fdopen(handle, "wb")
        self._digest = hashlib.sha256()
        self._buffer = io.StringIO()
        self._writer = csv.writer(self._buffer, lineterminator="\r\n")
        self.rows = 0
        self._emit(b"\xef\xbb\xbf")  # UTF-8 BOM, so Excel shows Vietnamese
        self._writer.writerow(header)
        self._flush()

    def _emit(self, data: bytes) -> None:
        self._file.write(data)
        self._digest.update(data)

    def _flush(self) -> bytes:
        data = self._buffer.getvalue().encode("utf-8")
        self._emit(data)
        self._buffer.seek(0)
        self._buffer.truncate()
        return data

    def write(self, rows: list[Sequence[Any]]) -> None:
        """Append one batch of published rows."""
        if rows:
            self._writer.writerows(csv_cells(rows))
            data = self._flush()
            self.rows += len(rows)
            if self._on_lines is not None:
                self._on_lines(data, len(rows))

    def finish(self) -> CsvSpool:
        """Close the file; the spool owns (and deletes) it from now on."""
        self._file.close()
        return CsvSpool(self.path, self.rows, self._digest.hexdigest())

    def discard(self) -> None:
        """Close and delete the file (after a failure)."""
        self._file.close()
        try:
            os.unlink(self.path)
        except FileNotFoundError:
            pass


def write_csv(header: Sequence[str], rows: Iterator[Sequence[Any]],
              on_row: Callable[[Sequence[Any]], None] | None = None,
              directory: str | None = None, batch_size: int = 5000) -> CsvSpool:
    """Stream ``rows`` into a UTF-8-with-BOM CSV; ``on_row`` sees every row written."""
    writer = CsvWriter(header, directory)
    try:
        batch: list[Sequence[Any]] = []
        for row in rows:
            batch.append(row)
            if on_row is not None:
                on_row(row)
            if len(batch) >= batch_size:
                writer.write(batch)
                batch = []
        writer.write(batch)
    except BaseException:
        writer.discard()
        raise
    return writer.finish()


def save_csv(target: str | os.PathLike[str], header: Sequence[str],
             rows: Iterator[Sequence[Any]]) -> int:
    """Write ``rows`` as the CSV file ``target`` (replaced whole, or left as it was on a
    failure), readable as any file the user creates; returns the row count."""
    folder = os.path.dirname(os.path.abspath(target))
    written = write_csv(header, rows, directory=folder)
    mask = os.umask(0)
    os.umask(mask)
    os.chmod(written.path, 0o666 & ~mask)
    os.replace(written.path, target)
    return written.rows
