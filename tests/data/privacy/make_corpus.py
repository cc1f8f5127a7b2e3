"""Regenerate the privacy-guard corpus (deterministic; the output files are committed).

    .venv/bin/python tests/data/privacy/make_corpus.py

All identifiers are synthetic (Faker ``vi_VN`` seeded, plus format-valid random numbers);
none belongs to a real person. ``manifest.json`` states the expected verdict per column:
``block`` (a personal identifier, must be refused), ``pass`` (must not be refused) or
``allowed`` (would be refused, but the case's ``allow_columns`` names it on purpose).
"""
from __future__ import annotations

import csv
import json
import random
import unicodedata
from datetime import datetime
from pathlib import Path

from faker import Faker
from openpyxl import Workbook

HERE = Path(__file__).parent
SEED = 20250701
rng = random.Random(SEED)
fake = Faker("vi_VN")
fake.seed_instance(SEED)

PROVINCES = ["001", "031", "038", "040", "046", "048", "049", "051", "079", "092", "096"]
MOBILE = ["32", "35", "39", "56", "58", "70", "77", "79", "81", "85", "86", "89", "90",
          "91", "93", "94", "96", "97", "98"]
AREA = ["236", "235", "24", "28", "234", "255"]
COMMUNES = [
    ("20194", "Hải Vân"), ("20197", "Liên Chiểu"), ("20200", "Hòa Khánh"),
    ("20209", "Thanh Khê"), ("20242", "Hải Châu"), ("20257", "Hòa Cường"),
    ("20275", "Sơn Trà"), ("20285", "An Hải"), ("20305", "Ngũ Hành Sơn"),
    ("20314", "Hòa Xuân"), ("20320", "Cẩm Lệ"), ("20333", "Bà Nà"),
]


def cccd(style: int = 0) -> str:
    digits = (rng.choice(PROVINCES) + str(rng.randint(0, 3)) + f"{rng.randint(0, 99):02d}"
              + f"{rng.randint(0, 999999):06d}")
    if style == 1:
        return " ".join(digits[i:i + 3] for i in range(0, 12, 3))
    if style == 2:
        return " ".join(digits[i:i + 4] for i in range(0, 12, 4))
    return digits


def mobile(style: int = 0) -> str:
    rest = rng.choice(MOBILE) + f"{rng.randint(0, 9999999):07d}"
    forms = [
        "0" + rest, "+84" + rest, "+84 " + rest[:2] + " " + rest[2:5] + " " + rest[5:],
        "0" + rest[:3] + "." + rest[3:6] + "." + rest[6:], "0" + rest[:3] + "-" + rest[3:6]
        + "-" + rest[6:], "84" + rest, "(+84) " + rest[:3] + " " + rest[3:6] + " " + rest[6:],
        "0" + rest[:3] + " " + rest[3:6] + " " + rest[6:],
    ]
    return forms[style % len(forms)]


def landline(style: int = 0) -> str:
    area = rng.choice(["236", "235", "234", "255", "237"])
    local = f"{rng.randint(3000000, 3999999)}"
    forms = ["0" + area + local, "0" + area + " " + local[:3] + " " + local[3:],
             "0" + area + "." + local[:4] + "." + local[4:], "+84 " + area + " " + local]
    return forms[style % len(forms)]


def bhyt(style: int = 0) -> str:
    code = (rng.choice(["DN", "HC", "HT", "GD", "TE", "HS", "CK", "BT"]) + str(rng.randint(1, 5))
            + rng.choice(["48", "49", "79"]) + f"{rng.randint(0, 9999999999):010d}")
    if style == 1:
        return code.lower()
    if style == 2:
        return f"{code[:2]} {code[2]} {code[3:5]} {code[5:]}"
    return code


def cmnd() -> str:
    return f"{rng.choice(['20', '19', '02', '01', '18', '21'])}{rng.randint(1000000, 9999998):07d}"


def passport() -> str:
    return rng.choice("BCN") + f"{rng.randint(0, 9999999):07d}"


def plate() -> str:
    return f"{rng.choice(['43', '92', '29', '51'])}{rng.choice('ABCDEFGH')}-" \
           f"{rng.randint(100, 999)}.{rng.randint(10, 99)}"


