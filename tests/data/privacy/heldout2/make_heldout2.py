"""Held-out privacy sample 2: personal names, free text and microdata, labelled before the
name detector and the microdata check ran.

    .venv/bin/python tests/data/privacy/heldout2/make_heldout2.py   # rewrites the files

Written from the shapes of the lists Đà Nẵng's departments and communes keep (social-support
and scholarship lists, taxpayer lists, exam results, union members, feedback from citizens,
road and school registers, case-level health and survey records, census-style aggregates) and
from public facts about the city (its streets — many carry historical figures' names — its
schools, hospitals, landmarks, its 94 communes and wards since 2025-07-01 and the old
districts). Every person is synthetic (seeded generator); the streets, schools, places and
organisations are real names or real name shapes. Nothing here was read from or tuned on the
detectors.

Two kinds of case, both in ``manifest.json``:

* **column cases** (``expect`` + ``classes``, the format of ``../heldout/manifest.json``):
  ``block`` — the column carries personal data (class ``full_name`` for a column of people's
  names, ``text_name`` for free text naming people); ``pass`` — it does not (classes
  ``street``, ``school``, ``place``, ``landmark``, ``organisation``, ``hospital`` for the
  gazetteer look-alikes, ``text_place`` for free text naming only streets/schools/places,
  and ``count``, ``money``, ``code``, ``text``, ``date`` … for the rest).
* **table cases** (``table``: ``microdata`` — one row per person, no name nor ID, whose
  smallest equivalence class over ``quasi_identifiers`` is below the dataset's k, so it must be
  refused; ``aggregate`` — counts by group, large counts, must pass). ``expect`` is empty for
  them (no column is an identifier by itself); ``columns`` gives each column's role
  (``quasi_identifier``, ``attribute``, ``dimension``, ``count``); ``min_class`` is the
  smallest class size over the quasi-identifiers, computed here from the rows written.
"""
from __future__ import annotations

import csv
import json
import random
import re
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SEED = 20261207

# Family names by rough frequency (Nguyễn ≈ 38 %, Trần 11 %, Lê 9.5 % …) and rarer ones.
COMMON = [("Nguyễn", 38), ("Trần", 11), ("Lê", 9), ("Phạm", 7), ("Hoàng", 3), ("Huỳnh", 3),
          ("Phan", 4), ("Võ", 3), ("Vũ", 2), ("Đặng", 2), ("Bùi", 2), ("Đỗ", 1), ("Hồ", 1),
          ("Ngô", 1), ("Dương", 1), ("Lý", 1)]
RARE = ["Lương", "Tạ", "Quách", "Mạc", "Kha", "Doãn", "Tăng", "Ung", "Khổng", "Triệu", "Châu",
        "Lưu", "Thái", "Tôn Thất", "Tôn Nữ", "Âu", "Hứa", "Đoàn", "Trịnh", "Đinh", "Lâm", "Cao",
        "Mai", "Hà", "Kiều", "La", "Giáp", "Văn", "Từ", "Phùng", "Nghiêm", "Viên", "Chu", "Ông"]
MIDDLE_M = ["Văn", "Hữu", "Đức", "Minh", "Quốc", "Công", "Đình", "Xuân", "Thanh", "Bảo",
            "Gia", "Tấn", "Quang", "Anh", "Thành", "Ngọc", "Trọng", "Phước"]
MIDDLE_F = ["Thị", "Ngọc", "Thu", "Kim", "Thanh", "Phương", "Hoài", "Mỹ", "Như", "Khánh",
            "Hồng", "Bảo", "Diễm", "Minh", "Quỳnh"]
GIVEN_M = ["An", "Bình", "Cường", "Dũng", "Hùng", "Nam", "Phúc", "Quân", "Sơn", "Tâm", "Tuấn",
           "Khánh", "Long", "Hiếu", "Huy", "Đạt", "Tài", "Thắng", "Lợi", "Vinh", "Trung",
           "Toàn", "Hải", "Phong", "Khoa", "Tín", "Nhân", "Lộc", "Thịnh", "Kiên", "Tám", "Tư",
           "Sáu", "Bảy", "Hòa", "Duy", "Quý", "Định", "Nguyên", "Vũ"]
GIVEN_F = ["Hoa", "Lan", "Mai", "Trang", "Vy", "Yến", "Nhung", "Hà", "Hương", "Linh", "Thảo",
           "Ngân", "Hạnh", "Nga", "Thủy", "Loan", "Phượng", "Dung", "Hiền", "Châu", "Trinh",
           "Nhi", "Uyên", "Tuyết", "Liên", "My", "Na", "Oanh", "Xuân", "Sương", "Lý", "Hằng"]

# Đà Nẵng streets, schools, hospitals, landmarks, organisations (public facts).
STREETS = ["Nguyễn Văn Linh", "Trần Phú", "Lê Duẩn", "Võ Nguyên Giáp", "Bạch Đằng",
           "Hùng Vương", "Phan Châu Trinh", "Điện Biên Phủ", "Hàm Nghi", "Ông Ích Khiêm",
           "Lê Lợi", "Nguyễn Chí Thanh", "Quang Trung", "Lý Tự Trọng", "Trần Hưng Đạo",
           "Ngô Quyền", "Võ Văn Kiệt", "Phạm Văn Đồng", "Nguyễn Tất Thành", "Tôn Đức Thắng",
           "Hoàng Sa", "Nguyễn Hữu Thọ", "Xô Viết Nghệ Tĩnh", "Núi Thành", "Duy Tân",
           "Hồ Nghinh", "Trưng Nữ Vương", "Hoàng Diệu", "Nguyễn Thị Minh Khai", "Lê Hồng Phong",
           "Thái Phiên", "Hải Phòng", "Đống Đa", "Trần Cao Vân", "Hà Huy Tập", "Lý Thường Kiệt",
           "Nguyễn Lương Bằng", "Âu Cơ", "Trường Chinh", "Tôn Đản", "Cách Mạng Tháng Tám",
           "Huỳnh Thúc Kháng", "Lê Văn Hiến", "Trần Đại Nghĩa", "Mai Đăng Chơn",
           "Huyền Trân Công Chúa", "Ngũ Hành Sơn", "Nguyễn Công Trứ", "Trần Thị Lý",
           "Châu Thị Vĩnh Tế", "Hoàng Văn Thái", "Nguyễn Sinh Sắc", "Kinh Dương Vương",
           "Lạc Long Quân", "Nguyễn Tri Phương", "Dũng Sĩ Thanh Khê", "Lê Độ", "Hàn Mặc Tử",
           "Nguyễn Văn Thoại", "Phan Đăng Lưu", "Lê Thanh Nghị", "Hoàng Thị Loan", "Tố Hữu",
           "2 Tháng 9", "30 Tháng 4", "Trần Bạch Đằng", "Lê Quang Đạo", "Hồ Xuân Hương",
           "Sư Vạn Hạnh", "Mẹ Suốt", "Phạm Hùng", "Nguyễn Phước Nguyên", "Hà Văn Tính",
           "Đinh Tiên Hoàng", "Chi Lăng", "Yên Bái", "Pasteur", "Lê Đình Dương", "Phan Tứ"]
