"""Synthetic data behind the health department's statistics API (Sở Y tế).

Two collections: health facilities (one row per facility, with its commune, type,
beds, doctors and nurses) and monthly cases by ICD-10 chapter by commune, for the
twelve months after the new commune-level units came into force (2025-07 … 2026-06).
"""
from __future__ import annotations

import math
import random

from faker import Faker

from . import SEED
from .units import Commune, load_communes

MONTHS = tuple(f"{2025 if m >= 7 else 2026}-{m:02d}"
               for m in (7, 8, 9, 10, 11, 12, 1, 2, 3, 4, 5, 6))
ICD10_CHAPTERS: dict[str, tuple[str, float]] = {
    "I": ("Bệnh nhiễm trùng và ký sinh trùng (A00–B99)", 6.0),
    "II": ("Bướu tân sinh (C00–D48)", 1.6),
    "III": ("Bệnh của máu, cơ quan tạo máu và rối loạn miễn dịch (D50–D89)", 0.4),
    "IV": ("Bệnh nội tiết, dinh dưỡng và chuyển hóa (E00–E90)", 5.0),
    "V": ("Rối loạn tâm thần và hành vi (F00–F99)", 0.8),
    "VI": ("Bệnh của hệ thần kinh (G00–G99)", 1.5),
    "VII": ("Bệnh mắt và phần phụ (H00–H59)", 3.0),
    "VIII": ("Bệnh của tai và xương chũm (H60–H95)", 1.2),
    "IX": ("Bệnh của hệ tuần hoàn (I00–I99)", 9.0),
    "X": ("Bệnh của hệ hô hấp (J00–J99)", 14.0),
    "XI": ("Bệnh của hệ tiêu hóa (K00–K93)", 7.0),
    "XII": ("Bệnh da và mô dưới da (L00–L99)", 2.0),
    "XIII": ("Bệnh của hệ cơ, xương, khớp và mô liên kết (M00–M99)", 6.0),
    "XIV": ("Bệnh của hệ sinh dục, tiết niệu (N00–N99)", 3.0),
    "XV": ("Thai nghén, sinh đẻ và hậu sản (O00–O99)", 1.2),
    "XVI": ("Một số bệnh lý xuất phát trong thời kỳ chu sinh (P00–P96)", 0.15),
    "XVII": ("Dị tật bẩm sinh, biến dạng và bất thường nhiễm sắc thể (Q00–Q99)", 0.1),
    "XVIII": ("Triệu chứng, dấu hiệu và phát hiện lâm sàng bất thường (R00–R99)", 2.5),
    "XIX": ("Vết thương, ngộ độc và hậu quả của nguyên nhân bên ngoài (S00–T98)", 3.5),
    "XX": ("Nguyên nhân bên ngoài của bệnh tật và tử vong (V01–Y98)", 0.3),
    "XXI": ("Các yếu tố ảnh hưởng đến sức khỏe và tiếp xúc dịch vụ y tế (Z00–Z99)", 4.0),
    "XXII": ("Mã dành cho những mục đích đặc biệt (U00–U99)", 0.05),
}
FACILITY_TYPES: dict[str, str] = {
    "benh_vien": "Bệnh viện",
    "trung_tam_y_te": "Trung tâm y tế khu vực",
    "tram_y_te": "Trạm y tế xã, phường",
    "phong_kham_da_khoa": "Phòng khám đa khoa",
    "phong_kham_chuyen_khoa": "Phòng khám chuyên khoa",
}
# Seasonal factor by calendar month: respiratory peaks in the rainy cold season,
# infections (dengue) from July to November.
_RESPIRATORY = {1: 1.3, 2: 1.2, 3: 1.0, 4: 0.9, 5: 0.8, 6: 0.8, 7: 0.8, 8: 0.9, 9: 1.0,
                10: 1.2, 11: 1.4, 12: 1.4}
_INFECTIOUS = {1: 0.8, 2: 0.7, 3: 0.7, 4: 0.8, 5: 0.9, 6: 1.1, 7: 1.4, 8: 1.6, 9: 1.7,
               10: 1.6, 11: 1.3, 12: 1.0}


