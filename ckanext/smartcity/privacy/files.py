"""Read a department's CSV or XLSX file in batches (for the ``privacy-scan`` command and the
upload check), through the same streaming readers the file harvester uses
(:mod:`ckanext.smartcity.readers.formats`): encoding from a byte-order mark, strict UTF-8 or
charset-normalizer (Windows-1258 text normalised to NFC), delimiter sniffed among
``, ; TAB |``, XLSX with openpyxl in read-only mode (first sheet, first row = header).
Error messages name the file and the cause, never a cell value.
"""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ckanext.smartcity.readers.formats import FormatError, Sheet, open_csv, open_xlsx
from ckanext.smartcity.readers.limits import DEFAULT_LIMITS, LimitError, Limits
from ckanext.smartcity.readers.xlsxcheck import check_workbook

__all__ = ["TableFile", "TableFileError", "open_table", "sheet_names", "XLSX_SUFFIXES"]

XLSX_SUFFIXES = (".xlsx", ".xlsm")


class TableFileError(Exception):
    """The file cannot be read as a table (message names the file, the line and the sheet
    where known, never a cell value)."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


class TableFile:
    """A table file: ``columns`` (header), and :meth:`batches` that may be called again
    (each call re-reads the file from the start, so the guard can make two passes)."""

    def __init__(self, path: Path, encoding: str | None = None,
                 sheet: str | None = None, limits: Limits = DEFAULT_LIMITS) -> None:
        self.path = Path(path)
        self.limits = limits
        self.kind = "xlsx" if self.path.suffix.lower() in XLSX_SUFFIXES else "csv"
        self._declared = encoding
        self.sheet = sheet
        sheet = self._open()
        sheet.close()
        self.columns: list[str] = sheet.header
        self.encoding: str | None = sheet.encoding if self.kind == "csv" else None
        self.delimiter: str | None = sheet.delimiter if self.kind == "csv" else None

    def _fail(self, cause: str, line: int | None = None) -> TableFileError:
        where_vi = f" ở dòng {line}" if line else ""
        where_en = f" at line {line}" if line else ""
        if self.sheet is not None:
            where_vi += f" (trang tính «{self.sheet}»)"
            where_en += f" (sheet '{self.sheet}')"
        return TableFileError(f"{self.path.name}: không đọc được bảng{where_vi} / cannot read "
                              f"the table{where_en} ({cause})", line)

    def _open(self) -> Sheet:
        try:
            if self.kind == "xlsx":
                return open_xlsx(self.path, sheet=self.sheet, limits=self.limits)
            return open_csv(self.path, encoding=self._declared, limits=self.limits)
        except FormatError as exc:
            raise self._fail(str(exc), exc.line) from None
        except LookupError:
            raise self._fail(f"unknown encoding {self._declared}") from None
        except UnicodeDecodeError as exc:
            raise self._fail(f"not {exc.encoding} text") from None

    def batches(self, batch_size: int = 5000) -> Iterator[list[tuple]]:
        """Yield the data rows (header skipped) as lists of tuples aligned to ``columns``;
        blank rows are skipped, a short row is an error naming its line."""
        sheet = self._open()
        batch: list[tuple] = []
        try:
            for _line, cells in sheet.rows:
                batch.append(tuple(cells))
                if len(batch) >= batch_size:
                    yield batch
                    batch = []
        except FormatError as exc:
            raise self._fail(str(exc), exc.line) from None
        except UnicodeDecodeError as exc:
            raise self._fail(f"not {exc.encoding} text") from None
        finally:
            sheet.close()
        if batch:
            yield batch


def open_table(path: str | Path, encoding: str | None = None,
               sheet: str | None = None, limits: Limits = DEFAULT_LIMITS) -> TableFile:
    """Open a CSV/XLSX file (``sheet``: a worksheet, default the first) for batched reading;
    raises :class:`TableFileError`."""
    path = Path(path)
    if not path.is_file():
        raise TableFileError(f"{path.name}: không tìm thấy tệp / file not found")
    return TableFile(path, encoding, sheet, limits)


def sheet_names(path: str | Path, limits: Limits = DEFAULT_LIMITS) -> list[str]:
    """The worksheets of an XLSX/XLSM workbook that hold at least one non-empty cell.

    Raises :class:`TableFileError` when the file is not a readable workbook or inflates
    past ``limits`` (checked before openpyxl opens it).
    """
    import zipfile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    path = Path(path)
    try:
        check_workbook(path, limits)
    except LimitError as exc:
        raise TableFileError(str(exc)) from None
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise TableFileError(f"{path.name}: không phải bảng tính XLSX đọc được / not a "
                             f"readable XLSX workbook ({type(exc).__name__})") from None
    try:
        names = []
        for worksheet in workbook.worksheets:
            for cells in worksheet.iter_rows(values_only=True):
                if any(c is not None and str(c).strip() for c in cells):
                    names.append(worksheet.title)
                    break
        return names
    except Exception as exc:  # noqa: BLE001 - a damaged part of the zip, a bad cell
        raise TableFileError(f"{path.name}: không phải bảng tính XLSX đọc được / not a "
                             f"readable XLSX workbook ({type(exc).__name__})") from None
    finally:
        workbook.close()
