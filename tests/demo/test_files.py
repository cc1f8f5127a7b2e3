"""The file drops: Windows-1258 and UTF-8-with-BOM CSVs, and the land XLSX."""
from __future__ import annotations

import csv
import io
import unicodedata
from pathlib import Path

import openpyxl
import pytest

from departments import education, land
from departments.dropbox import drop_files

CODELISTS = Path(__file__).resolve().parents[2] / "schemas" / "codelists"


def test_windows_1258_file_decodes_with_vietnamese_diacritics():
    data = drop_files()["so-giao-duc-dao-tao/giao_duc_nam_hoc_2025-2026.csv"]
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    text = data.decode("cp1258")
    assert any(unicodedata.combining(ch) for ch in text)  # tone marks as combining chars
    nfc = unicodedata.normalize("NFC", text)
    assert nfc == education.csv_text("2025-2026")
    for word in ("Mầm non", "Tiểu học", "Trung học cơ sở", "Ngoài công lập", "Phường Hải Châu",
                 "Xã Trà Tập"):
        assert word in nfc
    rows = list(csv.DictReader(io.StringIO(nfc)))
    assert rows and set(rows[0]) == set(education.COLUMNS)
    assert {r["nam_hoc"] for r in rows} == {"2025-2026"}


def test_utf8_bom_file():
    data = drop_files()["so-giao-duc-dao-tao/giao_duc_nam_hoc_2026-2027.csv"]
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {r["cap_hoc"] for r in rows} <= {"preschool", "primary", "lower_secondary",
                                             "upper_secondary", "continuing"}
    assert {r["loai_hinh"] for r in rows} == {"public", "non_public"}
    assert all(int(r["so_hoc_sinh"]) >= int(r["so_lop"]) >= int(r["so_truong"]) >= 1
               for r in rows)


def test_encode_cp1258_round_trips_all_vietnamese_letters():
    letters = "aăâeêioôơuưy"
    tones = ["", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"]
    text = "".join(unicodedata.normalize("NFC", v + t) for v in letters + letters.upper()
                   for t in tones) + "đĐ"
    encoded = education.encode_cp1258(text)
    assert unicodedata.normalize("NFC", encoded.decode("cp1258")) == text


def test_land_xlsx_opens_with_openpyxl():
    workbook = drop_files()["so-nong-nghiep-moi-truong/thong_ke_dat_2025.xlsx"]
    wb = openpyxl.load_workbook(io.BytesIO(workbook), read_only=True)
    assert wb.sheetnames[0] == "Bieu_01"
    rows = list(wb["Bieu_01"].iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    assert header[:3] == ("ma_xa", "ten_xa_phuong", "tong_dien_tich")
    assert {"LUA", "CLN", "ONT", "ODT", "RSX"} <= set(header)
    assert len(body) == 93
    for row in body:
        record = dict(zip(header, row))
        parts = sum(record[c] for c in land.LAND_USE)
        assert abs(parts - record["tong_dien_tich"]) < 0.1
        assert abs(record["NNP"] + record["PNN"] + record["CSD"] - record["tong_dien_tich"]) < 0.05


def test_land_use_codes_are_in_the_project_code_list():
    path = CODELISTS / "land_use_codes.csv"
    if not path.exists():
        pytest.skip("schemas/codelists/land_use_codes.csv not present")
    with path.open(encoding="utf-8") as fh:
        known = {r["code"] for r in csv.DictReader(fh)}
    assert set(land.LAND_USE) | set(land.GROUP_COLUMNS.values()) <= known
