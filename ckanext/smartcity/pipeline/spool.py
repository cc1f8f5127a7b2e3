"""Rows to temporary files, with bounded memory, and the content hash (no CKAN imports).

A table is read once into a :class:`RawSpool` (pickled batches, types kept) while the
privacy guard scans it; then the portal's one CSV writer
(:class:`ckanext.smartcity.readers.published_csv.CsvWriter`) takes the spooled batches,
with the guard's suppressions applied, into the published CSV. The same CSV is loaded
into the DataStore with ``COPY``.
"""
from __future__ import annotations

import hashlib
import json
import os
import pickle
import tempfile
from collections.abc import Iterator
from typing import IO, Any

__all__ = ["RawSpool", "content_hash"]


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

    def batches(self) -> Iterator[list[tuple[Any, ...]]]:
        """The batches as written, in order."""
        self._file.flush()
        self._file.seek(0)
        while True:
            try:
                batch = pickle.load(self._file)
            except EOFError:
                return
            yield batch

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        for batch in self.batches():
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


def content_hash(metadata: dict[str, Any], columns: Any, csv_sha256: str,
                 privacy: Any) -> str:
    """SHA-256 over what is published: metadata, data dictionary, rows, guard result."""
    canonical = json.dumps({"metadata": metadata, "columns": columns, "rows": csv_sha256,
                            "privacy": privacy}, ensure_ascii=False, sort_keys=True,
                           default=str, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
