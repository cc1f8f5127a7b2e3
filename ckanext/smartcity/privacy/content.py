"""The gate's decision on a file by its content (no CKAN imports).

:func:`check_content` is what the CKAN layer (``ckanext/smartcity/logic/write_checks.py``) runs on every
upload and every newly linked file of a dataset, whatever its name or declared format:

1. larger than ``max_upload_bytes`` → refused;
2. :func:`~.sniff.sniff` names its kind from its bytes;
3. a table kind (text, XLSX/XLSM, JSON, GeoJSON properties, XML) is read within the
   :class:`~ckanext.smartcity.readers.limits.Limits` and checked by
   :func:`~.checkpoint.check_file` — JSON/XML through a CSV of their records
   (:mod:`.structured`); ``Checked.table`` is the path the table was read from;
4. PDF and images (the allow-list) are stored unchecked when ``others_allowed``;
5. anything else — ODS, XLS, other zips, HTML, SVG, binary — is refused.

Messages are bilingual and name the file (the name the user gave), never a value.
"""
from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any, Mapping

from ckanext.smartcity.readers.limits import DEFAULT_LIMITS, LimitError, Limits, size

from .checkpoint import UNREADABLE, Checked, Verdict, check_file
from .sniff import SUFFIX, sniff
from .structured import to_csv

__all__ = ["check_content", "safe_name", "TOO_LARGE", "REFUSED_KIND"]

TOO_LARGE = "too_large"
REFUSED_KIND = "refused_kind"
_UNSAFE = re.compile(r"[^\w.\- ]+")

_KIND_VI_EN = {
    "ods": ("bảng tính ODS mà bộ lọc không đọc được; hãy lưu thành CSV hoặc XLSX",
            "an ODS spreadsheet the gate cannot read; save it as CSV or XLSX"),
    "xls": ("bảng tính Excel cũ (.xls) mà bộ lọc không đọc được; hãy lưu thành XLSX hoặc CSV",
            "a legacy Excel workbook (.xls) the gate cannot read; save it as XLSX or CSV"),
    "zip": ("tệp nén ZIP không được nhận; hãy tải từng tệp lên riêng",
            "ZIP archives are not accepted; upload the files one by one"),
    "html": ("trang HTML không được tải lên; hãy liên kết tới trang đó",
             "HTML pages are not accepted as uploads; link to the page instead"),
    "svg": ("ảnh SVG không được nhận (có thể chứa mã); hãy dùng PNG",
            "SVG images are not accepted (they can carry script); use PNG"),
}


def safe_name(filename: str, suffix: str) -> str:
    """A file name for the work copy: the user's base name, made safe, with ``suffix``."""
    base = _UNSAFE.sub("_", os.path.basename(filename or "tep")).strip(" .") or "tep"
    stem = base[:100]
    return stem if stem.lower().endswith(suffix) else f"{stem}{suffix}"


def _refused(reason: str, message: str) -> Checked:
    return Checked(Verdict(True, reason, message))


def check_content(path: str | Path, dataset: Mapping[str, Any] | None, filename: str,
                  workdir: str | Path, limits: Limits = DEFAULT_LIMITS,
                  city: bool = True) -> Checked:
    """The gate's verdict on the file at ``path`` (named ``filename`` by the user).

    ``workdir`` (a private folder the caller removes) receives the copies read as tables;
    ``city``: a city dataset's file that is no table must be on the allow-list (PDF,
    images); other datasets' non-table files are stored (spreadsheets the gate cannot read
    are refused for every dataset). On a pass of a table kind, ``checked.table`` is the
    CSV/XLSX the gate read (to suppress from).
    """
    path, workdir = Path(path), Path(workdir)
    name = os.path.basename(filename or path.name)
    length = path.stat().st_size
    if length > limits.max_upload_bytes:
        return _refused(TOO_LARGE, (
            f"{name}: tệp lớn hơn giới hạn {size(limits.max_upload_bytes)} / {name}: the file "
            f"is larger than the limit of {size(limits.max_upload_bytes)} (max_upload_bytes); "
            f"split it or ask the portal's administrators"))
    sniffed = sniff(path)
    if sniffed.allowed or not (sniffed.table or city or sniffed.kind in ("ods", "xls")):
        return Checked(Verdict(False, "stored", ""))
    if not sniffed.table:
        vi, en = _KIND_VI_EN.get(sniffed.kind, (
            "định dạng này không được nhận (chỉ bảng CSV/XLSX/JSON/XML/GeoJSON, PDF, ảnh)",
            "this kind of file is not accepted (only CSV/XLSX/JSON/XML/GeoJSON tables, PDF, "
            "images)"))
        return _refused(REFUSED_KIND, f"{name}: {vi} / {name}: {en}")
    table = workdir / safe_name(name, SUFFIX[sniffed.kind])
    if sniffed.kind in ("json", "geojson", "xml"):
        table = table.with_name(table.stem + ".csv")
        try:
            to_csv(path, sniffed.kind, table, name, limits)
        except LimitError as err:
            return _refused(UNREADABLE, str(err))
    else:
        _copy(path, table)
    checked = check_file(table, dataset, filename=name, limits=limits)
    checked.table = table
    return checked


def _copy(source: Path, target: Path) -> None:
    with source.open("rb") as src, target.open("wb") as out:
        while chunk := src.read(1024 * 1024):
            out.write(chunk)
