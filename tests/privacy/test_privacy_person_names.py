"""People's names in values (privacy/person_names.py) through the real guard: name columns and
names in text block; streets, schools, places, organisations and aggregates pass."""
from __future__ import annotations

import json

import pytest

from ckanext.smartcity.privacy import Guard, Policy
from ckanext.smartcity.privacy.person_names import (
    NAME_IN_TEXT, PERSON_NAME, gazetteer, is_person_name, names_in_text, place_context)

PEOPLE = ["Nguyễn Văn An", "Trần Thị Hoa", "Lê Hữu Phước", "Phạm Ngọc Lan", "Huỳnh Tấn Phát Đạt",
          "Võ Thị Thu Hà", "Đặng Minh", "Bùi Quốc Cường", "Tôn Nữ Thị Minh Châu", "Lương Văn Tám",
          "Quách Thị Mỹ Linh", "Hồ Đức Vinh", "Ngô Gia Bảo", "Dương Thị Yến", "Lý Công Hải",
          "Phan Thanh Tùng", "Đỗ Thị Nga", "Mạc Văn Sơn", "Kiều Thị Loan", "Trịnh Xuân Nam"]


def _verdict(header: str, values: list[object], **privacy) -> dict[str, tuple[str, str]]:
    guard = Guard(["STT", header], Policy.from_spec(privacy, dataset_type="population"))
    guard.scan([(i + 1, v) for i, v in enumerate(values)])
    report = guard.finish()
    return {f.column: (f.detector, f.action) for f in report.findings
            if f.detector in (PERSON_NAME, NAME_IN_TEXT)}


@pytest.mark.parametrize("value", [
    "Nguyễn Văn An", "NGUYỄN VĂN AN", "Nguyen Van An", "NGUYEN VAN AN", "nguyễn thị hoa",
    "Lê Na", "Tôn Nữ Thị Minh Châu", "Quách Thị Mỹ Linh", "  Trần   Thị Hoa "])
def test_a_personal_name_has_the_shape(value):
    assert is_person_name(value)


@pytest.mark.parametrize("value", [
    "Công ty TNHH Sông Hàn", "Trường THCS Nguyễn Huệ", "Bệnh viện Đà Nẵng", "Hải Châu",
    "Ngũ Hành Sơn", "2 Tháng 9", "Cầu Rồng", "Chợ Hàn", "Điện Biên Phủ", "Hùng Vương",
    "Nguyễn", "Xây dựng dân dụng", "Nguyễn Văn An, tổ 5", "Số 12 Trần Phú"])
def test_not_a_personal_name(value):
    assert not is_person_name(value)


def test_streets_named_after_people_are_in_the_gazetteer():
    for street in ("nguyen van linh", "tran phu", "le duan", "vo nguyen giap", "bach dang",
                   "nguyen hue", "hai chau", "ngu hanh son", "bv da nang" if False else "cau rong"):
        assert street in gazetteer()


@pytest.mark.parametrize("header", ["Người nhận", "Đối tượng", "Học sinh", "Giáo viên chủ nhiệm",
                                    "Người nộp thuế", "cot_b", "Column C"])
def test_a_column_of_names_blocks_under_any_header(header):
    assert _verdict(header, PEOPLE) == {header: (PERSON_NAME, "block")}
    ascii_upper = [json.dumps(p, ensure_ascii=True) and p for p in PEOPLE]
    assert _verdict(header, [p.upper() for p in ascii_upper])[header][1] == "block"


def test_allow_columns_publishes_names_on_purpose():
    assert _verdict("Người đại diện theo pháp luật", PEOPLE, allow_columns=[
        "Người đại diện theo pháp luật"])["Người đại diện theo pháp luật"] == (
        PERSON_NAME, "allowed")


