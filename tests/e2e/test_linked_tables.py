"""A department links its tables by URL through the served portal's action API over HTTP:
the portal fetches each newly linked CSV from the department's web server (a real server on
loopback) through the network guard and checks it — a table with a phone number inside a
comment is refused on `url` and changes nothing, the aggregated table is accepted, and a
server outside the allow-list (127.0.0.2, loopback but not listed) is never contacted."""
from __future__ import annotations

import pytest

from file_server import FileServer  # tests/file_server.py

DATASET = "phan-anh-lien-ket-e2e"
AGGREGATED = "ma_xa,nam,so_phan_anh\r\n20194,2025,120\r\n20197,2025,85\r\n"
WITH_PHONE = ("ma_xa,nam,noi_dung\r\n20194,2025,Đường tối - liên hệ chị Hoa 0935 765 432\r\n"
              "20197,2025,Đã xử lý\r\n")


@pytest.fixture
def dataset(portal):
    created = portal.action("package_create", {
        "type": "health", "name": DATASET, "title": "Phản ánh theo xã (liên kết)",
        "owner_org": "so-y-te", "update_frequency": "annual", "admin_units": ["20194"],
        "data_classification": "open", "personal_data": "aggregated", "min_cell_size": 10,
        "temporal_start": "2025-01-01", "temporal_end": "2025-12-31"})
    yield created
    portal.action("dataset_purge", {"id": created["id"]})


def _error(answer) -> dict:
    assert answer.status_code == 409, answer.text
    return answer.json()["error"]


def test_linked_tables_are_fetched_and_checked_over_http(portal, dataset):
    before = portal.action("package_show", {"id": DATASET})
    with FileServer() as department:
        leaky = department.put("phan-anh.csv", WITH_PHONE)
        error = _error(portal.raw_action("resource_create", {
            "package_id": DATASET, "name": "Phản ánh", "url": leaky, "format": "CSV"}))
        assert "noi_dung" in str(error["url"]) and "value:phone" in str(error["url"])
        assert "0935" not in str(error) and "Hoa" not in str(error)
        assert department.requests == ["/files/phan-anh.csv"]
        assert portal.action("package_show", {"id": DATASET}) == before

        clean = department.put("so-phan-anh.csv", AGGREGATED)
        resource = portal.action("resource_create", {
            "package_id": DATASET, "name": "Số phản ánh", "url": clean, "format": "CSV"})
        assert resource["url"] == clean
        # a metadata edit keeps the URL: not fetched again
        portal.action("resource_patch", {"id": resource["id"], "description": "Theo xã"})
        assert department.requests == ["/files/phan-anh.csv", "/files/so-phan-anh.csv"]

    with FileServer(host="127.0.0.2") as outside:
        url = outside.put("so-phan-anh.csv", AGGREGATED)
        error = _error(portal.raw_action("resource_patch", {"id": resource["id"], "url": url}))
        assert f"127.0.0.2:{outside.httpd.server_port}" in str(error["url"])
        assert "allow-list" in str(error["url"])
        assert outside.requests == []
    shown = portal.action("package_show", {"id": DATASET})
    assert [r["url"] for r in shown["resources"]] == [clean]