SCHOOLS = ["Trường THCS Nguyễn Huệ", "Trường THPT Phan Châu Trinh",
           "Trường THPT chuyên Lê Quý Đôn", "Trường THPT Hoàng Hoa Thám", "Trường THPT Trần Phú",
           "Trường THPT Nguyễn Hiền", "Trường THPT Nguyễn Trãi", "Trường THPT Thái Phiên",
           "Trường THPT Ngũ Hành Sơn", "Trường THPT Tôn Thất Tùng", "Trường THPT Nguyễn Thượng Hiền",
           "Trường THPT Phan Thành Tài", "Trường THPT Ông Ích Khiêm", "Trường THCS Lê Hồng Phong",
           "Trường THCS Trưng Vương", "Trường THCS Nguyễn Khuyến", "Trường THCS Kim Đồng",
           "Trường THCS Lý Thường Kiệt", "Trường THCS Chu Văn An", "Trường THCS Huỳnh Thúc Kháng",
           "Trường THCS Phan Đình Phùng", "Trường Tiểu học Hùng Vương",
           "Trường Tiểu học Lê Văn Tám", "Trường Tiểu học Võ Thị Sáu",
           "Trường Tiểu học Nguyễn Văn Trỗi", "Trường Tiểu học Bế Văn Đàn",
           "Trường Mầm non Sơn Ca", "Trường Mầm non Hoa Hồng"]
HOSPITALS = ["Bệnh viện Đà Nẵng", "Bệnh viện C Đà Nẵng", "Bệnh viện Phụ sản - Nhi Đà Nẵng",
             "Bệnh viện Ung bướu Đà Nẵng", "Bệnh viện Mắt Đà Nẵng", "Bệnh viện Da liễu Đà Nẵng",
             "Bệnh viện Tâm thần Đà Nẵng", "Bệnh viện Phổi Đà Nẵng", "Bệnh viện Hoàn Mỹ Đà Nẵng",
             "Bệnh viện Y học cổ truyền Đà Nẵng", "Bệnh viện Quân y 17", "Bệnh viện 199",
             "Trung tâm Y tế quận Hải Châu", "Trạm Y tế phường Hòa Khánh"]
LANDMARKS = ["Cầu Rồng", "Cầu Sông Hàn", "Cầu Trần Thị Lý", "Cầu Thuận Phước",
             "Cầu Nguyễn Văn Trỗi", "Cầu Tiên Sơn", "Chợ Hàn", "Chợ Cồn", "Chợ Bắc Mỹ An",
             "Bán đảo Sơn Trà", "Chùa Linh Ứng", "Bà Nà Hills", "Đèo Hải Vân", "Bãi biển Mỹ Khê",
             "Bảo tàng Điêu khắc Chăm", "Công viên Biển Đông", "Công viên 29 Tháng 3",
             "Công viên APEC", "Nhà hát Trưng Vương", "Nhà thờ Con Gà", "Cảng Tiên Sa",
             "Làng đá mỹ nghệ Non Nước", "Sân vận động Hòa Xuân", "Cung thể thao Tiên Sơn"]
ORGS = ["Công ty TNHH Sông Hàn", "Công ty CP Cấp nước Đà Nẵng", "Công ty CP Môi trường đô thị Đà Nẵng",
        "Công ty TNHH MTV Lê Minh", "Doanh nghiệp tư nhân Nguyễn Hoàng", "Công ty CP Xây dựng Trần Đức",
        "Hợp tác xã Hòa Tiến", "Công ty TNHH Thương mại Phạm Gia", "Công ty CP Đầu tư Võ Gia",
        "Tổng Công ty Điện lực miền Trung", "Công ty TNHH Du lịch Bạch Đằng",
        "Chi nhánh Công ty CP Huỳnh Phát", "Công ty TNHH Dịch vụ Thanh Bình",
        "Ngân hàng TMCP Đông Á", "Hộ kinh doanh Minh Châu", "Cơ sở may Ngọc Lan"]
NEW_WARDS = ["Hải Vân", "Liên Chiểu", "Hòa Khánh", "Thanh Khê", "Hải Châu", "Hòa Cường",
             "Cẩm Lệ", "Sơn Trà", "An Hải", "Ngũ Hành Sơn", "An Khê", "Bà Nà", "Hòa Xuân",
             "Hòa Vang", "Hòa Tiến", "Hội An", "Điện Bàn", "Tam Kỳ", "Núi Thành", "Đại Lộc"]
OLD_DISTRICTS = ["Hải Châu", "Thanh Khê", "Sơn Trà", "Ngũ Hành Sơn", "Liên Chiểu", "Cẩm Lệ",
                 "Hòa Vang", "Hoàng Sa"]
OCCUPATIONS = ["Nông dân", "Công nhân", "Buôn bán", "Học sinh", "Sinh viên", "Nội trợ",
               "Cán bộ", "Lao động tự do", "Hưu trí", "Ngư dân", "Giáo viên", "Tài xế"]
ETHNIC = ["Kinh"] * 12 + ["Cơ Tu", "Xơ Đăng", "Giẻ Triêng", "Hoa"]


def strip(text: str) -> str:
    text = text.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFD", text)
                   if unicodedata.category(c) != "Mn")


class People:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def surname(self, rare: float = 0.08) -> str:
        if self.rng.random() < rare:
            return self.rng.choice(RARE)
        return self.rng.choices([s for s, _ in COMMON], [w for _, w in COMMON])[0]

    def name(self, syllables: int | None = None, rare: float = 0.08, female: bool | None = None
             ) -> str:
        rng = self.rng
        n = syllables or rng.choices([2, 3, 4, 5], [8, 62, 26, 4])[0]
        female = rng.random() < 0.5 if female is None else female
        given = rng.choice(GIVEN_F if female else GIVEN_M)
        middle_pool = MIDDLE_F if female else MIDDLE_M
        parts = [self.surname(rare)]
        parts += [rng.choice(middle_pool) for _ in range(max(0, n - 2))]
        parts.append(given)
        while len(" ".join(parts).split()) > n and len(parts) > 2:
            parts.pop(1)  # a two-word family name (Tôn Nữ) takes a middle name's place
        return " ".join(parts)

    def styled(self, style: str, **kw: Any) -> str:
        n = self.name(**kw)
        if style == "ascii":
            return strip(n)
        if style == "upper":
            return n.upper()
        if style == "ascii_upper":
            return strip(n).upper()
        return n


def write_csv(name: str, header: list[str], rows: list[list[Any]]) -> None:
    with open(HERE / name, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)


