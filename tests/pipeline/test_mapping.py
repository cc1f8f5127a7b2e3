"""Mapping a spec and its rows to a dataset dict, columns and derived fields."""
from __future__ import annotations

import datetime as dt

import pytest

from ckanext.smartcity.pipeline.mapping import (ColumnPlan, Derived, PlanError,
                                                build_dataset, with_provenance)
from ckanext.smartcity.readers.base import Column

COLUMNS = [Column("id", "int"), Column("ma_xa", "text"), Column("nam", "int"),
           Column("so_co_so", "int")]


def test_default_plan_keeps_source_names_and_types():
    plan = ColumnPlan.build({}, COLUMNS)
    assert plan.names == ["id", "ma_xa", "nam", "so_co_so"]
    assert plan.datastore_fields()[0] == {"id": "id", "type": "int8",
                                          "info": {"label": "id", "notes": ""}}


def test_columns_select_rename_type_and_label():
    spec = {"columns": ["ma_xa", {"id": "id", "name": "ma_co_so", "type": "text",
                                  "label": "Mã cơ sở", "label_en": "Facility code"}]}
    plan = ColumnPlan.build(spec, COLUMNS)
    assert plan.names == ["ma_xa", "ma_co_so"]
    assert plan.source_names == ["ma_xa", "id"]
    assert plan.select((7, "20194", 2026, 12)) == ("20194", 7)
    assert plan.datastore_fields()[1] == {
        "id": "ma_co_so", "type": "text",
        "info": {"label": "Mã cơ sở", "notes": "", "label_en": "Facility code"}}


def test_a_configured_column_missing_from_the_source_is_an_error():
    with pytest.raises(PlanError, match="'missing'"):
        ColumnPlan.build({"columns": ["missing"]}, COLUMNS)


def test_derived_temporal_coverage_from_year_and_communes():
    derived = Derived(["id", "ma_xa", "nam", "so"])
    for row in [(1, "20194", 2025, 3), (2, "20197", "2026", 4), (3, None, None, 1)]:
        derived.add(row)
    assert derived.fields() == {"temporal_start": "2025-01-01",
                                "temporal_end": "2026-12-31",
                                "admin_units": ["20194", "20197"]}


def test_derived_temporal_coverage_from_a_date_column():
    derived = Derived(["date", "commune_code"])
    derived.add((dt.date(2026, 3, 5), 20194))
    derived.add(("2026-01-31", 20200))
    assert derived.fields() == {"temporal_start": "2026-01-31",
                                "temporal_end": "2026-03-05",
                                "admin_units": ["20194", "20200"]}


def test_no_derived_fields_without_matching_columns():
    derived = Derived(["a", "b"])
    derived.add((1, 2))
    assert derived.fields() == {}


def test_build_dataset_precedence():
    spec = {"name": "ds", "dataset_type": "health", "title": "Tiêu đề",
            "fields": {"temporal_start": "2020-01-01", "update_frequency": "annual"}}
    dataset = build_dataset(spec, {"update_frequency": "monthly", "license_id": "cc-by-4.0"},
                            {"temporal_start": "2025-01-01", "temporal_end": "2025-12-31",
                             "admin_units": ["20194"]},
                            owner_org="so-y-te", schema_fields={"temporal_start",
                                                                "temporal_end"})
    assert dataset == {"update_frequency": "annual", "license_id": "cc-by-4.0",
                       "temporal_start": "2020-01-01", "temporal_end": "2025-12-31",
                       "name": "ds", "type": "health", "owner_org": "so-y-te",
                       "title": "Tiêu đề"}


def test_provenance_goes_to_schema_fields_or_extras():
    out = with_provenance({"name": "ds"}, {"content_hash": "abc", "privacy_report": {"a": 1}},
                          {"content_hash"})
    assert out["content_hash"] == "abc"
    assert out["extras"] == [{"key": "privacy_report", "value": '{"a": 1}'}]
