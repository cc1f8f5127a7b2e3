"""A harvest from a real loopback API whose table turns into a list of people's names under
an ordinary header is refused by the name detector on the values; what was published stays."""
from __future__ import annotations

import json

import pytest

from .conftest import DEFAULTS, PLUGINS, dataset, make_source, object_errors, rows, run_job
from .test_file_api import api  # noqa: F401 - the loopback API fixture

pytestmark = [pytest.mark.ckan_config("ckan.plugins", PLUGINS),
              pytest.mark.usefixtures("harvest_env")]

PEOPLE = ["Nguyễn Văn An", "Trần Thị Hoa", "Lê Hữu Phước", "Phạm Ngọc Lan", "Huỳnh Tấn Đạt",
          "Võ Thị Thu Hà", "Đặng Minh Khoa", "Bùi Quốc Cường", "Tôn Nữ Minh Châu",
          "Lương Văn Tám", "Quách Thị Mỹ Linh", "Hồ Đức Vinh", "Ngô Gia Bảo", "Dương Thị Yến",
          "Lý Công Hải", "Phan Thanh Tùng", "Đỗ Thị Nga", "Mạc Văn Sơn", "Kiều Thị Loan",
          "Trịnh Xuân Nam"]


def test_a_beneficiary_list_is_refused_and_the_published_table_stays(
        sysadmin, org, api):  # noqa: F811 - the imported fixture
    api.answer(200, {"data": {"items": [
        {"ma_xa": "20194", "duong": "Nguyễn Văn Linh", "so_ho": 120},
        {"ma_xa": "20197", "duong": "Trần Phú", "so_ho": 95}]}})
    config = json.dumps({"defaults": DEFAULTS, "max_retries": 0, "datasets": [
        {"name": "tro-cap-xa-hoi", "dataset_type": "population", "title": "Trợ cấp xã hội",
         "path": "/api/v1/tro-cap", "records_path": "data.items"}]}, ensure_ascii=False)
    source = make_source(sysadmin, org, api.url, config, source_type="smartcity_api",
                         name="sld-api")
    job = run_job(source["id"])
    # streets named after people pass
    assert job["stats"]["added"] == 1, object_errors(job["id"])
    before = dataset("tro-cap-xa-hoi")

    api.answer(200, {"data": {"items": [
        {"ma_xa": "20194", "Người nhận": name, "so_tien": 500_000 + 1000 * i}
        for i, name in enumerate(PEOPLE)]}})
    job = run_job(source["id"])
    (message,) = object_errors(job["id"])
    assert "Người nhận" in message and "person_name" in message, message
    assert not [p for p in PEOPLE if p in message or p.split()[-1] + "," in message]
    after = dataset("tro-cap-xa-hoi")
    assert after["metadata_modified"] == before["metadata_modified"]
    assert [r["duong"] for r in rows(after["resources"][0]["id"])] == ["Nguyễn Văn Linh",
                                                                       "Trần Phú"]
