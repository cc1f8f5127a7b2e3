"""Automatic views, the profile rules and ``smartcity_map_data`` on real DataStore tables."""
from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path

import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import helpers
from ckanext.smartcity.explore import geo
from ckanext.smartcity.explore.profile import current_communes, profile_table

from .conftest import MONTHS, view_types

ROOT = Path(__file__).resolve().parents[2]


def _records(resource_id: str, **filters: str) -> list[dict]:
    return helpers.call_action("datastore_search", {"ignore_auth": True},
                               resource_id=resource_id, filters=filters, limit=10000,
                               )["records"]


def _by_commune(records: list[dict]) -> dict[str, int | None]:
    """The aggregation a researcher would do on datastore_search rows: sum per commune,
    unknown if any of the commune's cells is suppressed (empty)."""
    sums: dict[str, int | None] = defaultdict(int)
    for r in records:
        code = str(r["ma_xa"])
        if r["so_ca_mac"] is None or sums[code] is None:
            sums[code] = None
        else:
            sums[code] += r["so_ca_mac"]
    return dict(sums)


def test_harvested_commune_table_gets_table_map_and_chart(harvested):
    resource = harvested["resource"]
    assert view_types(resource["id"]) == ["datatables_view", "smartcity_map",
                                          "smartcity_chart"]
    profile = profile_table(resource["id"])
    assert profile is not None
    assert (profile.commune, profile.period, profile.periods) == ("ma_xa", "thang", MONTHS)
    chapter = profile.category("chuong_icd10")
    assert chapter is not None and chapter.values == ("I", "II")
    assert chapter.labels["II"] == "Khối u"  # ten_chuong labels the codes, is no category
    assert [c.column for c in profile.categories] == ["chuong_icd10"]
    assert profile.measures == ("so_ca_mac",) and profile.counts == {"so_ca_mac"}

    # a re-run that changes nothing keeps exactly these views (no duplicates)
    from ckanext.smartcity.explore.auto_views import ensure_views
    assert ensure_views(resource["id"]) == ["datatables_view", "smartcity_map",
                                            "smartcity_chart"]
    assert len(view_types(resource["id"])) == 3


def test_api_table_without_commune_column_gets_no_map(api_table):
    assert view_types(api_table["id"]) == ["datatables_view", "smartcity_chart"]
    profile = profile_table(api_table["id"])
    assert profile is not None and profile.commune is None and profile.period == "nam"
    with pytest.raises(tk.ValidationError) as err:
        helpers.call_action("smartcity_map_data", {"ignore_auth": True},
                            resource_id=api_table["id"], column="so_doanh_nghiep")
    assert "resource_id" in err.value.error_dict


def test_map_data_equals_a_datastore_search_aggregation(harvested):
    rid = harvested["resource"]["id"]
    for period, filters, hidden in ((MONTHS[1], {}, True),
                                    (MONTHS[0], {"chuong_icd10": "I"}, True),
                                    (MONTHS[1], {"chuong_icd10": "II"}, False)):
        data = helpers.call_action("smartcity_map_data", {"ignore_auth": True},
                                   resource_id=rid, column="so_ca_mac", period=period,
                                   filters=json.dumps(filters))
        expected = _by_commune(_records(rid, thang=period, **filters))
        got = {f["id"]: f["properties"]["value"] for f in data["features"]}
        assert len(data["features"]) == 94 and set(got) == set(current_communes())
        assert got == expected
        suppressed = {c for c, v in expected.items() if v is None}
        assert bool(suppressed) == hidden, "chapter I has the small counts the guard hid"
        for feature in data["features"]:
            props = feature["properties"]
            assert (props["status"] == "suppressed") == (feature["id"] in suppressed)
            if props["status"] == "suppressed":
                assert props["value"] is None and props["suppressed_cells"] >= 1
        assert data["features"][0]["geometry"]["type"] in ("Polygon", "MultiPolygon")

    # the period changes the values; without geometry the answer is small
    light = helpers.call_action("smartcity_map_data", {"ignore_auth": True}, resource_id=rid,
                                column="so_ca_mac", period=MONTHS[0], geometry=False)
    assert all(f["geometry"] is None for f in light["features"])
    assert light["label"] == "Số ca mắc" and light["label_en"] == "Cases"


