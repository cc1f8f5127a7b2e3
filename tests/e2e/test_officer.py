"""A department officer (editor of Sở Y tế) in the browser: logs in through the form,
publishes a health dataset (errors explained in Vietnamese first, then valid), uploads its
file (a table with an identifier refused, the aggregated one accepted), sees it loaded into
the DataStore by the jobs worker (preview, dictionary; a refused replacement keeps the rows),
and saves a harvest source's edit form unchanged without changing the source."""
from __future__ import annotations

import json
import secrets
from pathlib import Path

import pytest
import requests

from . import declared

SCREENSHOTS = Path(__file__).resolve().parents[2] / ".test" / "screenshots"
DEPARTMENT = "so-y-te"
SOURCE = "so-y-te-api"
DATASET = "giuong-benh-theo-xa-e2e"
AGGREGATED = ("ma_xa,nam,so_giuong_benh\n20194,2025,120\n20197,2025,85\n20200,2025,40\n")
WITH_PHONES = ("ma_xa,ho_ten,so_dien_thoai\n20194,Nguyễn Văn An,0905123456\n"
               "20197,Trần Thị Bình,0935765432\n")


@pytest.fixture(scope="module")
def officer(portal) -> dict[str, str]:
    """An editor of the Department of Health, created over the API by the sysadmin."""
    name, password = "can-bo-so-y-te", "Cb-" + secrets.token_urlsafe(12)
    portal.action("user_create", {"name": name, "email": f"{name}@e2e.invalid",
                                  "password": password, "fullname": "Cán bộ Sở Y tế"})
    portal.action("organization_member_create", {"id": DEPARTMENT, "username": name,
                                                 "role": "editor"})
    return {"name": name, "password": password}


def _login(browser, portal, user: dict[str, str], came_from: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(f"{portal.url}/user/login?came_from={came_from}")
    browser.find_element(By.ID, "field-login").send_keys(user["name"])
    browser.find_element(By.ID, "field-password").send_keys(user["password"] + Keys.RETURN)
    WebDriverWait(browser, 60).until(lambda d: "/user/login" not in d.current_url)


def _set(driver, field_id: str, value: str) -> None:
    """A form control's value as a user ends up with it (date pickers included)."""
    driver.execute_script(
        "const el = document.getElementById(arguments[0]); el.value = arguments[1];"
        "el.dispatchEvent(new Event('change', {bubbles: true}));", field_id, value)


def _click(driver, css: str) -> None:
    from selenium.webdriver.common.by import By

    button = driver.find_element(By.CSS_SELECTOR, css)
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'}); arguments[0].click();",
                          button)


def _field_error(driver, field_id: str) -> str:
    from selenium.webdriver.common.by import By

    blocks = driver.find_elements(
        By.XPATH, f"//*[@id='{field_id}']/ancestor::div[contains(@class,'form-group')][1]"
                  "//*[contains(@class,'error-block')]")
    return " ".join(b.text for b in blocks)


def _choose_file(driver, path: str) -> None:
    """What the "Upload" button does, then the file picked (the input is visually hidden)."""
    from selenium.webdriver.common.by import By

    driver.execute_script("document.getElementById('resource-url-upload').checked = true;"
                          "const el = document.getElementById('field-resource-upload');"
                          "el.style.display = 'block'; el.style.visibility = 'visible';"
                          "el.style.opacity = 1;")
    driver.find_element(By.ID, "field-resource-upload").send_keys(path)


