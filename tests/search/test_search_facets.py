"""Facets and multi-valued indexing against the real Solr of the test services."""
from __future__ import annotations

from collections import OrderedDict

import pytest

from ckan.tests import helpers

from ckanext.smartcity.reference.lists import as_list
from ckanext.smartcity.search import index as search


def _names(result: dict) -> set[str]:
    return {d["name"] for d in result["results"]}


def _counts(result: dict, field: str) -> dict[str, int]:
    return search.facet_counts(result["search_facets"].get(field))


@pytest.fixture
def corpus(build, clean_db, clean_index):
    """Four datasets over three types; one private (never in anonymous results)."""
    admin = build.sysadmin()
    org = build.department(admin)
    economy = build.pillar(admin, "kinh-te-thong-minh", "Kinh tế thông minh", "economy")
    build.dataset(admin, "health", "co-so-y-te", org,
                  admin_units=["20194", "20197"], temporal_start="2023-01-01",
                  temporal_end="2025-12-31", update_frequency="monthly",
                  groups=[{"name": economy["name"]}])
    build.dataset(admin, "health", "giuong-benh", org, admin_units=["20197"],
                  facility_types=["hospital"])
    build.dataset(admin, "population", "dan-so-theo-xa", org, admin_units=["20194"],
                  temporal_start="2024-01-01", temporal_end="2024-12-31",
                  reference_date="2024-04-01", breakdowns=["sex"])
    build.dataset(admin, "education", "truong-hoc-noi-bo", org, admin_units=["20194"],
                  data_classification="internal", private=True)
    return {"admin": admin, "org": org}


@pytest.mark.usefixtures("with_plugins")
def test_fq_on_admin_units_finds_exactly_the_datasets_covering_the_unit(corpus):
    found = helpers.call_action("package_search", fq="admin_units:20194")
    assert _names(found) == {"co-so-y-te", "dan-so-theo-xa"}

    found = helpers.call_action("package_search", fq="+admin_units:20197 +dataset_type:health")
    assert _names(found) == {"co-so-y-te", "giuong-benh"}

    # the quoted form the search page sends, inside fq_list too
    found = helpers.call_action("package_search", fq_list=['admin_units:"20194"'])
    assert _names(found) == {"co-so-y-te", "dan-so-theo-xa"}
    assert helpers.call_action("package_search", fq="admin_units:20200")["count"] == 0


@pytest.mark.usefixtures("with_plugins")
def test_facet_counts_are_per_code_and_per_year(corpus):
    fields = ["dataset_type", "admin_units", "years", "update_frequency", "breakdowns",
              "facility_types", "groups"]
    result = helpers.call_action("package_search", rows=0, **{"facet.field": fields})

    assert _counts(result, "dataset_type") == {"health": 2, "population": 1}
    assert _counts(result, "admin_units") == {"20194": 2, "20197": 2}
    assert _counts(result, "years") == {"2023": 1, "2024": 2, "2025": 2}
    assert _counts(result, "update_frequency") == {"monthly": 1, "annual": 2}
    assert _counts(result, "breakdowns") == {"sex": 1}
    assert _counts(result, "facility_types") == {"hospital": 2, "commune_health_station": 1}
    assert _counts(result, "groups") == {"kinh-te-thong-minh": 1}
    # public names only: the index names never leak into the API
    assert not [k for k in result["search_facets"] if k.startswith("vocab_")]
    assert set(fields) <= set(result["facets"])


@pytest.mark.usefixtures("with_plugins")
def test_facet_items_carry_readable_names(corpus):
    result = helpers.call_action(
        "package_search", rows=0,
        **{"facet.field": ["admin_units", "dataset_type", "update_frequency", "breakdowns"]})
    labels = {
        field: {i["name"]: i["display_name"] for i in result["search_facets"][field]["items"]}
        for field in ("admin_units", "dataset_type", "update_frequency", "breakdowns")
    }
    # outside a request the site default language (vi) applies
    assert labels["admin_units"] == {"20194": "Phường Hải Vân", "20197": "Phường Liên Chiểu"}
    assert labels["dataset_type"] == {"health": "Y tế", "population": "Dân cư"}
    assert labels["update_frequency"] == {"monthly": "Hằng tháng", "annual": "Hằng năm"}
    assert labels["breakdowns"] == {"sex": "Giới tính"}


