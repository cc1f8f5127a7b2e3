"""The held-out privacy sample: independent of the detectors, labelled before they ran.

    .venv/bin/python tests/data/privacy/heldout/make_heldout.py   # rewrites the files

Written from the shapes of Vietnamese open-data tables (1022 citizen feedback, business
registration lists, school lists, budget execution read from PostgreSQL NUMERIC columns,
poverty-household lists as communes post them, health-facility statistics, fee ledgers in
Excel with typed cells, text pasted with full-width digits and invisible characters) by
someone who had not tuned the detectors on them. Every value is synthetic (seeded
generator). Each case labels every column with the verdict a privacy officer would give
(``expect``: ``block`` — the column carries a personal identifier; ``pass`` — it does not)
and a class (``classes``: the identifier kind for ``block``, the shape for ``pass``), in the
same format as ``../manifest.json``. The labels were committed before the detectors were run
on these files (see the README's privacy section for the first-run figures).
"""
from __future__ import annotations

import csv
import json
import random
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from openpyxl import Workbook

HERE = Path(__file__).resolve().parent
SEED = 20251202
FULL = str.maketrans("0123456789@.,:", "０１２３４５６７８９＠．，：")

SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Võ", "Đặng", "Bùi",
            "Đỗ", "Hồ", "Ngô", "Dương", "Lý"]
MIDDLE = ["Văn", "Thị", "Hữu", "Minh", "Ngọc", "Thanh", "Quốc", "Thu", "Đức", "Kim"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Hoa", "Hùng", "Lan", "Mai", "Nam", "Phúc",
         "Quân", "Sơn", "Tâm", "Trang", "Tuấn", "Vy", "Yến", "Khánh", "Long", "Nhung"]
WARDS = [("20194", "Hải Châu"), ("20197", "Hòa Cường"), ("20200", "Thanh Khê"),
         ("20203", "An Khê"), ("20206", "Sơn Trà"), ("20209", "An Hải"),
         ("20212", "Ngũ Hành Sơn"), ("20215", "Liên Chiểu"), ("20218", "Hòa Khánh"),
         ("20221", "Cẩm Lệ")]
STREETS = ["Lê Duẩn", "Hùng Vương", "Nguyễn Văn Linh", "Điện Biên Phủ", "Hàm Nghi",
           "Ông Ích Khiêm", "Tôn Đức Thắng", "Ngô Quyền", "Trần Phú", "Núi Thành"]
MOBILE_PREFIXES = ["090", "093", "089", "070", "077", "091", "094", "088", "083", "086",
                   "096", "097", "098", "032", "035", "039", "056", "058", "059"]


def _case(rows: list[dict], cases: list[dict], file: str, dataset_type: str,
          columns: list[tuple[str, str, str]], **extra: Any) -> None:
    cases.append({"file": file, "dataset_type": dataset_type, "privacy": {},
                  "expect": {c: v for c, v, _ in columns},
                  "classes": {c: k for c, _, k in columns}, **extra})