def test_officer_publishes_a_health_dataset_through_the_form(portal, officer, browser,
                                                             tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    wait = WebDriverWait(browser, 60)
    _login(browser, portal, officer, "/health/new")
    browser.get(f"{portal.url}/health/new")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "vi"
    assert "Tên bộ dữ liệu" in browser.page_source

    # invalid: bad e-mail, coverage ending before it starts, no administrative unit
    browser.find_element(By.ID, "field-title").send_keys("Giường bệnh theo xã (e2e)")
    _set(browser, "field-name", DATASET)
    for field, value in (("update_frequency", "annual"), ("temporal_start", "2025-12-31"),
                         ("temporal_end", "2025-01-01"), ("spatial_level", "commune"),
                         ("data_classification", "open"), ("personal_data", "aggregated"),
                         ("min_cell_size", "10"), ("contact_email", "khong-phai-email")):
        _set(browser, f"field-{field}", value)
    _click(browser, "form#dataset-edit button[name=save]")
    wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, ".error-block")))
    assert "không hợp lệ" in _field_error(browser, "field-contact_email")
    assert "không được trước ngày bắt đầu" in _field_error(browser, "field-temporal_end")
    assert _field_error(browser, "field-admin_units")
    missing = portal.raw_action("package_show", {"id": DATASET})
    assert missing.status_code == 404  # nothing was created by the invalid form

    # valid
    _set(browser, "field-contact_email", "khtc.syt@danang.gov.vn")
    _set(browser, "field-private", "False")  # public: researchers are to find it
    _set(browser, "field-temporal_start", "2025-01-01")
    _set(browser, "field-temporal_end", "2025-12-31")
    browser.execute_script(
        "const el = document.getElementById('field-admin_units');"
        "for (const o of el.options) { o.selected = ['20194', '20197'].includes(o.value); }"
        "el.dispatchEvent(new Event('change', {bubbles: true}));"
        "document.querySelector('input[name=facility_types][value=hospital]').checked = true;")
    _click(browser, "form#dataset-edit button[name=save]")
    wait.until(lambda d: "/resource/new" in d.current_url)

    # a table with names and phone numbers is refused, naming the columns
    refused = tmp_path / "giuong_benh_co_dinh_danh.csv"
    refused.write_text(WITH_PHONES, encoding="utf-8")
    _choose_file(browser, str(refused))
    _set(browser, "field-name", "Giường bệnh theo xã (CSV)")
    _click(browser, "button[name=save][value=go-metadata]")
    wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, ".error-explanation, "
                                               ".error-block")))
    page = browser.page_source
    assert "so_dien_thoai" in page or "ho_ten" in page
    assert "0905123456" not in page  # the refusal names columns, never values

    # the aggregated table is accepted and published
    accepted = tmp_path / "giuong_benh_theo_xa.csv"
    accepted.write_text(AGGREGATED, encoding="utf-8")
    _choose_file(browser, str(accepted))
    _set(browser, "field-name", "Giường bệnh theo xã (CSV)")
    _click(browser, "button[name=save][value=go-metadata]")
    wait.until(lambda d: d.current_url.rstrip("/").endswith(f"/health/{DATASET}"))
    assert "Giường bệnh theo xã (e2e)" in browser.page_source

    dataset = portal.action("package_show", {"id": DATASET}, token=None, method="GET")
    assert dataset["type"] == "health" and dataset["state"] == "active"
    assert sorted(dataset["admin_units"]) == ["20194", "20197"]
    [resource] = dataset["resources"]
    assert resource["url_type"] == "upload"
    download = requests.get(resource["url"], timeout=60)
    assert download.status_code == 200
    assert download.content.decode("utf-8-sig") == AGGREGATED
    for lang in ("", "/en"):
        assert requests.get(f"{portal.url}{lang}/health/{DATASET}", timeout=60).status_code == 200


def _load_state(portal, resource_id: str, wanted: str, timeout: float = 180) -> dict:
    """The upload's load record once it reached ``wanted`` (the portal's jobs worker runs
    the load in the background)."""
    import time

    deadline = time.monotonic() + timeout
    while True:
        state = portal.action("smartcity_upload_status", {"id": resource_id})
        if state["state"] == wanted or time.monotonic() > deadline:
            assert state["state"] == wanted, state
            return state
        time.sleep(1)


