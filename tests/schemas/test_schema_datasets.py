"""The five dataset types on real CKAN: schemas load, valid datasets round-trip, every
rule rejects bad input with a specific message keyed by the field name."""
from __future__ import annotations

import json
from typing import Any

import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import factories, helpers

TYPES = ("population", "land", "enterprise", "health", "education")

DOMAIN: dict[str, dict[str, Any]] = {
    "population": {"reference_date": "2024-04-01", "population_basis": "resident",
                   "breakdowns": ["sex", "age_group"], "population_indicators": ["households"]},
    "land": {"land_data_kind": "inventory", "land_groups": ["unused", "agricultural"],
             "land_use_codes": ["ODT", "LUA"], "coordinate_system": "VN-2000",
             "map_scale": "1:10000"},
    "enterprise": {"vsic_sections": ["G", "C"], "enterprise_types": ["fdi", "non_state"],
                   "enterprise_indicators": ["employees"]},
    "health": {"facility_types": ["hospital", "commune_health_station"],
               "icd10_chapters": ["IX", "I"], "indicator_kind": "facilities"},
    "education": {"education_levels": ["primary", "lower_secondary"],
                  "school_year": "2024-2025", "ownership": ["public"]},
}
MULTI = ("breakdowns", "population_indicators", "land_groups", "land_use_codes",
         "vsic_sections", "enterprise_types", "enterprise_indicators", "facility_types",
         "icd10_chapters", "education_levels", "ownership")


@pytest.fixture
def org() -> dict[str, Any]:
    return factories.Organization(name="so-y-te", title="Sở Y tế", title_en="Department of Health",
                                  department_code="SYT", level="city")


def valid(dataset_type: str, org: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "type": dataset_type, "name": f"du-lieu-{dataset_type}",
        "title": "Số liệu theo xã, phường", "title_en": "Figures by commune",
        "notes": "Số liệu tổng hợp.", "owner_org": org["id"], "license_id": "cc-by",
        "tag_string": "đà nẵng,thống kê", "source_system": "CSDL ngành",
        "update_frequency": "annual", "temporal_start": "2025-07-01",
        "temporal_end": "2025-12-31", "spatial_level": "commune",
        "admin_units": ["20194", "20197"], "data_classification": "open",
        "personal_data": "aggregated", "min_cell_size": 10, "contact_name": "Phòng Thống kê",
        "contact_email": "thongke@danang.gov.vn", "legal_basis": "Luật Thống kê 2015",
    }
    data.update(DOMAIN[dataset_type])
    data.update(overrides)
    return data


def create(data: dict[str, Any]) -> dict[str, Any]:
    sysadmin = factories.Sysadmin()
    return helpers.call_action("package_create", {"user": sysadmin["name"]}, **data)


def rejected(data: dict[str, Any]) -> dict[str, Any]:
    with pytest.raises(tk.ValidationError) as err:
        create(data)
    return err.value.error_dict