def test_map_data_names_the_bad_field(harvested):
    rid = harvested["resource"]["id"]
    for params, field in (({"column": "khong_co"}, "column"),
                          ({"column": "so_ca_mac", "period": "1999-01"}, "period"),
                          ({"column": "so_ca_mac", "filters": {"gioi_tinh": "Nam"}}, "filters"),
                          ({"column": "so_ca_mac", "filters": "[1]"}, "filters")):
        with pytest.raises(tk.ValidationError) as err:
            helpers.call_action("smartcity_map_data", {"ignore_auth": True},
                                resource_id=rid, **params)
        assert field in err.value.error_dict, params


def test_chart_data_gaps_where_suppressed_never_zero(harvested):
    rid = harvested["resource"]["id"]
    records = _records(rid)
    chart = helpers.call_action("smartcity_chart_data", {"ignore_auth": True},
                                resource_id=rid, column="so_ca_mac", by="thang",
                                filters={"chuong_icd10": "II"})
    expected = {m: sum(r["so_ca_mac"] for r in records
                       if r["thang"] == m and r["chuong_icd10"] == "II") for m in MONTHS}
    assert {p["key"]: p["value"] for p in chart["points"]} == expected
    by_chapter = helpers.call_action("smartcity_chart_data", {"ignore_auth": True},
                                     resource_id=rid, column="so_ca_mac", by="chuong_icd10",
                                     period=MONTHS[0])
    chapter_i = by_chapter["points"][0]
    assert chapter_i["key"] == "I" and chapter_i["status"] == "suppressed"
    assert chapter_i["value"] is None and by_chapter["points"][1]["label"] == "Khối u"


def test_table_preview_headers_follow_the_page_language(app, harvested):
    pkg, resource = harvested["package"], harvested["resource"]
    view = helpers.call_action("resource_view_list", {"ignore_auth": True},
                               id=resource["id"])[0]
    assert view["view_type"] == "datatables_view"
    url = f"/{pkg['type']}/{pkg['name']}/resource/{resource['id']}/view/{view['id']}"
    vi = app.get(url).get_data(as_text=True)
    en = app.get("/en" + url).get_data(as_text=True)
    def headers(page: str) -> list[str]:
        return [h.replace("&nbsp;", " ").strip()
                for h in re.findall(r'<th scope="col">(.*?)(?:&nbsp;)?<', page, re.S)]
    assert headers(vi) == ["Tháng", "Mã xã, phường", "Xã, phường", "Chương ICD-10",
                           "Tên chương bệnh", "Số ca mắc"]
    assert headers(en) == ["Month", "Commune code", "Commune", "ICD-10 chapter",
                           "Chapter title", "Cases"]


def test_shipped_boundaries_are_small_and_complete():
    size = geo.BOUNDARIES.stat().st_size
    assert size < 400_000, size
    collection = geo.boundaries()
    codes = [f["id"] for f in collection["features"]]
    assert len(codes) == 94 and set(codes) == set(current_communes())
    assert "Thang Le Quoc" in collection["attribution"] and "MIT" in collection["attribution"]
    from shapely.geometry import shape
    for feature in collection["features"]:
        geometry = shape(feature["geometry"])
        assert not geometry.is_empty and geometry.area > 0, feature["id"]


def test_boundaries_script_reproduces_the_shipped_file(tmp_path):
    import importlib.util
    spec = importlib.util.spec_from_file_location("build_boundaries",
                                                  ROOT / "scripts" / "build_boundaries.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    source = module.find_source()
    if source is None:
        pytest.skip("the shared admin-units folder (../shared/data/admin-units) is not "
                    "beside this checkout; the shipped file is checked above")
    target = tmp_path / "out.geojson"
    stats = module.build(source, target, module.TOLERANCE, module.DIGITS)
    assert stats["features"] == 94 and stats["vertices_after"] < stats["vertices_before"] / 5
    assert target.read_bytes() == geo.BOUNDARIES.read_bytes()
