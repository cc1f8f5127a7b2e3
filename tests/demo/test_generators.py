"""The synthetic departmental data: deterministic, realistic, keyed by the code list."""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import unicodedata
from pathlib import Path

from departments import enterprise, health, population
from departments.dropbox import drop_files, write_dropbox
from departments.units import load_communes

DIACRITICS = re.compile(r"[ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]",
                        re.IGNORECASE)


def test_current_communes_come_from_the_code_list():
    communes = load_communes()
    assert len(communes) == 94
    kinds = {c.kind for c in communes}
    assert kinds == {"Phường", "Xã", "Đặc khu"}
    assert {"20194", "20242", "20333"} <= {c.code for c in communes}


def test_population_is_deterministic_and_differs_by_seed():
    a = population.to_csv(population.generate(3000, seed=7).people)
    b = population.to_csv(population.generate(3000, seed=7).people)
    c = population.to_csv(population.generate(3000, seed=8).people)
    assert a.encode() == b.encode()
    assert a != c


def test_population_rows_are_realistic():
    registry = population.generate(5000)
    codes = {c.code for c in load_communes() if c.inhabited}
    households = {h[0]: h for h in registry.households}
    assert len(registry.people) == 5000
    assert len({p[0] for p in registry.people}) == 5000  # CCCD unique
    for cccd, name, born, sex, commune, household, relation, residence in registry.people:
        assert re.fullmatch(r"\d{12}", cccd)
        birth = dt.date.fromisoformat(born)
        century_sex = int(cccd[3])
        assert century_sex == (0 if birth.year < 2000 else 2) + (sex == "nu")
        assert cccd[4:6] == f"{birth.year % 100:02d}"
        assert commune in codes and households[household][1] == commune
        assert len(name.split()) >= 3 and name == unicodedata.normalize("NFC", name)
        assert residence in ("thuong_tru", "tam_tru")
    prefixes = {p[0][:3] for p in registry.people}
    assert {"048", "049"} <= prefixes and len(prefixes) > 4  # born elsewhere too
    share_dn = sum(p[0].startswith(("048", "049")) for p in registry.people) / 5000
    assert 0.75 < share_dn < 0.97
    with_diacritics = sum(bool(DIACRITICS.search(p[1])) for p in registry.people)
    assert with_diacritics / 5000 > 0.9
    heads = [p for p in registry.people if p[6] == "Chủ hộ"]
    assert len(heads) == len(registry.households)


def test_enterprises_have_valid_tax_codes_and_classes():
    rows = enterprise.generate(2000)
    assert rows == enterprise.generate(2000)
    codes = {c.code for c in load_communes()}
    assert len({r[0] for r in rows}) == 2000
    for row in rows:
        record = dict(zip(enterprise.COLUMNS, row))
        tax = record["ma_so_thue"]
        assert re.fullmatch(r"(04|40)\d{8}", tax)
        assert enterprise.tax_check_digit(tax[:9]) == int(tax[9])
        assert record["thanh_phan_kinh_te"] in ("state_owned", "non_state", "fdi")
        assert enterprise.CLASSES[record["ma_nganh_vsic"]][0] == record["ma_nganh_cap1"]
        assert record["ma_xa"] in codes
        assert record["von_dieu_le"] > 0 and record["so_lao_dong"] >= 1
    assert {r[3] for r in rows} == {"state_owned", "non_state", "fdi"}


def test_health_collections_are_deterministic():
    assert json.dumps(health.facilities()) == json.dumps(health.facilities())
    cases = health.monthly_cases()
    assert json.dumps(cases[:500]) == json.dumps(health.monthly_cases()[:500])
    assert len(cases) == 93 * 12 * 22
    assert {r["chuong_icd10"] for r in cases} == set(health.ICD10_CHAPTERS)
    small = sum(1 for r in cases if 0 < r["so_ca_mac"] < 10)
    assert 0 < small < len(cases) / 2  # some small cells for the guard to suppress


def test_drop_files_are_byte_identical_across_runs(tmp_path: Path):
    first, second = drop_files(), drop_files()
    assert first == second
    assert set(first) == {"so-nong-nghiep-moi-truong/thong_ke_dat_2025.xlsx",
                          "so-giao-duc-dao-tao/giao_duc_nam_hoc_2025-2026.csv",
                          "so-giao-duc-dao-tao/giao_duc_nam_hoc_2026-2027.csv"}
    (tmp_path / "so-giao-duc-dao-tao").mkdir()
    (tmp_path / "so-giao-duc-dao-tao" / "giao_duc_nam_hoc_2019-2020.csv").write_text("cũ")
    (tmp_path / "giao_duc_nam_hoc_2025-2026.csv").write_text("bản cũ ở thư mục chung")
    (tmp_path / "ghi_chu.txt").write_text("không thuộc demo")
    result = write_dropbox(tmp_path)
    assert result["so-giao-duc-dao-tao/giao_duc_nam_hoc_2019-2020.csv"] == "removed"
    assert result["giao_duc_nam_hoc_2025-2026.csv"] == "removed"  # the older flat layout
    assert (tmp_path / "ghi_chu.txt").exists()  # files the demo does not own stay
    assert set(write_dropbox(tmp_path).values()) == {"unchanged"}
    for name, data in first.items():
        assert (tmp_path / name).read_bytes() == data


def test_population_copy_payload_is_valid_csv():
    registry = population.generate(500)
    rows = list(csv.reader(io.StringIO(population.to_csv(registry.people))))
    assert len(rows) == 500 and all(len(r) == len(population.PERSON_COLUMNS) for r in rows)
