"""``privacy-scan``: real files in tmp_path, CliRunner and once as a real subprocess."""
from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import Workbook

from ckanext.smartcity.privacy.command import privacy_scan

AGGREGATE = [
    ["ma_xa", "ten_xa", "nam", "so_ca"],
    ["20194", "Hải Vân", "2024", "3"],
    ["20194", "Hải Vân", "2025", "12"],
    ["20194", "Hải Vân", "2026", "40"],
    ["20197", "Liên Chiểu", "2024", "0"],
    ["20197", "Liên Chiểu", "2025", "25"],
]


def write(path: Path, rows, encoding="utf-8", delimiter=",") -> Path:
    with open(path, "w", encoding=encoding, newline="") as fh:
        csv.writer(fh, delimiter=delimiter).writerows(rows)
    return path


def invoke(*args: str):
    return CliRunner().invoke(privacy_scan, [str(a) for a in args])


def test_clean_file_exit_0_and_suppressed_copy(tmp_path):
    src = write(tmp_path / "ca_benh.csv", AGGREGATE, encoding="utf-8-sig", delimiter=";")
    out = tmp_path / "sach.csv"
    result = invoke(src, "--dataset-type", "health", "--count-column", "so_ca",
                    "--group-by", "ma_xa", "--output", out)
    assert result.exit_code == 0, result.output
    assert "Không có phát hiện nào" in result.output and "No findings" in result.output
    with open(out, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == AGGREGATE[0]
    assert [r[3] for r in rows[1:]] == ["", "", "40", "0", "25"]
    assert rows[1][1] == "Hải Vân"


def test_blocked_file_exit_1_no_copy_written(tmp_path):
    rows = [["ho_ten", "so_dien_thoai", "so_ca"], ["Lê Văn Tám", "0905123456", "3"]]
    src = write(tmp_path / "ds.csv", rows)
    out = tmp_path / "sach.csv"
    result = invoke(src, "--count-column", "so_ca", "--output", out)
    assert result.exit_code == 1
    assert not out.exists()
    assert "so_dien_thoai" in result.output and "value:phone" in result.output
    assert "name:full_name" in result.output and "block" in result.output
    assert "0905123456" not in result.output and "Lê Văn Tám" not in result.output


def test_allow_column_turns_block_into_allowed(tmp_path):
    rows = [["ten_benh_vien", "tong_dai"], ["Bệnh viện Đà Nẵng", "0236 3821 118"]]
    src = write(tmp_path / "bv.csv", rows)
    assert invoke(src).exit_code == 1
    result = invoke(src, "--allow-column", "tong_dai", "--json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["report"]["verdict"] == "passed"
    assert {"column": "tong_dai", "detector": "value:phone", "share": 1.0,
            "action": "allowed"} in data["report"]["findings"]
    assert data["summary"]["vi"].startswith("Bộ lọc")


def test_json_output_is_the_metadata(tmp_path):
    src = write(tmp_path / "a.csv", AGGREGATE)
    result = invoke(src, "--count-column", "so_ca", "--min-cell-size", "20", "--json")
    assert result.exit_code == 0
    report = json.loads(result.output)["report"]
    assert report["min_cell_size"] == 20
    assert report["cells_suppressed"]["primary"] == 2
    assert report["columns_checked"] == AGGREGATE[0]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1258"])
def test_encodings_detected(tmp_path, encoding):
    rows = [["ma_xa", "ten_xa", "so_dien_thoai_lien_he"], ["20194", "Hòa Khánh Bắc", "0905123456"]]
    path = tmp_path / "x.csv"
    if encoding == "cp1258":
        text = "ma_xa,ten_xa,ghi_chu\r\n20194,Ho\u0300a Kha\u0301nh,0905123456\r\n"
        path.write_bytes(text.encode("cp1258"))
    else:
        write(path, rows, encoding=encoding)
    result = invoke(path, "--json")
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert data["encoding"].replace("_", "-") in (encoding, "utf-16")
    assert any(f["detector"] == "value:phone" for f in data["report"]["findings"])


def test_declared_encoding_and_undecodable_file(tmp_path):
    path = tmp_path / "x.csv"
    path.write_bytes("ma_xa,ten_xa\r\n20194,Hòa Khánh\r\n".encode("utf-16"))
    assert invoke(path, "--encoding", "utf-16").exit_code == 0
    result = invoke(path, "--encoding", "utf-8")
    assert result.exit_code == 2 and "utf-8" in result.output
    assert invoke(path, "--encoding", "no-such-codec").exit_code == 2


def test_xlsx(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["ma_xa", "Nhóm", "so_ca"])
    sheet.append([20194, "A", 4])
    sheet.append([20197, "B", 50])
    sheet.append([20200, "C", 60])
    sheet.append([None, None, None])
    book.save(tmp_path / "t.xlsx")
    out = tmp_path / "o.csv"
    result = invoke(tmp_path / "t.xlsx", "--count-column", "so_ca", "--output", out)
    assert result.exit_code == 0, result.output
    lines = out.read_text(encoding="utf-8-sig").splitlines()
    assert lines == ["ma_xa,Nhóm,so_ca", "20194,A,", "20197,B,", "20200,C,60"]


def test_errors_exit_2_and_name_the_column(tmp_path):
    src = write(tmp_path / "a.csv", AGGREGATE)
    result = invoke(src, "--count-column", "khong_co")
    assert result.exit_code == 2 and "khong_co" in result.output
    bad = write(tmp_path / "b.csv", [["x", "so_ca"], ["a", "0905 123 456"]])
    result = invoke(bad, "--count-column", "so_ca")
    assert result.exit_code == 2 and "so_ca" in result.output
    assert "0905 123 456" not in result.output
    assert invoke(tmp_path / "none.csv").exit_code == 2
    ragged = tmp_path / "r.csv"
    ragged.write_text("a,b\n1,2\n3\n", encoding="utf-8")
    result = invoke(ragged)
    assert result.exit_code == 2 and "dòng 3" in result.output and "line 3" in result.output


def test_real_subprocess_without_ckan_config(tmp_path):
    clean = write(tmp_path / "clean.csv", AGGREGATE)
    blocked = write(tmp_path / "blocked.csv", [["email"], ["a.b@example.org"]])
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}  # no CKAN_INI
    cmd = [sys.executable, "-m", "ckanext.smartcity.privacy"]
    ok = subprocess.run(cmd + [str(clean), "--count-column", "so_ca"], cwd=tmp_path,
                        env=env, capture_output=True, text=True, timeout=60)
    assert ok.returncode == 0, ok.stderr
    assert "Không phát hiện" in ok.stdout
    bad = subprocess.run(cmd + [str(blocked)], cwd=tmp_path, env=env, capture_output=True,
                         text=True, timeout=60)
    assert bad.returncode == 1
    assert "name:email" in bad.stdout and "a.b@example.org" not in bad.stdout + bad.stderr


def test_privacy_package_and_command_import_no_ckan(tmp_path):
    code = ("import sys, ckanext.smartcity.privacy.__main__; "
            "print(sorted(m for m in sys.modules if m == 'ckan' or m.startswith('ckan.')))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_registered_in_the_smartcity_group(tmp_path):
    from ckanext.smartcity.cli import smartcity
    from ckanext.smartcity.cli.privacy import privacy_scan as exported

    assert exported is privacy_scan
    assert smartcity.commands["privacy-scan"] is privacy_scan
    src = write(tmp_path / "a.csv", AGGREGATE)
    result = CliRunner().invoke(smartcity, ["privacy-scan", str(src), "--count-column", "so_ca"])
    assert result.exit_code == 0, result.output


def test_windows_1258_copy_is_utf8_nfc(tmp_path):
    src = tmp_path / "cp.csv"
    # Windows-1258 writes tone marks as combining characters ("o" + U+0300).
    src.write_bytes("ma_xa;ten_xa;so_ca\r\n20200;Ho\u0300a Kha\u0301nh;2\r\n20201;A;30\r\n"
                    .encode("cp1258"))
    out = tmp_path / "o.csv"
    result = invoke(src, "--count-column", "so_ca", "--output", out, "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["encoding"] == "cp1258"
    text = out.read_text(encoding="utf-8-sig")
    assert text.splitlines() == ["ma_xa,ten_xa,so_ca", "20200,Hòa Khánh,", "20201,A,"]