@pytest.mark.parametrize("header,values", [
    ("cot_c", ["Nguyễn Văn Linh", "Trần Phú", "Lê Duẩn", "Võ Nguyên Giáp", "Bạch Đằng",
               "Phan Châu Trinh", "Hùng Vương", "Lê Lợi", "Nguyễn Chí Thanh", "Hoàng Diệu"] * 2),
    ("Tên đường", ["Lê Đức Thọ", "Phạm Thế Hiển", "Lê Quang Định", "Lê Văn Việt"] * 5),
    ("ten_truong", ["Trường THCS Nguyễn Huệ", "Trường THPT Phan Châu Trinh",
                    "Trường Tiểu học Lê Văn Tám"] * 5),
    ("Tên ngắn", ["Nguyễn Huệ", "Lê Quý Đôn", "Phan Châu Trinh", "Võ Thị Sáu", "Nguyễn Trãi"] * 4),
    ("Phường/xã", ["Hải Châu", "Ngũ Hành Sơn", "Sơn Trà", "Hòa Khánh", "An Hải"] * 4),
    ("Tên doanh nghiệp", ["Công ty TNHH Sông Hàn", "Doanh nghiệp tư nhân Nguyễn Hoàng",
                          "Công ty CP Xây dựng Trần Đức"] * 5),
    ("Địa điểm", ["Cầu Rồng", "Bà Nà Hills", "Chùa Linh Ứng", "Bệnh viện Đà Nẵng"] * 5),
    ("Năm sinh", ["1980-1984", "1985-1989", "1990-1994"] * 5),
])
def test_look_alikes_pass(header, values):
    assert _verdict(header, values) == {}


def test_a_name_after_an_honorific_blocks_text():
    texts = ["Đèn đường hỏng trên đường Nguyễn Văn Linh."] * 30 + [
        "Bà Trần Thị Mai ở tổ 5 phản ánh đèn đường hỏng"]
    assert _verdict("Nội dung", texts) == {"Nội dung": (NAME_IN_TEXT, "block")}
    for text in ("bệnh nhân Lê Văn Tám nhập viện lúc 3h", "Làm việc với chủ hộ Phan Thị Lụa",
                 "Anh Nguyen Phuoc Dinh bi mat xe may", "Em Đỗ Gia Bảo lớp 7/2 đạt giải Nhất",
                 "Cử tri Hồ Văn Lợi hỏi về dự án"):
        assert names_in_text(text)[0] == 1, text


@pytest.mark.parametrize("text", [
    "Ngập nước tại đường Ông Ích Khiêm đoạn gần Bà Nà Hills",
    "Học sinh Trường THCS Nguyễn Huệ phản ánh thiếu đèn trên đường Trần Phú",
    "Bà con khu vực Chợ Hàn đề nghị thêm thùng rác trên đường Lê Duẩn",
    "Kiểm tra cầu Trần Thị Lý và nút giao Nguyễn Văn Linh - Hàm Nghi",
    "Công ty TNHH Sông Hàn xả thải ra sông", "Số 48 Phạm Văn Đồng, phường Bà Nà, Đà Nẵng",
    "TỔNG CÔNG TY ĐIỆN LỰC MIỀN TRUNG", "Phường Bà Nà, gần Chùa Linh Ứng",
])
def test_places_in_text_are_not_names(text):
    assert names_in_text(text) == (0, 0)
    assert _verdict("Ghi chú", [text] * 20) == {}


def test_place_context_of_headers():
    for header in ("ten_duong", "Tuyến đường", "Trường", "dia_diem", "Phường", "Doanh nghiệp",
                   "Điểm đầu", "Street name"):
        assert place_context(header), header
    for header in ("Người nhận", "Tổ trưởng", "Trưởng thôn", "Hiệu trưởng", "cot_b", "Học sinh"):
        assert not place_context(header), header


def test_findings_never_hold_a_name():
    guard = Guard(["Người nhận", "Ý kiến"], Policy.from_spec({}))
    guard.scan([(p, f"Chị {p} phản ánh rác") for p in PEOPLE])
    report = guard.finish()
    text = json.dumps(report.to_metadata(), ensure_ascii=False) + report.summary("vi") \
        + report.summary("en") + " ".join(map(str, report.findings))
    assert report.blocked
    assert not [p for p in PEOPLE if p in text]
    assert "Họ tên người cũng đã được tìm" in report.summary("vi")
    assert "People's names were looked for" in report.summary("en")
