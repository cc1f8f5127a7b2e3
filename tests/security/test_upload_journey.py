"""Issue 19, findings 3 and 5, against the running portal: an editor of the Department of
Health logs in through the form, takes an API token and tries to slip a table of citizen IDs
past the privacy gate under other names, then sends the workbook bombs. Each is refused with
a message naming the file (and the limit), nothing is stored or downloadable, and the portal
keeps answering."""
from __future__ import annotations

import json
import secrets
import time
import uuid

import pytest

from .bombs import cell_bomb, strings_bomb

DEPARTMENT = "so-y-te"
PII = ("ma_xa,ho_ten,so_cccd\r\n20194,Nguyễn Văn An,048095001234\r\n"
       "20197,Trần Thị Bình,048196004321\r\n20200,Lê Văn Cường,048097005678\r\n")
VALUES = ("048095001234", "Nguyễn Văn An")


@pytest.fixture(scope="module")
def editor(portal) -> dict[str, str]:
    name, password = f"bien-tap-{uuid.uuid4().hex[:8]}", "Bt-" + secrets.token_urlsafe(12)
    portal.action("user_create", {"name": name, "email": f"{name}@e2e.invalid",
                                  "password": password, "fullname": "Biên tập viên"})
    portal.action("organization_member_create", {"id": DEPARTMENT, "username": name,
                                                 "role": "editor"})
    portal.login(name, password)  # the form accepts the editor
    token = portal.action("api_token_create", {"user": name, "name": "tai-len"})["token"]
    return {"name": name, "token": token}


@pytest.fixture(scope="module")
def dataset(portal, editor) -> dict:
    return portal.action("package_create", {
        "name": f"ca-benh-{uuid.uuid4().hex[:8]}", "title": "Ca bệnh theo xã", "type": "health",
        "owner_org": DEPARTMENT, "update_frequency": "annual", "admin_units": ["20194"],
        "data_classification": "open", "personal_data": "aggregated", "min_cell_size": 10,
        "temporal_start": "2025-07-01", "temporal_end": "2025-12-31"}, token=editor["token"])


def _upload(portal, editor, dataset, name: str, data: bytes, fmt: str = ""):
    return portal.raw_action("resource_create", {"package_id": dataset["id"], "name": name,
                                                 "format": fmt},
                             token=editor["token"], files={"upload": (name, data)})


def _refusal(answer) -> str:
    assert answer.status_code == 409, (answer.status_code, answer.text[:500])
    body = answer.json()
    assert body["success"] is False and "upload" in body["error"], body
    text = json.dumps(body["error"], ensure_ascii=False)
    for value in VALUES:
        assert value not in text
    return text


def _nothing_stored(portal, dataset) -> None:
    shown = portal.action("package_show", {"id": dataset["id"]})
    assert shown["resources"] == []
    listed = portal.action("package_search", {"q": f"name:{dataset['name']}"},
                           token=None, method="GET")
    assert all(not r for r in (p["resources"] for p in listed["results"]))


@pytest.mark.parametrize("name", ["pii.dat", "pii.CSV.txt2", "pii.json"])
def test_an_editor_cannot_slip_citizen_ids_past_the_gate_by_renaming(portal, editor, dataset,
                                                                      name):
    data = PII.encode()
    if name.endswith(".json"):
        header, *rows = [line.split(",") for line in PII.strip().split("\r\n")]
        data = json.dumps([dict(zip(header, row)) for row in rows],
                          ensure_ascii=False).encode()
    text = _refusal(_upload(portal, editor, dataset, name, data))
    assert name in text and "so_cccd" in text
    _nothing_stored(portal, dataset)


def test_workbook_bombs_are_refused_and_the_portal_keeps_answering(portal, editor, dataset,
                                                                   tmp_path):
    for build, megabytes, limit in ((cell_bomb, 300, "max_xlsx_uncompressed_bytes"),
                                    (strings_bomb, 40, "max_shared_strings_bytes")):
        bomb = build(tmp_path / f"{build.__name__}.xlsx", megabytes)
        started = time.monotonic()
        text = _refusal(_upload(portal, editor, dataset, bomb.name, bomb.read_bytes(),
                                fmt="XLSX"))
        print(f"{bomb.name} ({bomb.stat().st_size} bytes on disk, {megabytes} MiB inflated): "
              f"refused in {time.monotonic() - started:.2f} s")
        assert bomb.name in text and limit in text
        assert portal.action("status_show", {}, token=None, method="GET")["ckan_version"]
    _nothing_stored(portal, dataset)
