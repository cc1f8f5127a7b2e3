"""The attacker's workbooks of issue 19, finding 5, built with openpyxl and zipfile: a few
hundred KB on disk, hundreds of MB once inflated (no CKAN imports: the e2e journeys use them
too)."""
from __future__ import annotations

import zipfile
from pathlib import Path

from openpyxl import Workbook

__all__ = ["cell_bomb", "strings_bomb", "MIB"]

MIB = 1024 * 1024
MARK = 987654321


def _workbook(path: Path, value: object = MARK) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["ma_xa", "so_ca"])
    sheet.append(["20194", value])
    book.save(path)


def cell_bomb(path: Path, megabytes: int) -> Path:
    """openpyxl's workbook whose one number cell is ``megabytes`` MiB of digits."""
    plain = path.with_suffix(".plain.xlsx")
    _workbook(plain)
    with zipfile.ZipFile(plain) as src, \
            zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                head, tail = data.split(str(MARK).encode())
                with out.open(item.filename, "w") as member:
                    member.write(head)
                    for _ in range(megabytes):
                        member.write(b"9" * MIB)
                    member.write(tail)
            else:
                out.writestr(item, data)
    plain.unlink()
    return path


SST = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
SST_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"


def strings_bomb(path: Path, megabytes: int) -> Path:
    """The attacker's shared-strings bomb: openpyxl's workbook (which writes its strings
    inline) with cell B2 turned into shared string 0 of a table of ``megabytes`` MiB of
    strings — the parts a spreadsheet writes for shared strings, added with zipfile."""
    plain = path.with_suffix(".plain.xlsx")
    _workbook(plain, "BOM-BOM-BOM-BOM")
    element = b"<si><t>BOM-BOM-BOM-BOM</t></si>"
    with zipfile.ZipFile(plain) as src, \
            zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b'<c r="B2" t="inlineStr"><is><t>BOM-BOM-BOM-BOM</t></is>',
                                    b'<c r="B2" t="s"><v>0</v>')
            elif item.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(b"</Relationships>", (
                    f'<Relationship Id="rIdSst" Type="{SST}" Target="sharedStrings.xml"/>'
                    "</Relationships>").encode())
            elif item.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", (
                    f'<Override PartName="/xl/sharedStrings.xml" ContentType="{SST_TYPE}"/>'
                    "</Types>").encode())
            out.writestr(item, data)
        with out.open("xl/sharedStrings.xml", "w") as member:
            member.write(b'<?xml version="1.0" encoding="UTF-8"?>\n<sst xmlns="http://'
                         b'schemas.openxmlformats.org/spreadsheetml/2006/main">')
            block = element * (MIB // len(element))
            for _ in range(megabytes):
                member.write(block)
            member.write(b"</sst>")
    plain.unlink()
    return path
