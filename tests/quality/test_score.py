"""Score arithmetic on datasets crafted through package_create with the real schemas: every
indicator on and off, distribution shares, city indicators, the stored and indexed report."""
from __future__ import annotations

import datetime as dt

import pytest

from ckan.tests import helpers

from ckanext.smartcity.quality import reachability
from ckanext.smartcity.quality.indicators import SCHEME

MAXIMA = {name: maximum for name, (_dim, maximum, _vi, _en) in SCHEME.items()}


def _points(pkg: dict) -> dict[str, int]:
    return {name: i["points"] for name, i in pkg["quality"]["indicators"].items()}


def _show(name: str) -> dict:
    return helpers.call_action("package_show", {"ignore_auth": True}, id=name)


def _resource(url: str, fmt: str, **extra) -> dict:
    return {"url": url, "name": f"Tệp {fmt}", "format": fmt, **extra}


def test_the_scheme_adds_up_to_405_in_five_dimensions():
    by_dimension: dict[str, int] = {}
    for dimension, maximum, fix_vi, fix_en in SCHEME.values():
        by_dimension[dimension] = by_dimension.get(dimension, 0) + maximum
        assert fix_vi and fix_en
    assert by_dimension == {"findability": 100, "accessibility": 100,
                            "interoperability": 110, "reusability": 75, "contextuality": 20}
    assert sum(MAXIMA.values()) == 405


def test_a_complete_dataset_scores_everything_once_its_links_answer(build, city, link_server):
    build.dataset(city["admin"], "health", "day-du", city["health"], tag_string="y tế,health",
                  resources=[_resource(link_server.url("co_so.csv"), "CSV", size=2048)])
    pkg = _show("day-du")
    quality = pkg["quality"]
    assert set(quality) >= {"score", "max", "rating", "dimensions", "indicators", "city",
                            "top_fixes"}
    assert quality["max"] == 405
    unchecked = {"access_url_reachable", "download_url_reachable"}
    assert _points(pkg) == {name: (0 if name in unchecked else m) for name, m in MAXIMA.items()}
    assert quality["score"] == 405 - 80 and quality["rating"] == "good"
    assert [f["indicator"] for f in quality["top_fixes"]] == list(sorted(
        unchecked, key=lambda n: -MAXIMA[n]))
    assert quality["dimensions"]["accessibility"] == {"score": 20, "max": 100}
    assert quality["top_fixes"][0]["fix"]["vi"] and quality["top_fixes"][0]["fix"]["en"]
    # never checked reads "not checked yet", not as a failed check (issue 22)
    for fix in quality["top_fixes"]:
        assert fix["fix"]["vi"].startswith("Chưa kiểm tra"), fix
        assert fix["fix"]["en"].startswith("Not checked yet"), fix

    reachability.check_dataset(pkg["id"])
    checked = _show("day-du")["quality"]
    assert checked["score"] == 405 and checked["rating"] == "excellent"
    assert checked["top_fixes"] == []


def test_a_bare_dataset_earns_only_what_it_has(build, city):
    helpers.call_action("package_create", {"user": city["admin"]["name"]}, type="dataset",
                        name="gan-nhu-trong", title="Gần như trống",
                        owner_org=city["health"]["id"], license_id="")
    quality = _show("gan-nhu-trong")["quality"]
    points = {name: i["points"] for name, i in quality["indicators"].items()}
    earned = {name for name, value in points.items() if value}
    # the department's address makes a contact point; dates come from CKAN; without a
    # description the dataset's graph violates DCAT-AP 3 (dct:description is required)
    assert earned == {"contact_point", "publisher", "issued", "modified"}
    assert sum(points.values()) == quality["score"] == 20 + 10 + 5 + 5
    assert "violation" in quality["indicators"]["dcat_ap_compliant"]["fix"]["en"]
    assert quality["rating"] == "bad"
    # ties (30 points) in indicator order
    assert [f["indicator"] for f in quality["top_fixes"]] == [
        "access_url_reachable", "keywords", "themes"]
    assert quality["top_fixes"][0]["fix"]["en"].startswith("Add a resource")

    helpers.call_action("package_patch", {"user": city["admin"]["name"]}, id="gan-nhu-trong",
                        notes="Có mô tả.")
    assert _points(_show("gan-nhu-trong"))["dcat_ap_compliant"] == 30


