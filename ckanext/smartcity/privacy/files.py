"""Read a department's CSV or XLSX file in batches (for the ``privacy-scan`` command).

CSV encodings: a byte-order mark decides first (UTF-8 BOM, UTF-16); otherwise UTF-8 if the whole
file decodes as UTF-8; otherwise charset-normalizer's best guess (Vietnamese legacy files come as
Windows-1258, Python codec ``cp1258``). Text decoded from Windows-1258, whose tone marks are
combining characters, is normalised to NFC. The delimiter is sniffed among ``, ; TAB |``.
XLSX is read with openpyxl in read-only mode (first sheet, first row = header).
Error messages name the file and the cause, never a cell value.
"""
from __future__ import annotations

import codecs
import csv
import unicodedata
from pathlib import Path
from typing import Iterable, Iterator

__all__ = ["TableFile", "TableFileError", "detect_encoding", "open_table"]

_SAMPLE = 1 << 20


class TableFileError(Exception):
    """The file cannot be read as a table (message bilingual, never a cell value)."""


def detect_encoding(path: Path) -> str:
    """Return the Python codec name of a CSV file's text encoding."""
    with open(path, "rb") as fh:
        head = fh.read(4)
        if head.startswith(codecs.BOM_UTF8):
            return "utf-8-sig"
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return "utf-16"
        fh.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")()
        sample = b""
        try:
            while chunk := fh.read(_SAMPLE):
                if not sample:
                    sample = chunk
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
            return "utf-8"
        except UnicodeDecodeError:
            pass
    from charset_normalizer import from_bytes

    best = from_bytes(sample).best()
    if best is None:
        raise TableFileError(
            f"{path.name}: không nhận ra bảng mã, hãy dùng --encoding / "
            "cannot detect the text encoding, use --encoding"
        )
    return best.encoding


class TableFile:
    """A table file: ``columns`` (header), and :meth:`batches` that may be called again
    (each call re-reads the file from the start, so the guard can make two passes)."""

    def __init__(self, path: Path, encoding: str | None = None) -> None:
        self.path = Path(path)
        self.kind = "xlsx" if self.path.suffix.lower() in (".xlsx", ".xlsm") else "csv"
        self.encoding: str | None = None
        self.delimiter: str | None = None
        if self.kind == "csv":
            self.encoding = encoding or detect_encoding(self.path)
            try:
                codecs.lookup(self.encoding)
            except LookupError:
                raise TableFileError(
                    f"bảng mã không hợp lệ / unknown encoding: {self.encoding}"
                ) from None
        self.columns: list[str] = []
        for header in self._rows():
            self.columns = [
                str(c).strip() if c is not None and str(c).strip() else f"column_{i + 1}"
                for i, c in enumerate(header)
            ]
            break
        if not self.columns:
            raise TableFileError(f"{self.path.name}: tệp rỗng / the file is empty")

    def _sniff(self) -> str:
        with open(self.path, encoding=self.encoding, newline="") as fh:
            sample = fh.read(64 * 1024)
        if "\n" in sample.rstrip("\r\n"):
            sample = sample[: sample.rstrip("\r\n").rfind("\n")]  # whole lines only
        try:
            return csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
        except csv.Error:
            return ","

    def _csv_rows(self) -> Iterator[list[str]]:
        if self.delimiter is None:
            self.delimiter = self._sniff()
        nfc = self.encoding.replace("-", "").replace("_", "").lower() in (
            "cp1258", "windows1258")  # type: ignore[union-attr]
        with open(self.path, encoding=self.encoding, newline="") as fh:
            lines: Iterable[str] = (
                (unicodedata.normalize("NFC", line) for line in fh) if nfc else fh
            )
            yield from csv.reader(lines, delimiter=self.delimiter)

    def _xlsx_rows(self) -> Iterator[tuple]:
        from openpyxl import load_workbook

        try:
            book = load_workbook(self.path, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many types for a broken file
            raise TableFileError(
                f"{self.path.name}: không đọc được tệp Excel / cannot read the Excel file "
                f"({type(exc).__name__})"
            ) from None
        try:
            yield from book.worksheets[0].iter_rows(values_only=True)
        finally:
            book.close()

    def _rows(self) -> Iterator:
        try:
            if self.kind == "xlsx":
                yield from self._xlsx_rows()
            else:
                yield from self._csv_rows()
        except UnicodeDecodeError:
            raise TableFileError(
                f"{self.path.name}: không giải mã được với bảng mã {self.encoding} / "
                f"cannot decode the file as {self.encoding}"
            ) from None
        except csv.Error as exc:
            raise TableFileError(
                f"{self.path.name}: CSV không hợp lệ / malformed CSV ({type(exc).__name__})"
            ) from None

    def batches(self, batch_size: int = 5000) -> Iterator[list[tuple]]:
        """Yield the data rows (header skipped) as lists of tuples aligned to ``columns``.

        Blank lines are skipped; XLSX rows are padded/trimmed to the header width (Excel
        reports trailing empty cells inconsistently); a CSV row of another width is an error
        naming its line.
        """
        width = len(self.columns)
        batch: list[tuple] = []
        rows = self._rows()
        next(rows, None)
        for line, row in enumerate(rows, start=2):
            if self.kind == "xlsx":
                if all(v is None for v in row):
                    continue
                row = tuple(row[:width]) + (None,) * (width - len(row))
            else:
                if not row:
                    continue
                if len(row) != width:
                    raise TableFileError(
                        f"{self.path.name}: dòng {line} có {len(row)} giá trị, cần {width} / "
                        f"line {line} has {len(row)} values, expected {width}"
                    )
                row = tuple(row)
            batch.append(row)
            if len(batch) >= batch_size:
                yield batch
                batch = []
        if batch:
            yield batch


def open_table(path: str | Path, encoding: str | None = None) -> TableFile:
    """Open a CSV/XLSX file for batched reading; raises :class:`TableFileError`."""
    path = Path(path)
    if not path.is_file():
        raise TableFileError(f"{path.name}: không tìm thấy tệp / file not found")
    return TableFile(path, encoding)
