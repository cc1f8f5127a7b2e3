"""Strings from data are shown as text, never run as HTML (issue 19, finding 2): a DataStore
dictionary label, a unit and a category value carry payloads that would change the page;
real Chromium opens the map, chart and table views and the resource page, vi and en."""
from __future__ import annotations

import uuid

import pytest

LABEL = '<img src=x class=pwn onerror="document.title=\'PWNED\'">Số ca'
UNIT = '<b class=pwn onmouseover="document.title=\'PWNED\'">ca</b>'
CATEGORY = '<svg class=pwn onload="document.title=\'PWNED\'"></svg>Nhóm A'
HEADER = '<iframe class=pwn srcdoc="x"></iframe>Nhóm'


@pytest.fixture(scope="module")
def poisoned(portal):
    """A department's table whose dictionary and values carry the payloads."""
    codes = [u["code"] for u in portal.action("smartcity_admin_units", {
        "level": "commune", "at": "2026-01-01"}, token=None, method="GET")][:12]
    org = portal.action("organization_list", {}, token=None, method="GET")[0]
    pkg = portal.action("package_create", {
        "name": f"xss-{uuid.uuid4().hex[:8]}", "title": "Bảng thử XSS / XSS table",
        "owner_org": org, "type": "dataset", "notes": "x"})
    created = portal.action("datastore_create", {
        "resource": {"package_id": pkg["id"], "name": "bang", "format": "CSV"},
        "fields": [{"id": "ma_xa", "type": "text", "info": {"label": "Mã xã"}},
                   {"id": "nhom", "type": "text", "info": {"label": HEADER}},
                   {"id": "so_ca", "type": "int",
                    "info": {"label": LABEL, "label_en": LABEL, "unit": UNIT,
                             "unit_en": UNIT}}],
        "records": [{"ma_xa": c, "nhom": CATEGORY if i % 2 else "B", "so_ca": 10 + i}
                    for i, c in enumerate(codes * 2)],
        "force": True})
    rid = created["resource_id"]
    views = {}
    for view_type in ("smartcity_map", "smartcity_chart", "datatables_view"):
        views[view_type] = portal.action("resource_view_create", {
            "resource_id": rid, "view_type": view_type, "title": view_type})
    return pkg, rid, views


def _unchanged(browser) -> None:
    state = browser.execute_script(
        "const docs = [document].concat(Array.from(document.querySelectorAll('iframe'))"
        "  .map(f => { try { return f.contentDocument; } catch (e) { return null; } })"
        "  .filter(Boolean));"
        "return {title: docs.map(d => d.title),"
        "        injected: docs.map(d => d.querySelectorAll('.pwn, img[src=x]').length)"
        "                      .reduce((a, b) => a + b, 0)};")
    assert "PWNED" not in state["title"], state
    assert state["injected"] == 0, state


def _text(browser, css: str) -> str:
    return browser.execute_script(
        "return Array.from(document.querySelectorAll(arguments[0]))"
        ".map(e => e.textContent).join(' | ')", css)


@pytest.mark.parametrize("lang", ["", "/en"])
def test_map_legend_and_tooltip_show_the_label_and_unit_as_text(portal, browser, poisoned, lang):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    pkg, rid, views = poisoned
    browser.get(f"{portal.url}{lang}/dataset/{pkg['name']}/resource/{rid}/view/"
                f"{views['smartcity_map']['id']}")
    WebDriverWait(browser, 60).until(lambda d: d.execute_script(
        "const r = document.querySelector('.sc-map-view');"
        "return r && r.getAttribute('data-loading') === 'false'"
        " && document.querySelector('path.sc-status-ok');"))
    assert LABEL in _text(browser, ".sc-legend-title")
    assert UNIT in _text(browser, ".sc-legend-title")
    shape = browser.find_element(By.CSS_SELECTOR, "path.sc-status-ok")
    ActionChains(browser).move_to_element(shape).perform()
    WebDriverWait(browser, 20).until(lambda d: d.execute_script(
        "return document.querySelector('.leaflet-tooltip')"))
    tip = _text(browser, ".leaflet-tooltip")
    assert LABEL in tip and UNIT in tip, tip
    assert CATEGORY in _text(browser, ".sc-controls option")  # the category filter
    _unchanged(browser)


@pytest.mark.parametrize("lang", ["", "/en"])
def test_chart_and_table_views_show_the_payloads_as_text(portal, browser, poisoned, lang):
    from selenium.webdriver.support.ui import WebDriverWait

    pkg, rid, views = poisoned
    browser.get(f"{portal.url}{lang}/dataset/{pkg['name']}/resource/{rid}/view/"
                f"{views['smartcity_chart']['id']}")
    WebDriverWait(browser, 60).until(lambda d: d.execute_script(
        "const r = document.querySelector('.sc-chart-view');"
        "return r && r.getAttribute('data-loading') === 'false';"))
    assert LABEL in _text(browser, ".sc-chart-table thead th, .sc-controls option")
    _unchanged(browser)
    browser.get(f"{portal.url}{lang}/dataset/{pkg['name']}/resource/{rid}/view/"
                f"{views['datatables_view']['id']}")
    WebDriverWait(browser, 60).until(lambda d: d.execute_script(
        "return document.querySelectorAll('#dtprv tbody tr td').length > 1"))
    _unchanged(browser)


@pytest.mark.parametrize("lang", ["", "/en"])
def test_resource_and_dataset_pages_are_unchanged(portal, browser, poisoned, lang):
    from selenium.webdriver.support.ui import WebDriverWait

    pkg, rid, views = poisoned
    for path in (f"/dataset/{pkg['name']}/resource/{rid}", f"/dataset/{pkg['name']}"):
        browser.get(f"{portal.url}{lang}{path}")
        WebDriverWait(browser, 60).until(
            lambda d: d.execute_script("return document.readyState") == "complete")
        browser.execute_script("return new Promise(r => setTimeout(r, 3000))")  # the view
        _unchanged(browser)
