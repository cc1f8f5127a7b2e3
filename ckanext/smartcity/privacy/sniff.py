"""What a file *is*, from its bytes — never from its name or declared format (no CKAN
imports).

:func:`sniff` reads the first bytes of a file (libmagic through python-magic, plus cheap
checks of our own that do not depend on libmagic's database) and names its kind:

====================  =====================================================================
kind                  what the gate does (:func:`~.checkpoint.check_upload`)
====================  =====================================================================
``csv``               any decodable text (CSV, TSV, ``.txt``, ``.dat`` …): read as a
                      delimited table and checked; text that is no table is refused
``xlsx``              a zip holding ``xl/workbook.xml`` (XLSX/XLSM): bounded, then checked
``json``              JSON: its records (a top-level array, or the first array of objects
                      in a top-level object, or the object itself) are checked as a table
``geojson``           a GeoJSON object: the features' ``properties`` are checked as a table
``xml``               XML (no DOCTYPE): the root's children are records, checked as a table
``pdf`` ``image``     stored unchecked (allow-list: PDF, PNG, JPEG, GIF, WebP)
``ods`` ``xls``       spreadsheets the gate cannot read: refused (save as CSV or XLSX)
``zip``               any other zip: refused (upload the files one by one)
``html`` ``svg``      refused (a page or image that can carry script)
``binary``            anything else: refused
====================  =====================================================================

Fails closed: an unknown kind is refused by the caller, never stored unchecked.
"""
from __future__ import annotations

import codecs
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ckanext.smartcity.readers.encoding import detect_encoding

__all__ = ["Sniffed", "sniff", "TABLE_KINDS", "ALLOWED_KINDS", "SUFFIX"]

HEAD_BYTES = 64 * 1024
#: kinds whose content is read as a table and checked by the gate
TABLE_KINDS = frozenset({"csv", "xlsx", "json", "geojson", "xml"})
#: kinds stored without a table check
ALLOWED_KINDS = frozenset({"pdf", "image"})
#: the suffix the gate's readers need for a kind
SUFFIX = {"csv": ".csv", "xlsx": ".xlsx", "json": ".json", "geojson": ".geojson",
          "xml": ".xml"}
_IMAGES = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a")
_IMAGE_MIMES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp"})
_OLE2 = b"\xd0\xcf\x11\xe0"  # OLE2 compound file (.xls, .doc …)


@dataclass(frozen=True)
class Sniffed:
    """A file's ``kind`` (see the module table) and libmagic's MIME type (``mime``)."""

    kind: str
    mime: str = ""

    @property
    def table(self) -> bool:
        return self.kind in TABLE_KINDS

    @property
    def allowed(self) -> bool:
        return self.kind in ALLOWED_KINDS


def _mime(head: bytes) -> str:
    try:
        import magic  # python-magic over libmagic (scripts/services.py installs it)
    except ImportError:  # our own checks below still decide
        return ""
    try:
        return str(magic.from_buffer(head, mime=True) or "")
    except Exception:  # noqa: BLE001 - libmagic failing is no reason to trust a file
        return ""


def _zip_kind(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if "xl/workbook.xml" in names:
                return "xlsx"
            if "mimetype" in names:
                declared = archive.read("mimetype")[:100]
                if b"opendocument.spreadsheet" in declared:
                    return "ods"
    except (zipfile.BadZipFile, OSError, KeyError, RuntimeError, NotImplementedError):
        return "binary"
    return "zip"


def _text(head: bytes) -> str | None:
    """The head decoded, or None for binary content."""
    if not head:
        return ""
    encoding = detect_encoding(head)
    try:
        text = codecs.getincrementaldecoder(encoding)(errors="strict").decode(head)
    except (UnicodeDecodeError, LookupError):
        # mostly UTF-8 with a damaged byte: still text (the table reader refuses it
        # naming the line); anything else is binary
        return head.decode("utf-8", errors="replace") if encoding == "utf-8" else None
    controls = sum(1 for ch in text[:4096] if ch < " " and ch not in "\t\r\n\f\x00")
    if controls > 8:
        return None
    return text


def _text_kind(text: str) -> str:
    start = text.lstrip("\ufeff \t\r\n")[:512]
    lower = start.lower()
    if start.startswith(("{", "[")):
        return "geojson" if '"type"' in start and ("featurecollection" in lower
                                                   or '"feature"' in lower) else "json"
    if start.startswith("<"):
        if "<!doctype html" in lower or "<html" in lower:
            return "html"
        if "<svg" in lower:
            return "svg"
        return "xml"
    return "csv"


def sniff(path: str | Path) -> Sniffed:
    """The kind of the file at ``path`` (see the module docstring)."""
    path = Path(path)
    with path.open("rb") as handle:
        head = handle.read(HEAD_BYTES)
    mime = _mime(head)
    if head.startswith(b"%PDF-"):
        return Sniffed("pdf", mime)
    if head.startswith(_IMAGES) or (head[:4] == b"RIFF" and head[8:12] == b"WEBP"):
        return Sniffed("image" if mime in _IMAGE_MIMES else "binary", mime)
    if head.startswith(b"PK\x03\x04"):
        return Sniffed(_zip_kind(path), mime)
    if head.startswith(_OLE2):
        return Sniffed("xls", mime)
    if b"\x00" in head and not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # NUL bytes: binary — unless a text reader can name the line (mostly text)
        text = _text(head.replace(b"\x00", b""))
        nuls = head.count(b"\x00")
        if text is None or (nuls > 4 and nuls * 20 > len(head)):
            return Sniffed("binary", mime)
        return Sniffed(_text_kind(text), mime)
    text = _text(head)
    if text is None:
        return Sniffed("binary", mime)
    return Sniffed(_text_kind(text), mime)
