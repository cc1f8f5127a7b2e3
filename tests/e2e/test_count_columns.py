"""Issue 20, the officer's journey over HTTP: an editor of Sở Y tế creates a health dataset
declaring ``count_columns`` by the ids the portal generates from the headers ("Số ca mắc" →
``so_ca_mac``), uploads an .xlsx through the action API, and the jobs worker loads it:
counts 1–9 (k = 10) are hidden in anonymous ``datastore_search``, the CSV dump and the
stored file, and the ``privacy_report`` lists the columns. A declared column that matches
nothing refuses the next upload and leaves the published table as it was."""
from __future__ import annotations

import csv
import io
import secrets
import time

import pytest
import requests
from openpyxl import Workbook

DATASET = "ca-benh-cot-dem-e2e"
HEADER = ("Mã xã", "Số ca mắc", "Số ca tử vong")
ROWS = [("20194", 3, 0), ("20197", 40, 2), ("20200", 12, 1), ("20203", 55, 15),
        ("20206", 5, 1), ("20209", 80, 20)]
COUNTS = ("so_ca_mac", "so_ca_tu_vong")


def _xlsx() -> bytes:
    book = Workbook()
    book.active.append(list(HEADER))
    for row in ROWS:
        book.active.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture(scope="module")
def editor(portal) -> str:
    """The API token of a new editor of Sở Y tế."""
    name = f"thong-ke-y-te-{secrets.token_hex(3)}"
    portal.action("user_create", {"name": name, "email": f"{name}@e2e.invalid",
                                  "password": "Tk-" + secrets.token_urlsafe(12)})
    portal.action("organization_member_create", {"id": "so-y-te", "username": name,
                                                 "role": "editor"})
    return portal.action("api_token_create", {"user": name, "name": "e2e"})["token"]


@pytest.fixture
def dataset(portal, editor):
    created = portal.action("package_create", {
        "type": "health", "name": DATASET, "title": "Ca bệnh theo xã (cột đếm)",
        "owner_org": "so-y-te", "update_frequency": "annual", "admin_units": ["20194"],
        "data_classification": "open", "personal_data": "aggregated", "min_cell_size": 10,
        "count_columns": ", ".join(COUNTS),
        "temporal_start": "2025-01-01", "temporal_end": "2025-12-31"}, token=editor)
    yield created
    portal.action("dataset_purge", {"id": created["id"]})


def _loaded(portal, resource_id: str, timeout: float = 180) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        state = portal.action("smartcity_upload_status", {"id": resource_id})
        if state["state"] not in ("queued", "loading") or time.monotonic() > deadline:
            assert state["state"] == "loaded", state
            return state
        time.sleep(1)


def _hidden(values) -> None:
    values = [int(v) for v in values if v not in (None, "")]
    assert values and all(v == 0 or v >= 10 for v in values), values


def _published(portal, resource: dict) -> tuple:
    found = portal.action("datastore_search", {"resource_id": resource["id"], "sort": "_id"},
                          token=None)
    dump = requests.get(f"{portal.url}/datastore/dump/{resource['id']}", timeout=60)
    assert dump.status_code == 200
    stored = requests.get(portal.action("resource_show", {"id": resource["id"]},
                                        token=None)["url"], timeout=60)
    assert stored.status_code == 200
    return found["records"], dump.content, stored.content


def test_declared_count_columns_are_suppressed_on_every_public_copy(portal, editor, dataset):
    resource = portal.action("resource_create", {"package_id": DATASET, "name": "Ca bệnh"},
                             token=editor,
                             files={"upload": ("ca_benh.xlsx", _xlsx())})
    state = _loaded(portal, resource["id"])
    assert state["rows"] == len(ROWS)
    records, dump, stored = _published(portal, resource)
    for column in COUNTS:
        _hidden(r[column] for r in records)
    assert records[0]["so_ca_mac"] is None and records[4]["so_ca_mac"] is None
    dumped = list(csv.DictReader(io.StringIO(dump.decode("utf-8-sig"))))
    for column in COUNTS:
        _hidden(r[column] for r in dumped)
    original = list(csv.reader(io.StringIO(stored.decode("utf-8-sig"))))
    assert tuple(original[0]) == HEADER
    _hidden(v for row in original[1:] for v in row[1:])
    report = portal.action("package_show", {"id": DATASET}, token=None)["privacy_report"]
    assert report["count_columns"] == ["Số ca mắc", "Số ca tử vong"]
    assert report["min_cell_size"] == 10

    # a declared column that matches nothing refuses the next upload; nothing changes
    portal.action("package_patch", {"id": DATASET, "count_columns": "so_ca_mac, so_ca_chet"},
                  token=editor)
    answer = portal.raw_action("resource_update", {"id": resource["id"]}, token=editor,
                               files={"upload": ("ca_benh.xlsx", _xlsx())})
    assert answer.status_code == 409, answer.text
    error = str(answer.json()["error"])
    assert "so_ca_chet" in error and "count_columns" in error
    assert _published(portal, resource) == (records, dump, stored)
    assert portal.action("smartcity_upload_status", {"id": resource["id"]})["state"] == "loaded"
