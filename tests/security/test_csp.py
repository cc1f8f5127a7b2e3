"""Content-Security-Policy on every page the portal serves, and pages that still work
under it (issue 19, "No HTML from data"): Chromium records every violation."""
from __future__ import annotations

import pytest
import requests

_RECORD = ("window.__csp = [];"
           "document.addEventListener('securitypolicyviolation', e => window.__csp.push("
           "e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sourceFile || '') + ':' +"
           " e.lineNumber));")


def _dataset_with_views(portal) -> tuple[dict, dict, dict]:
    """A harvested DataStore table with its table, map and chart views."""
    found = portal.action("package_search", {"q": "res_format:CSV", "rows": 50},
                          token=None, method="GET")
    for pkg in found["results"]:
        for res in pkg["resources"]:
            if not res.get("datastore_active"):
                continue
            views = {v["view_type"]: v for v in portal.action(
                "resource_view_list", {"id": res["id"]}, token=None, method="GET")}
            if {"datatables_view", "smartcity_map"} <= set(views):
                return pkg, res, views
    pytest.fail("no harvested table with a table and a map view")


def test_the_header_is_on_every_kind_of_page(portal):
    pkg, res, _ = _dataset_with_views(portal)
    for path in ["/", "/en/", "/dataset/", f"/{pkg['type']}/{pkg['name']}",
                 f"/{pkg['type']}/{pkg['name']}/resource/{res['id']}",
                 "/api/3/action/status_show", "/no-such-page", "/user/login",
                 "/dataset/?q=%3Cscript%3E"]:
        answer = requests.get(portal.url + path, timeout=60)
        policy = answer.headers.get("Content-Security-Policy", "")
        for directive in ("script-src 'self'", "object-src 'none'", "frame-ancestors 'self'",
                          "base-uri 'self'", "default-src 'self'"):
            assert directive in policy, (path, answer.status_code, policy)
        assert "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
        assert "'unsafe-eval'" not in policy


def _violations(browser, url: str) -> list[str]:
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(url)
    WebDriverWait(browser, 60).until(
        lambda d: d.execute_script("return document.readyState") == "complete")
    browser.execute_script("return new Promise(r => setTimeout(r, 1500))")  # views, fetches
    found = browser.execute_script("return window.__csp || []")
    for frame in browser.execute_script("return Array.from(document.querySelectorAll('iframe'))"
                                        ".map(f => { try { return f.contentWindow.__csp || []; }"
                                        " catch (e) { return ['cross-origin frame']; } })"):
        found += frame
    return found


def test_pages_work_without_violations_in_chromium(portal, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    browser.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": _RECORD})
    pkg, res, views = _dataset_with_views(portal)
    base = f"{portal.url}/{pkg['type']}/{pkg['name']}"
    pages = ["/", "/dataset/?q=d%C3%A2n", f"/{pkg['type']}/{pkg['name']}",
             f"/en/{pkg['type']}/{pkg['name']}",
             f"/{pkg['type']}/{pkg['name']}/resource/{res['id']}",
             f"/{pkg['type']}/{pkg['name']}/resource/{res['id']}/view/"
             f"{views['datatables_view']['id']}",
             f"/{pkg['type']}/{pkg['name']}/resource/{res['id']}/view/"
             f"{views['smartcity_map']['id']}", "/user/login"]
    seen = {}
    for path in pages:
        seen[path] = _violations(browser, portal.url + path)
    # the map drew its communes, the table its rows (the pages work under the policy)
    browser.get(f"{base}/resource/{res['id']}/view/{views['smartcity_map']['id']}")
    from selenium.webdriver.support.ui import WebDriverWait
    WebDriverWait(browser, 60).until(lambda d: d.execute_script(
        "return document.querySelectorAll('path.sc-commune').length > 0"))
    browser.get(f"{base}/resource/{res['id']}/view/{views['datatables_view']['id']}")
    WebDriverWait(browser, 60).until(lambda d: d.execute_script(
        "return document.querySelectorAll('#dtprv tbody tr td').length > 1"))
    # logged in: the dataset form (select2, slug preview), the resource form, harvest admin
    browser.get(f"{portal.url}/user/login")
    browser.find_element(By.ID, "field-login").send_keys(portal.admin)
    browser.find_element(By.ID, "field-password").send_keys(portal.password + Keys.RETURN)
    WebDriverWait(browser, 60).until(lambda d: "/user/login" not in d.current_url)
    source = portal.sources[0]
    for path in [f"/{pkg['type']}/edit/{pkg['name']}", f"/{pkg['type']}/{pkg['name']}/resource/new",
                 "/harvest/", f"/harvest/admin/{source}", f"/harvest/{source}/job",
                 "/ckan-admin/", f"/user/{portal.admin}/api-tokens"]:
        seen[path] = _violations(browser, portal.url + path)
    # the resource form's Link button (a core inline handler, done by csp-compat.js)
    browser.get(f"{portal.url}/{pkg['type']}/{pkg['name']}/resource/new")
    browser.find_element(By.ID, "resource-link-button").click()
    assert browser.execute_script("return document.getElementById('resource-url-link').checked")
    seen["resource form click"] = browser.execute_script("return window.__csp")
    bad = {p: v for p, v in seen.items() if v}
    assert not bad, "\n".join(f"{p}: {v}" for p, v in bad.items())
