"""``privacy-scan`` on real microdata files: refused, ``--generalise`` writes a file that
passes when scanned again (CliRunner, and once as a real subprocess without CKAN)."""
from __future__ import annotations

import csv
import json
import random
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from ckanext.smartcity.privacy.command import privacy_scan

COMMUNES = ["Hòa Minh", "Hòa Khánh Bắc", "Hòa Khánh Nam", "Thạch Thang", "Thuận Phước",
            "An Hải Bắc"]  # communes of before 2025: each had a district
JOBS = ["Nông dân", "Giáo viên", "Công nhân", "Buôn bán", "Nội trợ", "Học sinh", "Tài xế"]
HEADER = ["STT", "Tuổi", "Giới tính", "Phường", "Nghề nghiệp", "Kết quả xét nghiệm"]


def microdata_file(path: Path, n: int = 250, seed: int = 11) -> Path:
    """250 people: exact age, sex, commune, occupation and a test result, one per row."""
    rnd = random.Random(seed)
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER)
        for i in range(n):
            writer.writerow([i + 1, rnd.randint(0, 89), rnd.choice(["Nam", "Nữ"]),
                             rnd.choice(COMMUNES), rnd.choice(JOBS),
                             rnd.choice(["Dương tính", "Âm tính"])])
    return path


def invoke(*args):
    return CliRunner().invoke(privacy_scan, [str(a) for a in args])


def test_microdata_refused_then_generalised_and_clean(tmp_path):
    src = microdata_file(tmp_path / "xet_nghiem.csv")
    result = invoke(src, "--dataset-type", "health")
    assert result.exit_code == 1, result.output
    out = result.output
    assert "microdata:k_anonymity" in out and "k = 10" in out and "k-anonymity" in out
    for column in ("Tuổi", "Giới tính", "Phường", "Nghề nghiệp"):
        assert f"«{column}»" in out
    for job in JOBS:
        assert job not in out

    safe = tmp_path / "an_toan.csv"
    result = invoke(src, "--dataset-type", "health", "--generalise", "--output", safe)
    assert result.exit_code == 0, result.output
    assert "Đã gộp nhóm / generalised:" in result.output
    assert "'Nghề nghiệp': column dropped" in result.output  # 7 jobs: no way to keep them
    with open(safe, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    header, body = rows[0], rows[1:]
    assert len(body) == 250 and "STT" in header and "Kết quả xét nghiệm" in header
    assert "Nghề nghiệp" not in header
    if "Tuổi" in header:
        assert all("-" in r[header.index("Tuổi")] for r in body)
    # scanned again, the written file is clean on its own
    again = invoke(safe, "--dataset-type", "health", "--json")
    assert again.exit_code == 0, again.output
    report = json.loads(again.output)["report"]
    assert report["verdict"] == "passed"
    assert report["microdata"]["status"] in ("passed", "not_microdata")
    if report["microdata"]["status"] == "passed":
        assert report["microdata"]["smallest_class"] >= 10


def test_declared_quasi_identifier_missing_is_an_error(tmp_path):
    src = microdata_file(tmp_path / "xn.csv", n=30)
    result = invoke(src, "--quasi-identifier", "nam_sinh")
    assert result.exit_code == 2
    assert "quasi_identifiers" in result.output and "'nam_sinh'" in result.output


def test_generalise_as_a_subprocess_without_ckan(tmp_path):
    src = microdata_file(tmp_path / "xn.csv")
    proc = subprocess.run([sys.executable, "-m", "ckanext.smartcity.privacy", str(src),
                           "--dataset-type", "health", "--generalise", "--json"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert Path(data["output"]) == tmp_path / "xn-generalised.csv"
    assert data["before"]["verdict"] == "blocked" and data["report"]["verdict"] == "passed"
    assert data["changes"] and all(set(c) == {"vi", "en"} for c in data["changes"])
