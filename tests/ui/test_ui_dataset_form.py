"""A department officer publishes a health dataset through the Vietnamese web form.

Drives Debian's headless Chromium (through Debian's chromedriver and Selenium) against a
real `ckan run` server started on a free loopback port with the test configuration.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Iterator

import pytest

from ckan.tests import factories, helpers

from chromium import CHROMIUM, headless_chromium  # noqa: E402 - tests/chromium.py
PASSWORD = "Mat-khau-thu-nghiem-2026"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason=f"{CHROMIUM} is not installed"),
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def officer(with_plugins, clean_db, clean_index):
    """A sysadmin and the Department of Health, committed before the server starts."""
    user = factories.Sysadmin(password=PASSWORD)
    org = helpers.call_action(
        "organization_create", {"user": user["name"]}, name="so-y-te", title="Sở Y tế",
        department_code="SYT", level="city")
    return {"user": user, "org": org}


@pytest.fixture
def server(officer, request, tmp_path) -> Iterator[str]:
    """`ckan run` on a free loopback port, with the ini the tests run with."""
    ini = request.config.getoption("--ckan-ini")
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = dict(os.environ, CKAN_SITE_URL=base)
    ckan_cli = str(Path(sys.executable).with_name("ckan"))
    log = open(tmp_path / "ckan-run.log", "wb")
    proc = subprocess.Popen(
        [ckan_cli, "-c", ini, "run", "--host", "127.0.0.1", "--port", str(port),
         "--disable-reloader"],
        env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"{base}/api/3/action/status_show", timeout=2):
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    log.flush()
                    pytest.fail("ckan run did not start:\n"
                                + (tmp_path / "ckan-run.log").read_text()[-3000:])
                time.sleep(0.5)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


@pytest.fixture
def browser(tmp_path):
    """Headless Chromium, loopback only, with a fresh profile."""
    with headless_chromium(tmp_path / "chromium-profile") as driver:
        yield driver


def _set(driver, field_id: str, value: str) -> None:
    """Set a form control's value as a user would end up with it (date pickers included)."""
    driver.execute_script(
        "const el = document.getElementById(arguments[0]);"
        "el.value = arguments[1];"
        "el.dispatchEvent(new Event('change', {bubbles: true}));", field_id, value)


def _select_many(driver, field_id: str, values: list[str]) -> None:
    driver.execute_script(
        "const el = document.getElementById(arguments[0]);"
        "for (const o of el.options) { o.selected = arguments[1].includes(o.value); }"
        "el.dispatchEvent(new Event('change', {bubbles: true}));", field_id, values)


def _field_error(driver, field_id: str) -> str:
    from selenium.webdriver.common.by import By

    blocks = driver.find_elements(
        By.XPATH, f"//*[@id='{field_id}']/ancestor::div[contains(@class,'form-group')][1]"
                  "//*[contains(@class,'error-block')]")
    return " ".join(b.text for b in blocks)


def _click(driver, css: str) -> None:
    """Click a button the way a user reaches it (scrolled into view, past sticky footers)."""
    from selenium.webdriver.common.by import By

    button = driver.find_element(By.CSS_SELECTOR, css)
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'}); arguments[0].click();",
                          button)


def _submit(driver) -> None:
    _click(driver, "form#dataset-edit button[name=save]")


def test_health_form_explains_errors_in_vietnamese_then_publishes(server, browser, officer,
                                                                  linked_files):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    wait = WebDriverWait(browser, 30)

    # straight back to the form after logging in (the dashboard is not what is tested here)
    browser.get(f"{server}/user/login?came_from=/health/new")
    browser.find_element(By.ID, "field-login").send_keys(officer["user"]["name"])
    browser.find_element(By.ID, "field-password").send_keys(PASSWORD + Keys.RETURN)
    wait.until(lambda d: "/user/login" not in d.current_url)

    browser.get(f"{server}/health/new")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "vi"
    page = browser.page_source
    assert "Tên bộ dữ liệu" in page and "Loại cơ sở y tế" in page

    # invalid: bad e-mail, coverage ending before it starts, no administrative unit
    browser.find_element(By.ID, "field-title").send_keys("Cơ sở y tế theo xã (biểu mẫu)")
    _set(browser, "field-name", "co-so-y-te-bieu-mau")
    _set(browser, "field-update_frequency", "monthly")
    _set(browser, "field-temporal_start", "2025-12-31")
    _set(browser, "field-temporal_end", "2025-07-01")
    _set(browser, "field-spatial_level", "commune")
    _set(browser, "field-data_classification", "open")
    _set(browser, "field-personal_data", "aggregated")
    _set(browser, "field-min_cell_size", "10")
    _set(browser, "field-contact_email", "khong-phai-email")
    _submit(browser)
    wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, ".error-block")))

    assert 'Địa chỉ thư điện tử "khong-phai-email" không hợp lệ.' in _field_error(
        browser, "field-contact_email")
    assert "không được trước ngày bắt đầu" in _field_error(browser, "field-temporal_end")
    assert _field_error(browser, "field-admin_units"), "admin_units is required"
    assert _field_error(browser, "field-title") == ""
    assert helpers.call_action("package_search", fq="dataset_type:health",
                               include_private=True, include_drafts=True)["count"] == 0

    # valid
    _set(browser, "field-contact_email", "khtc.syt@danang.gov.vn")
    _set(browser, "field-temporal_start", "2025-07-01")
    _set(browser, "field-temporal_end", "2025-12-31")
    _select_many(browser, "field-admin_units", ["20194"])
    browser.execute_script(
        "document.querySelector('input[name=facility_types][value=hospital]').checked = true;")
    _submit(browser)
    wait.until(lambda d: "/resource/new" in d.current_url)

    # the resource stage: a link to the department's CSV (the privacy gate fetches it from
    # its loopback server) — one with a phone number in a note is refused on the URL field,
    # then the aggregated one is published
    link = ("const link = document.getElementById('resource-link-button'); if (link) link.click();"
            "const url = document.querySelector('input[name=url]'); url.value = arguments[0];")
    leaky = linked_files.put("ghi-chu.csv", "ma_xa,so_co_so,ghi_chu\r\n"
                             "20194,12,gọi chị Lan 0935 765 432\r\n")
    browser.execute_script(link, leaky)
    _set(browser, "field-name", "Danh sách cơ sở y tế (CSV)")
    _click(browser, "button[name=save][value=go-metadata]")
    wait.until(lambda d: "dữ liệu cá nhân" in d.page_source)
    assert "ghi_chu" in browser.page_source and "0935" not in browser.page_source
    assert "/resource/new" in browser.current_url
    clean = linked_files.put("co-so-y-te.csv", "ma_xa,so_co_so\r\n20194,12\r\n")
    browser.execute_script(link, clean)
    _set(browser, "field-name", "Danh sách cơ sở y tế (CSV)")
    _click(browser, "button[name=save][value=go-metadata]")
    wait.until(lambda d: d.current_url.rstrip("/").endswith("/health/co-so-y-te-bieu-mau"))
    assert linked_files.requests == ["/files/ghi-chu.csv", "/files/co-so-y-te.csv"]

    page = browser.page_source
    assert "Cơ sở y tế theo xã (biểu mẫu)" in page
    assert "Phường Hải Vân" in page  # admin unit shown by name
    assert "Hằng tháng" in page  # choice label, not the code
    dataset = helpers.call_action("package_show", id="co-so-y-te-bieu-mau")
    assert dataset["type"] == "health" and dataset["state"] == "active"
    assert dataset["admin_units"] == ["20194"]
    assert dataset["contact_email"] == "khtc.syt@danang.gov.vn"
