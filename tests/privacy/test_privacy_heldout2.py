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
KNOWN_MISSES: set[str] = set()
#: Before the name detector (README): 49 column misses, every personal-name and free-text
#: column but the one under ``Họ tên người bệnh``. The detector's first run then had
#: recall 1.000 and precision 0.926 — these four false blocks, fixed afterwards (so the
#: figures after them are no longer a held-out measure):
FIXED_AFTER_FIRST_RUN = (
    "bien_ban_kiem_tra.csv:Kiến nghị expected pass, got block",
    "doanh_nghiep_moi_thanh_lap.csv:TEN_DN_KHONG_DAU expected pass, got block",
    "phan_anh_1022_thang_11.csv:Mô tả sự việc expected pass, got block",
    "tin_bao_cong_an.csv:Địa bàn expected pass, got block",
)
#: ``file expected microdata|aggregate, got refused|passed`` of every table miss still open.
KNOWN_TABLE_MISSES: set[str] = set()


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