def column_case(cases: list[dict], file: str, dataset_type: str,
                columns: list[tuple[str, str, str]], privacy: dict | None = None) -> None:
    cases.append({"file": file, "dataset_type": dataset_type, "privacy": privacy or {},
                  "expect": {c: v for c, v, _ in columns},
                  "classes": {c: k for c, _, k in columns}})


def table_case(cases: list[dict], file: str, dataset_type: str, kind: str,
               header: list[str], roles: dict[str, str], rows: list[list[Any]], k: int,
               privacy: dict | None = None) -> None:
    qis = [c for c in header if roles[c] == "quasi_identifier"]
    idx = [header.index(c) for c in qis]
    classes = Counter(tuple(r[i] for i in idx) for r in rows)
    min_class = min(classes.values()) if qis else len(rows)
    if kind == "microdata":
        assert min_class < k, file
    write_csv(file, header, rows)
    cases.append({"file": file, "dataset_type": dataset_type, "privacy": privacy or {},
                  "table": kind, "k": k, "quasi_identifiers": qis, "columns": roles,
                  "min_class": min_class, "rows": len(rows), "expect": {}, "classes": {}})


def rows_of(rng: random.Random, n: int, gens: list) -> list[list[Any]]:
    return [[g(i) for g in gens] for i in range(n)]


