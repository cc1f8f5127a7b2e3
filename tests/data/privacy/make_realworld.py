"""Real-world shapes for the privacy corpus (called by make_corpus.py; deterministic).

Written from the tables departments actually send: citizens' feedback with contact details
inside the text, enterprise registers with VND money columns, land and school registers,
Excel workbooks with typed cells (numbers that lost their leading zero), Unicode digit forms
(full-width, Arabic-Indic, zero-width characters inside numbers) and a NUMERIC table that
``tests/gate/test_gate_corpus.py`` loads into PostgreSQL (its ``pg_types``). Every value is
synthetic. Each case labels its columns with a verdict (``expect``) and a class
(``classes``: the identifier kind for ``block``, the shape for ``pass``) so recall and
precision can be printed per class.
"""
from __future__ import annotations

import random
from datetime import datetime
from pathlib import Path
from typing import Any, Callable

from openpyxl import Workbook

_ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
_FULL_WIDTH = str.maketrans("0123456789@", "０１２３４５６７８９＠")


def build(here: Path, rng: random.Random, fake: Any, gen: dict[str, Callable[..., str]],
          write_csv: Callable[..., None], communes: list[tuple[str, str]]) -> list[dict]:
    """Write the real-world files into ``here``; return their manifest cases."""
    cccd, mobile, landline, bhyt, cmnd, passport = (
        gen["cccd"], gen["mobile"], gen["landline"], gen["bhyt"], gen["cmnd"], gen["passport"])
    n = 150
    cases: list[dict] = []

    def amount(digits: int) -> int:
        # non-round on purpose: round amounts are skipped by the detectors anyway
        return rng.randint(10 ** (digits - 1), 10 ** digits - 1) | 1

    def case(file: str, dataset_type: str, columns: list[tuple[str, str, str]],
             privacy: dict | None = None, **extra: Any) -> None:
        cases.append({"file": file, "dataset_type": dataset_type, "privacy": privacy or {},
                      "expect": {c: v for c, v, _ in columns},
                      "classes": {c: k for c, _, k in columns}, **extra})

    # --- citizens' feedback: identifiers inside free text -------------------------------
    topics = ["Đèn đường hỏng", "Rác thải", "Ngập nước", "Lấn chiếm vỉa hè", "Tiếng ồn"]
    cols = [("ma_phan_anh", "pass", "code"), ("ngay_tiep_nhan", "pass", "date"),
            ("ma_xa", "pass", "code"), ("linh_vuc", "pass", "text"),
            ("noi_dung_phan_anh", "block", "phone"), ("mo_ta_su_viec", "pass", "text"),
            ("y_kien_nguoi_dan", "block", "email"), ("phan_hoi_co_quan", "pass", "text"),
            ("ghi_chu_xac_minh", "block", "cccd"), ("thong_tin_thu_ly", "block", "cmnd"),
            ("ket_qua_xu_ly", "block", "passport"), ("tinh_trang_bhyt", "block", "bhyt"),
            ("van_ban_lien_quan", "pass", "text"), ("dia_diem_su_viec", "pass", "text"),
            ("so_ngay_xu_ly", "pass", "count"), ("trang_thai", "pass", "text")]
    rows = []
    for i in range(n):
        code, name = rng.choice(communes)
        street = fake.street_name()
        rows.append([
            f"PA-2025-{i + 1:07d}", f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            code, rng.choice(topics),
            (f"{rng.choice(topics)} tại kiệt {rng.randint(1, 200)} {street}. Liên hệ anh "
             f"{fake.first_name()} {mobile(rng.randint(0, 2))} để được hướng dẫn."
             if i % 9 == 0 else f"{rng.choice(topics)} kéo dài {rng.randint(2, 30)} ngày "
             f"tại {street}, phường {name}."),
            (f"Từ 14h30 ngày {rng.randint(1, 28)}/{rng.randint(1, 12)}/2025, khu vực kiệt "
             f"{rng.randint(1, 300)}/{rng.randint(1, 40)} đường 2/9 bị ảnh hưởng; thiệt hại "
             f"ước {rng.randint(1, 900)}.{rng.randint(100, 999)}.000 đồng, công văn số "
             f"{rng.randint(100, 9999)}/UBND-KT."),
            (f"Đề nghị trả lời qua thư {fake.user_name()}@{rng.choice(['gmail.com', 'yahoo.com.vn'])}"
             f" giúp tôi." if i % 11 == 0 else "Đề nghị xử lý sớm."),
            f"Đã chuyển phòng chuyên môn; tổng đài 1022 hoặc 1900 {rng.randint(1000, 9999)}.",
            (f"Công dân có CCCD {cccd()} đến làm việc." if i % 13 == 0
             else "Đã xác minh tại hiện trường."),
            (f"Người gửi xuất trình CMND số {cmnd()}." if i % 17 == 0 else "Đang thụ lý."),
            (f"Người nước ngoài, hộ chiếu {passport()}, đã được hướng dẫn." if i % 19 == 0
             else "Đã giải quyết."),
            (f"Thẻ BHYT {bhyt()} hết hạn." if i % 23 == 0 else "Không liên quan."),
            f"Quyết định {rng.randint(100, 9999)}/QĐ-UBND ngày {rng.randint(1, 28):02d}/03/2025",
            f"Kiệt {rng.randint(1, 500)} {street}, {name}",
            rng.randint(1, 45), rng.choice(["Đã xử lý", "Đang xử lý", "Chuyển cơ quan khác"])])
    write_csv("rw_phan_anh_cong_dan.csv", [c for c, _, _ in cols], rows)
    case("rw_phan_anh_cong_dan.csv", "population", cols)

    # --- enterprise register: VND money columns beside identifiers ----------------------
    cols = [("ma_so_thue", "pass", "code"), ("ma_so_thue_chi_nhanh", "pass", "code"),
            ("ten_doanh_nghiep", "pass", "text"), ("nganh_vsic", "pass", "code"),
            ("von_dieu_le", "pass", "money"), ("doanh_thu_nam", "pass", "money"),
            ("tien_nop_thue", "pass", "money"), ("gia_tri_hop_dong_vnd", "pass", "money"),
            ("von_dau_tu_ty_dong", "pass", "money"), ("dien_tich_dat_m2", "pass", "area"),
            ("so_lao_dong", "pass", "count"), ("dia_chi_tru_so", "pass", "address_org"),
            ("so_giay_to_nguoi_dai_dien", "block", "cmnd"),
            ("ma_dinh_danh_chu_doanh_nghiep", "block", "cccd"),
            ("so_cmnd_dai_dien", "block", "citizen_id"), ("ngay_cap_phep", "pass", "date")]
    rows = []
    for i in range(n):
        code, name = rng.choice(communes)
        tax = "04" + f"{rng.randint(0, 99999999):08d}"
        rows.append([tax, f"{tax}-{rng.randint(1, 30):03d}", f"Công ty TNHH {fake.last_name()} "
                     f"{rng.choice(['Xây dựng', 'Thương mại', 'Du lịch'])}",
                     rng.choice(["41000", "47110", "55101", "C1071"]), amount(9), amount(9),
                     amount(9), amount(11), f"{rng.randint(1, 900)}.{rng.randint(0, 99):02d}",
                     f"{rng.randint(50, 90000)}.{rng.randint(0, 9)}", rng.randint(1, 900),
                     f"Số {rng.randint(1, 300)} {fake.street_name()}, phường {name}, Đà Nẵng",
                     cmnd(), cccd(), cmnd(),
                     f"20{rng.randint(10, 25)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"])
    write_csv("rw_doanh_nghiep_von.csv", [c for c, _, _ in cols], rows)
    case("rw_doanh_nghiep_von.csv", "enterprise", cols)

    # --- Unicode digit forms and invisible characters ------------------------------------
    cols = [("cot_1", "block", "phone"), ("cot_2", "block", "cccd"), ("cot_3", "block", "phone"),
            ("cot_4", "block", "cccd"), ("cot_5", "block", "email"), ("cot_6", "block", "email"),
            ("cot_7", "pass", "count"), ("ten_xa", "pass", "text"), ("nam", "pass", "date"),
            ("cot_8", "block", "phone"), ("thong_tin_khac", "pass", "text")]
    rows = []
    for i in range(n):
        code, name = rng.choice(communes)
        number = cccd()
        rows.append([mobile().translate(_FULL_WIDTH), number[:4] + "\u200b" + number[4:],
                     mobile(1).replace(" ", "\u00a0"), number.translate(_ARABIC_INDIC),
                     f"{fake.user_name()}\u00ad@gmail.com",
                     f"{fake.user_name()}@gmail.com".translate(_FULL_WIDTH),
                     str(rng.randint(0, 99)).translate(_FULL_WIDTH), name, "２０２５",
                     "\ufeff" + mobile(2), f"Tổ {rng.randint(1, 40)}, khu vực {rng.randint(1, 9)}"])
    write_csv("rw_unicode_digits.csv", [c for c, _, _ in cols], rows)
    case("rw_unicode_digits.csv", "population", cols)

    # --- land register --------------------------------------------------------------------
    cols = [("so_thua", "pass", "code"), ("so_to_ban_do", "pass", "code"),
            ("dien_tich_m2", "pass", "area"), ("gia_dat_vnd_m2", "pass", "money"),
            ("tong_gia_tri", "pass", "money"), ("ma_xa", "pass", "code"),
            ("muc_dich_su_dung", "pass", "text"), ("chu_su_dung", "block", "full_name"),
            ("nguoi_su_dung_dat", "block", "full_name"), ("nam_cap_giay", "pass", "date")]
    rows = []
    for i in range(n):
        code, _ = rng.choice(communes)
        rows.append([rng.randint(1, 999), rng.randint(1, 120),
                     f"{rng.randint(40, 5000)}.{rng.randint(0, 9)}", amount(8), amount(11), code,
                     rng.choice(["ODT", "ONT", "CLN", "TMD"]), fake.name(), fake.name(),
                     rng.randint(1995, 2025)])
    write_csv("rw_dat_dai.csv", [c for c, _, _ in cols], rows)
    case("rw_dat_dai.csv", "land", cols)

    # --- schools and health facilities: codes, organisation addresses, budgets ----------
    cols = [("ma_truong", "pass", "code"), ("ma_co_so_kcb", "pass", "code"),
            ("ten_truong", "pass", "text"), ("dia_chi_truong", "pass", "address_org"),
            ("dia_chi_co_so_kcb", "pass", "address_org"), ("so_hoc_sinh", "pass", "count"),
            ("so_giao_vien", "pass", "count"), ("dien_tich_khuon_vien_m2", "pass", "area"),
            ("kinh_phi_nam", "pass", "money"), ("ma_qhns", "pass", "code"),
            ("so_quyet_dinh", "pass", "code"), ("hotline_truong", "pass", "code"),
            ("dien_thoai_truong", "block", "phone"), ("email_truong", "block", "email")]
    rows = []
    for i in range(n):
        code, name = rng.choice(communes)
        rows.append([f"48{rng.choice(['HC', 'TK', 'LC', 'ST'])}{rng.randint(1, 999):04d}",
                     f"48{rng.randint(0, 999):03d}", f"Trường Tiểu học {fake.last_name()}",
                     f"{rng.randint(1, 300)} {fake.street_name()}, {name}",
                     f"{rng.randint(1, 300)} {fake.street_name()}, {name}",
                     rng.randint(200, 2500), rng.randint(10, 120),
                     f"{rng.randint(2000, 40000)}.{rng.randint(0, 9)}", amount(9),
                     str(rng.randint(1000000, 1999999)), f"{rng.randint(1, 999)}/QĐ-SGDĐT",
                     f"1900 {rng.randint(1000, 9999)}", landline(rng.randint(0, 1)),
                     f"c1{fake.user_name()}@danang.edu.vn"])
    write_csv("rw_truong_co_so.csv", [c for c, _, _ in cols], rows)
    case("rw_truong_co_so.csv", "education", cols)

    # --- an Excel workbook with typed cells, two sheets ----------------------------------
    book = Workbook()
    first = book.active
    first.title = "Doanh nghiệp"
    cols1 = [("ma_so_thue", "pass", "code"), ("von_dieu_le", "pass", "money"),
             ("so_lao_dong", "pass", "count"), ("ngay_thanh_lap", "pass", "date"),
             ("ty_le_von_nha_nuoc", "pass", "rate")]
    first.append([c for c, _, _ in cols1])
    for _ in range(n):
        first.append([int("04" + f"{rng.randint(0, 99999999):08d}"), amount(9),
                      rng.randint(1, 500), datetime(rng.randint(2000, 2025), 1, 1),
                      rng.random()])
    second = book.create_sheet("Người đại diện")
    cols2 = [("cot_a", "block", "cccd_numeric"), ("thong_tin_lien_lac", "block", "cmnd"),
             ("ngay_sinh", "block", "date_of_birth"), ("ma_xa", "pass", "code"),
             ("so_tien_gop", "pass", "money")]
    second.append([c for c, _, _ in cols2])
    for _ in range(n):
        code, _ = rng.choice(communes)
        second.append([int(cccd()), int(mobile()), datetime(rng.randint(1950, 2000), 5, 17),
                       int(code), float(amount(9))])
    book.save(here / "rw_typed_cells.xlsx")
    # one manifest case per sheet: the gate checks every sheet, the CLI the one it is told
    case("rw_typed_cells.xlsx", "enterprise", cols1, sheet="Doanh nghiệp")
    case("rw_typed_cells.xlsx", "enterprise", cols2, sheet="Người đại diện")

    # --- NUMERIC columns: loaded into PostgreSQL by tests/gate/test_gate_corpus.py ---------
    cols = [("ma_xa", "pass", "code"), ("truong_b", "block", "cccd_numeric"),
            ("von_dieu_le", "pass", "money"), ("dien_tich_ha", "pass", "area"),
            ("so_dan", "pass", "count"), ("ma_ho_so", "block", "cccd_numeric"),
            ("doanh_thu", "pass", "money"), ("he_so", "pass", "rate")]
    rows = []
    for _ in range(n):
        code, _ = rng.choice(communes)
        rows.append([code, cccd().lstrip("0"), f"{amount(9)}.00", f"{rng.randint(1, 900)}.25",
                     rng.randint(100, 90000), cccd().lstrip("0"), f"{amount(9)}.50",
                     f"{rng.random():.4f}"])
    write_csv("rw_pg_numeric.csv", [c for c, _, _ in cols], rows)
    case("rw_pg_numeric.csv", "enterprise", cols,
         pg_types={"ma_xa": "text", "truong_b": "numeric", "von_dieu_le": "numeric(18,2)",
                   "dien_tich_ha": "numeric(12,2)", "so_dan": "numeric", "ma_ho_so": "numeric",
                   "doanh_thu": "numeric(18,2)", "he_so": "numeric(8,4)"})

    # --- column names from real forms and open-data tables --------------------------------
    personal = [
        ("Họ và tên chủ hộ", "full_name", fake.name), ("Họ, chữ đệm và tên", "full_name", fake.name),
        ("Tên người nộp đơn", "full_name", fake.name), ("Người liên hệ", "full_name", fake.name),
        ("Số CMND/CCCD", "citizen_id", cccd), ("Số định danh cá nhân", "citizen_id", cccd),
        ("CCCD người đại diện", "citizen_id", cccd), ("Ngày tháng năm sinh", "date_of_birth",
                                                     lambda: fake.date_of_birth().isoformat()),
        ("Sinh ngày", "date_of_birth", lambda: fake.date_of_birth().isoformat()),
        ("Nơi thường trú", "address", fake.address), ("Địa chỉ tạm trú", "address", fake.address),
        ("Quê quán", "address", fake.province), ("Số điện thoại liên hệ", "phone", mobile),
        ("ĐTDĐ", "phone", mobile), ("Zalo", "phone", mobile), ("SĐT người bệnh", "phone", mobile),
        ("Địa chỉ email", "email", fake.email), ("Hộp thư", "email", fake.email),
        ("Số thẻ BHYT", "health_insurance", bhyt), ("Mã số BHXH", "health_insurance",
                                                    lambda: f"{rng.randint(0, 10**10 - 1):010d}"),
        ("Số hộ chiếu", "passport", passport), ("Biển kiểm soát", "licence_plate", gen["plate"]),
        ("Biển số xe", "licence_plate", gen["plate"]),
        ("Số tài khoản ngân hàng", "bank_account", lambda: f"{rng.randint(10**9, 10**13)}"),
        ("Mã bệnh nhân", "patient_id", lambda: f"BN{rng.randint(1, 99999):05d}"),
        ("Số hồ sơ bệnh án", "patient_id", lambda: f"HS{rng.randint(1, 99999):05d}"),
        ("Mã học sinh", "person_id", lambda: f"{rng.randint(10**9, 10**10 - 1)}"),
        ("Mã nhân viên", "person_id", lambda: f"NV{rng.randint(1, 9999):04d}"),
        ("Mã số thuế cá nhân", "personal_tax_code", cccd), ("Số giấy tờ tùy thân", "cmnd", cmnd),
        ("Mã định danh", "cccd", cccd), ("Ghi chú", "phone", lambda: f"gọi {mobile(1)}"),
        ("Nội dung liên hệ", "email", lambda: f"gửi {fake.email()} trước 5/12"),
        ("Thông tin thêm", "cccd", lambda: f"CCCD {cccd(1)}"),
        ("Tên chủ sử dụng đất", "full_name", fake.name), ("Tên giáo viên", "full_name", fake.name),
        ("Ngày sinh (dd/mm/yyyy)", "date_of_birth",
         lambda: fake.date_of_birth().strftime("%d/%m/%Y")),
        ("Mobile phone", "phone", mobile), ("Home address", "address", fake.address),
        ("Patient name", "full_name", fake.name),
        ("Họ tên người đại diện", "full_name", fake.name),
        ("Email cá nhân", "email", fake.email), ("Số ĐT", "phone", lambda: mobile(2)),
        ("Điện thoại cố định", "phone", lambda: landline(1)),
        ("Số căn cước", "citizen_id", lambda: cccd(2)),
        ("Phản ánh của người dân", "phone", lambda: f"Liên hệ chị {fake.first_name()} "
                                                      f"{mobile(1)} sau 17h"),
        ("Ý kiến", "email", lambda: f"Vui lòng phản hồi qua {fake.email()}."),
        ("Nơi sinh", "address", fake.province),
    ]
    header = [name for name, _, _ in personal]
    rows = [[make() for _, _, make in personal] for _ in range(60)]
    write_csv("rw_personal_headers.csv", header, rows)
    cases.append({"file": "rw_personal_headers.csv", "dataset_type": "population", "privacy": {},
                  "expect": {h: "block" for h in header},
                  "classes": {name: kind for name, kind, _ in personal}})

    public = [
        ("Tổng số dân", "count", lambda: rng.randint(1000, 200000)),
        ("Diện tích (km2)", "area", lambda: f"{rng.randint(1, 900)}.{rng.randint(0, 99)}"),
        ("Mật độ dân số (người/km2)", "rate", lambda: rng.randint(100, 20000)),
        ("Số hộ nghèo", "count", lambda: rng.randint(0, 900)),
        ("Tỷ lệ hộ nghèo (%)", "rate", lambda: f"{rng.random() * 10:.2f}"),
        ("Giá trị sản xuất công nghiệp (triệu đồng)", "money", lambda: amount(9)),
        ("Tổng vốn đầu tư (đồng)", "money", lambda: amount(11)),
        ("Thu ngân sách (nghìn đồng)", "money", lambda: amount(9)),
        ("Chi phí bồi thường (đồng)", "money", lambda: amount(9)),
        ("Kinh phí hỗ trợ", "money", lambda: amount(9)),
        ("Thu nhập bình quân đầu người (đồng/tháng)", "money", lambda: amount(8)),
        ("Giá trị hợp đồng", "money", lambda: amount(10)),
        ("Doanh thu du lịch (đồng)", "money", lambda: amount(11)),
        ("Số lượt khách", "count", lambda: amount(9)), ("Số lượt khám bệnh", "count",
                                                        lambda: amount(9)),
        ("Dân số trung bình", "count", lambda: rng.randint(10**5, 10**6)),
        ("Diện tích gieo trồng (ha)", "area", lambda: f"{rng.randint(1, 9000)}.5"),
        ("Diện tích sàn xây dựng (m2)", "area", lambda: amount(9)),
        ("Sản lượng (tấn)", "count", lambda: f"{rng.randint(1, 9000)}.{rng.randint(0, 9)}"),
        ("Số giường bệnh", "count", lambda: rng.randint(10, 1500)),
        ("Mã xã", "code", lambda: rng.choice(communes)[0]),
        ("Mã đơn vị hành chính", "code", lambda: rng.choice(communes)[0]),
        ("Mã số doanh nghiệp", "code", lambda: "04" + f"{rng.randint(0, 99999999):08d}"),
        ("Mã số thuế", "code", lambda: "04" + f"{rng.randint(0, 99999999):08d}"),
        ("Mã ngành VSIC", "code", lambda: rng.choice(["01110", "47110", "C1071"])),
        ("Mã trường", "code", lambda: f"48{rng.randint(1, 999):04d}"),
        ("Mã cơ sở khám chữa bệnh", "code", lambda: f"48{rng.randint(1, 999):03d}"),
        ("Mã dự án", "code", lambda: f"DA-{rng.randint(2015, 2025)}-{rng.randint(1, 999):03d}"),
        ("Số hiệu văn bản", "code", lambda: f"{rng.randint(1, 9999)}/QĐ-UBND"),
        ("Năm", "date", lambda: rng.randint(2015, 2025)),
        ("Ngày cập nhật", "date", lambda: f"2025-{rng.randint(1, 12):02d}-01"),
        ("Kỳ báo cáo", "date", lambda: f"Q{rng.randint(1, 4)}/2025"),
        ("Tên xã, phường", "text", lambda: rng.choice(communes)[1]),
        ("Tên doanh nghiệp", "text", lambda: f"Công ty CP {fake.last_name()}"),
        ("Tên cơ sở y tế", "text", lambda: f"Trạm y tế {rng.choice(communes)[1]}"),
        ("Địa chỉ trụ sở chính", "address_org", fake.address),
        ("Địa chỉ cơ sở sản xuất", "address_org", fake.address),
        ("Loại hình doanh nghiệp", "text", lambda: rng.choice(["TNHH", "CP", "DNTN"])),
        ("Tình trạng hoạt động", "text", lambda: rng.choice(["Đang hoạt động", "Giải thể"])),
        ("Ghi chú nguồn số liệu", "text", lambda: f"Niên giám thống kê {rng.randint(2015, 2025)}"),
        ("Vĩ độ", "rate", lambda: f"16.{rng.randint(10**6, 10**7 - 1)}"),
        ("Kinh độ", "rate", lambda: f"108.{rng.randint(10**6, 10**7 - 1)}"),
        ("Tỷ lệ tiêm chủng (%)", "rate", lambda: f"{rng.random() * 100:.1f}"),
        ("Số ca mắc", "count", lambda: rng.randint(0, 500)),
        ("Số trẻ em dưới 5 tuổi", "count", lambda: rng.randint(0, 5000)),
        ("Tổng đài hỗ trợ", "code", lambda: f"1900 {rng.randint(1000, 9999)}"),
        ("Đường dây nóng", "code", lambda: f"1800 {rng.randint(1000, 9999)}"),
        ("Năm thành lập", "date", lambda: rng.randint(1975, 2025)),
        ("Số nhà ở xã hội", "count", lambda: rng.randint(0, 2000)),
        ("Giá bán bình quân (đồng/m2)", "money", lambda: amount(8)),
        ("Vốn điều lệ (VNĐ)", "money", lambda: amount(9)),
        ("Vốn chủ sở hữu", "money", lambda: amount(9)),
        ("Tổng tài sản", "money", lambda: amount(11)),
        ("Tiền thuê đất", "money", lambda: amount(9)),
        ("Lợi nhuận sau thuế", "money", lambda: amount(9)),
        ("Số lao động nữ", "count", lambda: rng.randint(0, 900)),
        ("Mã hồ sơ thủ tục", "code", lambda: f"H17.48-{rng.randint(240101, 241231)}-"
                                             f"{rng.randint(1, 9999):04d}"),
        ("Số thửa đất", "code", lambda: rng.randint(1, 999)),
        ("Diện tích thửa (m2)", "area", lambda: f"{rng.randint(40, 9000)}.{rng.randint(0, 9)}"),
        ("Giá trị quyết toán", "money", lambda: amount(9)),
        ("Nguồn vốn ngân sách (đồng)", "money", lambda: amount(9)),
        ("Tổng mức đầu tư", "money", lambda: amount(11)),
        ("Diện tích rừng (ha)", "area", lambda: f"{rng.randint(1, 90000)}.{rng.randint(0, 9)}"),
        ("Số học sinh tốt nghiệp", "count", lambda: rng.randint(0, 3000)),
        ("Nội dung phản ánh (đã ẩn thông tin cá nhân)", "text",
         lambda: f"Đèn đường kiệt {rng.randint(1, 300)} hỏng từ ngày "
                 f"{rng.randint(1, 28)}/{rng.randint(1, 12)}/2025, đã báo tổng đài 1022."),
        ("Mã giao dịch", "code", lambda: f"GD{rng.randint(10**5, 10**6 - 1)}"),
        ("Số hiệu tuyến xe buýt", "code", lambda: f"R{rng.randint(1, 30)}"),
        ("Mã trạm quan trắc", "code", lambda: f"QT-{rng.randint(1, 99):02d}"),
        ("Chỉ số AQI", "rate", lambda: rng.randint(10, 300)),
        ("Lượng mưa (mm)", "count", lambda: f"{rng.randint(0, 900)}.{rng.randint(0, 9)}"),
    ]
    header = [name for name, _, _ in public]
    rows = [[make() for _, _, make in public] for _ in range(80)]
    write_csv("rw_public_headers.csv", header, rows)
    cases.append({"file": "rw_public_headers.csv", "dataset_type": "enterprise", "privacy": {},
                  "expect": {h: "pass" for h in header},
                  "classes": {name: kind for name, kind, _ in public}})
    return cases