@pytest.mark.usefixtures("with_plugins")
def test_the_five_types_and_the_group_schemas_are_served() -> None:
    # plus CKAN's generic `dataset` type, kept for ckanext-dcat (config/ckan-common.ini)
    assert sorted(helpers.call_action("scheming_dataset_schema_list")) == sorted(
        [*TYPES, "dataset"])
    for dataset_type in TYPES:
        schema = helpers.call_action("scheming_dataset_schema_show", type=dataset_type)
        names = [f["field_name"] for f in schema["dataset_fields"]]
        assert names[:3] == ["title", "title_en", "name"] and "admin_units" in names
    org = helpers.call_action("scheming_organization_schema_show", type="organization")
    assert "department_code" in [f["field_name"] for f in org["fields"]]
    group = helpers.call_action("scheming_group_schema_show", type="group")
    assert "pillar_code" in [f["field_name"] for f in group["fields"]]


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
@pytest.mark.parametrize("dataset_type", TYPES)
def test_a_valid_dataset_round_trips(dataset_type: str, org: dict[str, Any]) -> None:
    created = create(valid(dataset_type, org))
    shown = helpers.call_action("package_show", id=created["id"])
    assert shown["type"] == dataset_type
    assert shown["admin_units"] == ["20194", "20197"]
    assert shown["temporal_start"] == "2025-07-01" and shown["temporal_end"] == "2025-12-31"
    assert shown["min_cell_size"] == 10
    assert shown["title_en"] == "Figures by commune"
    assert sorted(t["name"] for t in shown["tags"]) == ["thống kê", "đà nẵng"]
    for field, value in DOMAIN[dataset_type].items():
        if field in MULTI:
            # stored as a JSON list, returned as a list in the choices' order
            assert isinstance(shown[field], list) and sorted(shown[field]) == sorted(value)
        else:
            assert shown[field] == value
    found = helpers.call_action("package_search", fq=f"name:{shown['name']}")
    assert found["count"] == 1


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_multi_values_keep_choice_order_and_accept_a_single_string(org: dict[str, Any]) -> None:
    shown = create(valid("health", org, icd10_chapters="X", facility_types=["pharmacy", "hospital"]))
    assert shown["icd10_chapters"] == ["X"]
    assert shown["facility_types"] == ["hospital", "pharmacy"]


# (dataset type, overrides, error key, part of the Vietnamese message)
RULES = [
    ("population", {"update_frequency": "hourly"}, "update_frequency", 'Giá trị "hourly"'),
    ("population", {"breakdowns": ["sex", "religion"]}, "breakdowns", 'Giá trị "religion"'),
    ("enterprise", {"vsic_sections": ["C", "Z"]}, "vsic_sections", 'Mã "Z" không có'),
    ("land", {"land_use_codes": ["XYZ"]}, "land_use_codes", 'Mã "XYZ" không có'),
    ("health", {"icd10_chapters": ["XXIII"]}, "icd10_chapters", 'Mã "XXIII"'),
    ("health", {"temporal_start": "2025-13-01"}, "temporal_start", "Ngày \"2025-13-01\""),
    ("health", {"temporal_end": "31/12/2025"}, "temporal_end", "NNNN-TT-NN"),
    ("education", {"temporal_start": "2025-12-31", "temporal_end": "2025-07-01"},
     "temporal_end", "không được trước ngày bắt đầu"),
    ("health", {"admin_units": ["99999"]}, "admin_units", 'Mã đơn vị hành chính "99999"'),
    ("health", {"data_classification": "internal"}, "data_classification",
     'Chỉ dữ liệu mức "Mở"'),
    ("health", {"data_classification": "secret", "private": True}, "data_classification",
     'Giá trị "secret"'),
    ("population", {"min_cell_size": None}, "min_cell_size", "cần có ngưỡng ô nhỏ nhất"),
    ("population", {"min_cell_size": 2}, "min_cell_size", "từ 3 trở lên"),
    ("population", {"min_cell_size": "mười"}, "min_cell_size", "không phải là số nguyên"),
    ("population", {"spatial_level": "district"}, "spatial_level", "Cấp huyện chỉ có trước"),
    ("land", {"spatial_level": "district", "temporal_start": None, "temporal_end": None,
              "admin_units": ["490"]}, "spatial_level", "Cấp huyện"),
    ("health", {"admin_units": ["20236"]}, "admin_units", "không có hiệu lực"),
    ("health", {"admin_units": ["490"], "temporal_start": "2025-07-01",
                "temporal_end": None}, "admin_units", "không có hiệu lực"),
    ("health", {"contact_email": "thongke@danang"}, "contact_email", "không hợp lệ"),
    ("health", {"contact_email": "thong ke@danang.gov.vn"}, "contact_email", "không hợp lệ"),
    ("education", {"school_year": "2024-2026"}, "school_year", "hai năm liên tiếp"),
    ("education", {"school_year": "2024/2025"}, "school_year", "hai năm liên tiếp"),
    ("health", {"personal_data": None}, "personal_data", ""),
    ("education", {"personal_data": "pseudonymized"}, "personal_data", 'Giá trị "pseudonymized"'),
    ("land", {"coordinate_system": "EPSG:3857"}, "coordinate_system", 'Giá trị "EPSG:3857"'),
    ("population", {"admin_units": []}, "admin_units", ""),
]


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
@pytest.mark.parametrize("dataset_type, overrides, key, text", RULES,
                         ids=[f"{r[2]}-{i}" for i, r in enumerate(RULES)])
