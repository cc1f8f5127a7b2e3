"""Reader for departmental file drops: CSV and XLSX (``smartcity_file``; no CKAN imports).

Source: ``url`` is ``file:///folder`` (the real path must lie inside ``file_roots``)
or an ``http(s)://`` base URL (checked by the network guard like the API reader).
Config (optional, for http sources): ``timeout_s`` (30), ``max_retries`` (3),
``backoff_s`` (1.0), ``max_bytes`` (100 MiB per download).

Spec: ``file`` (a name or glob inside the folder; a plain name for http sources),
``encoding`` (CSV; detected when absent), ``delimiter`` (CSV; sniffed when absent),
``sheet`` (XLSX; the first sheet when absent), ``header_row`` (1-based, default 1).

Decisions:

* Folder: among the files matching the glob (case-sensitive, not recursive), the
  newest by modification time, then by name, is read; older ones are superseded.
  The chosen file's real path is checked against ``file_roots`` again, so a symlink
  cannot lead outside.
* Files still arriving are never read: names an uploader uses while copying
  (``*.part``, ``*.crdownload``, Office's ``~$…`` lock files, dot-files) never match,
  and when the newest match changed less than ``settle_seconds`` ago the read fails
  with "waiting for … to finish uploading" (:data:`SETTLING`) — a half-copied drop is
  never published, and the next run picks the finished file up.
* http: the file is downloaded to a temporary file (bounded by ``max_bytes``) that
  is removed when the table is closed.
* Types are inferred from the first batch (see :mod:`.infer`: leading-zero codes
  stay text, ``DD/MM/YYYY`` is a date); empty cells are ``None``; a later value that
  does not fit is a ReaderError naming the file, line and column.
* ``.csv``, ``.tsv`` and ``.txt`` are read as CSV, ``.xlsx``/``.xlsm`` as XLSX; other
  extensions (including legacy ``.xls``) are refused.
"""
from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Iterator
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import unquote, urlsplit

from . import netguard
from .base import Column, Reader, Table
from .encoding import python_codec
from .formats import DELIMITERS, FormatError, Sheet, open_csv, open_xlsx
from .infer import convert, infer_types
from .transport import DEFAULT_MAX_BYTES, HttpClient

__all__ = ["FileReader", "SETTLING", "is_temporary_name"]

_CSV = (".csv", ".tsv", ".txt")
_XLSX = (".xlsx", ".xlsm")
_GLOB = set("*?[]")
_TEMPORARY_SUFFIXES = (".part", ".partial", ".crdownload", ".tmp", "~")

#: the phrase every "file still arriving" error carries (the notifications skip it)
SETTLING = "to finish uploading"


def is_temporary_name(name: str) -> bool:
    """True for names uploaders give files they are still writing (never harvested)."""
    return (name.startswith((".", "~$")) or name.lower().endswith(_TEMPORARY_SUFFIXES))


