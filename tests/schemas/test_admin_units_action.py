"""The public ``smartcity_admin_units`` action, through call_action and over HTTP."""
from __future__ import annotations

import json
from typing import Any

import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import helpers

pytestmark = pytest.mark.usefixtures("with_plugins")


def units(**filters: Any) -> list[dict[str, Any]]:
    return helpers.call_action("smartcity_admin_units", {"ignore_auth": False, "user": ""},
                               **filters)


def test_lists_every_row_current_units_first() -> None:
    rows = units()
    assert len(rows) == 403
    assert rows[0] == {"code": "48", "name_vi": "Thành phố Đà Nẵng", "name_en": "Da Nang City",
                       "name_ascii": "Da Nang", "level": "province", "kind": "Thành phố",
                       "parent_code": None, "valid_from": "2025-07-01", "valid_to": None}
    first_old = next(i for i, r in enumerate(rows) if r["valid_to"])
    assert all(r["valid_to"] for r in rows[first_old:])


def test_code_returns_every_period_of_that_code() -> None:
    rows = units(code="20194")
    assert [(r["name_vi"], r["valid_from"], r["valid_to"]) for r in rows] == [
        ("Hải Vân", "2025-07-01", None), ("Hòa Hiệp Bắc", None, "2025-06-30")]


def test_at_level_and_q_filter_together() -> None:
    assert len(units(at="2025-07-01", level="commune")) == 94
    assert {r["code"] for r in units(level="district", at="2025-06-30")} >= {"490", "497"}
    assert units(level="district", at="2025-07-01") == []
    names = {r["name_vi"] for r in units(q="hoa khanh", at="2025-06-01")}
    assert names == {"Hòa Khánh Bắc", "Hòa Khánh Nam"}
    assert [r["code"] for r in units(q="Hải Vân")] == ["20194"]


@pytest.mark.parametrize("filters, key", [({"at": "2025-02-30"}, "at"),
                                          ({"at": "01/07/2025"}, "at"),
                                          ({"level": "ward"}, "level")])
def test_bad_filters_are_validation_errors(filters: dict[str, str], key: str) -> None:
    with pytest.raises(tk.ValidationError) as err:
        units(**filters)
    assert list(err.value.error_dict) == [key]


def test_anonymous_get_over_http(app: Any) -> None:
    response = app.get("/api/3/action/smartcity_admin_units",
                       query_string={"q": "hai chau", "at": "2026-01-01"})
    body = json.loads(response.body)
    assert body["success"] is True
    assert [(r["code"], r["kind"]) for r in body["result"]] == [("20242", "Phường")]
