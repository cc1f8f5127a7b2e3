"""Small-cell suppression on hand-checked tables, and how k is chosen."""
from __future__ import annotations

import pytest

from ckanext.smartcity.privacy import Guard, Policy, PrivacyError, default_min_cell_size


def run(columns, rows, privacy, dataset_type=None, batch_size=2, dataset_k=None):
    policy = Policy.from_spec(privacy, dataset_type=dataset_type,
                              dataset_min_cell_size=dataset_k)
    guard = Guard(columns, policy)
    for start in range(0, len(rows), batch_size):
        guard.scan(rows[start:start + batch_size])
    report = guard.finish()
    return report, [report.apply(i, row) for i, row in enumerate(rows)]


def test_defaults_per_dataset_type():
    assert default_min_cell_size("health") == 10
    assert default_min_cell_size("population") == 10
    for other in ("land", "enterprise", "education", None):
        assert default_min_cell_size(other) == 5


def test_primary_and_complementary_within_groups_zero_kept():
    cols = ["ma_xa", "nhom_tuoi", "so_ca"]
    rows = [
        ("20194", "0-14", 3),     # primary (1..9)
        ("20194", "15-64", 40),
        ("20194", "65+", 12),     # smallest >= k in the group → complementary
        ("20197", "0-14", 0),     # zero is published
        ("20197", "15-64", 4),    # primary
        ("20197", "65+", 7),      # primary: two in the group, no complementary needed
        ("20200", "0-14", 0),
        ("20200", "15-64", 25),
        ("20200", "65+", 30),     # nothing small: untouched
    ]
    report, out = run(cols, rows, {"count_columns": ["so_ca"], "group_by": ["ma_xa"]},
                      dataset_type="health")
    assert [r[2] for r in out] == [None, 40, None, 0, None, None, 0, 25, 30]
    meta = report.to_metadata()
    assert meta["min_cell_size"] == 10
    assert meta["cells_suppressed"] == {
        "total": 4, "primary": 3, "complementary": 1,
        "per_column": {"so_ca": {"primary": 3, "complementary": 1}},
    }
    assert meta["groups"] == 3 and meta["complementary_unavailable"] == 0


def test_without_group_by_the_whole_table_is_one_group():
    rows = [("a", 2), ("b", 50), ("c", 6), ("d", 9), ("e", 0)]
    report, out = run(["x", "n"], rows, {"count_columns": ["n"]})  # k = 5
    assert [r[1] for r in out] == [None, 50, None, 9, 0]  # 6 = smallest count >= k
    rows = [("a", 2), ("b", 50), ("c", 3)]
    report, out = run(["x", "n"], rows, {"count_columns": ["n"]})
    assert [r[1] for r in out] == [None, 50, None]  # two primaries: no complementary
    assert report.to_metadata()["cells_suppressed"]["complementary"] == 0


def test_complementary_is_per_count_column_and_tie_takes_first_row():
    cols = ["nam", "nam_gioi", "nu_gioi"]
    rows = [(2024, 1, 20), (2024, 8, 20), (2024, 8, 2), (2025, 30, 30)]
    report, out = run(cols, rows, {"count_columns": ["nam_gioi", "nu_gioi"],
                                   "group_by": ["nam"]})
    assert out == [(2024, None, None), (2024, None, 20), (2024, 8, None), (2025, 30, 30)]
    per = report.to_metadata()["cells_suppressed"]["per_column"]
    assert per == {"nam_gioi": {"primary": 1, "complementary": 1},
                   "nu_gioi": {"primary": 1, "complementary": 1}}


def test_complementary_unavailable_is_reported():
    rows = [("a", 3), ("b", 0), ("c", None)]
    report, out = run(["x", "n"], rows, {"count_columns": ["n"]})
    assert out == [("a", None), ("b", 0), ("c", None)]
    assert report.to_metadata()["complementary_unavailable"] == 1


def test_text_counts_from_csv_keep_their_form():
    rows = [("a", "3"), ("b", " 120 "), ("c", ""), ("d", "15.0"), ("e", "0")]
    _, out = run(["x", "n"], rows, {"count_columns": ["n"]})
    assert out == [("a", None), ("b", " 120 "), ("c", ""), ("d", None), ("e", "0")]


def test_min_cell_size_overrides_upward_only():
    spec = {"count_columns": ["n"]}
    rows = [("a", 9), ("b", 11), ("c", 40), ("d", 40)]
    report, out = run(["x", "n"], rows, {**spec, "min_cell_size": 3}, dataset_type="health")
    assert report.policy.min_cell_size == 10
    assert [r[1] for r in out] == [None, None, 40, 40]
    assert any("ignored" in rule for rule in report.to_metadata()["rules"])
    report, out = run(["x", "n"], rows, spec, dataset_type="health", dataset_k=2)
    assert report.policy.min_cell_size == 10
    report, out = run(["x", "n"], rows, {**spec, "min_cell_size": 12}, dataset_type="land")
    assert report.policy.min_cell_size == 12
    assert [r[1] for r in out] == [None, None, 40, 40]
    report, _ = run(["x", "n"], rows, {**spec, "min_cell_size": 12}, dataset_type="land",
                    dataset_k=20)
    assert report.policy.min_cell_size == 20


@pytest.mark.parametrize("privacy, k", [
    ({"min_cell_size": 0}, None), ({"min_cell_size": "abc"}, None),
    ({"min_cell_size": True}, None), ({"count_column": ["n"]}, None),
    ({"group_by": 3}, None), ({}, "x"),
])
def test_bad_policy_is_an_error(privacy, k):
    with pytest.raises(PrivacyError):
        Policy.from_spec(privacy, dataset_min_cell_size=k)


def test_policy_naming_a_missing_column_is_an_error():
    with pytest.raises(PrivacyError) as err:
        Guard(["a", "b"], Policy.from_spec({"count_columns": ["so_ca"]}))
    assert "so_ca" in str(err.value)


def test_non_numeric_count_is_an_error_naming_the_column():
    guard = Guard(["x", "so_ca"], Policy.from_spec({"count_columns": ["so_ca"]}))
    with pytest.raises(PrivacyError) as err:
        guard.scan([("a", "nhiều")])
    assert "so_ca" in str(err.value) and "nhiều" not in str(err.value)


def test_row_of_wrong_width_is_an_error():
    guard = Guard(["x", "n"], Policy.from_spec({}))
    with pytest.raises(PrivacyError):
        guard.scan([("a", 1), ("b",)])


def test_streaming_memory_is_per_group_not_per_row():
    policy = Policy.from_spec({"count_columns": ["n"], "group_by": ["g"]})
    guard = Guard(["g", "n"], policy)
    for start in range(0, 200_000, 10_000):
        guard.scan([(i % 7, (i % 13) + 1) for i in range(start, start + 10_000)])
    report = guard.finish()
    assert report.groups == 7
    assert len(report.complementary) == 0  # many small cells per group: none complementary
    assert report.cells_suppressed == sum(1 for i in range(200_000) if (i % 13) + 1 < 5)


def test_summary_in_both_languages():
    report, _ = run(["x", "n"], [("a", 2), ("b", 50)], {"count_columns": ["n"]})
    vi, en = report.summary("vi"), report.summary("en")
    assert "Bộ lọc quyền riêng tư" in vi and "ô ẩn bổ sung" in vi and "từ 1 đến 4" in vi
    assert "privacy guard" in en and "from 1 to 4" in en
