"""`dataset_purge` removes the DataStore tables and uploaded files of the dataset
(issue 19, finding 8)."""
from __future__ import annotations

import io
import time
from pathlib import Path

from .conftest import city_dataset


def test_purge_drops_the_datastore_table_and_the_uploaded_file(portal):
    dataset = portal.action("package_create", city_dataset(
        portal, title="Bảng sẽ bị xoá hẳn (secd)"))
    csv = "ma_xa,so_ca\r\n20194,3\r\n".encode()
    resource = portal.action("resource_create", {"package_id": dataset["id"],
                                                 "name": "xoa.csv", "format": "CSV"},
                             files={"upload": ("xoa.csv", io.BytesIO(csv), "text/csv")})
    rid = resource["id"]
    stored = Path(portal.env["CKAN_STORAGE_PATH"]) / "resources" / rid[:3] / rid[3:6] / rid[6:]
    deadline = time.monotonic() + 180
    while portal.action("smartcity_upload_status", {"id": rid}).get("state") != "loaded":
        assert time.monotonic() < deadline, "the upload was not loaded"
        time.sleep(1)
    assert stored.is_file()
    assert portal.action("datastore_search", {"resource_id": rid})["total"] == 1

    portal.action("dataset_purge", {"id": dataset["id"]})

    answer = portal.raw_action("datastore_search", {"resource_id": rid})
    assert answer.status_code == 404, answer.text[:300]
    tables = portal.action("datastore_search", {"resource_id": "_table_metadata",
                                                "limit": 32000})
    assert rid not in {r["name"] for r in tables["records"]}
    assert not stored.exists()
    assert not stored.parent.exists(), "its empty storage folder is removed too"