def name_tables(rng: random.Random, cases: list[dict]) -> None:  # noqa: C901 - one table each
    p = People(rng)
    ward = lambda i: rng.choice(NEW_WARDS)  # noqa: E731
    stt = lambda i: i + 1  # noqa: E731

    def money(lo: int, hi: int, step: int = 50_000):
        return lambda i: rng.randrange(lo, hi, step)

    def names(style: str = "full", blank: float = 0.0, **kw: Any):
        return lambda i: "" if rng.random() < blank else p.styled(style, **kw)

    def sched(spec, header, n, file, dtype, privacy=None):
        write_csv(file, [h for h, *_ in spec], rows_of(rng, n, [g for *_, g in spec]))
        column_case(cases, file, dtype, [(h, v, c) for h, v, c, _ in spec], privacy)

    sched([("STT", "pass", "count", stt),
           ("Đối tượng", "block", "full_name", names()),
           ("Người nhận", "block", "full_name", names()),
           ("Diện hưởng", "pass", "text", lambda i: rng.choice(
               ["Người cao tuổi", "Người khuyết tật", "Trẻ mồ côi", "Hộ nghèo"])),
           ("Mức trợ cấp (đồng)", "pass", "money", money(360_000, 2_000_000)),
           ("Xã/phường", "pass", "place", ward)], None, 20, "tro_cap_bao_tro_xa_hoi.csv",
          "population")
    sched([("TT", "pass", "count", stt),
           ("Học sinh", "block", "full_name", names(syllables=None, rare=0.15)),
           ("Lớp", "pass", "code", lambda i: f"{rng.randint(6, 9)}/{rng.randint(1, 8)}"),
           ("Giáo viên chủ nhiệm", "block", "full_name", names()),
           ("Trường", "pass", "school", lambda i: rng.choice(SCHOOLS[13:21])),
           ("Điểm TB", "pass", "rate", lambda i: round(rng.uniform(8, 10), 1)),
           ("Mức học bổng", "pass", "money", money(1_000_000, 5_000_000, 500_000))], None, 35,
          "hoc_bong_khuyen_hoc_2025.csv", "education")
    sched([("STT", "pass", "count", stt),
           ("Người nộp thuế", "block", "full_name", names("upper")),
           ("Ngành nghề", "pass", "text", lambda i: rng.choice(
               ["Bán lẻ tạp hóa", "Ăn uống", "Cho thuê nhà", "Sửa xe máy", "May mặc"])),
           ("Doanh thu khoán (đồng/tháng)", "pass", "money", money(5_000_000, 80_000_000)),
           ("Thuế GTGT", "pass", "money", money(50_000, 800_000, 1_000)),
           ("Địa bàn", "pass", "place", ward)], None, 40, "thue_khoan_ho_kinh_doanh.csv",
          "finance")
    sched([("cot_a", "pass", "count", stt),
           ("cot_b", "block", "full_name", names()),
           ("cot_c", "pass", "money", money(500_000, 3_000_000)),
           ("cot_d", "block", "full_name", names("ascii")),
           ("cot_e", "pass", "place", ward)], None, 20, "bang_tong_hop_xuat_excel.csv",
          "population")
    sched([("SBD", "pass", "code", lambda i: f"04{rng.randint(0, 999999):06d}"),
           ("Thí sinh", "block", "full_name", names("ascii_upper")),
           ("Toán", "pass", "rate", lambda i: round(rng.uniform(2, 10) * 4) / 4),
           ("Ngữ văn", "pass", "rate", lambda i: round(rng.uniform(2, 10) * 4) / 4),
           ("Tiếng Anh", "pass", "rate", lambda i: round(rng.uniform(2, 10) * 5) / 5)], None, 60,
          "ket_qua_thi_vao_lop_10.csv", "education")
    sched([("STT", "pass", "count", stt),
           ("Hội viên", "block", "full_name", names(rare=0.2)),
           ("Chi hội", "pass", "place", lambda i: f"Chi hội tổ {rng.randint(1, 40)}"),
           ("Năm vào hội", "pass", "date", lambda i: rng.randint(1990, 2024)),
           ("Người giới thiệu", "block", "full_name", names(blank=0.3))], None, 30,
          "hoi_vien_hoi_nguoi_cao_tuoi.csv", "population")
    sched([("No", "pass", "count", stt),
           ("Recipient", "block", "full_name", names("ascii")),
           ("Programme", "pass", "text", lambda i: rng.choice(
               ["Flood relief 2025", "Tet gifts", "Housing support"])),
           ("Amount (VND)", "pass", "money", money(500_000, 10_000_000))], None, 25,
          "flood_relief_recipients_en.csv", "population")
    sched([("stt", "pass", "count", stt),
           ("doi_tuong", "block", "full_name", names("ascii")),
           ("nguoi_giam_ho", "block", "full_name", names("ascii", blank=0.4)),
           ("so_tien", "pass", "money", money(300_000, 1_500_000)),
           ("phuong_xa", "pass", "place", lambda i: strip(rng.choice(NEW_WARDS)))], None, 30,
          "chi_tra_tro_cap_thang_12.csv", "population")
    sched([("STT", "pass", "count", stt),
           ("Người lao động", "block", "full_name", names()),
           ("Doanh nghiệp", "pass", "organisation", lambda i: rng.choice(ORGS)),
           ("Số tháng đóng BH thất nghiệp", "pass", "count", lambda i: rng.randint(12, 144)),
           ("Trợ cấp thất nghiệp (đồng)", "pass", "money", money(2_000_000, 12_000_000))],
          None, 45, "tro_cap_that_nghiep.csv", "labour")
    sched([("STT", "pass", "count", stt),
           ("Vận động viên", "block", "full_name", names(syllables=4)),
           ("Môn", "pass", "text", lambda i: rng.choice(["Điền kinh", "Bơi", "Vovinam",
                                                         "Karate", "Cờ vua"])),
           ("Huấn luyện viên", "block", "full_name", names(syllables=3)),
           ("Huy chương", "pass", "text", lambda i: rng.choice(["Vàng", "Bạc", "Đồng"]))],
          None, 24, "khen_thuong_van_dong_vien.csv", "culture")
    sched([("STT", "pass", "count", stt),
           ("Người có công", "block", "full_name", names(syllables=None)),
           ("Thân nhân", "block", "full_name", names(blank=0.2)),
           ("Quan hệ", "pass", "text", lambda i: rng.choice(["Vợ", "Con", "Cha", "Mẹ"])),
           ("Mức quà (đồng)", "pass", "money", money(500_000, 2_000_000, 100_000))], None, 30,
          "qua_tet_nguoi_co_cong.csv", "population")
    sched([("Mã hồ sơ", "pass", "code", lambda i: f"H48.{rng.randint(10, 99)}-"
                                                   f"{rng.randint(250101, 251231)}-"
                                                   f"{rng.randint(1, 9999):04d}"),
           ("Người nộp hồ sơ", "block", "full_name", names()),
           ("Thủ tục", "pass", "text", lambda i: rng.choice(
               ["Cấp giấy phép xây dựng", "Đăng ký hộ kinh doanh", "Cấp bản sao trích lục"])),
           ("Cán bộ tiếp nhận", "block", "full_name", names(syllables=3)),
           ("Ngày hẹn trả", "pass", "date", lambda i: f"{rng.randint(1, 28):02d}/12/2025")],
          None, 40, "ho_so_mot_cua_tiep_nhan.csv", "administration")
    sched([("TT", "pass", "count", stt),
           ("Đại biểu", "block", "full_name", names()),
           ("Chức vụ", "pass", "text", lambda i: rng.choice(
               ["Bí thư chi bộ", "Trưởng ban công tác mặt trận", "Tổ trưởng tổ dân phố"])),
           ("Đơn vị", "pass", "place", lambda i: f"Tổ dân phố {rng.randint(1, 60)}")], None, 22,
          "dai_bieu_hoi_nghi_to_dan_pho.csv", "administration")
    sched([("STT", "pass", "count", stt),
           ("Sinh viên", "block", "full_name", names("full", rare=0.1)),
           ("Ngành", "pass", "text", lambda i: rng.choice(
               ["Kỹ thuật phần mềm", "Kế toán", "Điều dưỡng", "Du lịch"])),
           ("Khóa", "pass", "code", lambda i: f"K{rng.randint(45, 49)}"),
           ("Tình nguyện viên phụ trách", "block", "full_name", names("full"))], None, 28,
          "mua_he_xanh_2025.csv", "education")
    sched([("STT", "pass", "count", stt),
           ("Họ tên người bệnh", "block", "full_name", names()),  # a listed header: still names
           ("Khoa", "pass", "text", lambda i: rng.choice(["Nội", "Ngoại", "Nhi", "Sản"])),
           ("Bác sĩ điều trị", "block", "full_name", names(syllables=3)),
           ("Bệnh viện", "pass", "hospital", lambda i: rng.choice(HOSPITALS))], None, 30,
          "chuyen_vien_thang_11.csv", "health")
    sched([("STT", "pass", "count", stt),
           ("Con", "block", "full_name", names(syllables=None)),
           ("Cha/mẹ", "block", "full_name", names()),
           ("Tổ", "pass", "code", lambda i: rng.randint(1, 45)),
           ("Số tiền hỗ trợ", "pass", "money", money(200_000, 1_000_000))], None, 25,
          "ho_tro_tre_em_hoan_canh.csv", "population")
    sched([("Mã", "pass", "code", lambda i: f"NV{rng.randint(1, 999):03d}"),
           ("Tên", "block", "full_name", names("ascii_upper", syllables=None)),
           ("Thủ quỹ", "block", "full_name", names("upper")),
           ("Số tiền", "pass", "money", money(100_000, 5_000_000))], None, 20,
          "so_quy_chi_hoat_dong.csv", "finance")
    sched([("STT", "pass", "count", stt),
           ("Tổ trưởng", "block", "full_name", names()),
           ("Trưởng thôn", "block", "full_name", names(rare=0.25)),
           ("Thôn/tổ", "pass", "place", lambda i: f"Thôn {rng.choice(['Phú Sơn', 'An Ngãi', 'Hòa Phú', 'Lộc Mỹ'])} {rng.randint(1, 5)}"),
           ("Số hộ", "pass", "count", lambda i: rng.randint(80, 400))], None, 25,
          "can_bo_thon_to.csv", "administration")
    sched([("STT", "pass", "count", stt),
           ("Người vi phạm", "block", "full_name", names()),
           ("Hành vi", "pass", "text", lambda i: rng.choice(
               ["Lấn chiếm vỉa hè", "Xả rác không đúng nơi quy định", "Đổ phế thải xây dựng"])),
           ("Tuyến đường", "pass", "street", lambda i: rng.choice(STREETS)),
           ("Mức phạt (đồng)", "pass", "money", money(500_000, 5_000_000, 500_000))], None, 36,
          "xu_phat_trat_tu_do_thi.csv", "administration")
    sched([("STT", "pass", "count", stt),
           ("Nghệ nhân", "block", "full_name", names(syllables=None)),
           ("Làng nghề", "pass", "place", lambda i: rng.choice(
               ["Non Nước", "Nước mắm Nam Ô", "Bánh tráng Túy Loan", "Chiếu Cẩm Nê"])),
           ("Năm công nhận", "pass", "date", lambda i: rng.randint(2010, 2025))], None, 20,
          "nghe_nhan_lang_nghe.csv", "culture")
    sched([("STT", "pass", "count", stt),
           ("Column B", "block", "full_name", names("full", syllables=2)),
           ("Column C", "block", "full_name", names("ascii", syllables=None, rare=0.3)),
           ("Column D", "pass", "money", money(100_000, 900_000))], None, 30,
          "Sheet1_export.csv", "population")
    sched([("STT", "pass", "count", stt),
           ("Người đăng ký", "block", "full_name", names()),
           ("Người được tiêm", "block", "full_name", names(syllables=None)),
           ("Mũi", "pass", "count", lambda i: rng.randint(1, 3)),
           ("Điểm tiêm", "pass", "hospital", lambda i: rng.choice(HOSPITALS[-2:]))], None, 30,
          "dang_ky_tiem_chung.csv", "health")
    sched([("STT", "pass", "count", stt),
           ("Người đứng tên", "block", "full_name", names()),
           ("Vợ/chồng", "block", "full_name", names(blank=0.25)),
           ("Người nhận thay", "block", "full_name",
            lambda i: "" if rng.random() < 0.3 else p.name().lower()),
           ("Người xác nhận", "block", "full_name", names(syllables=3)),
           ("Số tiền", "pass", "money", money(1_000_000, 3_000_000, 100_000))], None, 25,
          "nhan_ho_tro_nha_o.csv", "population")


