"""Issue 22, downloads and API: what a researcher downloads opens in the tool it is for
(JSON without a BOM, CSV with one, XLSX in Excel, labelled headers on request), and the
developers page's URLs and links work in both languages."""
from __future__ import annotations

import codecs
import csv
import io
import json
import re

import requests
from openpyxl import load_workbook

EXAMPLE = "dan-so-theo-xa-gioi-tinh-nhom-tuoi"  # config_declaration.yaml's default


def _table(portal, name=EXAMPLE):
    package = portal.action("package_show", {"id": name}, token=None, method="GET")
    [resource] = [r for r in package["resources"] if r.get("datastore_active")][:1]
    fields = portal.action("datastore_search", {"resource_id": resource["id"], "limit": 0},
                           token=None)["fields"]
    return package, resource, fields  # the dump's columns: _id, then the table's


def _links_of_resource_page(portal, package, resource):
    page = requests.get(f"{portal.url}/dataset/{package['name']}/resource/{resource['id']}",
                        timeout=60)
    assert page.status_code == 200
    return [h.replace("&amp;", "&") for h in
            re.findall(r'href="([^"]*/datastore/dump/[^"]*)"', page.text)]


def test_json_and_xml_dumps_have_no_bom_and_csv_has_one(portal):
    package, resource, fields = _table(portal)
    links = _links_of_resource_page(portal, package, resource)
    json_links = [u for u in links if "format=json" in u]
    assert json_links, links
    for url in json_links + [f"/datastore/dump/{resource['id']}?format=json&bom=true"]:
        got = requests.get(portal.url + url if url.startswith("/") else url, timeout=60)
        assert got.status_code == 200, url
        assert not got.content.startswith(codecs.BOM_UTF8), url
        body = json.loads(got.content)  # json.load refuses a BOM
        assert [f["id"] for f in body["fields"]] == [f["id"] for f in fields]
    xml = requests.get(f"{portal.url}/datastore/dump/{resource['id']}?format=xml&bom=true",
                       timeout=60)
    assert xml.status_code == 200 and xml.content.startswith(b"<")
    csv_dump = requests.get(f"{portal.url}/datastore/dump/{resource['id']}", timeout=60)
    assert csv_dump.content.startswith(codecs.BOM_UTF8)
    assert csv_dump.headers["Content-Disposition"].endswith(f'"{package["name"]}.csv"')


def test_xlsx_dump_opens_with_the_same_rows_and_unknown_formats_are_400(portal):
    package, resource, fields = _table(portal)
    url = f"{portal.url}/datastore/dump/{resource['id']}"
    got = requests.get(url, params={"format": "xlsx"}, timeout=120)
    assert got.status_code == 200, got.text[:500]
    assert got.headers["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    assert got.headers["Content-Disposition"].endswith(f'"{package["name"]}.xlsx"')
    rows = list(load_workbook(io.BytesIO(got.content), read_only=True).active.values)
    csv_rows = list(csv.reader(io.StringIO(
        requests.get(url, timeout=60).content.decode("utf-8-sig"))))
    assert list(rows[0]) == csv_rows[0] == [f["id"] for f in fields]
    assert len(rows) == len(csv_rows)
    assert [["" if v is None else str(v) for v in row] for row in rows[1:4]] == csv_rows[1:4]
    labelled = requests.get(url, params={"format": "xlsx", "labels": "en"}, timeout=120)
    header = next(load_workbook(io.BytesIO(labelled.content), read_only=True).active.values)
    assert list(header) == [(f.get("info") or {}).get("label_en") or f["id"] for f in fields]

    refused = requests.get(url, params={"format": "parquet"}, timeout=60)
    assert refused.status_code == 400
    for fmt in ("csv", "tsv", "json", "xml", "xlsx"):
        assert fmt in refused.text


def test_csv_headers_are_ids_by_default_and_labels_on_request(portal):
    _, resource, fields = _table(portal)
    url = f"{portal.url}/datastore/dump/{resource['id']}"
    by_id = list(csv.reader(io.StringIO(requests.get(url, timeout=60).content
                                        .decode("utf-8-sig"))))
    assert by_id[0] == [f["id"] for f in fields]
    for lang, key in (("vi", "label"), ("en", "label_en")):
        got = requests.get(url, params={"labels": lang}, timeout=60)
        assert got.content.startswith(codecs.BOM_UTF8)
        rows = list(csv.reader(io.StringIO(got.content.decode("utf-8-sig"))))
        assert rows[0] == [(f.get("info") or {}).get(key) or f["id"] for f in fields]
        assert rows[0] != by_id[0] and rows[1:] == by_id[1:]
    assert "Số người" in requests.get(url, params={"labels": "vi", "format": "tsv"},
                                      timeout=60).content.decode("utf-8-sig").split("\n")[0]
    assert requests.get(url, params={"labels": "fr"}, timeout=60).status_code == 400


def test_developers_page_urls_work_in_both_languages(portal):
    _, resource, _ = _table(portal)
    for prefix in ("", "/en"):
        page = requests.get(f"{portal.url}{prefix}/developers", timeout=60)
        assert page.status_code == 200
        assert "/en/en/" not in page.text
        assert f'data-example-dataset="{EXAMPLE}"' in page.text
        assert f'data-example-table="{resource["id"]}"' in page.text
        shown = re.findall(r"<code>GET ([^<]+)</code>", page.text)
        assert len(shown) >= 8
        for url in shown:
            url = url.replace("&amp;", "&")
            assert url.startswith(portal.url + "/") and "/en/" not in url, url
            assert requests.get(url, timeout=120).status_code == 200, url
        docs = set(re.findall(r'href="(https://docs\.ckan\.org/en/[^"]+)"', page.text))
        assert len(docs) >= 2
        assert {d.split("/")[4] for d in docs} == {"2.12"}, docs


def test_datatables_search_box_clear_icon_is_served(portal, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    package, resource, _ = _table(portal)
    views = portal.action("resource_view_list", {"id": resource["id"]}, token=None)
    [view] = [v for v in views if v["view_type"] == "datatables_view"][:1]
    browser.get(f"{portal.url}/dataset/{package['name']}/resource/{resource['id']}"
                f"/view/{view['id']}")
    box = WebDriverWait(browser, 60).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, 'input[type="search"]'))[0]
    box.click()
    box.send_keys("Hải")  # the clear button shows: Chromium loads its background image
    loaded = WebDriverWait(browser, 30).until(lambda d: [
        name for name in d.execute_script(
            "return performance.getEntriesByType('resource').map(e => e.name);")
        if "search-clear" in name or "times-circle" in name])
    assert not [u for u in loaded if "times-circle" in u], loaded
    for url in loaded:
        assert requests.get(url, timeout=60).status_code == 200, url