class FileReader(Reader):
    """Rows from the newest CSV/XLSX file matching a spec in a folder or at a URL."""

    name = "smartcity_file"
    spec_keys: ClassVar[set[str]] = {"file", "encoding", "sheet", "header_row", "delimiter"}
    source_keys: ClassVar[set[str]] = {"timeout_s", "max_retries", "backoff_s", "max_bytes"}

    def __init__(self, url: str, config: dict[str, Any] | None = None, *,
                 settle_seconds: float = 0.0, **kwargs: Any) -> None:
        """:param settle_seconds: a local file changed more recently is not read yet
        (``ckanext.smartcity.harvest.file_settle_seconds``)."""
        super().__init__(url, config, **kwargs)
        self.settle_seconds = max(0.0, float(settle_seconds))

    def _scheme(self) -> str:
        return urlsplit(self.url).scheme.lower()

    def validate_source(self) -> dict[str, str]:
        """Check the URL form and the optional http settings (no I/O)."""
        errors = super().validate_source()
        parts = urlsplit(self.url)
        if parts.scheme == "file":
            if parts.netloc not in ("", "localhost") or not parts.path.startswith("/"):
                errors["url"] = "must be file:///absolute/folder"
        elif parts.scheme not in ("http", "https"):
            errors["url"] = "must be a file:/// folder or an http(s):// URL"
        for key in ("timeout_s", "backoff_s", "max_retries", "max_bytes"):
            value = self.config.get(key, 1)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
                errors[key] = "must be a non-negative number"
        return errors

    def validate_spec(self, spec: dict[str, Any]) -> dict[str, str]:
        """Check ``file`` and the optional CSV/XLSX keys (no I/O)."""
        errors: dict[str, str] = {}
        name = spec.get("file")
        if not isinstance(name, str) or not name.strip():
            errors["file"] = "is required (a file name or glob)"
        elif "/" in name or "\\" in name or name in (".", ".."):
            errors["file"] = "must be a name or glob inside the source folder"
        elif self._scheme() in ("http", "https") and _GLOB & set(name):
            errors["file"] = "must be a plain file name for http(s) sources (no glob)"
        elif not name.lower().endswith(_CSV + _XLSX):
            errors["file"] = "must name a .csv, .tsv, .txt, .xlsx or .xlsm file"
        encoding = spec.get("encoding")
        if encoding is not None:
            try:
                python_codec(str(encoding))
            except LookupError:
                errors["encoding"] = "is not a known text encoding"
        delimiter = spec.get("delimiter")
        if delimiter is not None and (not isinstance(delimiter, str) or len(delimiter) != 1
                                      or delimiter in "\"\r\n"):
            errors["delimiter"] = f"must be one character such as {DELIMITERS!r}"
        if "sheet" in spec and not isinstance(spec["sheet"], str):
            errors["sheet"] = "must be a sheet name"
        header_row = spec.get("header_row", 1)
        if isinstance(header_row, bool) or not isinstance(header_row, int) or header_row < 1:
            errors["header_row"] = "must be a positive integer (1 = first row)"
        return errors

    # -- locating -----------------------------------------------------------------

    def _local(self, pattern: str) -> Path:
        folder_text = unquote(urlsplit(self.url).path)
        try:
            folder = netguard.check_file_path(folder_text, self.file_roots, self.department)
        except netguard.Refused as exc:
            raise self.error(f"refused: {exc.reason}") from None
        if not folder.is_dir():
            raise self.error("the source folder does not exist")
        newest: tuple[float, str] | None = None
        with os.scandir(folder) as entries:
            for entry in entries:
                if (fnmatchcase(entry.name, pattern) and not is_temporary_name(entry.name)
                        and entry.is_file()):
                    key = (entry.stat().st_mtime, entry.name)
                    newest = key if newest is None or key > newest else newest
        if newest is None:
            raise self.error(f"no file matches {pattern!r} in folder {folder_text}")
        age = time.time() - newest[0]
        if age < self.settle_seconds:
            raise self.error(
                f"đang chờ tệp {newest[1]} tải lên xong / waiting for {newest[1]} "
                f"{SETTLING} (changed {max(age, 0):.0f} s ago; files are read "
                f"{self.settle_seconds:.0f} s after their last change); nothing changed")
        try:
            return netguard.check_file_path(folder / newest[1], self.file_roots,
                                            self.department)
        except netguard.Refused as exc:
            raise self.error(f"refused: {exc.reason}") from None

    def _download(self, name: str) -> tuple[Path, Any]:
        client = HttpClient(
            self.source, self.allowed_hosts,
            timeout_s=float(self.config.get("timeout_s", 30)),
            max_retries=int(self.config.get("max_retries", 3)),
            backoff_s=float(self.config.get("backoff_s", 1.0)),
            max_bytes=int(self.config.get("max_bytes", DEFAULT_MAX_BYTES)))
        suffix = Path(name).suffix.lower()
        # lives as long as the table; closed (and so removed) by Table.close
        spool = tempfile.NamedTemporaryFile(prefix="smartcity-", suffix=suffix)  # noqa: SIM115
        try:
            client.get(self.url.rstrip("/") + "/" + name, sink=spool)
            spool.flush()
        except BaseException:
            spool.close()
            raise
        finally:
            client.close()
        return Path(spool.name), spool

    def change_signal(self, spec: dict[str, Any]) -> str | None:
        """For a local folder: the chosen file's name, size, mtime and ctime (ctime
        changes on every write or rename into place, and cannot be set back); None for
        http sources."""
        self._checked_spec(spec)
        if self._scheme() != "file":
            return None
        path = self._local(spec["file"])
        info = path.stat()
        return f"file:{path.name}:{info.st_size}:{info.st_mtime_ns}:{info.st_ctime_ns}"

    # -- reading ------------------------------------------------------------------

    def read(self, spec: dict[str, Any], batch_size: int = 5000) -> Table:
        """Locate the file, read its header and first batch, and stream the rest.

        :raises ReaderError: naming the file and the cause (no file, undecodable bytes,
            ragged rows, empty header, bad workbook, refused path or host).
        """
        self._checked_spec(spec)
        spool = None
        if self._scheme() == "file":
            path = self._local(spec["file"])
        else:
            path, spool = self._download(spec["file"])
        label = Path(spec["file"]).name if spool is not None else path.name
        try:
            sheet = self._open(path, spec, label)
        except BaseException:
            if spool is not None:
                spool.close()
            raise

        def close() -> None:
            try:
                sheet.close()
            finally:
                if spool is not None:
                    spool.close()

        try:
            first = self._take(sheet.rows, batch_size, label)
            types = infer_types([cells for _, cells in first], len(sheet.header))
        except BaseException:
            close()
            raise
        columns = [Column(n, t) for n, t in zip(sheet.header, types)]
        return Table(columns, self._batches(sheet, first, columns, batch_size, label), close)

    def _open(self, path: Path, spec: dict[str, Any], label: str) -> Sheet:
        suffix = path.suffix.lower()
        try:
            if suffix in _XLSX:
                return open_xlsx(path, sheet=spec.get("sheet"),
                                 header_row=int(spec.get("header_row", 1)))
            if suffix in _CSV:
                return open_csv(path, encoding=spec.get("encoding"),
                                delimiter=spec.get("delimiter"),
                                header_row=int(spec.get("header_row", 1)))
        except FormatError as exc:
            raise self.error(f"{label}: {exc}") from None
        except OSError as exc:
            raise self.error(f"{label}: cannot be opened ({type(exc).__name__})") from None
        raise self.error(f"{label}: unsupported file type {suffix!r} (use CSV or XLSX)")

    def _take(self, rows: Iterator[tuple[int, list[Any]]], count: int, label: str
              ) -> list[tuple[int, list[Any]]]:
        taken: list[tuple[int, list[Any]]] = []
        try:
            for item in rows:
                taken.append(item)
                if len(taken) >= count:
                    break
        except FormatError as exc:
            raise self.error(f"{label}: {exc}") from None
        return taken

    def _convert(self, line: int, cells: list[Any], columns: list[Column], label: str
                 ) -> tuple[Any, ...]:
        values = []
        for value, column in zip(cells, columns):
            try:
                values.append(convert(value, column.type))
            except ValueError:
                raise self.error(f"{label}: line {line}, column {column.name!r} does not fit "
                                 f"type {column.type} inferred from the first rows") from None
        return tuple(values)

    def _batches(self, sheet: Sheet, first: list[tuple[int, list[Any]]],
                 columns: list[Column], batch_size: int, label: str
                 ) -> Iterator[list[tuple[Any, ...]]]:
        chunk = first
        while chunk:
            yield [self._convert(line, cells, columns, label) for line, cells in chunk]
            chunk = self._take(sheet.rows, batch_size, label)