HONORIFICS = ["Ông", "Bà", "Anh", "Chị", "Cháu", "Em", "Cụ", "Bệnh nhân", "Học sinh",
              "Chủ hộ", "Thầy", "Cô", "bà con", "ông bà"]
ISSUES = ["phản ánh đèn đường hỏng", "phản ánh rác thải ùn ứ nhiều ngày",
          "đề nghị sửa ống cống bị vỡ", "phản ánh tiếng ồn karaoke sau 22 giờ",
          "kiến nghị nạo vét mương thoát nước", "báo cây xanh có nguy cơ gãy đổ",
          "phản ánh lấn chiếm vỉa hè", "đề nghị hỗ trợ thủ tục cấp sổ đỏ"]


def free_text(rng: random.Random, cases: list[dict]) -> None:
    p = People(rng)
    street = lambda: rng.choice(STREETS)  # noqa: E731

    def place() -> str:
        return rng.choice([f"đường {street()}", f"kiệt {rng.randint(2, 300)} {street()}",
                           rng.choice(SCHOOLS), rng.choice(LANDMARKS), rng.choice(HOSPITALS),
                           f"phường {rng.choice(NEW_WARDS)}", f"ngã tư {street()} - {street()}",
                           f"tổ {rng.randint(1, 60)}"])

    def named(share: float):
        def gen(i: int) -> str:
            if rng.random() >= share:
                return f"Tại {place()} {rng.choice(ISSUES)}."
            title = rng.choice(HONORIFICS[:12])
            who = p.name(syllables=rng.choice([3, 3, 4, 2]))
            form = rng.randrange(4)
            if form == 0:
                return f"{title} {who} ở {place()} {rng.choice(ISSUES)}."
            if form == 1:
                return f"Hộ {title.lower()} {who} tại {place()} {rng.choice(ISSUES)}"
            if form == 2:
                return f"Đã liên hệ {title.lower()} {who}, hẹn xử lý trong tuần."
            return f"{who} ({place()}) {rng.choice(ISSUES)}; {title.lower()} đề nghị trả lời sớm."
        return gen

    def places_only(i: int) -> str:
        form = rng.randrange(5)
        if form == 0:
            return f"{rng.choice(ISSUES).capitalize()} tại {place()}."
        if form == 1:
            return f"Ngập nước tại ngã tư {street()} - {street()} sau mưa lớn."
        if form == 2:
            return (f"Học sinh {rng.choice(SCHOOLS)} phản ánh thiếu đèn chiếu sáng trên đường "
                    f"{street()}.")
        if form == 3:
            return (f"Bà con khu vực {rng.choice(LANDMARKS)} đề nghị bố trí thêm thùng rác "
                    f"trên đường {street()}.")
        return (f"Ông bà cao tuổi ở phường {rng.choice(NEW_WARDS)} kiến nghị lắp ghế đá tại "
                f"{rng.choice(LANDMARKS)}; đường Ông Ích Khiêm đoạn gần Bà Nà Hills cũng vậy.")

    specs = [
        ("phan_anh_1022_thang_10.csv", "Nội dung phản ánh", "block", named(0.5)),
        ("phan_anh_1022_thang_10.csv", "Ghi chú xử lý", "block", named(0.3)),
        ("phan_anh_1022_thang_10.csv", "Vị trí", "pass", lambda i: place()),
        ("phan_anh_1022_thang_11.csv", "Nội dung", "block", named(0.4)),
        ("phan_anh_1022_thang_11.csv", "Kết quả", "pass", places_only),
        ("phan_anh_1022_thang_11.csv", "Mô tả sự việc", "pass", places_only),
        ("so_theo_doi_y_te.csv", "Diễn biến", "block", lambda i: (
            f"Bệnh nhân {p.name()} nhập viện {rng.choice(HOSPITALS)} lúc "
            f"{rng.randint(0, 23)}h, {rng.choice(['sốt cao', 'đau bụng', 'khó thở'])}."
            if rng.random() < 0.6 else f"Theo dõi tại {rng.choice(HOSPITALS)}, ổn định.")),
        ("so_theo_doi_y_te.csv", "Ghi chú", "pass", lambda i: (
            f"Chuyển {rng.choice(HOSPITALS)} theo tuyến; xe cấp cứu qua đường {street()}.")),
        ("bien_ban_kiem_tra.csv", "Nội dung kiểm tra", "block", lambda i: (
            f"Làm việc với chủ hộ {p.name()} về việc {rng.choice(ISSUES)[10:]}."
            if rng.random() < 0.5 else f"Kiểm tra tuyến {street()} đoạn {place()}.")),
        ("bien_ban_kiem_tra.csv", "Kiến nghị", "pass", places_only),
        ("bien_ban_kiem_tra.csv", "Đoàn kiểm tra", "pass", lambda i: (
            f"UBND phường {rng.choice(NEW_WARDS)} phối hợp {rng.choice(ORGS)}")),
        ("khen_thuong_hoc_sinh.csv", "Thành tích", "block", lambda i: (
            f"Em {p.name()} lớp {rng.randint(6, 9)}/{rng.randint(1, 6)} {rng.choice(SCHOOLS)} "
            f"đạt giải {rng.choice(['Nhất', 'Nhì', 'Ba'])} cấp thành phố.")),
        ("khen_thuong_hoc_sinh.csv", "Đơn vị đề nghị", "pass", lambda i: (
            f"{rng.choice(SCHOOLS)}, phường {rng.choice(NEW_WARDS)}")),
        ("y_kien_cu_tri.csv", "Ý kiến", "block", named(0.35)),
        ("y_kien_cu_tri.csv", "Trả lời của cơ quan", "pass", lambda i: (
            f"Sở Xây dựng đã chỉ đạo {rng.choice(ORGS)} sửa chữa tuyến {street()} "
            f"trước {rng.randint(1, 28)}/{rng.randint(1, 12)}/2026.")),
        ("y_kien_cu_tri.csv", "Nội dung chất vấn", "block", lambda i: (
            f"Cử tri {p.name()} ({rng.choice(['tổ', 'thôn'])} {rng.randint(1, 40)}) hỏi về "
            f"tiến độ dự án mở rộng đường {street()}." if rng.random() < 0.7
            else f"Đề nghị làm rõ quy hoạch khu vực {rng.choice(LANDMARKS)}.")),
        ("tin_bao_cong_an.csv", "Tóm tắt vụ việc", "block", lambda i: (
            f"Anh {strip(p.name())} bi mat xe may tai duong {strip(street())}" if i % 2 else
            f"Chị {p.name()} trình báo mất ví tại {rng.choice(LANDMARKS)}.")),
        ("tin_bao_cong_an.csv", "Địa bàn", "pass", lambda i: (
            f"Phường {rng.choice(NEW_WARDS)}, gần {rng.choice(LANDMARKS)}")),
        ("nhat_ky_cong_trinh.csv", "Nhật ký", "pass", lambda i: (
            f"Thi công nút giao {street()} - {street()}; {rng.choice(ORGS)} bàn giao mặt bằng "
            f"cho {rng.choice(ORGS)}. Tưới nước tại {rng.choice(SCHOOLS)}.")),
        ("nhat_ky_cong_trinh.csv", "Ghi chú an toàn", "pass", lambda i: (
            f"Rào chắn cầu {rng.choice(['Trần Thị Lý', 'Nguyễn Văn Trỗi', 'Rồng', 'Tiên Sơn'])}"
            f" theo phương án phân luồng, qua đường {street()}.")),
    ]
    files: dict[str, list] = {}
    for file, header, label, gen in specs:
        files.setdefault(file, []).append((header, label, gen))
    dtypes = {"so_theo_doi_y_te.csv": "health", "khen_thuong_hoc_sinh.csv": "education"}
    for file, cols in files.items():
        n = rng.randint(25, 40)
        header = ["STT"] + [h for h, _, _ in cols]
        rows = [[i + 1] + [g(i) for _, _, g in cols] for i in range(n)]
        write_csv(file, header, rows)
        column_case(cases, file, dtypes.get(file, "population"),
                    [("STT", "pass", "count")]
                    + [(h, v, "text_name" if v == "block" else "text_place") for h, v, _ in cols])