def facilities(seed: int = SEED) -> list[dict]:
    """Facility records (public registry data; no personal data)."""
    fake = Faker("vi_VN")
    fake.seed_instance(seed + 2)
    rnd = fake.random
    rows: list[dict] = []
    for commune in load_communes():
        kinds: list[str] = ["tram_y_te"]
        if not commune.inhabited:  # Hoàng Sa: no resident population, no station
            continue
        if commune.urban:
            kinds += ["phong_kham_da_khoa"] * rnd.randint(1, 4)
            kinds += ["phong_kham_chuyen_khoa"] * rnd.randint(2, 8)
            if rnd.random() < 0.45:
                kinds.append("benh_vien")
        elif not commune.highland and rnd.random() < 0.5:
            kinds.append("phong_kham_da_khoa")
        if commune.code in ("20197", "20260", "20320", "20341", "20410", "20500", "20551",
                            "20623", "20641", "20707", "20722", "20791", "20854", "20900",
                            "20944", "20965", "20455", "20467", "20695", "20779"):
            kinds.append("trung_tam_y_te")
        for i, kind in enumerate(kinds, start=1):
            rows.append(_facility(rnd, commune, kind, i))
    return rows


def _facility(rnd: random.Random, commune: Commune, kind: str, serial: int) -> dict:
    """One facility record with plausible beds and staff for its type."""
    beds, doctors, nurses = {
        "tram_y_te": (rnd.randint(3, 10), rnd.randint(1, 3), rnd.randint(2, 6)),
        "phong_kham_da_khoa": (rnd.randint(0, 15), rnd.randint(3, 12), rnd.randint(4, 15)),
        "phong_kham_chuyen_khoa": (0, rnd.randint(1, 4), rnd.randint(1, 4)),
        "trung_tam_y_te": (rnd.randint(80, 250), rnd.randint(20, 70), rnd.randint(60, 200)),
        "benh_vien": (rnd.randint(100, 900), rnd.randint(40, 300), rnd.randint(120, 800)),
    }[kind]
    place = commune.name
    name = {
        "tram_y_te": f"Trạm Y tế {commune.full_name}",
        "phong_kham_da_khoa": f"Phòng khám Đa khoa {rnd.choice(_BRANDS)} {place}",
        "phong_kham_chuyen_khoa": f"Phòng khám {rnd.choice(_SPECIALTIES)} {rnd.choice(_BRANDS)}",
        "trung_tam_y_te": f"Trung tâm Y tế khu vực {place}",
        "benh_vien": f"Bệnh viện Đa khoa {rnd.choice(_BRANDS)} {place}",
    }[kind]
    return {"ma_co_so": f"{commune.code}-{serial:03d}", "ten_co_so": name,
            "loai_co_so": kind, "ten_loai_co_so": FACILITY_TYPES[kind],
            "cong_lap": kind in ("tram_y_te", "trung_tam_y_te") or rnd.random() < 0.3,
            "ma_xa": commune.code, "ten_xa_phuong": commune.full_name,
            "so_giuong_benh": beds, "so_bac_si": doctors, "so_dieu_duong": nurses,
            "nam_bao_cao": 2025}


_BRANDS = ("Hòa Bình", "An Phúc", "Thiện Nhân", "Tâm Trí", "Hoàn Mỹ", "Bình Minh", "Vĩnh Toàn",
           "Phúc An", "Minh Thiện", "Sông Hàn", "Đông Á", "Hải Vân")
_SPECIALTIES = ("Răng Hàm Mặt", "Mắt", "Tai Mũi Họng", "Nhi", "Sản Phụ khoa", "Da liễu",
                "Nội tổng hợp", "Chẩn đoán hình ảnh")


def monthly_cases(seed: int = SEED) -> list[dict]:
    """Cases (lượt mắc) by month × commune × ICD-10 chapter; small counts included."""
    fake = Faker("vi_VN")
    fake.seed_instance(seed + 3)
    rnd = fake.random
    rows: list[dict] = []
    communes = [c for c in load_communes() if c.inhabited]
    for month in MONTHS:
        m = int(month[5:])
        for commune in communes:
            scale = commune.population_weight * 9.0
            for chapter, (label, rate) in ICD10_CHAPTERS.items():
                season = _RESPIRATORY[m] if chapter == "X" else (
                    _INFECTIOUS[m] if chapter == "I" else 1.0)
                mean = rate * scale * season * rnd.uniform(0.7, 1.3)
                rows.append({"thang": month, "ma_xa": commune.code,
                             "ten_xa_phuong": commune.full_name, "chuong_icd10": chapter,
                             "ten_chuong": label, "so_ca_mac": _poisson(rnd, mean)})
    return rows


def _poisson(rnd: random.Random, mean: float) -> int:
    """A Poisson draw (Knuth for small means, normal approximation above 30)."""
    if mean > 30:
        return max(0, round(rnd.gauss(mean, math.sqrt(mean))))
    limit, k, p = math.exp(-mean), 0, 1.0
    while True:
        p *= rnd.random()
        if p <= limit:
            return k
        k += 1
