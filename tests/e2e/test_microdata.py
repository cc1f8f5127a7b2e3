"""An officer uploads one-row-per-person microdata in the browser: refused, the message
naming the quasi-identifiers and the fix; the file made safe with ``privacy-scan
--generalise`` is accepted and published."""
from __future__ import annotations

import csv
import json
import random
import secrets
import subprocess
import sys

import pytest
import requests

DATASET = "xet-nghiem-e2e"
HEADER = ["STT", "Tuổi", "Giới tính", "Phường", "Nghề nghiệp", "Kết quả xét nghiệm"]
JOBS = ["Nông dân", "Giáo viên", "Công nhân", "Buôn bán", "Nội trợ", "Học sinh", "Tài xế"]


@pytest.fixture(scope="module")
def officer(portal) -> dict[str, str]:
    name, password = "can-bo-vi-mo", "Cb-" + secrets.token_urlsafe(12)
    portal.action("user_create", {"name": name, "email": f"{name}@e2e.invalid",
                                  "password": password, "fullname": "Cán bộ dữ liệu vi mô"})
    portal.action("organization_member_create", {"id": "so-y-te", "username": name,
                                                 "role": "editor"})
    portal.action("package_create", {
        "type": "health", "name": DATASET, "title": "Kết quả xét nghiệm (e2e)",
        "owner_org": "so-y-te", "update_frequency": "annual", "admin_units": ["20194"],
        "data_classification": "open", "personal_data": "anonymized", "min_cell_size": 10,
        "temporal_start": "2025-01-01", "temporal_end": "2025-12-31", "private": False})
    return {"name": name, "password": password}


def _microdata(path) -> None:
    rnd = random.Random(11)
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER)
        for i in range(250):
            writer.writerow([i + 1, rnd.randint(0, 89), rnd.choice(["Nam", "Nữ"]),
                             rnd.choice(["Hòa Minh", "Hòa Khánh Bắc", "Thạch Thang",
                                         "Thuận Phước", "An Hải Bắc", "Mân Thái"]),
                             rnd.choice(JOBS), rnd.choice(["Dương tính", "Âm tính"])])


def test_officer_microdata_refused_then_generalised_published(portal, officer, browser,
                                                              tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    from .test_officer import _choose_file, _click, _login, _set

    wait = WebDriverWait(browser, 60)
    raw = tmp_path / "xet_nghiem.csv"
    _microdata(raw)
    _login(browser, portal, officer, f"/health/{DATASET}/resource/new")
    browser.get(f"{portal.url}/health/{DATASET}/resource/new")
    _choose_file(browser, str(raw))
    _set(browser, "field-name", "Kết quả xét nghiệm (CSV)")
    _click(browser, "button[name=save][value=go-dataset-complete]")
    wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, ".error-explanation, "
                                               ".error-block")))
    page = browser.page_source
    for column in ("Tuổi", "Giới tính", "Phường", "Nghề nghiệp"):
        assert f"«{column}»" in page, column
    assert "k = 10" in page and "--generalise" in page
    for job in JOBS:
        assert job not in page  # the refusal names columns, never values
    assert not portal.action("package_show", {"id": DATASET})["resources"]

    # the department runs the fix it was offered, on its own machine
    safe = tmp_path / "xet_nghiem_an_toan.csv"
    proc = subprocess.run([sys.executable, "-m", "ckanext.smartcity.privacy", str(raw),
                           "--dataset-type", "health", "--generalise", "--output", str(safe),
                           "--json"], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["report"]["verdict"] == "passed"

    _choose_file(browser, str(safe))
    _set(browser, "field-name", "Kết quả xét nghiệm (CSV)")
    _click(browser, "button[name=save][value=go-dataset-complete]")
    wait.until(lambda d: "/resource/new" not in d.current_url)
    [resource] = portal.action("package_show", {"id": DATASET})["resources"]
    assert resource["url_type"] == "upload"
    download = requests.get(resource["url"], timeout=60)
    assert download.status_code == 200
    assert (download.content.decode("utf-8-sig").splitlines()
            == safe.read_text(encoding="utf-8-sig").splitlines())