def gazetteer(rng: random.Random, cases: list[dict]) -> None:
    def pick(pool: list[str], fmt: str = "{}"):
        return lambda i: fmt.format(rng.choice(pool))

    tables = [
        ("danh_muc_duong_pho.csv", "transport", [
            ("Tên đường", "street", pick(STREETS)),
            ("ten_duong_khong_dau", "street", lambda i: strip(rng.choice(STREETS))),
            ("Điểm đầu", "street", pick(STREETS)),
            ("Điểm cuối", "street", pick(STREETS)),
            ("Quận (cũ)", "place", pick(OLD_DISTRICTS)),
            ("Chiều dài (m)", "count", lambda i: rng.randint(120, 9000))]),
        ("tuyen_xe_buyt.csv", "transport", [
            ("Tuyến", "code", lambda i: f"R{rng.randint(1, 20)}"),
            ("Lộ trình", "street", lambda i: " - ".join(rng.sample(STREETS, 4))),
            ("Điểm dừng", "landmark", pick(LANDMARKS)),
            ("Đơn vị vận hành", "organisation", pick(ORGS))]),
        ("chieu_sang_cong_cong.csv", "infrastructure", [
            ("duong", "street", pick(STREETS, "Đường {}")),
            ("cot_c", "street", pick(STREETS)),
            ("Số bóng đèn", "count", lambda i: rng.randint(20, 600))]),
        ("danh_sach_truong_hoc.csv", "education", [
            ("Tên trường", "school", pick(SCHOOLS)),
            ("ten_truong_khong_dau", "school", lambda i: strip(rng.choice(SCHOOLS))),
            ("Tên ngắn", "school", lambda i: re.sub(
                r"^Trường (THCS|THPT chuyên|THPT|Tiểu học|Mầm non) ", "", rng.choice(SCHOOLS))),
            ("Phường/xã", "place", pick(NEW_WARDS)),
            ("Số học sinh", "count", lambda i: rng.randint(300, 2200))]),
        ("co_so_kham_chua_benh.csv", "health", [
            ("Cơ sở", "hospital", pick(HOSPITALS)),
            ("Đơn vị chủ quản", "organisation", pick(
                ["Sở Y tế", "Bộ Y tế", "Bộ Quốc phòng", "Bộ Công an", "Tư nhân"])),
            ("Địa điểm", "street", pick(STREETS, "{} , Đà Nẵng")),
            ("Số giường", "count", lambda i: rng.randint(30, 1500))]),
        ("doanh_nghiep_moi_thanh_lap.csv", "enterprise", [
            ("Tên doanh nghiệp", "organisation", pick(ORGS)),
            ("TEN_DN_KHONG_DAU", "organisation", lambda i: strip(rng.choice(ORGS)).upper()),
            ("Tên viết tắt", "organisation", lambda i: strip(rng.choice(ORGS).split()[-1])
             .upper() + " CO., LTD"),
            ("Vốn điều lệ (triệu đồng)", "money", lambda i: rng.randrange(500, 50_000, 100))]),
        ("diem_du_lich.csv", "culture", [
            ("Địa danh", "landmark", pick(LANDMARKS)),
            ("dia_diem", "landmark", lambda i: strip(rng.choice(LANDMARKS))),
            ("Khu vực", "place", pick(NEW_WARDS, "Phường {}")),
            ("Lượt khách 2025", "count", lambda i: rng.randint(20_000, 3_000_000))]),
        ("don_vi_hanh_chinh.csv", "administration", [
            ("Tên đơn vị", "place", pick(NEW_WARDS)),
            ("Tên không dấu", "place", lambda i: strip(rng.choice(NEW_WARDS))),
            ("Đơn vị cũ", "place", pick(OLD_DISTRICTS, "Quận {}")),
            ("Dân số", "count", lambda i: rng.randint(8_000, 160_000))]),
        ("cau_cong_trinh.csv", "infrastructure", [
            ("Công trình", "landmark", pick([x for x in LANDMARKS if x.startswith("Cầu")])),
            ("Nằm trên tuyến", "street", pick(STREETS)),
            ("Năm khánh thành", "date", lambda i: rng.randint(1965, 2024))]),
        ("cho_truyen_thong.csv", "enterprise", [
            ("Chợ", "landmark", lambda i: rng.choice(
                ["Chợ Hàn", "Chợ Cồn", "Chợ Bắc Mỹ An", "Chợ Hòa Khánh", "Chợ Tân Lập",
                 "Chợ Đống Đa", "Chợ Hòa Cường", "Chợ Phước Mỹ", "Chợ An Hải Đông"])),
            ("Ban quản lý", "organisation", lambda i: rng.choice(
                ["Ban quản lý chợ Hàn", "Ban quản lý các chợ Đà Nẵng",
                 "Công ty TNHH Quản lý chợ Thanh Bình"])),
            ("Số quầy sạp", "count", lambda i: rng.randint(80, 2000))]),
    ]
    for file, dtype, cols in tables:
        n = rng.randint(20, 45)
        header = [h for h, _, _ in cols]
        rows = [[g(i) for _, _, g in cols] for i in range(n)]
        write_csv(file, header, rows)
        column_case(cases, file, dtype, [(h, "pass", c) for h, c, _ in cols])


