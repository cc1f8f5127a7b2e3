"""Synthetic enterprise register (Cơ sở dữ liệu doanh nghiệp) of Đà Nẵng.

Tax codes have 10 digits: the province prefix of the issuing tax office (``04`` Đà Nẵng,
``40`` former Quảng Nam), seven serial digits and a check digit (weights 31, 29, 23, 19,
17, 13, 7, 5, 3; a code whose check would be 10 is never issued).
"""
from __future__ import annotations

import datetime as dt
import random

from faker import Faker

from . import SEED
from .names import NameMaker
from .units import load_communes
from .vsic import CLASSES, SECTIONS

DEFAULT_ENTERPRISES = 30_000
REFERENCE_DATE = dt.date(2025, 12, 31)
COLUMNS = ("ma_so_thue", "ten_doanh_nghiep", "loai_hinh_doanh_nghiep", "thanh_phan_kinh_te",
           "ma_nganh_vsic", "ma_nganh_cap1", "ma_xa", "dia_chi", "von_dieu_le", "so_lao_dong",
           "ngay_dang_ky", "trang_thai", "nguoi_dai_dien", "dien_thoai")
ECONOMIC_SECTORS = {"non_state": 93.5, "fdi": 5.0, "state_owned": 1.5}
LEGAL_FORMS = {"non_state": {"Công ty TNHH một thành viên": 45, "Công ty TNHH hai thành viên "
                             "trở lên": 15, "Công ty cổ phần": 25, "Doanh nghiệp tư nhân": 14,
                             "Công ty hợp danh": 1},
               "fdi": {"Công ty TNHH một thành viên": 60, "Công ty TNHH hai thành viên trở lên":
                       25, "Công ty cổ phần": 15},
               "state_owned": {"Công ty TNHH một thành viên": 70, "Công ty cổ phần": 30}}
BRAND_WORDS = ("An", "Phú", "Minh", "Thành", "Hưng", "Thịnh", "Phát", "Đạt", "Tân", "Việt",
               "Hải", "Sơn", "Kim", "Hoàng", "Long", "Gia", "Bảo", "Trung", "Nam", "Đông",
               "Quang", "Thiên", "Nhật", "Vạn", "Lộc")
PLACE_BRANDS = ("Sông Hàn", "Hải Vân", "Sơn Trà", "Non Nước", "Miền Trung", "Bà Nà", "Hội An",
                "Thu Bồn", "Tam Kỳ", "Chu Lai", "Cù Lao Chàm", "Mỹ Khê", "Ngũ Hành Sơn")
FOREIGN_BRANDS = ("Sakura Components", "Hanbit Tech", "Mekong Pacific", "Daiwa Precision",
                  "Kumo Software", "Orchid Garment", "Lotus Logistics", "Seoul Foods",
                  "Blue Ocean Resort", "Nippon Wire", "Taisei Seafood", "Pacific Links")
TRADE_WORDS = {"A": "Nông lâm", "B": "Khoáng sản", "C": "Sản xuất", "D": "Năng lượng",
               "E": "Môi trường", "F": "Xây dựng", "G": "Thương mại", "H": "Vận tải",
               "I": "Du lịch", "J": "Công nghệ", "K": "Tư vấn Tài chính", "L": "Bất động sản",
               "M": "Tư vấn", "N": "Dịch vụ", "P": "Giáo dục", "Q": "Y tế", "R": "Giải trí",
               "S": "Dịch vụ"}
STREETS = ("Bạch Đằng", "Trần Phú", "Lê Duẩn", "Nguyễn Văn Linh", "Hùng Vương", "Phan Châu Trinh",
           "Điện Biên Phủ", "Ngô Quyền", "Võ Nguyên Giáp", "Trường Sa", "2 Tháng 9",
           "Nguyễn Tất Thành", "Tôn Đức Thắng", "Phạm Văn Đồng", "Quang Trung", "Lê Lợi",
           "Hai Bà Trưng", "Trần Hưng Đạo", "Nguyễn Hoàng", "Phan Bội Châu")
_WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)


def tax_check_digit(first9: str) -> int | None:
    """Check digit for the first nine digits of a tax code, or None if never issued."""
    check = 10 - sum(int(d) * w for d, w in zip(first9, _WEIGHTS)) % 11
    return None if check == 10 else check % 10