def test_the_uploaded_table_is_loaded_into_the_datastore_and_kept_on_a_refused_update(
        portal, officer, browser, tmp_path):
    """Continues the dataset of the test above: its upload, loaded by the jobs worker, has
    a preview and a dictionary; a replacement with identifiers is refused in the form and
    the published rows stay."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    [resource] = portal.action("package_show", {"id": DATASET})["resources"]
    loaded = _load_state(portal, resource["id"], "loaded")
    assert loaded["rows"] == 3 and loaded["privacy"]["rows_checked"] == 3
    anonymous = portal.action("datastore_search", {"resource_id": resource["id"],
                                                   "sort": "ma_xa"}, token=None)
    assert [r["so_giuong_benh"] for r in anonymous["records"]] == [120, 85, 40]
    labels = {f["id"]: f.get("info", {}) for f in anonymous["fields"]}
    assert labels["ma_xa"]["label"] == "Mã xã, phường"
    assert labels["so_giuong_benh"]["label_en"] == "Hospital beds"

    browser.get(f"{portal.url}/health/{DATASET}")  # the page title names the type in vi
    assert "Health" not in browser.title and "Dữ liệu y tế" in browser.title, browser.title
    page = f"{portal.url}/health/{DATASET}/resource/{resource['id']}"
    browser.get(page)  # anonymous first: state and rows, a preview, no reasons
    status = browser.find_element(By.CSS_SELECTOR, ".smartcity-upload-status")
    assert status.get_attribute("data-state") == "loaded"
    assert "Đã nạp vào DataStore" in status.text and "3 dòng" in status.text
    # CKAN's JavaScript strings in Vietnamese too (gunicorn builds /api/i18n/vi first)
    WebDriverWait(browser, 60).until(lambda d: "Thêm bộ lọc" in d.find_element(
        By.TAG_NAME, "body").text)
    assert "Add Filter" not in browser.find_element(By.TAG_NAME, "body").text
    frame = WebDriverWait(browser, 60).until(ec.presence_of_element_located(
        (By.CSS_SELECTOR, "iframe[src*='/view/']")))
    browser.switch_to.frame(frame)
    # headers are the dictionary's labels (DataTables writes their spaces as &nbsp;)
    WebDriverWait(browser, 60).until(lambda d: "Mã xã, phường" in d.find_element(
        By.TAG_NAME, "thead").text.replace("\xa0", " "))
    WebDriverWait(browser, 60).until(lambda d: "120" in d.find_element(
        By.TAG_NAME, "tbody").text)
    browser.switch_to.default_content()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    browser.set_window_size(1280, 1400)
    browser.save_screenshot(str(SCREENSHOTS / "resource-uploaded-loaded-vi.png"))
    browser.get(f"{portal.url}/en/health/{DATASET}/resource/{resource['id']}")
    assert "Loaded into the DataStore" in browser.find_element(
        By.CSS_SELECTOR, ".smartcity-upload-status").text

    _login(browser, portal, officer, f"/health/{DATASET}/resource/{resource['id']}/edit")
    browser.get(f"{portal.url}/health/{DATASET}/resource/{resource['id']}/edit")
    browser.execute_script("document.querySelectorAll('.btn-remove-url').forEach("
                           "b => b.click());")
    leaky = tmp_path / "giuong_benh_moi.csv"
    leaky.write_text(WITH_PHONES, encoding="utf-8")
    _choose_file(browser, str(leaky))
    _click(browser, "form#resource-edit button[name=save]")
    WebDriverWait(browser, 60).until(ec.presence_of_element_located(
        (By.CSS_SELECTOR, ".error-explanation, .error-block")))
    assert "so_dien_thoai" in browser.page_source or "ho_ten" in browser.page_source
    assert "0905123456" not in browser.page_source
    after = portal.action("datastore_search", {"resource_id": resource["id"],
                                               "sort": "ma_xa"}, token=None)
    assert after["records"] == anonymous["records"]
    assert portal.action("smartcity_upload_status", {"id": resource["id"]})["state"] == "loaded"
    shown = portal.action("resource_show", {"id": resource["id"]})
    # the same file (its name and size; the host part of an upload's URL is the site's)
    assert shown["url"].rsplit("/", 1)[-1] == resource["url"].rsplit("/", 1)[-1]
    assert shown.get("size") == resource.get("size")


def _source_state(portal) -> dict[str, object]:
    """What saving the form must leave alone: the source as the database holds it."""
    shown = portal.action("harvest_source_show", {"id": SOURCE})
    extras = {e["key"]: e["value"] for e in shown.get("extras", [])
              if isinstance(e, dict) and "key" in e}
    return {key: shown.get(key, extras.get(key)) for key in
            ("url", "title", "owner_org", "source_type", "frequency", "config")}


def test_saving_a_harvest_source_form_unchanged_changes_nothing(portal, officer, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    before = _source_state(portal)
    assert before["config"] and before["source_type"] == "smartcity_api"
    try:
        _login(browser, portal, officer, f"/harvest/edit/{SOURCE}")
        browser.get(f"{portal.url}/harvest/edit/{SOURCE}")
        assert "/harvest/edit/" in browser.current_url, "the editor may edit the form"
        _click(browser, "form #save[name=save]")
        WebDriverWait(browser, 60).until(lambda d: "/harvest/edit/" not in d.current_url
                                         or d.find_elements(By.CSS_SELECTOR, ".error-explanation"))
        refused = browser.find_elements(By.CSS_SELECTOR, ".error-explanation")
        assert not refused, f"the unchanged form was refused: {refused[0].text}"
        after = _source_state(portal)
        assert after["config"] == before["config"]  # byte-identical JSON text
        assert after == before
    finally:
        _restore_sources(portal, before)


def _restore_sources(portal, before: dict[str, object]) -> None:
    """Put the declared source back if the form changed it: other tests share the portal."""
    if _source_state(portal) != before:
        synced = portal.cli("smartcity", "sources", "sync", str(declared.REPO / "harvesters"))
        assert synced.returncode == 0, synced.stderr[-2000:]
        assert json.loads(str(_source_state(portal)["config"])) == json.loads(
            str(before["config"]))
