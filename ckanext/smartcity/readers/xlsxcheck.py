"""Inflate an XLSX/XLSM workbook within bounds before openpyxl reads it (no CKAN imports).

openpyxl (even in read-only mode) holds the shared strings and each cell's text in memory,
and a zip member may declare one size and inflate to another. :func:`check_workbook` reads
every member through zipfile's streaming reader, counting the bytes it really produces, so
memory and time stay bounded by the limits whatever the zip declares:

* the declared sizes first (a bomb that says what it is fails at once), then the actual
  inflated bytes of each member, summed, against ``max_xlsx_uncompressed_bytes``;
* ``xl/sharedStrings.xml`` against ``max_shared_strings_bytes``;
* in the worksheet and shared-strings XML, the longest text between two ``<`` (a cell's
  text cannot hold a literal ``<``) against ``max_cell_chars``;
* formulas (``<f>``) that open links or run programs (:data:`RISKY_FORMULA`: HYPERLINK,
  WEBSERVICE, IMPORT…, CALL/REGISTER/EXEC, DDE ``|``, external workbooks ``[n]``) and
  external-link parts are refused: the stored workbook is served as it is.

Errors are :class:`~.limits.LimitError`: bilingual, naming the file, the limit and what to
do, never a value of the file.
"""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

from .limits import LimitError, Limits, size

__all__ = ["check_workbook", "RISKY_FORMULA"]

_CHUNK = 256 * 1024
#: formula text that reaches outside the workbook when a spreadsheet opens it
RISKY_FORMULA = re.compile(
    rb"(?i)(?:\b(?:HYPERLINK|WEBSERVICE|FILTERXML|IMPORT(?:XML|DATA|HTML|FEED|RANGE)|IMAGE"
    rb"|CALL|REGISTER(?:\.ID)?|EXEC|RTD|DDE|DDEAUTO|INFO)\s*\(|\||\[\d+\])")
_FORMULA = re.compile(rb"<f(?:\s[^>]*)?>([^<]*)")


def _refuse(name: str, what_vi: str, what_en: str) -> LimitError:
    return LimitError(f"{what_vi} / {what_en}")


def _is_xml_part(member: str) -> bool:
    return member.startswith("xl/worksheets/") or member == "xl/sharedStrings.xml"


def _runs_within(body: bytes, cell: int) -> bool:
    """True when no run of bytes without ``<`` in ``body`` is longer than ``cell``: jumps
    to the last ``<`` of each window of ``cell`` + 1 bytes (about len / cell steps)."""
    position, length = 0, len(body)
    while length - position > cell:
        last = body.rfind(b"<", position, position + cell + 1)
        if last < 0:
            return False
        position = last + 1
    return True


def _scan(archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, budget: int,
          limits: Limits) -> int:
    """Inflate one member; return its actual size (raises past ``budget`` or a limit)."""
    total = 0
    tail = b""
    xml = _is_xml_part(info.filename)
    strings = info.filename == "xl/sharedStrings.xml"
    cell = limits.max_cell_chars
    with archive.open(info) as member:
        while chunk := member.read(_CHUNK):
            total += len(chunk)
            if total > budget:
                raise _refuse(name, f"bảng tính giải nén ra hơn "
                              f"{size(limits.max_xlsx_uncompressed_bytes)}",
                              f"the workbook inflates to more than "
                              f"{size(limits.max_xlsx_uncompressed_bytes)} (limit "
                              f"max_xlsx_uncompressed_bytes); save it as CSV or split it")
            if strings and total > limits.max_shared_strings_bytes:
                raise _refuse(name, f"bảng chuỗi dùng chung lớn hơn "
                              f"{size(limits.max_shared_strings_bytes)}",
                              f"its shared strings are larger than "
                              f"{size(limits.max_shared_strings_bytes)} (limit "
                              f"max_shared_strings_bytes); save it as CSV")
            if not xml:
                continue
            data = tail + chunk
            cut = data.rfind(b"<")
            body, tail = (data[:cut], data[cut:]) if cut >= 0 else (b"", data)
            if len(tail) > cell or not _runs_within(body, cell):
                raise _refuse(name, f"có ô dài hơn {cell} ký tự",
                              f"a cell is longer than {cell} characters (limit "
                              f"max_cell_chars); publish long texts as a separate document")
            if b"<f" in body:
                for formula in _FORMULA.finditer(body):
                    if RISKY_FORMULA.search(formula.group(1)):
                        raise _refuse(
                            name, "có công thức mở liên kết hoặc chạy chương trình (ví dụ "
                            "HYPERLINK, WEBSERVICE, DDE); hãy dán giá trị thay cho công thức",
                            "a formula opens links or runs programs (e.g. HYPERLINK, "
                            "WEBSERVICE, DDE); paste values instead of the formulas")
    return total


_PASSED: dict[tuple, None] = {}


def check_workbook(path: str | Path, limits: Limits, filename: str | None = None) -> None:
    """Raise :class:`LimitError` unless the workbook at ``path`` inflates within ``limits``
    (a file that is not a zip is left to openpyxl, which refuses it). A workbook that
    passed is remembered by path, size and modification time, so reading it sheet by sheet
    does not inflate it again."""
    path = Path(path)
    name = filename or path.name
    try:
        info = path.stat()
    except OSError:
        return
    key = (str(path), info.st_size, info.st_mtime_ns, limits)
    if key in _PASSED:
        return
    _check(path, limits, name)
    if len(_PASSED) > 16:
        _PASSED.clear()
    _PASSED[key] = None


def _check(path: Path, limits: Limits, name: str) -> None:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        return
    with archive:
        members = archive.infolist()
        if any(m.filename.startswith("xl/externalLinks/") for m in members):
            raise _refuse(name, "bảng tính liên kết tới tệp bên ngoài; hãy dán giá trị",
                          "the workbook links to external files; paste values instead")
        declared = sum(m.file_size for m in members)
        if declared > limits.max_xlsx_uncompressed_bytes:
            raise _refuse(name, f"bảng tính giải nén ra hơn "
                          f"{size(limits.max_xlsx_uncompressed_bytes)}",
                          f"the workbook inflates to more than "
                          f"{size(limits.max_xlsx_uncompressed_bytes)} (limit "
                          f"max_xlsx_uncompressed_bytes); save it as CSV or split it")
        budget = limits.max_xlsx_uncompressed_bytes
        try:
            for info in members:
                if not info.is_dir():
                    budget -= _scan(archive, info, name, budget, limits)
        except (zipfile.BadZipFile, EOFError, NotImplementedError, RuntimeError,
                ValueError) as exc:  # CRC error, truncated member, unknown method …
            raise _refuse(name, "tệp zip của bảng tính bị hỏng",
                          f"the workbook's zip is damaged ({type(exc).__name__})") from None