def test_each_rule_rejects_with_a_message_keyed_by_the_field(
        dataset_type: str, overrides: dict[str, Any], key: str, text: str,
        org: dict[str, Any]) -> None:
    data = valid(dataset_type, org)
    for field, value in overrides.items():
        if value is None:
            data.pop(field, None)
        else:
            data[field] = value
    errors = rejected(data)
    assert key in errors, errors
    assert any(text in message for message in errors[key]), errors[key]
    assert set(errors) == {key}, errors  # the rule is specific: nothing else complains


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_old_units_and_district_level_are_fine_for_old_periods(org: dict[str, Any]) -> None:
    shown = create(valid("land", org, temporal_start="2024-01-01", temporal_end="2024-12-31",
                         spatial_level="district", admin_units=["490", "20236", "48"]))
    assert shown["admin_units"] == ["490", "20236", "48"]
    # a coverage across the reform may name old and new units alike
    shown = create(valid("health", org, name="qua-cai-cach", temporal_start="2025-01-01",
                         temporal_end="2025-12-31", admin_units=["20236", "20242"]))
    assert shown["admin_units"] == ["20236", "20242"]


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_non_open_data_may_be_private_but_not_made_public(org: dict[str, Any]) -> None:
    sysadmin = factories.Sysadmin()
    context = {"user": sysadmin["name"]}
    shown = helpers.call_action("package_create", context,
                                **valid("health", org, data_classification="restricted",
                                        private=True))
    assert shown["private"] is True and shown["data_classification"] == "restricted"
    # an update that leaves `private` out keeps the dataset private: still valid
    helpers.call_action("package_patch", {"user": sysadmin["name"]}, id=shown["id"],
                        title="Số liệu đã sửa")
    with pytest.raises(tk.ValidationError) as err:
        helpers.call_action("package_patch", {"user": sysadmin["name"]}, id=shown["id"],
                            private=False)
    assert list(err.value.error_dict) == ["data_classification"]
    assert helpers.call_action("package_show", id=shown["id"])["private"] is True


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_messages_follow_the_request_language(app: Any, org: dict[str, Any]) -> None:
    sysadmin = factories.Sysadmin()
    token = factories.APIToken(user=sysadmin["name"])["token"]
    data = valid("education", org, school_year="2024-2026", contact_email="x@")
    for prefix, school, email in (
            ("", "Năm học \"2024-2026\" không hợp lệ", "Địa chỉ thư điện tử \"x@\""),
            ("/en", "School year \"2024-2026\" is not valid", "E-mail address \"x@\"")):
        response = app.post(f"{prefix}/api/3/action/package_create", json=data,
                            headers={"Authorization": token}, status=409)
        error = json.loads(response.body)["error"]
        assert error["school_year"][0].startswith(school), error
        assert error["contact_email"][0].startswith(email), error


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_bulk_make_public_cannot_publish_non_open_data(org: dict[str, Any]) -> None:
    # CKAN 2.12 runs bulk_update_public through package_patch, so the same rule applies
    sysadmin = factories.Sysadmin()
    shown = create(valid("health", org, data_classification="internal", private=True))
    with pytest.raises(tk.ValidationError) as err:
        helpers.call_action("bulk_update_public", {"user": sysadmin["name"]},
                            datasets=[shown["id"]], org_id=org["id"])
    assert list(err.value.error_dict) == ["data_classification"]
    assert helpers.call_action("package_show", id=shown["id"])["private"] is True