def _write_csv(name: str, columns: list[str], rows: list[list[Any]]) -> None:
    with open(HERE / name, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(columns)
        writer.writerows(rows)


def main() -> None:  # noqa: C901 - one table after another, read top to bottom
    rng = random.Random(SEED)
    cases: list[dict] = []

    def name() -> str:
        return f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"

    def mobile(style: str = "plain") -> str:
        digits = rng.choice(MOBILE_PREFIXES) + f"{rng.randint(0, 9999999):07d}"
        if style == "dots":
            return f"{digits[:4]}.{digits[4:7]}.{digits[7:]}"
        if style == "spaces":
            return f"{digits[:4]} {digits[4:7]} {digits[7:]}"
        if style == "dashes":
            return f"{digits[:3]}-{digits[3:6]}-{digits[6:]}"
        if style == "intl":
            return f"+84 {digits[1:4]} {digits[4:]}"
        return digits

    def landline() -> str:
        return f"0236{rng.randint(3500000, 3899999)}"

    def cccd(province: str = "048") -> str:
        # a real birth year: 1940–1999 (century digit 0/1) or 2000–2012 (2/3)
        century = rng.choice("0101012")
        year = f"{rng.randint(40, 99) if century in '01' else rng.randint(0, 12):02d}"
        century = century if century in "01" or rng.random() < 0.5 else "3"
        return province + century + year + f"{rng.randint(0, 999999):06d}"

    def cmnd() -> str:
        return rng.choice(["201", "205", "206", "191"]) + f"{rng.randint(0, 999999):06d}"

    def bhyt() -> str:
        return (rng.choice(["DN", "HS", "HT", "GD", "TE", "CN", "HN"]) + rng.choice("1234")
                + "48" + f"{rng.randint(0, 9999999999):010d}")

    def plate() -> str:
        return (f"43{rng.choice('ABCDEFGH')}-{rng.randint(100, 999)}."
                f"{rng.randint(10, 99)}")

    def email(person: str) -> str:
        ascii_name = (person.lower().replace("đ", "d").replace("ư", "u").replace("ơ", "o")
                      .replace("â", "a").replace("ă", "a").replace("ê", "e")
                      .replace("ô", "o"))
        import unicodedata
        ascii_name = "".join(ch for ch in unicodedata.normalize("NFD", ascii_name)
                             if unicodedata.category(ch) != "Mn")
        parts = ascii_name.split()
        local = rng.choice([f"{parts[-1]}{parts[0]}{rng.randint(80, 99)}",
                            f"{parts[0]}.{parts[1]}.{parts[-1]}",
                            f"{parts[-1]}.{parts[0]}dn"])
        return f"{local}@{rng.choice(['gmail.com', 'yahoo.com.vn', 'outlook.com'])}"

    def tax_code(prefix: str = "040") -> str:
        return prefix + f"{rng.randint(0, 9999999):07d}"

    def date(start: str = "2025-01-01", days: int = 300) -> datetime:
        return datetime.fromisoformat(start) + timedelta(days=rng.randint(0, days),
                                                         minutes=rng.randint(0, 1439))

    # --- A. 1022 citizen feedback (population) -----------------------------------------
    topics = ["Giao thông", "Môi trường", "Trật tự đô thị", "Điện chiếu sáng", "Cấp nước"]
    complaints = ["Đèn đường khu vực này bị hư nhiều ngày, đề nghị sửa",
                  "Rác thải tập kết không đúng giờ, bốc mùi",
                  "Vỉa hè bị lấn chiếm để buôn bán",
                  "Nắp cống bị vỡ rất nguy hiểm cho người đi đường",
                  "Nước sinh hoạt bị đục từ sáng nay"]
    rows = []
    for i in range(60):
        ward = rng.choice(WARDS)
        text = rng.choice(complaints)
        if i % 4 == 1:
            style = rng.choice(["dots", "spaces", "dashes", "intl", "plain"])
            text += rng.choice([f". SĐT liên hệ: {mobile(style)}",
                                f", cần thêm thông tin gọi em số {mobile(style)} nha",
                                f" (người phản ánh: {mobile(style)})"])
        extra = rng.choice(["", "Mong sớm xử lý", "Đã phản ánh lần 2"])
        if i % 6 == 2:
            extra = rng.choice([f"Kết quả xin gửi về {email(name())}, cảm ơn",
                                f"liên hệ qua mail: {email(name())}"])
        vehicle = rng.choice(["", "Không rõ phương tiện", "Xe máy đỗ tràn lan"])
        if i % 3 == 0:
            vehicle = rng.choice([f"Xe tải biển kiểm soát {plate()} đổ phế thải",
                                  f"Ô tô {plate()} đỗ chắn lối đi nhiều giờ"])
        result = rng.choice([
            f"Đã xử lý theo Công văn số {rng.randint(100, 9999)}/UBND-ĐT ngày "
            f"{rng.randint(1, 28)}/{rng.randint(1, 12)}/2025",
            "Đã chuyển Công ty Môi trường đô thị xử lý; mọi thắc mắc gọi tổng đài 1022",
            "Đơn vị đã khắc phục, hỗ trợ qua đường dây nóng 19001009",
            "Đang xác minh"])
        created = date()
        rows.append([i + 1, f"PA.2025.{rng.randint(0, 999999):06d}",
                     created.strftime("%d/%m/%Y %H:%M"),
                     rng.choice(["Ứng dụng Danang Smart City", "Tổng đài 1022", "Zalo",
                                 "Website"]),
                     rng.choice(topics), text,
                     f"Kiệt {rng.randint(1, 300)} {rng.choice(STREETS)}, P. {ward[1]}",
                     extra, f"UBND phường {ward[1]}", result, rng.randint(1, 15),
                     rng.choice(["Hài lòng", "Chưa hài lòng", "Không đánh giá"]), vehicle,
                     f"{16 + rng.random() * 0.1:.5f}, {108.15 + rng.random() * 0.1:.5f}",
                     ward[0],
                     f"https://1022.danang.gov.vn/files/{rng.randint(10000, 99999)}.jpg"])
    cols = [("STT", "pass", "count"), ("Mã PA", "pass", "code"),
            ("Thời gian tiếp nhận", "pass", "date"), ("Kênh tiếp nhận", "pass", "text"),
            ("Lĩnh vực", "pass", "text"), ("Nội dung phản ánh", "block", "phone"),
            ("Địa điểm xảy ra", "pass", "text"), ("Ý kiến bổ sung", "block", "email"),
            ("Đơn vị xử lý", "pass", "text"), ("Kết quả xử lý", "pass", "text"),
            ("Số ngày xử lý", "pass", "count"), ("Mức độ hài lòng", "pass", "text"),
            ("Mô tả phương tiện", "block", "licence_plate"), ("Tọa độ", "pass", "rate"),
            ("Mã phường", "pass", "code"), ("Hình ảnh đính kèm", "pass", "text")]
    _write_csv("ho_phan_anh_1022.csv", [c for c, _, _ in cols], rows)
    _case(rows, cases, "ho_phan_anh_1022.csv", "population", cols)

    # --- B. business registration list (enterprise) -------------------------------------
    kinds = ["Công ty TNHH", "Công ty cổ phần", "Công ty TNHH MTV", "Doanh nghiệp tư nhân"]
    trades = ["Thương mại", "Xây dựng", "Du lịch", "Vận tải", "Thực phẩm", "Công nghệ"]
    rows = []
    for i in range(50):
        kind = rng.choice(kinds)
        base = tax_code(rng.choice(["040", "040", "031", "010"]))
        title = f"{kind} {rng.choice(trades)} {rng.choice(['Sơn Trà', 'Hàn Giang', 'Bạch Đằng', 'Ngũ Hành', 'Hải Vân'])}"
        capital = rng.choice([250000000, 500000000, 1000000000, 1500000000, 3000000000,
                              rng.randint(100000000, 99999999999)])
        phone = landline() if i % 2 else mobile()
        mail = (f"info@{rng.choice(['sontra', 'hangiang', 'haivan'])}{i}.com.vn" if i % 3
                else email(name()))
        ward = rng.choice(WARDS)
        rows.append([base, f"{base}-{rng.randint(1, 20):03d}", title,
                     title.split()[-2].upper() + " CO", kind, name(),
                     rng.choice(["Giám đốc", "Chủ tịch HĐQT", "Tổng giám đốc"]), capital,
                     round(capital / 1_000_000), rng.randint(1, 450),
                     rng.choice(["4711", "4100", "5510", "4933", "56101", "6201"]),
                     f"{rng.randint(1, 400)} {rng.choice(STREETS)}, P. {ward[1]}, TP Đà Nẵng",
                     date("2015-01-01", 3600).strftime("%d/%m/%Y"),
                     rng.choice(["Đang hoạt động", "Tạm ngừng kinh doanh", "Đã giải thể"]),
                     phone, mail, cccd(rng.choice(["048", "049", "046", "001"]))])
    cols = [("Mã số doanh nghiệp", "pass", "code"),
            ("Mã số thuế đơn vị phụ thuộc", "pass", "code"),
            ("Tên doanh nghiệp", "pass", "text"), ("Tên viết tắt", "pass", "text"),
            ("Loại hình", "pass", "text"),
            ("Người đại diện theo pháp luật", "block", "full_name"),
            ("Chức danh", "pass", "text"), ("Vốn điều lệ (đồng)", "pass", "money"),
            ("Vốn điều lệ (triệu đồng)", "pass", "money"), ("Số lao động", "pass", "count"),
            ("Ngành nghề kinh doanh chính", "pass", "code"),
            ("Địa chỉ trụ sở chính", "pass", "address_org"),
            ("Ngày cấp GCN ĐKDN", "pass", "date"), ("Tình trạng", "pass", "text"),
            ("Điện thoại", "block", "phone"), ("Thư điện tử", "block", "email"),
            ("Số giấy tờ pháp lý của người đại diện", "block", "cccd")]
    _write_csv("dn_dang_ky_kinh_doanh.csv", [c for c, _, _ in cols], rows)
    _case(rows, cases, "dn_dang_ky_kinh_doanh.csv", "enterprise", cols)

    # --- C. school list, Excel with typed cells (education) -----------------------------
    book = Workbook()
    sheet = book.active
    sheet.title = "Danh sách trường"
    cols1 = [("Mã trường", "pass", "code"), ("Tên trường", "pass", "text"),
             ("Cấp học", "pass", "text"), ("Loại hình", "pass", "text"),
             ("Phường/Xã", "pass", "text"), ("Số lớp", "pass", "count"),
             ("Số học sinh", "pass", "count"), ("Số học sinh nữ", "pass", "count"),
             ("Số giáo viên", "pass", "count"), ("Diện tích khuôn viên (m²)", "pass", "area"),
             ("Kinh phí được giao (nghìn đồng)", "pass", "money"),
             ("Ngày thành lập", "pass", "date"), ("Hiệu trưởng", "block", "full_name"),
             ("Di động hiệu trưởng", "block", "phone"),
             ("Điểm chuẩn lớp 10", "pass", "rate")]
    sheet.append([c for c, _, _ in cols1])
    for i in range(40):
        pupils = rng.randint(300, 2400)
        sheet.append([int(f"48{rng.randint(0, 999999):06d}"),
                      f"Trường {rng.choice(['THCS', 'Tiểu học', 'THPT'])} "
                      f"{rng.choice(['Lê Lợi', 'Trưng Vương', 'Phan Châu Trinh', 'Nguyễn Huệ'])}",
                      rng.choice(["Tiểu học", "THCS", "THPT"]),
                      rng.choice(["Công lập", "Tư thục"]), rng.choice(WARDS)[1],
                      rng.randint(10, 60), pupils, pupils // 2 - rng.randint(0, 40),
                      rng.randint(20, 120), round(rng.uniform(3000, 30000), 1),
                      rng.randint(2_000_000, 45_000_000),
                      datetime(rng.randint(1975, 2015), rng.randint(1, 12), rng.randint(1, 28)),
                      name(), int(mobile()), round(rng.uniform(25, 45) * 2) / 2])
    disabled = book.create_sheet("Học sinh khuyết tật")
    cols2 = [("STT", "pass", "count"), ("Mã HS", "block", "person_id"),
             ("Ngày sinh", "block", "date_of_birth"), ("Giới tính", "pass", "text"),
             ("Lớp", "pass", "code"), ("Dạng khuyết tật", "pass", "text")]
    disabled.append([c for c, _, _ in cols2])
    for i in range(25):
        disabled.append([i + 1, f"48{rng.randint(0, 99999999):08d}",
                         datetime(rng.randint(2008, 2018), rng.randint(1, 12),
                                  rng.randint(1, 28)),
                         rng.choice(["Nam", "Nữ"]), f"{rng.randint(1, 12)}/{rng.randint(1, 6)}",
                         rng.choice(["Khiếm thị", "Khiếm thính", "Vận động", "Trí tuệ"])])
    book.save(HERE / "truong_hoc_typed.xlsx")
    _case([], cases, "truong_hoc_typed.xlsx", "education", cols1, sheet="Danh sách trường")
    _case([], cases, "truong_hoc_typed.xlsx", "education", cols2, sheet="Học sinh khuyết tật")

    # --- D. budget support payments read from PostgreSQL NUMERIC (population) -----------
    cols = [("ma_qhns", "pass", "code"), ("ten_don_vi", "pass", "text"),
            ("du_toan_giao", "pass", "money"), ("giai_ngan", "pass", "money"),
            ("ty_le_giai_ngan", "pass", "rate"), ("so_doi_tuong", "pass", "count"),
            ("dien_tich_ho_tro", "pass", "area"), ("ma_doi_tuong", "block", "cccd_numeric"),
            ("so_cmt", "block", "cmnd"), ("nam_ngan_sach", "pass", "date"),
            ("ma_chuong", "pass", "code"), ("so_tien_ho_tro", "pass", "money")]
    rows = []
    for i in range(45):
        plan = rng.randint(10_000_000_000, 99_999_999_999)
        spent = round(plan * rng.uniform(0.3, 1.0), 2)
        rows.append([str(rng.randint(1000000, 1099999)),
                     f"UBND phường {rng.choice(WARDS)[1]}", plan, f"{spent:.2f}",
                     f"{spent / plan * 100:.2f}", rng.randint(5, 900),
                     f"{rng.uniform(100, 50000):.2f}", int(cccd(rng.choice(["048", "049"]))),
                     int(cmnd()), 2025, rng.choice(["418", "422", "599"]),
                     rng.randint(1_500_000, 25_000_000)])
    _write_csv("pg_ho_tro_ngan_sach.csv", [c for c, _, _ in cols], rows)
    _case(rows, cases, "pg_ho_tro_ngan_sach.csv", "population", cols,
          pg_types={"ma_qhns": "text", "ten_don_vi": "text", "du_toan_giao": "numeric(18,0)",
                    "giai_ngan": "numeric(18,2)", "ty_le_giai_ngan": "numeric(5,2)",
                    "so_doi_tuong": "numeric", "dien_tich_ho_tro": "numeric(12,2)",
                    "ma_doi_tuong": "numeric", "so_cmt": "numeric",
                    "nam_ngan_sach": "integer", "ma_chuong": "text",
                    "so_tien_ho_tro": "numeric(14,0)"})

    # --- E. text pasted with full-width digits and invisible characters (population) ----
    cols = [("Mã xã", "pass", "code"), ("Tên xã", "pass", "text"), ("Số hộ", "pass", "count"),
            ("Liên lạc", "block", "phone"), ("Thông tin người báo tin", "block", "cccd"),
            ("Ghi chú", "block", "phone"), ("Phản hồi", "block", "email"),
            ("Năm", "pass", "date"), ("Diện tích (km²)", "pass", "area"),
            ("Mã bưu chính", "pass", "code")]
    rows = []
    for i in range(30):
        ward = rng.choice(WARDS)
        note = rng.choice(["Đã kiểm tra", "Chờ bổ sung hồ sơ", ""])
        if i % 3 == 0:
            digits = mobile()
            note = rng.choice([f"SĐT {digits[:4]}\u00a0{digits[4:7]}\u00a0{digits[7:]}",
                               f"gọi {digits[:4]}\u200b{digits[4:7]}\u200b{digits[7:]}",
                               f"Liên hệ {digits[:4]}\u00ad{digits[4:]}"])
        reply = rng.choice(["Đã nhận", "Cảm ơn"])
        if i % 4 == 0:
            reply = f"gửi về mail：{email(name())}".translate(FULL)
        rows.append([ward[0].translate(FULL), ward[1],
                     str(rng.randint(800, 9000)).translate(FULL),
                     mobile().translate(FULL) if i % 2 == 0 else "",
                     (f"Ông {rng.choice(GIVEN)}, CCCD số {cccd()} đã xác minh".translate(FULL)
                      if i % 3 == 1 else "Chưa xác minh"),
                     note, reply, "2025".translate(FULL),
                     f"{rng.uniform(1, 40):.1f}".replace(".", ",").translate(FULL),
                     "550000".translate(FULL)])
    _write_csv("unicode_ghi_chu.csv", [c for c, _, _ in cols], rows)
    _case(rows, cases, "unicode_ghi_chu.csv", "population", cols)

    # --- F. look-alikes that must pass (enterprise) --------------------------------------
    cols = [("Số tờ khai hải quan", "pass", "code"), ("Mã vận đơn", "pass", "code"),
            ("Số lô hàng", "pass", "code"), ("Số hiệu văn bản", "pass", "code"),
            ("Mã hồ sơ", "pass", "code"), ("Số hợp đồng", "pass", "code"),
            ("Mã số thuế (13 số)", "pass", "code"), ("MST chi nhánh", "pass", "code"),
            ("Mã bưu chính", "pass", "code"), ("Đường dây nóng", "pass", "code"),
            ("Giá trị hợp đồng (đồng)", "pass", "money"),
            ("Số lượt truy cập", "pass", "count"),
            ("Mã định danh điện tử cơ quan", "pass", "code"),
            ("Ngày ban hành", "pass", "date"), ("Tọa độ X (VN2000)", "pass", "rate"),
            ("Số sê-ri công tơ", "pass", "code"), ("Mã khách hàng điện", "pass", "code"),
            ("Nhóm tuổi", "pass", "text")]
    rows = []
    for i in range(40):
        base = tax_code(rng.choice(["040", "031", "010"]))
        rows.append([rng.choice(["103", "104", "105", "305", "306"])
                     + f"{rng.randint(0, 999999999):09d}",
                     f"E{rng.choice('EGL')}{rng.randint(0, 999999999):09d}VN",
                     f"{rng.choice('ABCDKL')}{rng.randint(0, 9999999):07d}",
                     f"{rng.randint(1, 3999)}/QĐ-UBND", f"H17.45-25{rng.randint(1, 12):02d}"
                     f"{rng.randint(1, 28):02d}-{rng.randint(1, 9999):04d}",
                     f"{rng.randint(1, 99)}/2025/HĐKT", base + f"{rng.randint(1, 30):03d}",
                     f"{base}-{rng.randint(1, 30):03d}", rng.choice(["550000", "551000", "552000"]),
                     rng.choice(["1022", "19001009", "18001567", "113", "114", "115"]),
                     rng.choice([250000000, 480000000, rng.randint(100000000, 999999999)]),
                     rng.randint(100000000, 999999999),
                     f"H17.{rng.randint(1, 60)}.{rng.randint(1, 30)}",
                     date("2024-01-01", 600).strftime("%Y-%m-%d"),
                     f"{rng.uniform(1765000, 1790000):.2f}",
                     str(rng.randint(2100000000, 2199999999)),
                     f"PC05{rng.choice(['AA', 'BB', 'CC'])}{rng.randint(0, 9999999):07d}",
                     rng.choice(["15-24", "25-39", "40-59", "60+"])])
    _write_csv("nhin_giong_ma_so.csv", [c for c, _, _ in cols], rows)
    _case(rows, cases, "nhin_giong_ma_so.csv", "enterprise", cols)

    # --- G. poverty-household list as a commune posts it (population) -------------------
    cols = [("STT", "pass", "count"), ("Họ và tên chủ hộ", "block", "full_name"),
            ("Năm sinh chủ hộ", "pass", "date"), ("Giới tính", "pass", "text"),
            ("Số CCCD/Định danh", "block", "cccd"), ("Địa chỉ", "block", "address"),
            ("Mã hộ", "pass", "code"), ("Phân loại hộ", "pass", "text"),
            ("Số nhân khẩu", "pass", "count"),
            ("Thu nhập bình quân (đồng/người/tháng)", "pass", "money"),
            ("Số điện thoại", "block", "phone"), ("Ghi chú", "block", "phone"),
            ("Mã thẻ BHYT", "block", "bhyt")]
    rows = []
    for i in range(35):
        ward = rng.choice(WARDS)
        note = rng.choice(["", "Hộ có người khuyết tật", "Thoát nghèo dự kiến 2026"])
        if i % 5 == 0:
            note = f"Con trai {name()}, ĐT {mobile('spaces')}"
        rows.append([i + 1, name(), rng.randint(1945, 1995), rng.choice(["Nam", "Nữ"]),
                     cccd(), f"Tổ {rng.randint(1, 80)}, P. {ward[1]}",
                     f"HN-2025-{rng.randint(1, 9999):04d}",
                     rng.choice(["Hộ nghèo", "Hộ cận nghèo"]), rng.randint(1, 8),
                     rng.randint(9, 25) * 100000, mobile() if i % 3 else "", note, bhyt()])
    _write_csv("ho_ngheo_2025.csv", [c for c, _, _ in cols], rows)
    _case(rows, cases, "ho_ngheo_2025.csv", "population", cols)

    # --- H. health-facility statistics (health) ------------------------------------------
    cols = [("Mã CSKCB", "pass", "code"), ("Tên cơ sở", "pass", "text"),
            ("Tháng", "pass", "date"), ("Số lượt khám", "pass", "count"),
            ("Số lượt điều trị nội trú", "pass", "count"),
            ("Tổng chi phí KCB (đồng)", "pass", "money"),
            ("Chi phí BHYT chi trả", "pass", "money"),
            ("Công suất sử dụng giường (%)", "pass", "rate"), ("Ghi chú", "pass", "text"),
            ("Ghi nhận ca đặc biệt", "block", "bhyt"), ("Người lập biểu", "block", "full_name"),
            ("Email người lập biểu", "block", "email")]
    rows = []
    for i in range(36):
        total = rng.randint(500_000_000, 90_000_000_000)
        case_note = rng.choice(["", "Không", "Ca chuyển tuyến"])
        if i % 6 == 3:
            case_note = (f"BN {name()}, thẻ BHYT {bhyt()}, nhập viện "
                         f"{rng.randint(1, 28)}/{rng.randint(1, 12)}")
        reporter = name()
        rows.append([f"48{rng.randint(0, 999):03d}",
                     f"Trạm Y tế phường {rng.choice(WARDS)[1]}",
                     f"2025-{rng.randint(1, 12):02d}", rng.randint(300, 95000),
                     rng.randint(0, 4000), total, round(total * rng.uniform(0.5, 0.9)),
                     f"{rng.uniform(40, 120):.1f}",
                     rng.choice(["", f"Đang sửa chữa theo QĐ {rng.randint(10, 999)}/QĐ-SYT",
                                 "Số liệu tạm tính"]),
                     case_note, reporter, email(reporter)])
    _write_csv("kham_benh_tong_hop.csv", [c for c, _, _ in cols], rows)
    _case(rows, cases, "kham_benh_tong_hop.csv", "health", cols)

    # --- I. fee ledger in Excel, typed numbers that lost their zero (land) --------------
    book = Workbook()
    sheet = book.active
    sheet.title = "Thu phí"
    cols = [("Mã khách hàng", "block", "cccd_numeric"), ("Liên lạc", "block", "phone"),
            ("Số tiền", "pass", "money"), ("Ngày thu", "pass", "date"),
            ("Kỳ thu", "pass", "text"), ("Diện tích (m2)", "pass", "area"),
            ("Số biên lai", "pass", "code"), ("Mã xã", "pass", "code")]
    sheet.append([c for c, _, _ in cols])
    for i in range(30):
        sheet.append([int(cccd()), int(mobile()), float(rng.randint(50, 5000) * 1000),
                      date("2025-01-01", 200), f"2025-Q{rng.randint(1, 4)}",
                      round(rng.uniform(40, 600), 1), rng.randint(1000000, 9999999),
                      int(rng.choice(WARDS)[0])])
    book.save(HERE / "thu_phi_typed.xlsx")
    _case([], cases, "thu_phi_typed.xlsx", "land", cols, sheet="Thu phí")

    (HERE / "manifest.json").write_text(
        json.dumps({"seed": SEED, "cases": cases}, ensure_ascii=False, indent=2) + "\n",
        encoding="utf-8")
    total = sum(len(c["expect"]) for c in cases)
    blocks = sum(v == "block" for c in cases for v in c["expect"].values())
    print(f"{len(cases)} cases, {total} labelled columns ({blocks} block, "
          f"{total - blocks} pass)")


if __name__ == "__main__":
    main()
