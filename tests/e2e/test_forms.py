"""Issue 22, the department officer's forms: a Vietnamese title gives a readable URL name,
in the form's preview (JavaScript) and on the server alike; the form reads right in
Vietnamese, its errors name their field, and no page loads anything from a third party."""
from __future__ import annotations

import re

import pytest
import requests

from ckanext.smartcity.reference.slugs import vi_slug

TITLE = "Số ca mắc sốt xuất huyết theo xã, phường — Đà Nẵng 2026 (ưu tiên ở Hội An)"
SLUG = "so-ca-mac-sot-xuat-huyet-theo-xa-phuong-da-nang-2026-uu-tien-o-hoi-an"


@pytest.mark.parametrize("title, slug", [
    (TITLE, SLUG),
    ("Đường Nguyễn Văn Linh — Ngũ Hành Sơn", "duong-nguyen-van-linh-ngu-hanh-son"),
    ("Tỷ lệ hộ nghèo (%) 2025–2026", "ty-le-ho-ngheo-2025-2026"),
    # the same text in decomposed form (as macOS and some keyboards send it)
    ("So\u0302\u0301 ca ma\u0306\u0301c", "so-ca-mac"),
])
def test_vi_slug_transliterates(title, slug):
    assert vi_slug(title) == slug


def _admin_browser(portal, browser, path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(f"{portal.url}/user/login?came_from={path}")
    browser.find_element(By.ID, "field-login").send_keys(portal.admin)
    browser.find_element(By.ID, "field-password").send_keys(portal.password + Keys.RETURN)
    WebDriverWait(browser, 30).until(lambda d: "/user/login" not in d.current_url)
    browser.get(f"{portal.url}{path}")


def test_form_preview_and_server_give_the_same_transliterated_name(portal, browser):
    from selenium.webdriver.common.by import By

    _admin_browser(portal, browser, "/health/new")
    browser.find_element(By.ID, "field-title").send_keys(TITLE)
    assert browser.find_element(By.ID, "field-name").get_attribute("value") == SLUG
    preview = browser.find_element(By.CSS_SELECTOR, ".slug-preview-value").text
    assert preview == SLUG

    created = portal.action("package_create", {  # no name: the server makes it the same way
        "type": "health", "title": TITLE, "owner_org": "so-y-te",
        "update_frequency": "annual", "admin_units": ["20194"],
        "data_classification": "open", "personal_data": "none", "private": True})
    try:
        assert created["name"] == SLUG
    finally:
        portal.action("dataset_purge", {"id": created["id"]})


def _admin_page(portal, path):
    page = portal.login().get(f"{portal.url}{path}", timeout=60)
    assert page.status_code == 200, path
    return page.text


def test_dataset_form_reads_right_in_vietnamese(portal):
    form = _admin_page(portal, "/health/new")
    assert "Trường bắt buộc" in form and "Lĩnh vực được yêu cầu" not in form
    crumbs = re.search(r'<ol class="breadcrumb">(.*?)</ol>', form, re.S)
    assert crumbs and ">Y tế<" in crumbs.group(1) and ">Health<" not in crumbs.group(1)
    # update frequency: nothing chosen for the officer (no misleading "Hằng ngày")
    select = re.search(r'<select[^>]*id="field-update_frequency".*?</select>', form, re.S)
    assert select, "no update frequency field"
    assert re.search(r'<option value=""\s*(selected)?', select.group(0))
    assert not re.search(r'<option value="[a-z]+"\s+selected', select.group(0))
    # one licence policy, stated on /about; the form points to it
    assert "opendatacommons.org/licenses/odbl" not in form
    assert "Open Database License" not in form
    assert "#about-licence" in form
    about = requests.get(f"{portal.url}/about", timeout=60).text
    assert 'id="about-licence"' in about and "CC0" in about


def test_missing_units_error_names_the_field(portal):
    answer = portal.raw_action("package_create", {
        "type": "health", "name": "thieu-don-vi-e2e", "title": "Thiếu đơn vị (e2e)",
        "owner_org": "so-y-te", "update_frequency": "annual",
        "data_classification": "open", "personal_data": "none", "private": True})
    assert answer.status_code == 409, answer.text[:300]
    message = " ".join(answer.json()["error"]["admin_units"])
    assert "đơn vị hành chính" in message and "Thiếu giá trị" not in message


def test_error_summary_is_styled_and_checkboxes_are_checkboxes(portal, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    _admin_browser(portal, browser, "/health/new")
    box = browser.find_element(By.ID, "field-admin_units-whole-city").rect
    assert box["width"] <= 24 and box["height"] >= 10, box  # not a 358 × 2 px bar
    historical = browser.find_element(By.ID, "field-admin_units-historical")
    assert not historical.is_selected()
    shown = browser.execute_script(
        "return Array.from(document.getElementById('field-admin_units').options)"
        ".filter(o => !o.hidden).map(o => o.text);")
    assert shown and not any("30/06/2025" in text for text in shown)
    browser.find_element(By.ID, "field-title").send_keys("Biểu mẫu thiếu trường (e2e)")
    browser.execute_script(
        "document.querySelector('form#dataset-edit button[name=save]').click();")
    summary = WebDriverWait(browser, 30).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, ".error-explanation"))[0]
    assert summary.text.startswith("Vui lòng sửa các mục sau:")
    assert "Chưa chọn đơn vị hành chính" in summary.text
    background = browser.execute_script(
        "return getComputedStyle(arguments[0]).backgroundColor;", summary)
    assert background not in ("rgba(0, 0, 0, 0)", "transparent"), background


def test_no_page_requests_a_third_party(portal):
    session = portal.login()
    pages = ["/", "/dataset/", "/health/new", "/user/", f"/user/{portal.admin}",
             "/organization/so-y-te", "/harvest", "/about", "/developers"]
    for path in pages:
        body = session.get(f"{portal.url}{path}", timeout=60).text
        assert "gravatar" not in body.lower(), path
        loaded = re.findall(r'\ssrc="([^"]*)"', body) + re.findall(
            r'<link\b[^>]*\bhref="([^"]*)"', body)
        for ref in loaded:  # what the page loads (links <a> may point anywhere)
            absolute = re.match(r"(?:[a-z]+:)?//", ref)
            assert not absolute or ref.startswith(portal.url + "/"), (path, ref)