def microdata(rng: random.Random, cases: list[dict]) -> None:  # noqa: C901
    sex = lambda: rng.choice(["Nam", "Nữ"])  # noqa: E731
    ward = lambda: rng.choice(NEW_WARDS)  # noqa: E731
    Q, A = "quasi_identifier", "attribute"

    def micro(file, dtype, n, cols, k=None):
        header = [h for h, _, _ in cols]
        rows = [[g() for _, _, g in cols] for _ in range(n)]
        kk = k or (10 if dtype in ("health", "population") else 5)
        table_case(cases, file, dtype, "microdata", header, {h: r for h, r, _ in cols}, rows, kk)

    micro("ca_sot_xuat_huyet_2025.csv", "health", 250, [
        ("Tuổi", Q, lambda: rng.randint(1, 85)), ("Giới tính", Q, sex),
        ("Phường/xã", Q, ward), ("Nghề nghiệp", Q, lambda: rng.choice(OCCUPATIONS)),
        ("Kết quả xét nghiệm", A, lambda: rng.choice(["Dương tính", "Âm tính"]))])
    micro("khao_sat_muc_song_ho.csv", "population", 300, [
        ("Năm sinh chủ hộ", Q, lambda: rng.randint(1940, 2000)), ("Giới tính", Q, sex),
        ("Xã", Q, ward), ("Dân tộc", Q, lambda: rng.choice(ETHNIC)),
        ("Thu nhập bình quân (đồng/tháng)", A, lambda: rng.randrange(1_500_000, 30_000_000, 100_000)),
        ("Số nhân khẩu", A, lambda: rng.randint(1, 8))])
    micro("nguoi_nhiem_hiv_dieu_tri.csv", "health", 120, [
        ("Age", Q, lambda: rng.randint(16, 70)), ("Sex", Q, lambda: rng.choice(["M", "F"])),
        ("Commune", Q, lambda: strip(ward())), ("ARV regimen", A, lambda: rng.choice(
            ["TDF/3TC/DTG", "TDF/3TC/EFV", "AZT/3TC/NVP"])),
        ("Viral load suppressed", A, lambda: rng.choice(["yes", "no"]))])
    micro("tai_nan_giao_thong_nan_nhan.csv", "transport", 180, [
        ("tuoi", Q, lambda: rng.randint(5, 80)), ("gioi_tinh", Q, sex),
        ("phuong", Q, lambda: strip(ward())),
        ("nghe_nghiep", Q, lambda: strip(rng.choice(OCCUPATIONS))),
        ("muc_do_thuong_tich", A, lambda: rng.choice(["nhe", "nang", "tu vong"]))])
    micro("tre_suy_dinh_duong.csv", "health", 200, [
        ("Tháng tuổi", Q, lambda: rng.randint(0, 59)), ("Giới", Q, sex),
        ("Xã/phường", Q, ward), ("Cân nặng (kg)", A, lambda: round(rng.uniform(4, 20), 1)),
        ("Chiều cao (cm)", A, lambda: round(rng.uniform(50, 110), 1))])
    micro("lao_dong_viec_lam_moi.csv", "labour", 220, [
        ("Năm sinh", Q, lambda: rng.randint(1965, 2007)), ("Giới tính", Q, sex),
        ("Trình độ", Q, lambda: rng.choice(["THCS", "THPT", "Trung cấp", "Cao đẳng", "Đại học"])),
        ("Phường/xã", Q, ward), ("Mức lương (triệu đồng)", A, lambda: rng.randint(5, 30))])
    micro("tu_vong_theo_ca.csv", "health", 150, [
        ("Tuổi khi mất", Q, lambda: rng.randint(0, 100)), ("Giới tính", Q, sex),
        ("Nơi cư trú (xã)", Q, ward),
        ("Nguyên nhân (ICD-10)", A, lambda: rng.choice(["I21", "I64", "C34", "J44", "V89"]))])
    micro("hoc_sinh_bo_hoc.csv", "education", 90, [
        ("Tuổi", Q, lambda: rng.randint(11, 18)), ("Giới tính", Q, sex),
        ("Dân tộc", Q, lambda: rng.choice(ETHNIC)), ("Xã", Q, ward),
        ("Lý do", A, lambda: rng.choice(["Hoàn cảnh khó khăn", "Đi làm", "Học lực yếu"]))])
    micro("nguoi_khuyet_tat.csv", "population", 160, [
        ("Tuổi", Q, lambda: rng.randint(1, 95)), ("Giới tính", Q, sex), ("Phường", Q, ward),
        ("Dạng tật", A, lambda: rng.choice(["Vận động", "Nghe, nói", "Nhìn", "Thần kinh"])),
        ("Mức độ", A, lambda: rng.choice(["Nhẹ", "Nặng", "Đặc biệt nặng"]))])
    micro("ket_qua_tam_soat_ung_thu.csv", "health", 140, [
        ("Năm sinh", Q, lambda: rng.randint(1950, 1990)), ("Giới", Q, lambda: "Nữ"),
        ("Xã/phường", Q, ward), ("Nghề nghiệp", Q, lambda: rng.choice(OCCUPATIONS)),
        ("Kết quả", A, lambda: rng.choice(["Bình thường", "Nghi ngờ", "Dương tính"]))])
    micro("nguoi_nghien_cai_nghien.csv", "population", 70, [
        ("Tuổi", Q, lambda: rng.randint(16, 55)), ("Giới tính", Q, sex), ("Phường", Q, ward),
        ("Hình thức", A, lambda: rng.choice(["Tại gia đình", "Tập trung", "Cộng đồng"]))])
    micro("benh_nhan_covid_dieu_tri.csv", "health", 260, [
        ("age", Q, lambda: rng.randint(0, 95)), ("sex", Q, lambda: rng.choice(["male", "female"])),
        ("ward", Q, lambda: strip(ward())), ("nationality", Q, lambda: rng.choice(
            ["Việt Nam"] * 9 + ["Hàn Quốc", "Nhật Bản", "Mỹ"])),
        ("outcome", A, lambda: rng.choice(["recovered", "transferred", "died"]))])
    micro("doi_tuong_tro_giup_dot_xuat.csv", "population", 110, [
        ("Năm sinh", Q, lambda: rng.randint(1930, 2020)), ("Giới tính", Q, sex),
        ("Thôn", Q, lambda: f"Thôn {rng.randint(1, 12)}"), ("Xã", Q, ward),
        ("Mức hỗ trợ", A, lambda: rng.choice([500_000, 1_000_000, 2_000_000]))])
    micro("thai_phu_kham_thai.csv", "health", 130, [
        ("Tuổi mẹ", Q, lambda: rng.randint(16, 45)), ("Dân tộc", Q, lambda: rng.choice(ETHNIC)),
        ("Xã", Q, ward), ("Số lần khám", A, lambda: rng.randint(1, 9)),
        ("Tuần thai", A, lambda: rng.randint(6, 40))])
    micro("xu_ly_vi_pham_nong_do_con.csv", "transport", 95, [
        ("Tuổi", Q, lambda: rng.randint(18, 70)), ("Giới tính", Q, sex),
        ("Nghề nghiệp", Q, lambda: rng.choice(OCCUPATIONS)), ("Phường", Q, ward),
        ("Nồng độ (mg/l khí thở)", A, lambda: round(rng.uniform(0.05, 0.9), 2))])


