"""Microdata (k-anonymity) check: quasi-identifiers from headers and values, microdata vs
aggregates, the verdict through the guard and the gate, the stored report, the bound on
classes. Pure: the real Guard/TableCheck on rows built here."""
from __future__ import annotations

import random

import pytest

from ckanext.smartcity.privacy import microdata
from ckanext.smartcity.privacy.checkpoint import check_rows, policy_for
from ckanext.smartcity.privacy.generalise import plan_generalisation
from ckanext.smartcity.privacy.microdata import MicrodataCheck, quasi_identifier_kind
from ckanext.smartcity.privacy.policy import PrivacyError
from ckanext.smartcity.privacy.record import PrivacyReport

COMMUNES = ["Hòa Khánh Bắc", "Hòa Minh", "Thanh Khê Tây", "Hòa Cường Nam", "Hòa Bắc",
            "Hòa Phước", "Thạch Thang", "An Hải Bắc"]
JOBS = ["Nông dân", "Giáo viên", "Công nhân", "Buôn bán", "Nội trợ", "Học sinh"]
HEADER = ["Tuổi", "Giới tính", "Xã", "Nghề nghiệp", "Kết quả xét nghiệm"]


def people(n: int = 250, seed: int = 7) -> list[tuple]:
    """One row per person: exact age, sex, commune, occupation, a test result."""
    rnd = random.Random(seed)
    return [(str(rnd.randint(1, 90)), rnd.choice(["Nam", "Nữ"]), rnd.choice(COMMUNES),
             rnd.choice(JOBS), rnd.choice(["Dương tính", "Âm tính"])) for _ in range(n)]


@pytest.mark.parametrize("header,kind", [
    ("Tuổi", "age"), ("do_tuoi", "age"), ("Nhóm tuổi", "age"), ("AGE", "age"),
    ("Năm sinh", "year_of_birth"), ("nam_sinh", "year_of_birth"),
    ("Ngày sinh", "date_of_birth"), ("DOB", "date_of_birth"),
    ("Giới tính", "sex"), ("gender", "sex"), ("Dân tộc", "ethnicity"),
    ("Quốc tịch", "nationality"), ("Tình trạng hôn nhân", "marital_status"),
    ("Trình độ học vấn", "education"), ("Nghề nghiệp", "occupation"), ("Tôn giáo", "religion"),
    ("Xã", "area"), ("ten_phuong", "area"), ("Quận", "area"), ("Quận/Huyện", "area"),
    ("Tổ dân phố", "area"), ("ward", "area"),
])
def test_quasi_identifier_headers(header, kind):
    assert quasi_identifier_kind(header) == kind


@pytest.mark.parametrize("header", [
    "Số ca mắc", "so_ca", "Tổng số", "Bảo hiểm xã hội", "Phương tiện", "Cơ quan",
    "Biên giới", "Diện tích tưới", "Ngành nghề kinh doanh", "Làng nghề", "Kết quả",
    "ten_doanh_nghiep", "so_luong_nam_sinh_2000",
])
def test_look_alike_headers_are_no_quasi_identifiers(header):
    assert quasi_identifier_kind(header) is None


def test_microdata_refused_naming_columns_and_share_never_a_value():
    rows = people()
    checked = check_rows(HEADER, rows, {"type": "health"}, where="ca_benh.csv")
    verdict = checked.verdict
    assert verdict.refused and verdict.reason == "personal_data"
    md = verdict.report.microdata
    assert md.blocked and md.k == 10 and md.reason == "detected"
    assert md.quasi_identifiers == ("Tuổi", "Giới tính", "Xã", "Nghề nghiệp")
    assert md.share_below_k > 0.9 and md.smallest_class == 1
    msg = verdict.message
    for column in md.quasi_identifiers:
        assert f"«{column}»" in msg and f"'{column}'" in msg
    assert f"{md.share_below_k:.1%}" in msg and "k = 10" in msg
    assert "--generalise" in msg and "ca_benh.csv" in msg
    for value in {v for row in rows for v in row[1:]}:
        assert value not in msg
    assert {f.detector for f in verdict.findings} == {"microdata:k_anonymity"}