def generate(n: int = DEFAULT_ENTERPRISES, seed: int = SEED) -> list[tuple]:
    """Enterprise rows aligned to :data:`COLUMNS`; deterministic for a seed."""
    fake = Faker("vi_VN")
    fake.seed_instance(seed + 1)
    rnd = fake.random
    names = NameMaker(fake)
    communes = [c for c in load_communes() if c.inhabited]
    weights = [c.population_weight ** 1.2 for c in communes]
    codes = sorted(CLASSES)
    code_w = [CLASSES[c][2] for c in codes]
    sectors, sector_w = list(ECONOMIC_SECTORS), list(ECONOMIC_SECTORS.values())
    used: set[str] = set()
    rows: list[tuple] = []
    while len(rows) < n:
        commune = rnd.choices(communes, weights)[0]
        prefix = "40" if commune.code >= "20335" else "04"
        first9 = f"{prefix}{rnd.randrange(10_000_000):07d}"
        check = tax_check_digit(first9)
        if check is None or first9 in used:
            continue
        used.add(first9)
        sector = rnd.choices(sectors, sector_w)[0]
        vsic = rnd.choices(codes, code_w)[0]
        section = CLASSES[vsic][0]
        forms = LEGAL_FORMS[sector]
        form = rnd.choices(list(forms), list(forms.values()))[0]
        owner = names.full("nam" if rnd.random() < 0.7 else "nu")
        name = _name(rnd, form, sector, section, owner)
        scale = {"fdi": 40.0, "state_owned": 60.0}.get(sector, 1.0)
        capital = int(rnd.lognormvariate(0.8, 1.2) * scale * 1_000) * 1_000_000
        employees = max(1, int(rnd.lognormvariate(1.8, 1.1) * (scale ** 0.5)))
        registered = REFERENCE_DATE - dt.timedelta(days=int(rnd.expovariate(1 / 2500)) % 11000)
        status = rnd.choices(["dang_hoat_dong", "tam_ngung_kinh_doanh", "giai_the"],
                             [86, 9, 5])[0]
        street = (f"Số {rnd.randint(1, 399)} {rnd.choice(STREETS)}" if commune.urban
                  else f"Thôn {rnd.randint(1, 15)}")
        phone = f"0236{rnd.randrange(10_000_000):07d}" if prefix == "04" else \
            f"0235{rnd.randrange(10_000_000):07d}"
        rows.append((f"{first9}{check}", name, form, sector, vsic, section, commune.code,
                     f"{street}, {commune.full_name}", capital, employees,
                     registered.isoformat(), status, owner, phone))
    return rows


def _name(rnd: random.Random, form: str, sector: str, section: str, owner: str) -> str:
    """An enterprise name as written on its registration certificate."""
    if form == "Doanh nghiệp tư nhân":
        return f"Doanh nghiệp tư nhân {owner}"
    if sector == "fdi":
        brand = f"{rnd.choice(FOREIGN_BRANDS)} Việt Nam"
    elif sector == "state_owned":
        brand = f"{TRADE_WORDS[section]} {rnd.choice(PLACE_BRANDS)}"
        return f"{form.replace('một thành viên', 'MTV')} {brand}"
    else:
        words = rnd.sample(BRAND_WORDS, 2)
        place = " ".join(words) if rnd.random() < 0.7 else rnd.choice(PLACE_BRANDS)
        brand = f"{TRADE_WORDS[section]} {place}"
    return f"{_SHORT_FORMS.get(form, form)} {brand}"


# How the legal form is written in an enterprise's name.
_SHORT_FORMS = {"Công ty TNHH một thành viên": "Công ty TNHH",
                "Công ty TNHH hai thành viên trở lên": "Công ty TNHH",
                "Công ty cổ phần": "Công ty Cổ phần", "Công ty hợp danh": "Công ty Hợp danh"}


def section_rows() -> list[tuple[str, str]]:
    """(section, name) rows of the VSIC sections used."""
    return sorted(SECTIONS.items())


def class_rows() -> list[tuple[str, str, str]]:
    """(code, name, section) rows of the VSIC classes used."""
    return [(code, name, section) for code, (section, name, _w) in sorted(CLASSES.items())]
