"""Rows to temporary files, with bounded memory, and the content hash (no CKAN imports).

A table is read once into a :class:`RawSpool` (pickled batches, types kept) while the
privacy guard scans it; then :func:`write_csv` streams the spooled rows, with the
guard's suppressions applied, into the published CSV (UTF-8 with BOM, so Excel shows
Vietnamese). The same CSV is loaded into the DataStore with ``COPY``.
"""
from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import os
import pickle
import tempfile
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal
from typing import IO, Any

__all__ = ["RawSpool", "CsvSpool", "write_csv", "csv_cell", "content_hash"]


class RawSpool:
    """A temporary file of pickled row batches; iterate rows back in order."""

    def __init__(self, directory: str | None = None) -> None:
        handle, self.path = tempfile.mkstemp(prefix="smartcity-raw-", suffix=".pkl",
                                             dir=directory)
        self._file: IO[bytes] = os.fdopen(handle, "w+b")
        self.rows = 0

    def write(self, batch: list[tuple[Any, ...]]) -> None:
        """Append one batch."""
        if batch:
            pickle.dump(batch, self._file, protocol=pickle.HIGHEST_PROTOCOL)
            self.rows += len(batch)

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        self._file.flush()
        self._file.seek(0)
        while True:
            try:
                batch = pickle.load(self._file)
            except EOFError:
                return
            yield from batch

    def close(self) -> None:
        """Delete the file."""
        self._file.close()
        try:
            os.unlink(self.path)
        except FileNotFoundError:
            pass

    def __enter__(self) -> RawSpool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


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


def write_csv(header: Sequence[str], rows: Iterator[Sequence[Any]],
              on_row: Callable[[Sequence[Any]], None] | None = None,
              directory: str | None = None) -> CsvSpool:
    """Stream ``rows`` into a UTF-8-with-BOM CSV; ``on_row`` sees every row written."""
    handle, path = tempfile.mkstemp(prefix="smartcity-", suffix=".csv", dir=directory)
    count = 0
    try:
        with os.fdopen(handle, "w", encoding="utf-8-sig", newline="") as out:
            writer = csv.writer(out, lineterminator="\r\n")
            writer.writerow(header)
            for row in rows:
                writer.writerow([csv_cell(v) for v in row])
                if on_row is not None:
                    on_row(row)
                count += 1
        digest = hashlib.sha256()
        with open(path, "rb") as written:
            for chunk in iter(lambda: written.read(1 << 20), b""):
                digest.update(chunk)
    except BaseException:
        os.unlink(path)
        raise
    return CsvSpool(path, count, digest.hexdigest())


def content_hash(metadata: dict[str, Any], columns: Any, csv_sha256: str,
                 privacy: Any) -> str:
    """SHA-256 over what is published: metadata, data dictionary, rows, guard result."""
    canonical = json.dumps({"metadata": metadata, "columns": columns, "rows": csv_sha256,
                            "privacy": privacy}, ensure_ascii=False, sort_keys=True,
                           default=str, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