def test_distribution_indicators_count_the_share_that_passes(build, city, link_server):
    build.dataset(city["admin"], "education", "hai-tep", city["education"],
                  license_id="closed", data_classification="internal", private=True,
                  resources=[_resource(link_server.url("truong.csv"), "CSV", size=10),
                             _resource(link_server.url("bao-cao.pdf"), "PDF"),
                             _resource(link_server.url("ghi-chu"), "")])
    points = _points(_show("hai-tep"))
    assert points["format"] == 20 * 2 // 3            # two of three resources have one
    assert points["media_type"] == 10 * 2 // 3        # CSV and PDF are in the vocabularies
    assert points["format_vocabulary"] == 10 * 2 // 3
    assert points["non_proprietary"] == 20 * 2 // 3   # CSV and PDF are open formats
    assert points["machine_readable"] == 20 * 1 // 3  # only the CSV
    assert points["download_url"] == 20 * 2 // 3      # a link without format has none
    assert points["byte_size"] == 5 * 1 // 3
    assert points["rights"] == 5
    assert points["licence"] == 20 and points["licence_vocabulary"] == 0  # "closed"
    assert points["access_rights"] == 10 and points["access_rights_vocabulary"] == 5


def test_a_licence_outside_the_list_and_a_dcat_violation_lose_their_points(build, city,
                                                                             link_server):
    build.dataset(city["admin"], "health", "giay-phep-cu", city["health"], license_id="cc-by",
                  resources=[_resource(link_server.url("a.csv"), "CSV", language="vi")])
    pkg = _show("giay-phep-cu")
    points = _points(pkg)
    assert points["licence"] == 0 and points["licence_vocabulary"] == 0 and points["rights"] == 0
    # a resource language given as a plain literal is a SHACL violation of DCAT-AP 3
    assert points["dcat_ap_compliant"] == 0
    assert "violation" in pkg["quality"]["indicators"]["dcat_ap_compliant"]["fix"]["en"]


def test_city_indicators_stay_outside_the_405(build, city):
    stale = build.dataset(city["admin"], "health", "qua-han", city["health"],
                          update_frequency="monthly")
    build.dataset(city["admin"], "health", "dung-han", city["health"],
                  update_frequency="monthly")
    # age the dataset as time would (provenance such as harvested_at is the harvest's
    # alone and cannot be set through the API), then score it again
    import ckan.model as model
    from ckanext.smartcity import quality
    model.Session.query(model.Package).filter_by(id=stale["id"]).update(
        {"metadata_modified": dt.datetime(2024, 1, 1)})
    model.Session.commit()
    quality.refresh(stale["id"])
    late, timely = _show("qua-han")["quality"], _show("dung-han")["quality"]
    assert late["city"]["timeliness"]["passed"] is False
    assert "due every 32 days" in late["city"]["timeliness"]["detail"]
    assert timely["city"]["timeliness"]["passed"] is True
    assert late["city"]["privacy_report"]["passed"] is False  # not harvested, no upload
    assert late["score"] == timely["score"]  # timeliness is not part of the 405


def test_score_follows_an_edit_and_is_sortable_and_facetable(build, city):
    admin = city["admin"]
    build.dataset(admin, "health", "it-diem", city["health"], license_id="")
    build.dataset(admin, "health", "nhieu-diem", city["health"], tag_string="y tế")
    build.dataset(admin, "health", "vua-diem", city["health"])
    scores = {n: _show(n)["quality"]["score"] for n in ("it-diem", "nhieu-diem", "vua-diem")}
    assert scores["nhieu-diem"] > scores["vua-diem"] > scores["it-diem"]

    found = helpers.call_action("package_search", {}, sort="quality_score desc",
                                **{"facet.field": '["quality_rating"]'})
    assert [p["name"] for p in found["results"]] == ["nhieu-diem", "vua-diem", "it-diem"]
    assert [p["quality"]["score"] for p in found["results"]] == sorted(scores.values(),
                                                                        reverse=True)
    ratings = {i["name"]: i["count"] for i in found["search_facets"]["quality_rating"]["items"]}
    assert sum(ratings.values()) == 3
    found = helpers.call_action("package_search", {}, sort="quality_score asc")
    assert found["results"][0]["name"] == "it-diem"

    helpers.call_action("package_patch", {"user": admin["name"]}, id="it-diem",
                        tag_string="y tế,thống kê", license_id="cc-by-4.0")
    assert _show("it-diem")["quality"]["score"] == scores["nhieu-diem"]
    rating = _show("nhieu-diem")["quality"]["rating"]
    found = helpers.call_action("package_search", {}, fq=f"quality_rating:{rating}",
                                sort="quality_score desc, name asc")
    assert [p["name"] for p in found["results"]][:2] == ["it-diem", "nhieu-diem"]


def test_a_show_dict_sent_back_does_not_store_the_report_as_an_extra(build, city):
    pkg = build.dataset(city["admin"], "health", "khu-hoi", city["health"])
    shown = _show("khu-hoi")
    assert "quality" in shown
    helpers.call_action("package_update", {"user": city["admin"]["name"]},
                        **dict(shown, notes="Đã sửa mô tả."))
    again = _show(pkg["id"])
    assert not [e for e in again.get("extras", []) if e["key"] == "quality"]
    assert again["quality"]["score"] == shown["quality"]["score"]
