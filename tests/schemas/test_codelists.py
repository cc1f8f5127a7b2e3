"""The shipped code lists and their lookups (pure Python, no database)."""
from __future__ import annotations

import datetime as dt

from ckanext.smartcity.reference import codelists

JULY_2025 = dt.date(2025, 7, 1)


def test_current_structure_is_the_city_and_94_commune_level_units() -> None:
    current = codelists.find_admin_units(at=dt.date(2026, 1, 1))
    assert len(current) == 95
    assert {u.level for u in current} == {"province", "commune"}
    assert sum(u.level == "commune" for u in current) == 94
    assert {u.kind for u in current if u.level == "commune"} == {"Phường", "Xã", "Đặc khu"}


def test_old_structure_has_districts_and_ends_on_30_june_2025() -> None:
    old = codelists.find_admin_units(at=dt.date(2025, 6, 30))
    districts = [u for u in old if u.level == "district"]
    assert {"490", "492", "497", "498"} <= {u.code for u in districts}
    assert all(u.valid_to == dt.date(2025, 6, 30) for u in old)
    assert codelists.find_admin_units(level="district", at=JULY_2025) == []


def test_a_code_is_read_together_with_its_period() -> None:
    periods = codelists.find_admin_units(code="20194")
    assert [(u.full_name_vi, u.valid_from, u.valid_to) for u in periods] == [
        ("Phường Hải Vân", JULY_2025, None),
        ("Phường Hòa Hiệp Bắc", None, dt.date(2025, 6, 30)),
    ]
    assert periods[0].name_en == "Hai Van Ward"
    assert periods[1].overlaps(dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    assert not periods[1].overlaps(JULY_2025, None)
    assert periods[0].overlaps(None, JULY_2025)
    assert not periods[0].overlaps(None, dt.date(2025, 6, 30))


def test_name_search_ignores_diacritics_and_case() -> None:
    with_marks = {u.code for u in codelists.find_admin_units(q="Hòa Khánh")}
    without = {u.code for u in codelists.find_admin_units(q="hoa khanh")}
    assert with_marks == without and len(with_marks) >= 3
    assert {u.code for u in codelists.find_admin_units(q="HAI VAN", at=JULY_2025)} == {"20194"}
    assert codelists.fold("Đặc khu Hoàng Sa") == "dac khu hoang sa"


def test_admin_unit_choices_current_first_and_one_choice_per_code() -> None:
    choices = codelists.smartcity_admin_unit_choices({})
    values = [c["value"] for c in choices]
    assert len(values) == len(set(values))
    assert values[0] == "48"
    current_codes = {u.code for u in codelists.find_admin_units(at=JULY_2025)}
    assert set(values[: len(current_codes)]) == current_codes
    hai_van = next(c for c in choices if c["value"] == "20194")
    assert hai_van["label"]["vi"] == (
        "20194 — Phường Hải Vân; Phường Hòa Hiệp Bắc (đến 30/06/2025)")
    assert hai_van["label"]["en"].startswith("20194 — Hai Van Ward; Hoa Hiep Bac Ward (until")


def test_vsic_2018_has_sections_a_to_u() -> None:
    assert codelists.codelist_codes("vsic_sections") == [chr(c) for c in range(ord("A"),
                                                                               ord("U") + 1)]
    assert codelists.codelist("vsic_sections")[2].name_vi == "Công nghiệp chế biến, chế tạo"


def test_icd10_has_chapters_i_to_xxii_with_ranges() -> None:
    chapters = codelists.codelist("icd10_chapters")
    assert [c.code for c in chapters][:4] == ["I", "II", "III", "IV"]
    assert len(chapters) == 22 and chapters[-1].code == "XXII"
    assert chapters[8].get("range") == "I00-I99"


def test_land_use_codes_belong_to_the_three_land_groups() -> None:
    items = {i.code: i for i in codelists.codelist("land_use_codes")}
    assert {"LUA", "CLN", "ONT", "ODT", "SKC", "TMD", "DGT", "BCS"} <= set(items)
    assert {i.get("land_group") for i in items.values()} == {
        "agricultural", "non_agricultural", "unused"}
    for item in items.values():
        parent = item.get("parent_code")
        assert not parent or items[parent].get("land_group") == item.get("land_group")
    choices = codelists.smartcity_codelist_choices({"codelist": "land_use_codes"})
    assert {"value": "LUA", "label": {"vi": "LUA — Đất trồng lúa",
                                      "en": "LUA — Paddy land"}} in choices
