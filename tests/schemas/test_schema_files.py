"""The scheming YAML files: they load, share the common fields through presets, and every
label, help text and choice label is bilingual (Vietnamese first)."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from ckanext.smartcity.reference import codelists

SCHEMAS = Path(__file__).resolve().parents[2] / "schemas"
TYPES = ("population", "land", "enterprise", "health", "education")
COMMON = ("title", "title_en", "name", "notes", "notes_en", "owner_org", "license_id",
          "tag_string", "source_system", "update_frequency", "temporal_start", "temporal_end",
          "spatial_level", "admin_units", "data_classification", "personal_data",
          "min_cell_size", "count_columns", "quasi_identifiers", "contact_name", "contact_email",
          "legal_basis")
MULTI = {
    "population": {"breakdowns", "population_indicators"},
    "land": {"land_groups", "land_use_codes"},
    "enterprise": {"vsic_sections", "enterprise_types", "enterprise_indicators"},
    "health": {"facility_types", "icd10_chapters"},
    "education": {"education_levels", "ownership", "education_indicators"},
}


def load(name: str) -> dict[str, Any]:
    with open(SCHEMAS / name, encoding="utf-8") as f:
        return yaml.safe_load(f)


def presets() -> dict[str, dict[str, Any]]:
    return {p["preset_name"]: p["values"] for p in load("presets.yaml")["presets"]}


def expanded_fields(dataset_type: str) -> list[dict[str, Any]]:
    known = presets()
    out = []
    for field in load(f"{dataset_type}.yaml")["dataset_fields"]:
        assert field.get("preset") in known, (dataset_type, field)
        out.append(dict(known[field["preset"]], **field))
    return out


def walk_language_dicts(node: Any) -> list[dict[str, Any]]:
    """Every mapping that has a "vi" key, at any depth."""
    if isinstance(node, dict):
        found = [node] if "vi" in node else []
        return found + [d for v in node.values() for d in walk_language_dicts(v)]
    if isinstance(node, list):
        return [d for v in node for d in walk_language_dicts(v)]
    return []


def assert_bilingual(text: Any, where: str) -> None:
    assert isinstance(text, dict), where
    assert set(text) == {"vi", "en"}, where
    assert text["vi"].strip() and text["en"].strip(), where


def test_the_shipped_symlink_exposes_the_schemas_to_scheming() -> None:
    from ckanext.scheming.plugins import _load_schema

    for name in (*[f"{t}.yaml" for t in TYPES], "presets.yaml", "department.yaml", "pillar.yaml"):
        assert _load_schema(f"ckanext.smartcity:schemas/{name}"), name


@pytest.mark.parametrize("dataset_type", TYPES)
def test_type_file_lists_common_fields_by_preset_then_domain_fields(dataset_type: str) -> None:
    schema = load(f"{dataset_type}.yaml")
    assert schema["dataset_type"] == dataset_type
    assert schema["after_validators"] == "smartcity_dataset_rules"
    fields = schema["dataset_fields"]
    names = [f["field_name"] for f in fields]
    assert tuple(names[: len(COMMON)]) == COMMON
    renamed = {"license_id": "license", "tag_string": "tags"}
    for field in fields[: len(COMMON)]:
        name = field["field_name"]
        assert field == {"field_name": name, "preset": f"smartcity_{renamed.get(name, name)}",
                         **({"required": True} if "required" in field else {})}
    assert len(set(names)) == len(names)
    assert MULTI[dataset_type] <= set(names)


@pytest.mark.parametrize("dataset_type", TYPES)
def test_every_label_help_text_and_choice_is_vietnamese_and_english(dataset_type: str) -> None:
    for field in expanded_fields(dataset_type):
        where = f"{dataset_type}.{field['field_name']}"
        assert_bilingual(field["label"], where)
        if "help_text" in field:
            assert_bilingual(field["help_text"], where)
        for choice in field.get("choices", []):
            assert_bilingual(choice["label"], f"{where}={choice['value']}")
        if "codelist" in field:
            assert field["codelist"] in codelists.CODELISTS, where
            assert field["choices_helper"] == "smartcity_codelist_choices", where


@pytest.mark.parametrize("dataset_type", TYPES)
def test_multi_valued_fields_use_the_json_list_convention(dataset_type: str) -> None:
    fields = {f["field_name"]: f for f in expanded_fields(dataset_type)}
    for name in MULTI[dataset_type] | {"admin_units"}:
        assert fields[name]["output_validators"] == "scheming_multiple_choice_output", name
        assert fields[name]["validators"].split()[-1] in {
            "smartcity_multiple_choice", "smartcity_admin_units"}, name


def test_personal_data_is_required_for_population_health_education_only() -> None:
    for dataset_type in TYPES:
        field = next(f for f in expanded_fields(dataset_type)
                     if f["field_name"] == "personal_data")
        assert bool(field.get("required")) == (dataset_type in {"population", "health",
                                                                "education"})


def test_common_choice_values_are_the_contract() -> None:
    known = presets()

    def values(preset: str) -> list[str]:
        return [c["value"] for c in known[preset]["choices"]]

    assert values("smartcity_update_frequency") == [
        "daily", "weekly", "monthly", "quarterly", "semiannual", "annual", "irregular", "never"]
    assert values("smartcity_spatial_level") == ["province", "district", "commune"]
    assert values("smartcity_data_classification") == ["open", "internal", "restricted"]
    assert values("smartcity_personal_data") == ["none", "aggregated", "anonymized"]


@pytest.mark.parametrize("name, type_key, type_value, fields", [
    ("department.yaml", "organization_type", "organization",
     {"title", "name", "title_en", "department_code", "level", "contact_email"}),
    ("pillar.yaml", "group_type", "group", {"title", "name", "title_en", "pillar_code"}),
])
def test_department_and_pillar_schemas(name: str, type_key: str, type_value: str,
                                       fields: set[str]) -> None:
    schema = load(name)
    assert schema[type_key] == type_value
    assert fields <= {f["field_name"] for f in schema["fields"]}
    for field in schema["fields"]:
        assert_bilingual(field["label"], f"{name}.{field['field_name']}")


def test_messages_exist_in_both_languages() -> None:
    for key, texts in load("messages.yaml").items():
        assert_bilingual(texts, key)


@pytest.mark.parametrize("name", sorted(p.name for p in SCHEMAS.glob("*.yaml")))
def test_no_language_mapping_was_split_by_an_unquoted_comma(name: str) -> None:
    # YAML reads {vi: Khám, chữa bệnh, en: ...} as three keys: quote such texts
    for text in walk_language_dicts(load(name)):
        assert set(text) == {"vi", "en"}, (name, text)