def test_same_table_passes_when_every_class_holds_k():
    rows = [(a, s, c, "x") for a in ("20-29", "30-39") for s in ("Nam", "Nữ")
            for c in COMMUNES[:2] for _ in range(10)]
    checked = check_rows(["Nhóm tuổi", "Giới tính", "Xã", "Kết quả"], rows,
                         {"type": "health"})
    assert not checked.verdict.refused, checked.verdict.message
    md = checked.verdict.report.microdata
    assert md.status == "passed" and md.smallest_class == 10 and md.share_below_k == 0
    # one person more in a new class breaks it
    checked = check_rows(["Nhóm tuổi", "Giới tính", "Xã", "Kết quả"],
                         rows + [("40-49", "Nam", COMMUNES[0], "x")], {"type": "health"})
    assert checked.verdict.refused
    assert checked.verdict.report.microdata.rows_below_k == 1


def test_sex_found_from_values_under_a_neutral_header():
    rows = [(r[0], r[1], r[4]) for r in people()]
    checked = check_rows(["Tuổi", "cot_b", "ket_qua"], rows, {"type": "health"})
    assert checked.verdict.refused
    assert checked.verdict.report.microdata.quasi_identifiers == ("Tuổi", "cot_b")


def test_aggregates_by_birth_cohort_pass():
    rows = [(y, s, c, str(1000 + i)) for i, (y, s, c) in enumerate(
        (y, s, c) for y in range(1950, 2010) for s in ("Nam", "Nữ") for c in COMMUNES)]
    header = ["Năm sinh", "Giới tính", "Xã", "Số người"]
    checked = check_rows(header, rows, {"type": "population"})
    assert not checked.verdict.refused, checked.verdict.message
    assert checked.verdict.report.microdata.reason == "aggregate"
    # declared count columns: the small-cell rule applies, not k-anonymity
    checked = check_rows(header, rows, {"type": "population", "count_columns": "Số người"})
    assert not checked.verdict.refused
    assert checked.verdict.report.microdata.reason == "count_columns"


def test_a_persons_own_small_numbers_do_not_make_an_aggregate():
    rnd = random.Random(5)
    rows = [r[:4] + (str(rnd.randint(0, 4)), str(rnd.randint(1, 6))) for r in people()]
    header = HEADER[:4] + ["Số con", "Số nhân khẩu"]
    checked = check_rows(header, rows, {"type": "population"})
    assert checked.verdict.refused
    assert checked.verdict.report.microdata.reason == "detected"


def test_an_area_alone_is_no_microdata():
    rows = [(c, f"Trường {i}", "Công lập") for i, c in enumerate(COMMUNES * 3)]
    checked = check_rows(["Phường", "Tên trường", "Loại hình"], rows, {"type": "education"})
    assert not checked.verdict.refused
    assert checked.verdict.report.microdata.reason == "few_quasi_identifiers"


def test_declared_quasi_identifiers_are_used_and_must_exist():
    rows = [(r[0], r[3], r[4]) for r in people()]
    header = ["cot_a", "Nghề nghiệp", "Kết quả"]
    # nothing found by itself (one kind), declared: checked
    assert not check_rows(header, rows, {"type": "health"}).verdict.refused
    dataset = {"type": "health", "quasi_identifiers": "cot_a, nghe_nghiep"}
    # resolved by the one resolver of declared columns (header, generated id or label)
    assert policy_for(dataset, header).quasi_identifiers == ("cot_a", "Nghề nghiệp")
    checked = check_rows(header, rows, dataset)
    assert checked.verdict.refused
    assert checked.verdict.report.microdata.declared
    assert checked.verdict.report.microdata.quasi_identifiers == ("cot_a", "Nghề nghiệp")
    checked = check_rows(header, rows, {"type": "health", "quasi_identifiers": ["tuoi"]})
    assert checked.verdict.refused and checked.verdict.reason == "policy"
    assert "quasi_identifiers" in checked.verdict.message and "'tuoi'" in checked.verdict.message


