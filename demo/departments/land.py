"""Synthetic land statistics (thống kê đất đai) of Đà Nẵng as at 31/12/2025, in hectares.

One XLSX workbook: sheet ``Bieu_01`` has one row per commune-level unit and one column
per land-use code (header in row 1), sheet ``Chu_giai`` explains the codes.
"""
from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

from faker import Faker
from openpyxl import Workbook

from . import SEED
from .units import Commune, load_communes

# code: (Vietnamese name, group)
LAND_USE: dict[str, tuple[str, str]] = {
    "LUA": ("Đất trồng lúa", "agricultural"),
    "HNK": ("Đất trồng cây hằng năm khác", "agricultural"),
    "CLN": ("Đất trồng cây lâu năm", "agricultural"),
    "RDD": ("Đất rừng đặc dụng", "agricultural"),
    "RPH": ("Đất rừng phòng hộ", "agricultural"),
    "RSX": ("Đất rừng sản xuất", "agricultural"),
    "NTS": ("Đất nuôi trồng thủy sản", "agricultural"),
    "ODT": ("Đất ở tại đô thị", "non_agricultural"),
    "ONT": ("Đất ở tại nông thôn", "non_agricultural"),
    "TSC": ("Đất xây dựng trụ sở cơ quan", "non_agricultural"),
    "CQP": ("Đất quốc phòng", "non_agricultural"),
    "CAN": ("Đất an ninh", "non_agricultural"),
    "SKC": ("Đất cơ sở sản xuất phi nông nghiệp", "non_agricultural"),
    "TMD": ("Đất thương mại, dịch vụ", "non_agricultural"),
    "DGT": ("Đất công trình giao thông", "non_agricultural"),
    "NTD": ("Đất nghĩa trang, nhà tang lễ, cơ sở hỏa táng", "non_agricultural"),
    "SON": ("Đất có mặt nước dạng sông, ngòi, kênh, rạch, suối", "non_agricultural"),
    "MNC": ("Đất có mặt nước chuyên dùng", "non_agricultural"),
    "BCS": ("Đất bằng chưa sử dụng", "unused"),
    "DCS": ("Đất đồi núi chưa sử dụng", "unused"),
    "NCS": ("Núi đá không có rừng cây", "unused"),
}
GROUP_COLUMNS = {"agricultural": "NNP", "non_agricultural": "PNN", "unused": "CSD"}
GROUP_NAMES = {"NNP": "Nhóm đất nông nghiệp", "PNN": "Nhóm đất phi nông nghiệp",
               "CSD": "Nhóm đất chưa sử dụng"}
_PROFILES: dict[str, dict[str, float]] = {
    "core": {"ODT": 30, "TSC": 2, "CQP": 4, "CAN": 1, "SKC": 6, "TMD": 6, "DGT": 22, "NTD": 2,
             "SON": 6, "MNC": 2, "HNK": 3, "CLN": 3, "RPH": 8, "NTS": 1, "BCS": 4},
    "town": {"ODT": 20, "TSC": 1.5, "CQP": 2, "CAN": 0.5, "SKC": 5, "TMD": 4, "DGT": 14,
             "NTD": 3, "SON": 7, "MNC": 2, "LUA": 12, "HNK": 8, "CLN": 6, "RSX": 6, "NTS": 4,
             "BCS": 5},
    "lowland": {"LUA": 22, "HNK": 12, "CLN": 10, "RSX": 15, "RPH": 3, "NTS": 4, "ONT": 8,
                "DGT": 7, "SKC": 2, "TMD": 1, "NTD": 3, "SON": 6, "MNC": 2, "TSC": 0.3,
                "CQP": 1, "BCS": 3, "DCS": 1.7},
    "highland": {"LUA": 1.5, "HNK": 4, "CLN": 3, "RSX": 30, "RPH": 35, "RDD": 12, "ONT": 0.8,
                 "DGT": 1.2, "SON": 2, "NTD": 0.3, "TSC": 0.1, "DCS": 9, "NCS": 1.2},
}
_SIZES = {"core": (700, 4000), "town": (1500, 6000), "lowland": (3000, 12000),
          "highland": (15000, 60000)}
FIXED_TIME = dt.datetime(2026, 1, 15, 8, 0, 0)


def _profile(c: Commune) -> str:
    if c.urban:
        return "core" if c.code <= "20314" else "town"
    return "highland" if c.highland else "lowland"


def rows(seed: int = SEED) -> list[list]:
    """Data rows (header first) of the ``Bieu_01`` sheet."""
    fake = Faker("vi_VN")
    fake.seed_instance(seed + 4)
    rnd = fake.random
    codes = list(LAND_USE)
    header = ["ma_xa", "ten_xa_phuong", "tong_dien_tich", *GROUP_COLUMNS.values(), *codes]
    out: list[list] = [header]
    for commune in load_communes():
        if not commune.inhabited:  # Hoàng Sa: not covered by the land inventory
            continue
        kind = _profile(commune)
        total = rnd.uniform(*_SIZES[kind])
        shares = {k: v * rnd.uniform(0.6, 1.4) for k, v in _PROFILES[kind].items()}
        norm = sum(shares.values())
        areas = {k: round(total * shares.get(k, 0.0) / norm, 2) for k in codes}
        groups = {col: round(sum(a for k, a in areas.items() if LAND_USE[k][1] == g), 2)
                  for g, col in GROUP_COLUMNS.items()}
        out.append([commune.code, commune.full_name, round(sum(groups.values()), 2),
                    *groups.values(), *areas.values()])
    return out


def workbook_bytes(seed: int = SEED) -> bytes:
    """The XLSX file; byte-for-byte the same for the same seed."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Bieu_01"
    for row in rows(seed):
        ws.append(row)
    notes = wb.create_sheet("Chu_giai")
    notes.append(["ma", "ten_loai_dat", "nhom_dat"])
    for col, name in GROUP_NAMES.items():
        notes.append([col, name, "tổng nhóm"])
    for code, (name, group) in LAND_USE.items():
        notes.append([code, name, group])
    notes.append(["", "Đơn vị tính: ha. Số liệu tổng hợp đến 31/12/2025 theo đơn vị hành chính "
                  "cấp xã từ 01/7/2025; dữ liệu mô phỏng cho demo.", ""])
    wb.properties.creator = "Sở Nông nghiệp và Môi trường thành phố Đà Nẵng"
    wb.properties.title = "Thống kê diện tích đất đai năm 2025"
    wb.properties.created = wb.properties.modified = FIXED_TIME
    buf = io.BytesIO()
    wb.save(buf)
    return _normalise_zip(buf.getvalue())


def _normalise_zip(data: bytes) -> bytes:
    """Re-pack with fixed timestamps and a fixed modified date so the bytes are stable."""
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = _set_dates(content, stamp)
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(entry, content)
    return out.getvalue()


def _set_dates(xml: bytes, stamp: bytes) -> bytes:
    return re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(<)", rb"\g<1>" + stamp + rb"\2",
                  xml)