@pytest.mark.usefixtures("with_plugins")
def test_years_filter_and_reindex_after_update(corpus):
    assert _names(helpers.call_action("package_search", fq="years:2024")) == {
        "co-so-y-te", "dan-so-theo-xa"}
    assert _names(helpers.call_action("package_search", fq="years:2023")) == {"co-so-y-te"}

    helpers.call_action("package_patch", {"user": corpus["admin"]["name"]},
                        id="co-so-y-te", admin_units=["20197"],
                        temporal_start="2025-01-01")
    assert _names(helpers.call_action("package_search", fq="admin_units:20194")) == {
        "dan-so-theo-xa"}
    assert helpers.call_action("package_search", fq="years:2023")["count"] == 0


@pytest.mark.usefixtures("with_plugins")
def test_private_dataset_is_found_only_with_permission(corpus):
    anonymous = helpers.call_action("package_search", fq="dataset_type:education",
                                    context={"user": ""})
    assert anonymous["count"] == 0
    as_admin = helpers.call_action("package_search", {"user": corpus["admin"]["name"]},
                                   fq="admin_units:20194", include_private=True)
    assert _names(as_admin) == {"co-so-y-te", "dan-so-theo-xa", "truong-hoc-noi-bo"}


@pytest.mark.usefixtures("with_plugins")
def test_search_page_shows_labelled_facets_and_filters(corpus, app):
    page = app.get("/health/", query_string={"admin_units": "20194"})
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert "Đơn vị hành chính" in body and "Loại cơ sở y tế" in body and "Năm" in body
    assert "Phường Hải Vân" in body
    assert "/health/co-so-y-te" in body and "/health/giuong-benh" not in body
    assert "Tìm dữ liệu y tế..." in body  # the type reads as a domain, not "Healths"
    assert "health found" not in body and "healths" not in body.lower()

    english = app.get("/en/health/").get_data(as_text=True)
    assert "Administrative unit" in english and "Health facility type" in english
    assert "Hai Van Ward" in english
    assert "Search health datasets..." in english


@pytest.mark.ckan_config("ckan.search.show_all_types", "true")
@pytest.mark.usefixtures("with_plugins")
def test_generic_search_page_facets_by_domain(corpus, app):
    body = app.get("/dataset/", query_string={"dataset_type": "health"}).get_data(as_text=True)
    assert "Lĩnh vực" in body and "Y tế" in body
    assert "/health/co-so-y-te" in body and "/population/dan-so-theo-xa" not in body
    body = app.get("/dataset/", query_string={"years": "2024"}).get_data(as_text=True)
    assert "/health/co-so-y-te" in body and "/population/dan-so-theo-xa" in body
    assert "/health/giuong-benh" not in body


def test_dataset_facets_order_and_labels(app):
    with app.flask_app.test_request_context("/dataset/"):
        generic = search.dataset_facets(OrderedDict([("tags", "Tags")]), "dataset")
    assert list(generic) == ["dataset_type", "organization", "groups",
                             "update_frequency", "admin_units", "years", "tags"]
    with app.flask_app.test_request_context("/dataset/?dataset_type=health"):
        chosen = search.dataset_facets(OrderedDict([("tags", "Tags")]), "dataset")
    assert {"facility_types", "icd10_chapters"} <= set(chosen)
    assert not {"breakdowns", "land_groups", "vsic_sections", "education_levels"} & set(chosen)
    health = search.dataset_facets(OrderedDict(), "health")
    assert "dataset_type" not in health and "facility_types" in health
    assert "breakdowns" not in health
    harvest = OrderedDict([("frequency", "Frequency")])
    assert search.dataset_facets(harvest, "harvest") == harvest
    assert search.facet_label("admin_units", "vi") == "Đơn vị hành chính"
    assert search.facet_label("admin_units", "en") == "Administrative unit"


def test_index_helpers_decode_lists_and_expand_years():
    assert as_list('["20194", "20197"]') == ["20194", "20197"]
    assert as_list("20194") == ["20194"]
    assert as_list(["sex", ""]) == ["sex"]
    assert as_list(None) == []
    assert search.covered_years("2023-05-01", "2025-02-01") == ["2023", "2024", "2025"]
    assert search.covered_years("2024-01-01", None) == ["2024"]
    assert search.covered_years("2025-01-01", "2020-01-01") == ["2020", "2025"]
    assert search.to_solr_names('+admin_units:"1" -years:2024 extras_admin_units:x') == (
        '+vocab_admin_units:"1" -vocab_years:2024 extras_admin_units:x')
    indexed = search.before_dataset_index(
        {"admin_units": '["20194","20197"]', "temporal_start": "2024-01-01",
         "temporal_end": "2025-06-30", "validated_data_dict": "{}"})
    assert indexed["vocab_admin_units"] == ["20194", "20197"]
    assert indexed["vocab_years"] == ["2024", "2025"]
    assert "admin_units" not in indexed
