"""Crawl the portal's pages in Vietnamese: no visible text may be an untranslated English
string of CKAN's or ckanext-harvest's catalogue; the same pages in English show the
datasets' English titles, descriptions and column labels."""
from __future__ import annotations

import re

import pytest
from conftest import pages_of
from crawl import english_catalogue, untranslated, visible_text


@pytest.mark.usefixtures("with_plugins")
def test_vietnamese_pages_have_no_english_ui_strings(app, portal, record_property):
    catalogue = english_catalogue()
    assert len(catalogue.exact) > 900 and len(catalogue.patterns) > 100  # both .pot files read
    headers = {"Authorization": portal["admin"]["token"]}
    found: dict[str, list[str]] = {}
    chunks = 0
    for page in pages_of(portal):
        response = app.get(page, headers=headers)
        assert response.status_code == 200, page
        html = response.get_data(as_text=True)
        lang, text = visible_text(html)
        assert lang == "vi", page
        chunks += len(text)
        hits = untranslated(html, catalogue)
        if hits:
            found[page] = sorted({text for text, _msgid in hits})
    record_property("crawl", {"pages": len(pages_of(portal)), "text_chunks": chunks,
                              "untranslated": sum(len(v) for v in found.values())})
    print(f"crawl: {len(pages_of(portal))} pages, {chunks} text chunks, "
          f"{sum(len(v) for v in found.values())} untranslated")
    assert found == {}


def test_the_crawl_sees_english_when_it_is_there():
    """The detector itself: English CKAN text is caught, Vietnamese text is not."""
    catalogue = english_catalogue()
    html = ("<html lang='vi'><body><h2>Data Dictionary</h2><p>28 datasets found</p>"
            "<input placeholder='Search datasets...'><p>Từ điển dữ liệu</p>"
            "<p>Không có <span lang='en'>/ No personal identifier was found.</span></p>"
            "<script>var x = 'Data Dictionary';</script></body></html>")
    assert sorted(t for t, _ in untranslated(html, catalogue)) == [
        "28 datasets found", "Data Dictionary", "Search datasets..."]


@pytest.mark.usefixtures("with_plugins")
def test_english_pages_use_the_english_text(app, portal):
    name, res = portal["dataset"]["name"], portal["resource"]["id"]
    page = app.get(f"/en/health/{name}").get_data(as_text=True)
    assert re.search(r"<h1[^>]*>\s*Health facilities by commune", page)
    assert re.search(r"<title>\s*Health facilities by commune", page)
    assert "Health facilities in operation by commune." in page
    assert "Cơ sở y tế theo xã, phường</h1>" not in page

    results = app.get("/en/dataset/").get_data(as_text=True)
    assert "Health facilities by commune" in results
    assert "Health facilities in operation by commune." in results

    resource = app.get(f"/en/health/{name}/resource/{res}").get_data(as_text=True)
    assert "Commune code" in resource and "Number of health facilities" in resource
    assert "Mã xã, phường" not in resource

    vietnamese = app.get(f"/health/{name}/resource/{res}").get_data(as_text=True)
    assert "Mã xã, phường" in vietnamese and "Commune code" not in vietnamese
    assert "Cơ sở y tế theo xã, phường" in app.get(f"/health/{name}").get_data(as_text=True)