def aggregates(rng: random.Random, cases: list[dict]) -> None:  # noqa: C901
    D, C = "dimension", "count"
    cohorts = [f"{y}-{y + 4}" for y in range(1940, 2025, 5)]
    groups10 = [f"{a}-{a + 9}" for a in range(0, 80, 10)] + ["80+"]

    def agg(file, dtype, dims, counts, privacy=None, k=None):
        import itertools
        header = [h for h, _ in dims] + [h for h, _ in counts]
        rows = [list(combo) + [g() for _, g in counts]
                for combo in itertools.product(*[vals for _, vals in dims])]
        roles = {h: D for h, _ in dims} | {h: C for h, _ in counts}
        kk = k or (10 if dtype in ("health", "population") else 5)
        table_case(cases, file, dtype, "aggregate", header, roles, rows, kk, privacy)

    big = lambda lo=50, hi=5000: (lambda: rng.randint(lo, hi))  # noqa: E731
    agg("dan_so_theo_nam_sinh.csv", "population",
        [("Năm sinh", cohorts), ("Giới tính", ["Nam", "Nữ"])], [("Số người", big(800, 30000))])
    agg("dan_so_theo_do_tuoi_phuong.csv", "population",
        [("Độ tuổi", groups10), ("Giới tính", ["Nam", "Nữ"]), ("Phường/xã", NEW_WARDS[:8])],
        [("Dân số", big(200, 9000))])
    agg("dan_so_tung_tuoi.csv", "population",
        [("Tuổi", list(range(0, 90))), ("Giới tính", ["Nam", "Nữ"])],
        [("Số người", big(3000, 9000))])
    agg("ca_mac_sxh_theo_tuan.csv", "health",
        [("Tuần", list(range(1, 53))), ("Quận (cũ)", OLD_DISTRICTS[:7])],
        [("Số ca mắc", big(10, 120))], privacy={"count_columns": ["Số ca mắc"]})
    agg("hoc_sinh_theo_khoi_truong.csv", "education",
        [("Trường", SCHOOLS[:12]), ("Khối", [6, 7, 8, 9])],
        [("Số học sinh", big(80, 400)), ("Số học sinh nữ", big(40, 200))])
    agg("lao_dong_theo_nganh_gioi.csv", "labour",
        [("Ngành", ["Nông nghiệp", "Công nghiệp", "Xây dựng", "Dịch vụ", "Du lịch"]),
         ("Giới tính", ["Nam", "Nữ"]), ("Năm", [2022, 2023, 2024, 2025])],
        [("Số lao động", big(5000, 90000))])
    agg("sinh_theo_thang.csv", "population",
        [("Tháng", list(range(1, 13))), ("Giới tính trẻ", ["Nam", "Nữ"]),
         ("Quận/huyện (cũ)", OLD_DISTRICTS[:7])], [("Số trẻ sinh", big(30, 400))],
        privacy={"count_columns": ["Số trẻ sinh"]})
    agg("tu_vong_theo_nhom_tuoi.csv", "health",
        [("Nhóm tuổi", groups10), ("Giới tính", ["Nam", "Nữ"]), ("Năm", [2023, 2024, 2025])],
        [("Số ca tử vong", big(20, 900))])
    agg("nguoi_cao_tuoi_theo_phuong.csv", "population",
        [("Phường/xã", NEW_WARDS), ("Nhóm", ["60-69", "70-79", "80-89", "90+"])],
        [("Số người", big(60, 4000)), ("Được hưởng trợ cấp", big(20, 50))])
    agg("tai_nan_giao_thong_theo_do_tuoi.csv", "transport",
        [("Độ tuổi", groups10), ("Loại phương tiện", ["Xe máy", "Ô tô", "Xe đạp", "Đi bộ"])],
        [("Số vụ", big(10, 700)), ("Số người bị thương", big(12, 900))])
    agg("tiem_chung_theo_thang_tuoi.csv", "health",
        [("Tháng tuổi", list(range(0, 24))), ("Phường/xã", NEW_WARDS[:6])],
        [("Số trẻ tiêm đủ mũi", big(40, 500))])
    agg("ho_ngheo_theo_xa.csv", "population",
        [("Xã/phường", NEW_WARDS), ("Năm", [2023, 2024, 2025])],
        [("Số hộ nghèo", big(15, 600)), ("Số hộ cận nghèo", big(20, 700))])
    agg("thi_sinh_theo_nam_sinh.csv", "education",
        [("Năm sinh", list(range(2005, 2010))), ("Giới tính", ["Nam", "Nữ"]),
         ("Khu vực", ["KV1", "KV2", "KV2-NT", "KV3"])], [("Số thí sinh", big(60, 5000))])
    agg("benh_nhan_noi_tru_theo_khoa.csv", "health",
        [("Bệnh viện", HOSPITALS[:8]), ("Khoa", ["Nội", "Ngoại", "Nhi", "Sản", "Hồi sức"])],
        [("Lượt điều trị nội trú", big(40, 6000))],
        privacy={"count_columns": ["Lượt điều trị nội trú"]})
    agg("dan_toc_thieu_so_theo_xa.csv", "population",
        [("Xã", ["Hòa Vang", "Bà Nà", "Hải Vân", "Tây Giang", "Đông Giang", "Avương",
                  "Sông Kôn", "Nam Giang"]),
         ("Dân tộc", ["Cơ Tu", "Xơ Đăng", "Giẻ Triêng", "Tày"])], [("Số nhân khẩu", big(20, 9000))])


def main() -> None:
    rng = random.Random(SEED)
    cases: list[dict] = []
    name_tables(rng, cases)
    free_text(rng, cases)
    gazetteer(rng, cases)
    microdata(rng, cases)
    aggregates(rng, cases)
    with open(HERE / "manifest.json", "w", encoding="utf-8") as fh:
        json.dump({"seed": SEED, "cases": cases}, fh, ensure_ascii=False, indent=2)
        fh.write("\n")
    columns = Counter(c for case in cases for c in case["classes"].values())
    tables = Counter(case["table"] for case in cases if "table" in case)
    print(f"{sum(columns.values())} labelled columns {dict(columns)}; tables {dict(tables)}")


if __name__ == "__main__":
    main()