def test_report_round_trip_and_sentences():
    verdict = check_rows(HEADER, people(), {"type": "health"}).verdict
    record = verdict.report
    again = PrivacyReport.from_dict(record.to_json())
    assert again == record and again.microdata.to_dict() == record.microdata.to_dict()
    vi, en = record.summary("vi"), record.summary("en")
    assert "k-ẩn danh, k = 10" in vi and "«Tuổi»" in vi
    assert "k-anonymity, k = 10" in en and "NOT published" in en
    passed = check_rows(["ma_xa", "so_ca"], [("20194", "12")], {"type": "health"}).verdict
    assert "Microdata check ran" in passed.report.summary("en")
    assert "Đã kiểm tra dữ liệu vi mô" in passed.report.summary("vi")


def test_classes_bounded_fail_closed(monkeypatch):
    monkeypatch.setattr(microdata, "MAX_CLASSES", 100)
    check = MicrodataCheck(["Tuổi", "Giới tính"], 5)
    check.feed([[str(i) for i in range(500)], ["Nam"] * 500])
    result = check.result()
    assert result.blocked and result.overflow and result.share_below_k is None
    assert len(check._classes) == 0


def test_generalise_reaches_k_and_the_result_passes():
    rows = people()
    md = check_rows(HEADER, rows, {"type": "health"}).verdict.report.microdata
    plan = plan_generalisation(HEADER, rows, 10, md.quasi_identifiers)
    assert plan.satisfied and plan.smallest_class >= 10
    # 250 people over 8 communes and 6 jobs: the cheapest way to k drops two columns
    assert plan.changes and len(plan.dropped) < len(md.quasi_identifiers)
    safe = [plan.apply(r) for r in rows]
    assert not check_rows(plan.header, safe, {"type": "health"}).verdict.refused


def test_generalise_dates_of_birth_bands_and_districts_before_dropping():
    rnd = random.Random(3)
    communes = ["Hòa Minh", "Hòa Khánh Bắc", "Thạch Thang", "Thuận Phước", "An Hải Bắc",
                "Mân Thái"]  # pre-2025 wards of Liên Chiểu, Hải Châu, Sơn Trà
    rows = [(f"{rnd.randint(1, 28):02d}/{rnd.randint(1, 12):02d}/{rnd.randint(1940, 2009)}",
             rnd.choice(["Nam", "Nữ"]), rnd.choice(communes)) for _ in range(2000)]
    header = ["Ngày sinh", "Giới tính", "Phường"]
    before = check_rows(header, rows, {"type": "health"}).verdict
    assert before.refused  # a date of birth is an identifier, and k fails on it
    plan = plan_generalisation(header, rows, 10, header)
    assert plan.satisfied and not plan.dropped
    assert plan.header[0] in ("Năm sinh", "Nhóm năm sinh") and "Ngày sinh" not in plan.header
    safe = [plan.apply(r) for r in rows]
    assert all("/" not in str(r[0]) for r in safe)
    if "Quận/Huyện" in plan.header:
        assert {r[2] for r in safe} == {"Quận Liên Chiểu", "Quận Hải Châu", "Quận Sơn Trà"}
    after = check_rows(plan.header, safe, {"type": "health"}).verdict
    assert not after.refused, after.message
    assert after.report.microdata.status == "passed"


def test_generalise_coarsens_communes_to_districts():
    rows = [(c, s) for c in ["Hòa Minh", "Hòa Khánh Bắc", "Thạch Thang", "Thuận Phước"]
            for s in ("Nam", "Nữ") for _ in range(6)]
    plan = plan_generalisation(["Phường", "Giới tính"], rows, 10, ["Phường", "Giới tính"])
    assert plan.satisfied and plan.header == ["Quận/Huyện", "Giới tính"]
    assert {plan.apply(r)[0] for r in rows} == {"Quận Liên Chiểu", "Quận Hải Châu"}