def tax_code() -> str:
    head = rng.choice(["0401", "0400", "0402", "4000", "4001", "0312", "0108"])
    code = head + f"{rng.randint(0, 999999):06d}"
    return code + f"-{rng.randint(1, 20):03d}" if rng.random() < 0.3 else code


def to_cp1258(text: str) -> bytes:
    """Encode as Windows-1258 (tone marks as combining characters where needed)."""
    out = []
    for ch in text:
        try:
            out.append(ch.encode("cp1258"))
            continue
        except UnicodeEncodeError:
            pass
        nfd = unicodedata.normalize("NFD", ch)
        for cut in range(len(nfd), 0, -1):
            try:
                out.append(unicodedata.normalize("NFC", nfd[:cut]).encode("cp1258")
                           + nfd[cut:].encode("cp1258"))
                break
            except UnicodeEncodeError:
                continue
    return b"".join(out)


def write_csv(name: str, header: list[str], rows: list[list], encoding: str = "utf-8",
              delimiter: str = ",") -> None:
    lines: list[str] = []

    class _Sink:
        def write(self, s: str) -> None:
            lines.append(s)

    writer = csv.writer(_Sink(), delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    text = "".join(lines)
    data = to_cp1258(text) if encoding == "cp1258" else text.encode(encoding)
    (HERE / name).write_bytes(data)


def main() -> None:
    cases = []
    n = 120

    # --- positives -------------------------------------------------------------------
    header = ["Họ tên", "Số CCCD", "Ngày sinh", "Số điện thoại", "Email", "Địa chỉ thường trú",
              "ma_xa", "gioi_tinh"]
    rows = []
    for i in range(n):
        code, _ = rng.choice(COMMUNES)
        rows.append([fake.name(), cccd(i % 3), fake.date_of_birth().isoformat(), mobile(i),
                     fake.email(), fake.address().replace("\n", ", "), code,
                     rng.choice(["Nam", "Nữ"])])
    write_csv("pos_citizen_register.csv", header, rows)
    cases.append({"file": "pos_citizen_register.csv", "dataset_type": "population",
                  "privacy": {}, "expect": {
                      "Họ tên": "block", "Số CCCD": "block", "Ngày sinh": "block",
                      "Số điện thoại": "block", "Email": "block", "Địa chỉ thường trú": "block",
                      "ma_xa": "pass", "gioi_tinh": "pass"}})

    # Identifiers under neutral names: only the value detectors can catch them.
    header = ["cot_a", "cot_b", "cot_c", "cot_d", "cot_e", "cot_f", "cot_g", "cot_h",
              "thong_tin", "nam"]
    rows = []
    for i in range(n):
        rows.append([cccd(i % 3), mobile(i), fake.free_email(), bhyt(i % 3), passport(),
                     cmnd(), str(int(cccd())), landline(i), rng.choice([mobile(i), cccd()]),
                     str(rng.choice([2023, 2024, 2025]))])
    write_csv("pos_values_unnamed.csv", header, rows, delimiter=";")
    cases.append({"file": "pos_values_unnamed.csv", "dataset_type": "health", "privacy": {},
                  "expect": {"cot_a": "block", "cot_b": "block", "cot_c": "block",
                             "cot_d": "block", "cot_e": "block", "cot_f": "block",
                             "cot_g": "block", "cot_h": "block", "thong_tin": "block",
                             "nam": "pass"}})

    # Many spellings of personal-data column names; values are plausible but not needed.
    spellings = {
        "ho_ten": fake.name, "HoVaTen": fake.name, "HOTEN": fake.name, "full_name": fake.name,
        "Tên bệnh nhân": fake.name, "so_cccd": cccd, "SoCMND": cmnd, "Căn cước": cccd,
        "so_dinh_danh": cccd, "ngay_sinh": lambda: fake.date_of_birth().strftime("%d/%m/%Y"),
        "DOB": lambda: fake.date_of_birth().isoformat(), "sđt": mobile, "so_dt": mobile,
        "Mobile": mobile, "Điện thoại di động": mobile, "E-mail": fake.email,
        "dia_chi": lambda: fake.address().replace("\n", ", "), "Nơi ở hiện tại": fake.city,
        "thuong_tru": fake.city, "ma_bn": lambda: f"BN{rng.randint(10000, 99999)}",
        "Mã bệnh nhân": lambda: f"{rng.randint(100000, 999999)}", "Số thẻ BHYT": bhyt,
        "Mã số thuế cá nhân": cccd, "mst_ca_nhan": lambda: f"80{rng.randint(10**7, 10**8 - 1)}",
        "Hộ chiếu": passport, "Biển số xe": plate, "Số tài khoản": lambda:
        f"{rng.randint(10**11, 10**12 - 1)}", "date_of_birth": lambda: "1990-01-01",
        "patientId": lambda: f"P{rng.randint(1000, 9999)}", "chu_ho": fake.name,
        "que_quan": fake.city, "ma_hoc_sinh": lambda: f"HS{rng.randint(10**6, 10**7)}",
    }
    header = list(spellings) + ["so_dan", "nam"]
    rows = [[str(f()) for f in spellings.values()] + [str(rng.randint(0, 30000)), "2024"]
            for _ in range(40)]
    write_csv("pos_column_names.csv", header, rows, encoding="utf-8-sig")
    cases.append({"file": "pos_column_names.csv", "dataset_type": "population", "privacy": {},
                  "expect": {**{h: "block" for h in spellings}, "so_dan": "pass",
                             "nam": "pass"}})

    # Sparse identifiers: one per 30 rows, under names that hint an identifier or not.
    header = ["ghi_chu", "ma_so", "lien_he", "gia_tri"]
    rows = []
    for i in range(90):
        rows.append([
            mobile(i) if i % 30 == 7 else rng.choice(["", "đã xác minh", "chờ bổ sung"]),
            cmnd() if i % 30 == 11 else f"HS-{rng.randint(1000, 9999)}",
            fake.free_email() if i % 30 == 3 else "",
            bhyt() if i == 44 else str(rng.randint(0, 500)),
        ])
    write_csv("pos_sparse.csv", header, rows, encoding="utf-16")
    cases.append({"file": "pos_sparse.csv", "dataset_type": "health", "privacy": {},
                  "expect": {"ghi_chu": "block", "ma_so": "block", "lien_he": "block",
                             "gia_tri": "block"}})

    # A hospital switchboard is still a phone number: blocked unless allowed (see negatives).
    header = ["ten_co_so", "so_tong_dai", "so_giuong"]
    rows = [[f"Trung tâm Y tế {name}", landline(i), str(rng.randint(20, 400))]
            for i, (_, name) in enumerate(COMMUNES)]
    write_csv("pos_switchboard.csv", header, rows, encoding="cp1258")
    cases.append({"file": "pos_switchboard.csv", "dataset_type": "health", "privacy": {},
                  "expect": {"ten_co_so": "pass", "so_tong_dai": "block", "so_giuong": "pass"}})

    # Excel: CCCD stored as numbers (leading zero lost), under a neutral name.
    book = Workbook()
    sheet = book.active
    sheet.append(["Mã KH", "Nhóm", "Số lần khám"])
    for i in range(60):
        sheet.append([int(cccd()), rng.choice(["A", "B"]), rng.randint(0, 40)])
    book.properties.created = book.properties.modified = datetime(2025, 7, 1)
    book.save(HERE / "pos_excel_numeric_cccd.xlsx")
    cases.append({"file": "pos_excel_numeric_cccd.xlsx", "dataset_type": "health",
                  "privacy": {}, "expect": {"Mã KH": "block", "Nhóm": "pass",
                                            "Số lần khám": "pass"}})

    # --- negatives -------------------------------------------------------------------
    header = ["ma_xa", "ten_xa", "nam", "gioi_tinh", "nhom_tuoi", "so_dan", "so_ho",
              "dien_tich_km2", "mat_do", "ngay_cap_nhat", "nam_sinh"]
    rows = []
    for code, name in COMMUNES:
        for year in (2024, 2025):
            for sex in ("Nam", "Nữ"):
                for age in ("0-14", "15-64", "65+"):
                    rows.append([code, name, year, sex, age, rng.randint(0, 40000),
                                 rng.randint(0, 9000), f"{rng.uniform(1, 300):.4f}",
                                 f"{rng.uniform(0.05, 0.95):.10f}", f"{year}-12-31",
                                 rng.randint(1950, 2020)])
    write_csv("neg_population_by_commune.csv", header, rows)
    cases.append({"file": "neg_population_by_commune.csv", "dataset_type": "population",
                  "privacy": {"count_columns": ["so_dan", "so_ho"],
                              "group_by": ["ma_xa", "nam"]},
                  "expect": {h: "pass" for h in header}})

    header = ["ma_so_thue", "ten_doanh_nghiep", "dia_chi_tru_so", "nganh_vsic", "von_dieu_le",
              "ngay_thanh_lap", "so_lao_dong", "dien_thoai", "ma_xa"]
    rows = []
    for i in range(n):
        code, name = rng.choice(COMMUNES)
        rows.append([tax_code(), fake.company(), f"{rng.randint(1, 300)} đường {fake.street_name()}"
                     f", phường {name}, Đà Nẵng", rng.choice(["C1011", "4711", "G4722", "5510",
                                                               "I5610", "62010"]),
                     rng.choice([500, 1000, 2000, 5000, 10000]) * 1_000_000,
                     fake.date_between("-20y").isoformat(), rng.randint(0, 900), landline(i),
                     code])
    write_csv("neg_enterprise_register.csv", header, rows)
    cases.append({"file": "neg_enterprise_register.csv", "dataset_type": "enterprise",
                  "privacy": {"allow_columns": ["dien_thoai"]},
                  "expect": {**{h: "pass" for h in header}, "dien_thoai": "allowed"}})

    header = ["ma_co_so", "ten_co_so", "dia_chi_co_so", "duong_day_nong", "so_giuong",
              "so_benh_nhan", "ty_le_bhyt", "so_luong_the_bhyt_da_cap", "tong_dai",
              "ngay_cap_nhat"]
    rows = []
    for i, (code, name) in enumerate(COMMUNES * 3):
        rows.append([f"48{rng.randint(100, 999)}", f"Trạm Y tế {name} {i}",
                     f"Tổ {rng.randint(1, 60)}, {name}, Đà Nẵng",
                     rng.choice(["1900 9095", "1800 1234", "19001234", "115"]),
                     rng.randint(5, 60), rng.randint(0, 3000), f"{rng.uniform(0.8, 1):.6f}",
                     rng.randint(1000, 90000), landline(i), "2025-06-30"])
    write_csv("neg_health_facilities.csv", header, rows, encoding="cp1258")
    cases.append({"file": "neg_health_facilities.csv", "dataset_type": "health",
                  "privacy": {"allow_columns": ["tong_dai"]},
                  "expect": {**{h: "pass" for h in header}, "tong_dai": "allowed"}})

    header = ["nam", "ma_xa", "ma_vsic", "ngan_sach_dong", "so_tre_em", "ma_ho_so", "ty_le",
              "so_hoc_sinh", "thoi_gian", "ma_truong"]
    rows = []
    for i in range(n):
        code, _ = rng.choice(COMMUNES)
        rows.append([rng.choice([2023, 2024, 2025]), code, rng.choice(["01110", "47110", "85310"]),
                     rng.choice([125, 250, 480, 900]) * 1_000_000, rng.randint(0, 120),
                     f"H17.48-{rng.randint(240101, 241231)}-{rng.randint(1, 9999):04d}",
                     f"{rng.random():.10f}", rng.randint(0, 2000),
                     f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d} 08:00:00",
                     f"{code}{rng.randint(100, 999)}"])
    write_csv("neg_education_and_budget.csv", header, rows, delimiter="\t")
    cases.append({"file": "neg_education_and_budget.csv", "dataset_type": "education",
                  "privacy": {"count_columns": ["so_tre_em", "so_hoc_sinh"],
                              "group_by": ["nam"]},
                  "expect": {h: "pass" for h in header}})

    from make_realworld import build

    cases += build(HERE, rng, fake, {"cccd": cccd, "mobile": mobile, "landline": landline,
                                     "bhyt": bhyt, "cmnd": cmnd, "passport": passport,
                                     "plate": plate}, write_csv, COMMUNES)
    (HERE / "manifest.json").write_text(
        json.dumps({"seed": SEED, "cases": cases}, ensure_ascii=False, indent=2) + "\n",
        encoding="utf-8")


if __name__ == "__main__":
    import sys

    sys.path.insert(0, str(HERE))
    main()
