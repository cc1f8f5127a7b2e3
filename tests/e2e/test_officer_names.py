"""A department officer uploads a list of beneficiaries (people's names under the ordinary
header ``Người nhận``) in the browser: the upload is refused with a message naming the column
and the detector, never a name, and the dataset stays without a resource."""
from __future__ import annotations

import secrets

from .test_officer import _choose_file, _click, _login, _set

DEPARTMENT = "so-y-te"
DATASET = "tro-cap-nguoi-nhan-e2e"
PEOPLE = ["Nguyễn Văn An", "Trần Thị Hoa", "Lê Hữu Phước", "Phạm Ngọc Lan", "Huỳnh Tấn Đạt",
          "Võ Thị Thu Hà", "Đặng Minh Khoa", "Bùi Quốc Cường", "Tôn Nữ Minh Châu",
          "Lương Văn Tám", "Quách Thị Mỹ Linh", "Hồ Đức Vinh", "Ngô Gia Bảo", "Dương Thị Yến",
          "Lý Công Hải", "Phan Thanh Tùng", "Đỗ Thị Nga", "Mạc Văn Sơn", "Kiều Thị Loan",
          "Trịnh Xuân Nam"]


def test_officer_upload_of_a_beneficiary_list_is_refused_naming_column_and_detector(
        portal, browser, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    name, password = "can-bo-tro-cap", "Cb-" + secrets.token_urlsafe(12)
    portal.action("user_create", {"name": name, "email": f"{name}@e2e.invalid",
                                  "password": password, "fullname": "Cán bộ trợ cấp"})
    portal.action("organization_member_create", {"id": DEPARTMENT, "username": name,
                                                 "role": "editor"})
    portal.action("package_create", {
        "type": "health", "name": DATASET, "title": "Hỗ trợ bệnh nhân nghèo (e2e)",
        "owner_org": DEPARTMENT, "update_frequency": "annual", "admin_units": ["20194"],
        "data_classification": "open", "personal_data": "none", "spatial_level": "commune",
        "temporal_start": "2025-01-01", "temporal_end": "2025-12-31",
        "contact_email": "khtc.syt@danang.gov.vn", "facility_types": ["hospital"]})
    before = portal.action("package_show", {"id": DATASET})

    listing = tmp_path / "danh_sach_nguoi_nhan.csv"
    listing.write_text("STT,Người nhận,Số tiền (đồng)\n" + "".join(
        f"{i + 1},{p},{500000 + 1000 * i}\n" for i, p in enumerate(PEOPLE)), encoding="utf-8")
    _login(browser, portal, {"name": name, "password": password},
           f"/health/{DATASET}/resource/new")
    browser.get(f"{portal.url}/health/{DATASET}/resource/new")
    _choose_file(browser, str(listing))
    _set(browser, "field-name", "Danh sách người nhận")
    _click(browser, "form#resource-edit button[name=save]")
    WebDriverWait(browser, 60).until(ec.presence_of_element_located(
        (By.CSS_SELECTOR, ".error-explanation, .error-block")))
    page = browser.page_source
    assert "Người nhận" in page and "value:person_name" in page
    assert not [p for p in PEOPLE if p in page]  # names the column, never a value
    after = portal.action("package_show", {"id": DATASET})
    assert after["resources"] == [] and after["metadata_modified"] == before["metadata_modified"]
