"""Vietnamese personal names drawn from a seeded ``Faker('vi_VN')``.

Faker's ``vi_VN`` lists are short and its ``name()`` puts the family name last, so
names are composed here in Vietnamese order (họ, tên đệm, tên) from Faker's lists
widened with other common names, with family names weighted roughly as in Central
Vietnam (Nguyễn far ahead, Trần, Lê, Phạm, Huỳnh, Võ, Phan ...).
"""
from __future__ import annotations

import random

from faker import Faker

FAMILY_NAMES: dict[str, float] = {
    "Nguyễn": 31, "Trần": 10, "Lê": 9, "Phạm": 6, "Huỳnh": 5, "Võ": 5, "Phan": 4.5,
    "Hoàng": 2.5, "Trương": 2.2, "Đặng": 2, "Bùi": 1.6, "Đỗ": 1.4, "Hồ": 2, "Ngô": 1.5,
    "Dương": 1.2, "Đoàn": 1.2, "Lương": 0.8, "Đinh": 0.9, "Mai": 0.7, "Lâm": 0.6,
    "Tôn": 0.4, "Châu": 0.5, "Thái": 0.5, "Lý": 0.4, "Vũ": 1, "Cao": 0.7, "Hà": 0.6,
    "Đào": 0.6, "Kiều": 0.3, "Phùng": 0.3, "Tạ": 0.3, "Ông": 0.3, "Hứa": 0.2, "Alăng": 0.2,
    "Bhríu": 0.2, "Coor": 0.1, "Zơrâm": 0.1,
}
MIDDLE_MALE = ("Văn", "Văn", "Văn", "Đức", "Minh", "Quang", "Hữu", "Thanh", "Công", "Ngọc",
               "Tấn", "Thành", "Xuân", "Anh", "Bảo", "Gia", "Hoàng", "Trọng", "Duy", "Nhật")
MIDDLE_FEMALE = ("Thị", "Thị", "Thị", "Thị", "Ngọc", "Thu", "Thanh", "Minh", "Bảo", "Kim",
                 "Mỹ", "Phương", "Khánh", "Hoài", "Diệu", "Quỳnh", "Thùy", "Hồng", "Bích", "Gia")
GIVEN_MALE = ("Anh", "Bảo", "Cường", "Đạt", "Dũng", "Hải", "Hiếu", "Hòa", "Huy", "Hưng",
              "Khải", "Khánh", "Khoa", "Lâm", "Long", "Lộc", "Minh", "Nam", "Nghĩa", "Nhân",
              "Phát", "Phong", "Phúc", "Quân", "Quốc", "Sơn", "Tài", "Tâm", "Thắng", "Thịnh",
              "Thông", "Tiến", "Toàn", "Trí", "Trung", "Tuấn", "Tùng", "Việt", "Vinh", "Vũ")
GIVEN_FEMALE = ("An", "Anh", "Ánh", "Châu", "Diễm", "Dung", "Giang", "Hà", "Hạnh", "Hiền",
                "Hoa", "Hồng", "Huyền", "Hương", "Khuê", "Lan", "Liên", "Linh", "Loan", "Mai",
                "My", "Nga", "Ngân", "Nhi", "Nhung", "Oanh", "Phượng", "Quyên", "Quỳnh", "Sương",
                "Tâm", "Thảo", "Thủy", "Trang", "Trâm", "Tuyết", "Uyên", "Vân", "Vy", "Yến")


class NameMaker:
    """Draws full Vietnamese names from a seeded Faker; same seed, same names."""

    def __init__(self, fake: Faker) -> None:
        person = fake.provider("faker.providers.person")
        self._rnd: random.Random = fake.random
        families = dict(FAMILY_NAMES)
        for name in getattr(person, "last_names", ()):
            families.setdefault(name, 0.5)
        self._families = sorted(families)
        self._family_weights = [families[n] for n in self._families]
        self._given = {
            "nam": sorted(set(GIVEN_MALE) | set(getattr(person, "first_names_male", ()))),
            "nu": sorted(set(GIVEN_FEMALE) | set(getattr(person, "first_names_female", ()))),
        }
        self._middle = {"nam": MIDDLE_MALE, "nu": MIDDLE_FEMALE}

    def family(self) -> str:
        """A family name (họ)."""
        return self._rnd.choices(self._families, self._family_weights)[0]

    def full(self, sex: str, family: str | None = None) -> str:
        """A full name for ``sex`` (``nam``/``nu``), optionally with a given family name."""
        rnd = self._rnd
        middle = rnd.choice(self._middle[sex])
        if rnd.random() < 0.12:  # two-part middle names are common in the younger generation
            middle = f"{middle} {rnd.choice(self._middle[sex][3:])}"
        return f"{family or self.family()} {middle} {rnd.choice(self._given[sex])}"
