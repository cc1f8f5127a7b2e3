"""Declared columns (``count_columns``, ``group_by``, ``allow_columns``) resolve through the
ids and labels the portal generates from a table's header, on every path; one that matches
nothing refuses the table, naming it — never a table published unsuppressed (issue 20)."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import Workbook

from ckanext.smartcity.harvesters.table_source import HarvestTable, Source
from ckanext.smartcity.pipeline.prepare import ImportFailure, prepare
from ckanext.smartcity.privacy import Policy, PrivacyError
from ckanext.smartcity.privacy.command import privacy_scan
from ckanext.smartcity.privacy.checkpoint import POLICY, check_file, check_rows, policy_for
from ckanext.smartcity.privacy.resolve import header_columns, resolve
from ckanext.smartcity.readers.file import FileReader
from ckanext.smartcity.privacy.dictionary import columns_spec

HEADER = ("Mã xã", "Số ca mắc", "Số ca tử vong")
ROWS = [("20194", 3, 0), ("20197", 40, 2), ("20200", 12, 1), ("20203", 55, 15)]
HEALTH = {"type": "health", "count_columns": "so_ca_mac, so_ca_tu_vong"}


def _xlsx(path: Path, header=HEADER, rows=ROWS) -> Path:
    book = Workbook()
    book.active.append(list(header))
    for row in rows:
        book.active.append(list(row))
    book.save(path)
    return path


def test_the_generated_ids_are_those_of_the_upload_dictionary():
    # the resolver reuses the dictionary's ids: what the officer sees in the API
    ids = [c["name"] for c in columns_spec(HEADER)]
    assert ids == ["ma_xa", "so_ca_mac", "so_ca_tu_vong"]
    assert [c.id for c in header_columns(HEADER)] == ids


@pytest.mark.parametrize("declared", [
    "so_ca_mac", "Số ca mắc", "so ca mac", "SỐ CA MẮC", " Số ca mắc "])
def test_a_count_column_is_found_by_header_id_or_tokens(declared):
    policy = policy_for({"type": "health", "count_columns": declared}, HEADER)
    assert policy.count_columns == ("Số ca mắc",)
    assert policy.min_cell_size == 10


def test_labels_vi_and_en_name_a_column():
    # glossary labels (privacy/data/columns.yaml) and dictionary labels given by the caller
    columns = header_columns(["ma_xa", "so_ho_ngheo", "n"], {"n": ["Số người", "People"]})
    assert resolve(["Poor households", "Commune code", "People", "Số người"], columns,
                   "count_columns") == ("so_ho_ngheo", "ma_xa", "n")


def test_a_declared_column_that_matches_nothing_is_an_error_naming_it():
    with pytest.raises(PrivacyError) as err:
        policy_for({"type": "health", "count_columns": "so_ca_mac, so_ca_chet"}, HEADER)
    assert "so_ca_chet" in str(err.value) and "count_columns" in str(err.value)
    assert "/" in str(err.value)  # Vietnamese, then English


def test_an_ambiguous_name_is_an_error_and_the_id_decides():
    header = ["Số ca", "Số ca", "so_ca"]
    assert [c.id for c in header_columns(header)] == ["so_ca", "so_ca_2", "so_ca_3"]
    with pytest.raises(PrivacyError, match="so_ca_2"):
        resolve(["Số ca"], header_columns(header), "count_columns")
    assert resolve(["so_ca_2"], header_columns(header), "count_columns") == ("Số ca",)


def test_check_file_suppresses_the_declared_columns_of_an_xlsx(tmp_path):
    checked = check_file(_xlsx(tmp_path / "ca_benh.xlsx"), HEALTH)
    assert not checked.verdict.refused, checked.verdict.message
    record = checked.verdict.report
    assert record.count_columns == ("Số ca mắc", "Số ca tử vong")
    report = checked.reports[0]
    published = report.apply_batch(0, ROWS)
    # k = 10: every count 1..9 hidden, plus complementary cells; zero stays
    assert all(v is None or v == 0 or v >= 10 for row in published for v in row[1:])
    assert published[0][1] is None and published[1][2] is None and published[0][2] == 0


def test_check_file_refuses_an_unmatched_column_and_still_names_personal_data(tmp_path):
    checked = check_file(_xlsx(tmp_path / "a.xlsx"), {**HEALTH, "count_columns": "so_ca_chet"})
    assert checked.verdict.refused and checked.verdict.reason == POLICY
    assert "so_ca_chet" in checked.verdict.message
    leaky = _xlsx(tmp_path / "b.xlsx", ("Mã xã", "Số điện thoại", "Số ca mắc"),
                  [("20194", "0905123456", 3)])
    checked = check_file(leaky, {**HEALTH, "count_columns": "so_ca_chet"})
    assert checked.verdict.refused
    message = checked.verdict.message
    assert "so_ca_chet" in message and "name:phone" in message
    assert "0905123456" not in message


def test_check_rows_resolves_dictionary_labels_and_refuses_unmatched():
    rows = [("20194", 4), ("20197", 30)]
    checked = check_rows(["ma_xa", "n"], rows, {"type": "health", "count_columns": "Số ca"},
                         labels={"n": ["Số ca", "Cases"]})
    assert checked.rows == [("20194", None), ("20197", None)]
    checked = check_rows(["ma_xa", "n"], rows, {"type": "health", "count_columns": "so_ca"})
    assert checked.verdict.refused and "so_ca" in checked.verdict.message
    assert checked.rows is None


def _cli(*args):
    return CliRunner().invoke(privacy_scan, [str(a) for a in args])


def test_privacy_scan_accepts_the_generated_id_and_refuses_an_unknown_column(tmp_path):
    src = _xlsx(tmp_path / "ca_benh.xlsx")
    out = tmp_path / "sach.csv"
    result = _cli(src, "--dataset-type", "health", "--count-column", "so_ca_mac",
                  "--count-column", "so_ca_tu_vong", "--group-by", "ma_xa", "--output", out)
    assert result.exit_code == 0, result.output
    assert ",3," not in out.read_text(encoding="utf-8-sig")
    for option in ("--count-column", "--group-by", "--allow-column"):
        result = _cli(src, option, "so_ca_chet")
        assert result.exit_code == 2, (option, result.output)
        assert "so_ca_chet" in result.output


def _prepare(folder: Path, privacy: dict) -> object:
    spec = {"name": "ca-benh", "dataset_type": "health", "file": "ca_benh.xlsx",
            "columns": columns_spec(HEADER), "privacy": privacy}
    reader = FileReader(folder.as_uri(), {}, file_roots=str(folder))
    source = Source(id="s", name="Sở Y tế", owner_org="", config={}, user="")
    return prepare(HarvestTable(reader, spec, source), batch_size=100)


def test_a_harvest_spec_names_count_columns_by_published_name_or_label(tmp_path):
    _xlsx(tmp_path / "ca_benh.xlsx")
    prepared = _prepare(tmp_path, {"count_columns": ["so_ca_mac", "Số ca tử vong"],
                                   "group_by": ["ma_xa"]})
    try:
        assert prepared.privacy["count_columns"] == ["Số ca mắc", "Số ca tử vong"]
        text = Path(prepared.csv.path).read_text(encoding="utf-8-sig")
        assert text.splitlines()[1].split(",")[1] == ""  # 3 cases: hidden
    finally:
        prepared.csv.close()
    with pytest.raises(ImportFailure) as err:
        _prepare(tmp_path, {"count_columns": ["so_ca_mac"], "group_by": ["ma_phuong"]})
    assert "privacy.group_by" in str(err.value) and "ma_phuong" in str(err.value)


def test_policy_from_spec_still_rejects_malformed_settings():
    with pytest.raises(PrivacyError):
        Policy.from_spec({"count_columns": [1]})
