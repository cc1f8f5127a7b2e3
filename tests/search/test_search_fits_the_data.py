"""Search that fits the city's data: commune names find the datasets covering them,
facets list years and codes in their natural order, a domain's own facets appear once
the domain is chosen, and no facet box is shown empty."""
from __future__ import annotations

import re

import pytest

from ckan.tests import helpers


@pytest.fixture
def corpus(build, clean_db, clean_index):
    admin = build.sysadmin()
    org = build.department(admin)
    # 20194 Phường Hải Vân, 20197 Phường Liên Chiểu (current units); 20209 is Hải Châu
    build.dataset(admin, "health", "co-so-y-te", org, admin_units=["20194", "20197"],
                  temporal_start="2016-01-01", temporal_end="2016-12-31",
                  icd10_chapters=["IX", "V", "I", "XXI"])
    build.dataset(admin, "enterprise", "doanh-nghiep", org, admin_units=["20197"],
                  temporal_start="2024-01-01", temporal_end="2026-06-30",
                  vsic_sections=["G", "C", "A"])
    build.dataset(admin, "enterprise", "doanh-nghiep-2025", org, admin_units=["20197"],
                  temporal_start="2025-01-01", temporal_end="2025-12-31",
                  vsic_sections=["C"])
    return {"admin": admin}


def _names(**params) -> set[str]:
    return {d["name"] for d in helpers.call_action("package_search", **params)["results"]}


@pytest.mark.usefixtures("with_plugins")
@pytest.mark.parametrize("query", ["Hải Vân", "hai van", "HẢI VÂN", "Hai Van Ward"])
def test_a_commune_name_finds_the_datasets_covering_it(corpus, query):
    assert _names(q=query) == {"co-so-y-te"}


@pytest.mark.usefixtures("with_plugins")
def test_commune_names_with_and_without_diacritics_find_the_same(corpus):
    assert _names(q="Liên Chiểu") == _names(q="lien chieu") == {
        "co-so-y-te", "doanh-nghiep", "doanh-nghiep-2025"}
    assert _names(q="Hòa Vang") == set()


def _facet_items(body: str, field: str) -> list[str]:
    """The values of one facet box of the search page, in the order shown."""
    return re.findall(rf'href="[^"]*[?&;]{field}=([^"&]+)"', body)


@pytest.mark.usefixtures("with_plugins")
def test_years_are_listed_newest_first_and_codes_in_code_order(app, corpus):
    body = app.get("/dataset/").get_data(as_text=True)
    assert _facet_items(body, "years") == ["2026", "2025", "2024", "2016"]  # 2025 has 2

    health = app.get("/health/").get_data(as_text=True)
    assert _facet_items(health, "icd10_chapters") == ["I", "V", "IX", "XXI"]

    enterprise = app.get("/enterprise/").get_data(as_text=True)
    assert _facet_items(enterprise, "vsic_sections") == ["A", "C", "G"]  # C has 2


@pytest.mark.usefixtures("with_plugins")
def test_domain_facets_appear_once_the_domain_is_chosen(app, corpus):
    generic = app.get("/dataset/").get_data(as_text=True)
    assert "Ngành kinh tế (VSIC)" not in generic and "Chương ICD-10" not in generic
    chosen = app.get("/dataset/", query_string={"dataset_type": "enterprise"}
                     ).get_data(as_text=True)
    assert "Ngành kinh tế (VSIC)" in chosen and "Chương ICD-10" not in chosen


@pytest.mark.usefixtures("with_plugins")
def test_no_facet_box_is_shown_empty(app, corpus):
    body = app.get("/enterprise/").get_data(as_text=True)
    assert "Không có" not in body and "There are no" not in body
    headings = re.findall(r'<h2 class="module-heading">\s*<i class="fa fa-filter"></i>\s*'
                          r'([^<]+?)\s*</h2>', body)
    assert "Ngành kinh tế (VSIC)" in headings and "Đơn vị hành chính" in headings
    # the enterprises have no tags: no "Từ khóa" box at all
    assert "Từ khóa" not in headings
