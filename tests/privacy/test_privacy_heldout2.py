"""Recall and precision on held-out sample 2 (tests/data/privacy/heldout2/: personal names,
free text, gazetteer look-alikes, microdata and aggregate tables), labelled before the name
detector ran on it. Printed per class with

    make test PYTEST_ARGS='tests/privacy/test_privacy_heldout2.py -s -q'

Column cases are scored per column like ``test_privacy_heldout.py``; table cases
(``table``: ``microdata`` / ``aggregate``) by the table's verdict (refused when any column
blocks or the table as a whole is refused). ``KNOWN_MISSES`` / ``KNOWN_TABLE_MISSES`` list
the misses still open (README), so the README and the detectors cannot drift apart silently.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

HELDOUT2 = Path(__file__).resolve().parents[1] / "data" / "privacy" / "heldout2"
CASES = json.loads((HELDOUT2 / "manifest.json").read_text(encoding="utf-8"))["cases"]
COLUMN_CASES = [c for c in CASES if "table" not in c]
TABLE_CASES = [c for c in CASES if "table" in c]
#: Summary groups of the per-column classes.
GROUPS = {
    "names": {"full_name"},
    "free text": {"text_name", "text_place"},
    "look-alikes": {"street", "school", "place", "landmark", "organisation", "hospital"},
}

#: ``file:column expected X, got Y`` of every column miss still open (README).
KNOWN_MISSES: set[str] = {
    'Sheet1_export.csv:Column B expected block, got pass',
    'Sheet1_export.csv:Column C expected block, got pass',
    'bang_tong_hop_xuat_excel.csv:cot_b expected block, got pass',
    'bang_tong_hop_xuat_excel.csv:cot_d expected block, got pass',
    'bien_ban_kiem_tra.csv:Nội dung kiểm tra expected block, got pass',
    'can_bo_thon_to.csv:Trưởng thôn expected block, got pass',
    'can_bo_thon_to.csv:Tổ trưởng expected block, got pass',
    'chi_tra_tro_cap_thang_12.csv:doi_tuong expected block, got pass',
    'chi_tra_tro_cap_thang_12.csv:nguoi_giam_ho expected block, got pass',
    'chuyen_vien_thang_11.csv:Bác sĩ điều trị expected block, got pass',
    'dai_bieu_hoi_nghi_to_dan_pho.csv:Đại biểu expected block, got pass',
    'dang_ky_tiem_chung.csv:Người đăng ký expected block, got pass',
    'dang_ky_tiem_chung.csv:Người được tiêm expected block, got pass',
    'flood_relief_recipients_en.csv:Recipient expected block, got pass',
    'ho_so_mot_cua_tiep_nhan.csv:Cán bộ tiếp nhận expected block, got pass',
    'ho_so_mot_cua_tiep_nhan.csv:Người nộp hồ sơ expected block, got pass',
    'ho_tro_tre_em_hoan_canh.csv:Cha/mẹ expected block, got pass',
    'ho_tro_tre_em_hoan_canh.csv:Con expected block, got pass',
    'hoc_bong_khuyen_hoc_2025.csv:Giáo viên chủ nhiệm expected block, got pass',
    'hoc_bong_khuyen_hoc_2025.csv:Học sinh expected block, got pass',
    'hoi_vien_hoi_nguoi_cao_tuoi.csv:Hội viên expected block, got pass',
    'hoi_vien_hoi_nguoi_cao_tuoi.csv:Người giới thiệu expected block, got pass',
    'ket_qua_thi_vao_lop_10.csv:Thí sinh expected block, got pass',
    'khen_thuong_hoc_sinh.csv:Thành tích expected block, got pass',
    'khen_thuong_van_dong_vien.csv:Huấn luyện viên expected block, got pass',
    'khen_thuong_van_dong_vien.csv:Vận động viên expected block, got pass',
    'mua_he_xanh_2025.csv:Sinh viên expected block, got pass',
    'mua_he_xanh_2025.csv:Tình nguyện viên phụ trách expected block, got pass',
    'nghe_nhan_lang_nghe.csv:Nghệ nhân expected block, got pass',
    'nhan_ho_tro_nha_o.csv:Người nhận thay expected block, got pass',
    'nhan_ho_tro_nha_o.csv:Người xác nhận expected block, got pass',
    'nhan_ho_tro_nha_o.csv:Người đứng tên expected block, got pass',
    'nhan_ho_tro_nha_o.csv:Vợ/chồng expected block, got pass',
    'phan_anh_1022_thang_10.csv:Ghi chú xử lý expected block, got pass',
    'phan_anh_1022_thang_10.csv:Nội dung phản ánh expected block, got pass',
    'phan_anh_1022_thang_11.csv:Nội dung expected block, got pass',
    'qua_tet_nguoi_co_cong.csv:Người có công expected block, got pass',
    'qua_tet_nguoi_co_cong.csv:Thân nhân expected block, got pass',
    'so_quy_chi_hoat_dong.csv:Thủ quỹ expected block, got pass',
    'so_quy_chi_hoat_dong.csv:Tên expected block, got pass',
    'so_theo_doi_y_te.csv:Diễn biến expected block, got pass',
    'thue_khoan_ho_kinh_doanh.csv:Người nộp thuế expected block, got pass',
    'tin_bao_cong_an.csv:Tóm tắt vụ việc expected block, got pass',
    'tro_cap_bao_tro_xa_hoi.csv:Người nhận expected block, got pass',
    'tro_cap_bao_tro_xa_hoi.csv:Đối tượng expected block, got pass',
    'tro_cap_that_nghiep.csv:Người lao động expected block, got pass',
    'xu_phat_trat_tu_do_thi.csv:Người vi phạm expected block, got pass',
    'y_kien_cu_tri.csv:Nội dung chất vấn expected block, got pass',
    'y_kien_cu_tri.csv:Ý kiến expected block, got pass',
}
#: ``file expected microdata|aggregate, got refused|passed`` of every table miss still open.
KNOWN_TABLE_MISSES: set[str] = {
    'benh_nhan_covid_dieu_tri.csv expected microdata, got passed',
    'ca_sot_xuat_huyet_2025.csv expected microdata, got passed',
    'doi_tuong_tro_giup_dot_xuat.csv expected microdata, got passed',
    'hoc_sinh_bo_hoc.csv expected microdata, got passed',
    'ket_qua_tam_soat_ung_thu.csv expected microdata, got passed',
    'khao_sat_muc_song_ho.csv expected microdata, got passed',
    'lao_dong_viec_lam_moi.csv expected microdata, got passed',
    'nguoi_khuyet_tat.csv expected microdata, got passed',
    'nguoi_nghien_cai_nghien.csv expected microdata, got passed',
    'nguoi_nhiem_hiv_dieu_tri.csv expected microdata, got passed',
    'tai_nan_giao_thong_nan_nhan.csv expected microdata, got passed',
    'thai_phu_kham_thai.csv expected microdata, got passed',
    'tre_suy_dinh_duong.csv expected microdata, got passed',
    'xu_ly_vi_pham_nong_do_con.csv expected microdata, got passed',
}


@pytest.fixture(scope="module")
def reports(scan_file, case_key):
    out = {}
    for c in CASES:
        try:
            out[case_key(c)] = scan_file(HELDOUT2 / c["file"], c["privacy"], c["dataset_type"])
        except Exception as exc:  # noqa: BLE001 - a refusal of the whole table is a verdict
            from ckanext.smartcity.privacy.policy import PrivacyError
            if not isinstance(exc, PrivacyError):
                raise
            out[case_key(c)] = exc
    return out


def _ratio(a: int, b: int) -> str:
    return f"{a / b:.3f}" if b else "-"


def test_heldout2_columns(reports, column_verdicts, case_key):
    counts: dict[str, dict[str, int]] = {}
    misses: set[str] = set()
    for case in COLUMN_CASES:
        report = reports[case_key(case)]
        got = {} if isinstance(report, Exception) else column_verdicts(report)
        assert set(got) <= set(case["expect"]), case_key(case)
        for column, expected in case["expect"].items():
            decided = got.get(column, "pass")
            cls = case["classes"][column]
            n = counts.setdefault(cls, {"tp": 0, "fn": 0, "fp": 0, "tn": 0})
            if expected == "block":
                n["tp" if decided == "block" else "fn"] += 1
            else:
                n["fp" if decided == "block" else "tn"] += 1
            if decided != expected:
                misses.add(f"{case['file']}:{column} expected {expected}, got {decided}")
    total = {k: sum(n[k] for n in counts.values()) for k in ("tp", "fn", "fp", "tn")}
    print(f"\nheld-out sample 2: {sum(total.values())} labelled columns, "
          f"positives={total['tp'] + total['fn']} negatives={total['tn'] + total['fp']} "
          f"TP={total['tp']} FN={total['fn']} FP={total['fp']} TN={total['tn']} "
          f"recall={_ratio(total['tp'], total['tp'] + total['fn'])} "
          f"precision={_ratio(total['tp'], total['tp'] + total['fp'])}")
    print(f"{'class':<16}{'TP':>5}{'FN':>5}{'FP':>5}{'TN':>5}{'recall':>9}{'precision':>11}")
    rows = sorted(counts.items()) + [
        (f"[{g}]", {k: sum(counts.get(c, {}).get(k, 0) for c in members)
                    for k in ("tp", "fn", "fp", "tn")}) for g, members in GROUPS.items()]
    for cls, n in rows:
        print(f"{cls:<16}{n['tp']:>5}{n['fn']:>5}{n['fp']:>5}{n['tn']:>5}"
              f"{_ratio(n['tp'], n['tp'] + n['fn']):>9}{_ratio(n['tp'], n['tp'] + n['fp']):>11}")
    for miss in sorted(misses):
        print(f"miss: {miss}")
    assert sum(total.values()) >= 150
    assert misses == KNOWN_MISSES


def test_heldout2_tables(reports, case_key):
    tally = {"microdata": [0, 0], "aggregate": [0, 0]}  # [refused, passed]
    misses: set[str] = set()
    for case in TABLE_CASES:
        report = reports[case_key(case)]
        refused = isinstance(report, Exception) or bool(report.blocking)
        tally[case["table"]][0 if refused else 1] += 1
        if refused != (case["table"] == "microdata"):
            misses.add(f"{case['file']} expected {case['table']}, "
                       f"got {'refused' if refused else 'passed'}")
    (tp, fn), (fp, tn) = tally["microdata"], tally["aggregate"]
    print(f"\nheld-out sample 2 tables: microdata {tp + fn} (refused {tp}), aggregates "
          f"{fp + tn} (refused {fp}); microdata recall={_ratio(tp, tp + fn)} "
          f"precision={_ratio(tp, tp + fp)}")
    for miss in sorted(misses):
        print(f"miss: {miss}")
    assert len(TABLE_CASES) >= 30
    assert misses == KNOWN_TABLE_MISSES


def test_heldout2_findings_name_no_value(reports, case_key):
    from ckanext.smartcity.privacy.files import open_table

    for case in COLUMN_CASES:
        table = open_table(HELDOUT2 / case["file"])
        blocked = [i for i, c in enumerate(table.columns) if case["expect"].get(c) == "block"]
        values = {str(row[i]).strip() for batch in table.batches() for row in batch
                  for i in blocked if len(str(row[i]).strip()) >= 6}
        report = reports[case_key(case)]
        text = str(report) if isinstance(report, Exception) else " ".join(
            str(f) for f in report.findings)
        leaked = [v for v in values if v in text]
        assert not leaked, f"{len(leaked)} held-out value(s) in the findings of {case['file']}"
