"""Builders of valid smartcity objects through the real action API.

Shared by tests/search, tests/dcat and tests/ui (their conftest.py load this file by path,
as the test folders are not packages).
"""
from __future__ import annotations

from typing import Any

from ckan.tests import factories, helpers

#: A valid value of each type's domain fields (beyond the common ones).
DOMAIN_FIELDS: dict[str, dict[str, Any]] = {
    "population": {"reference_date": "2024-04-01", "population_basis": "resident",
                   "breakdowns": ["sex", "age_group"]},
    "land": {"land_groups": ["agricultural", "unused"], "coordinate_system": "VN-2000"},
    "enterprise": {"vsic_sections": ["C", "G"], "enterprise_types": ["non_state"]},
    "health": {"facility_types": ["hospital", "commune_health_station"],
               "icd10_chapters": ["I"], "indicator_kind": "facilities"},
    "education": {"education_levels": ["primary", "lower_secondary"],
                  "school_year": "2024-2025", "ownership": ["public"]},
}


def sysadmin() -> dict[str, Any]:
    """A new sysadmin user (with an API token under ``token``)."""
    user = factories.Sysadmin()
    user["token"] = factories.APIToken(user=user["name"])["token"]
    return user


def department(user: dict[str, Any], name: str = "so-y-te", title: str = "Sở Y tế",
               code: str = "SYT") -> dict[str, Any]:
    """A department (organization) created through the department schema."""
    return helpers.call_action(
        "organization_create", {"user": user["name"]},
        name=name, title=title, title_en="Department of Health", department_code=code,
        level="city", contact_email="syt@danang.gov.vn",
    )


def pillar(user: dict[str, Any], name: str, title: str, code: str) -> dict[str, Any]:
    """A smart-city pillar (group) created through the pillar schema."""
    return helpers.call_action("group_create", {"user": user["name"]},
                               name=name, title=title, pillar_code=code)


def dataset_fields(dataset_type: str, name: str, org: dict[str, Any], **overrides: Any
                   ) -> dict[str, Any]:
    """A valid package_create data dict of `dataset_type`."""
    data: dict[str, Any] = {
        "type": dataset_type,
        "name": name,
        "title": f"Bộ dữ liệu {name}",
        "title_en": f"Dataset {name}",
        "notes": "Số liệu tổng hợp theo xã, phường.",
        "notes_en": "Aggregated figures by commune.",
        "owner_org": org["id"],
        "license_id": "cc-by-4.0",
        "update_frequency": "annual",
        "temporal_start": "2025-07-01",
        "temporal_end": "2025-12-31",
        "spatial_level": "commune",
        "admin_units": ["20194"],
        "data_classification": "open",
        "personal_data": "aggregated",
        "min_cell_size": 10,
        "contact_name": "Phòng Thống kê",
        "contact_email": "thongke@danang.gov.vn",
        "legal_basis": "Luật Thống kê 2015",
    }
    data.update(DOMAIN_FIELDS[dataset_type])
    data.update(overrides)
    return data


def dataset(user: dict[str, Any], dataset_type: str, name: str, org: dict[str, Any],
            **overrides: Any) -> dict[str, Any]:
    """Create a valid dataset of `dataset_type` as `user` and return package_show's dict."""
    return helpers.call_action("package_create", {"user": user["name"]},
                               **dataset_fields(dataset_type, name, org, **overrides))
