"""Synthetic population registry (Cơ sở dữ liệu dân cư) of Đà Nẵng.

Households are placed in communes by population weight; each person gets a 12-digit
CCCD whose first three digits are the province of birth registration (048 Đà Nẵng,
049 former Quảng Nam, others for people born elsewhere), then the century/sex digit,
the two last digits of the birth year and six serial digits.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from dataclasses import dataclass

from faker import Faker

from . import SEED
from .names import NameMaker
from .units import Commune, load_communes

REFERENCE_DATE = dt.date(2025, 12, 31)
DEFAULT_PEOPLE = 60_000
MERGER_DATE = dt.date(2025, 7, 1)
# Provinces of birth for people born outside Đà Nẵng/Quảng Nam (CCCD province codes).
OTHER_PROVINCES = {"046": 5, "045": 2, "051": 4, "044": 2, "052": 2, "040": 2, "042": 1.5,
                   "038": 1, "001": 1.5, "079": 1.5, "066": 1, "062": 0.8, "064": 0.8}
HOUSEHOLD_SIZES = {1: 12, 2: 20, 3: 23, 4: 25, 5: 12, 6: 6, 7: 2}

HOUSEHOLD_COLUMNS = ("ma_ho", "ma_xa", "dia_chi", "so_thanh_vien", "ngay_dang_ky")
PERSON_COLUMNS = ("so_cccd", "ho_ten", "ngay_sinh", "gioi_tinh", "ma_xa", "ma_ho",
                  "quan_he_chu_ho", "loai_cu_tru")


@dataclass
class Registry:
    """Generated households and people (rows aligned to the column tuples above)."""

    households: list[tuple]
    people: list[tuple]


class _Builder:
    def __init__(self, seed: int) -> None:
        fake = Faker("vi_VN")
        fake.seed_instance(seed)
        self.rnd = fake.random
        self.names = NameMaker(fake)
        self.used_ids: set[str] = set()
        others = sorted(OTHER_PROVINCES)
        self.other_codes, self.other_weights = others, [OTHER_PROVINCES[c] for c in others]

    def birth(self, age: int) -> dt.date:
        days = self.rnd.randrange(365)
        return REFERENCE_DATE - dt.timedelta(days=age * 365 + age // 4 + days)

    def province(self, commune: Commune, born: dt.date) -> str:
        r = self.rnd.random()
        if born >= MERGER_DATE:
            return "048"
        former_quang_nam = commune.code >= "20335"
        if r < 0.8:
            return "049" if former_quang_nam else "048"
        if r < 0.88:
            return "048" if former_quang_nam else "049"
        return self.rnd.choices(self.other_codes, self.other_weights)[0]

    def cccd(self, province: str, born: dt.date, sex: str) -> str:
        century = 0 if born.year < 2000 else 2
        prefix = f"{province}{century + (sex == 'nu')}{born.year % 100:02d}"
        while True:
            number = f"{prefix}{self.rnd.randrange(1_000_000):06d}"
            if number not in self.used_ids:
                self.used_ids.add(number)
                return number


def generate(n_people: int = DEFAULT_PEOPLE, seed: int = SEED) -> Registry:
    """Households and people until ``n_people`` people exist; deterministic for a seed."""
    b = _Builder(seed)
    rnd = b.rnd
    communes = [c for c in load_communes() if c.inhabited]
    weights = [c.population_weight for c in communes]
    sizes, size_w = list(HOUSEHOLD_SIZES), list(HOUSEHOLD_SIZES.values())
    serial: dict[str, int] = {}
    households: list[tuple] = []
    people: list[tuple] = []
    while len(people) < n_people:
        commune = rnd.choices(communes, weights)[0]
        serial[commune.code] = serial.get(commune.code, 0) + 1
        household_id = f"HGD{commune.code}{serial[commune.code]:06d}"
        size = min(rnd.choices(sizes, size_w)[0], n_people - len(people))
        unit = "Tổ dân phố" if commune.urban else "Thôn"
        address = f"{unit} {rnd.randint(1, 40)}, {commune.full_name}"
        members = list(_members(b, size))
        residence = "tam_tru" if rnd.random() < 0.09 else "thuong_tru"
        family = b.names.family()
        for relation, sex, age in members:
            born = b.birth(age)
            keeps_family = relation in ("Chủ hộ", "Con") or rnd.random() < 0.2
            name = b.names.full(sex, family if keeps_family else None)
            people.append((b.cccd(b.province(commune, born), born, sex), name, born.isoformat(),
                           sex, commune.code, household_id, relation, residence))
        registered = REFERENCE_DATE - dt.timedelta(days=rnd.randrange(30, 9000))
        households.append((household_id, commune.code, address, len(members),
                           registered.isoformat()))
    return Registry(households, people)


def _members(b: _Builder, size: int) -> Iterator[tuple[str, str, int]]:
    """(relation to head, sex, age) for one household of ``size`` people."""
    rnd = b.rnd
    head_sex = "nam" if rnd.random() < 0.68 else "nu"
    head_age = rnd.randint(22, 85) if size == 1 else rnd.randint(26, 72)
    yield "Chủ hộ", head_sex, head_age
    left = size - 1
    if left and rnd.random() < 0.88:
        spouse_sex = "nu" if head_sex == "nam" else "nam"
        yield ("Vợ" if spouse_sex == "nu" else "Chồng"), spouse_sex, max(
            18, head_age + rnd.randint(-6, 4))
        left -= 1
    if left and head_age < 58 and rnd.random() < 0.3:
        mother = rnd.random() < 0.6
        relation, sex = ("Mẹ", "nu") if mother else ("Cha", "nam")
        yield relation, sex, min(100, head_age + rnd.randint(22, 32))
        left -= 1
    for _ in range(left):
        yield "Con", ("nam" if rnd.random() < 0.52 else "nu"), max(
            0, head_age - rnd.randint(20, 38))


def to_csv(rows: list[tuple]) -> str:
    """Rows as CSV text for ``COPY ... FROM STDIN (FORMAT csv)`` (no header)."""
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    return buf.getvalue()
