"""Synthetic education statistics (thống kê giáo dục) by commune, level and school year.

Two CSV drops as departments really send them: the 2025-2026 end-of-year report from a
legacy office suite in Windows-1258 (Vietnamese code page, tone marks as combining
characters) and the 2026-2027 start-of-year statistics in UTF-8 with a byte-order mark.
Both are keyed by the commune-level units valid from 2025-07-01.
"""
from __future__ import annotations

import csv
import io
import unicodedata

from faker import Faker

from . import SEED
from .units import load_communes

COLUMNS = ("nam_hoc", "ma_xa", "ten_xa_phuong", "cap_hoc", "ten_cap_hoc", "loai_hinh",
           "ten_loai_hinh", "so_truong", "so_lop", "so_hoc_sinh", "so_giao_vien")
# level: (Vietnamese name, share of population, pupils per class, teachers per class,
#         pupils per school)
LEVELS: dict[str, tuple[str, float, float, float, int]] = {
    "preschool": ("Mầm non", 0.055, 26, 2.2, 200),
    "primary": ("Tiểu học", 0.085, 33, 1.4, 520),
    "lower_secondary": ("Trung học cơ sở", 0.065, 38, 1.9, 700),
    "upper_secondary": ("Trung học phổ thông", 0.042, 40, 2.25, 1100),
    "continuing": ("Giáo dục thường xuyên", 0.004, 35, 1.6, 400),
}
OWNERSHIP = {"public": "Công lập", "non_public": "Ngoài công lập"}
NON_PUBLIC_SHARE = {"preschool": 0.35, "primary": 0.05, "lower_secondary": 0.04,
                    "upper_secondary": 0.08, "continuing": 0.0}
SCHOOL_YEARS = {"2025-2026": 1.0, "2026-2027": 1.012}
CITY_POPULATION = 3_060_000
FILES = {"2025-2026": ("giao_duc_nam_hoc_2025-2026.csv", "cp1258"),
         "2026-2027": ("giao_duc_nam_hoc_2026-2027.csv", "utf-8-sig")}


def rows(school_year: str, seed: int = SEED) -> list[tuple]:
    """Rows for one school year (``YYYY-YYYY``), aligned to :data:`COLUMNS`."""
    fake = Faker("vi_VN")
    fake.seed_instance(seed + 5 + list(SCHOOL_YEARS).index(school_year))
    rnd = fake.random
    communes = [c for c in load_communes() if c.inhabited]
    total_weight = sum(c.population_weight for c in communes)
    out: list[tuple] = []
    for commune in communes:
        people = CITY_POPULATION * commune.population_weight / total_weight
        for level, (label, share, per_class, teachers, per_school) in LEVELS.items():
            pupils_all = people * share * SCHOOL_YEARS[school_year] * rnd.uniform(0.85, 1.15)
            if level == "continuing" and rnd.random() < 0.7:
                continue  # one centre serves several communes
            if level == "upper_secondary" and not commune.urban and rnd.random() < 0.35:
                continue
            non_public = NON_PUBLIC_SHARE[level] * (1.6 if commune.urban else 0.4)
            for ownership, part in (("public", 1 - non_public), ("non_public", non_public)):
                pupils = int(pupils_all * part)
                if pupils < 40:
                    continue
                schools = max(1, round(pupils / per_school))
                classes = max(schools, round(pupils / per_class))
                staff = max(classes, round(classes * teachers * rnd.uniform(0.9, 1.1)))
                out.append((school_year, commune.code, commune.full_name, level, label,
                            ownership, OWNERSHIP[ownership], schools, classes, pupils, staff))
    return out


def csv_text(school_year: str, seed: int = SEED) -> str:
    """The CSV (header + rows, CRLF line ends as exported on Windows)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows(rows(school_year, seed))
    return buf.getvalue()


def csv_bytes(school_year: str, seed: int = SEED) -> bytes:
    """The file's bytes in the encoding that school year's drop uses."""
    encoding = FILES[school_year][1]
    text = csv_text(school_year, seed)
    return encode_cp1258(text) if encoding == "cp1258" else text.encode(encoding)


TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")


def encode_cp1258(text: str) -> bytes:
    """Encode Vietnamese text to Windows-1258.

    The code page has the vowel letters (â, ê, ô, ơ, ư, ă, đ) and only some toned
    letters precomposed; the five tone marks exist as combining characters. A character
    the code page lacks is written as its letter without tone followed by the tone mark,
    which is how Vietnamese Windows software writes it (NFC restores the original).
    """
    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        parts = unicodedata.normalize("NFD", ch)
        letter = unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONE_MARKS))
        tones = "".join(c for c in parts if c in TONE_MARKS)
        out += (letter + tones).encode("cp1258")
    return bytes(out)
