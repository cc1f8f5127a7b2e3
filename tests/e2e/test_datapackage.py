"""A researcher downloads a dataset as a Frictionless Data Package (issue 26, item 2).

The package of a harvested, suppressed demo table, downloaded over HTTP from the running
portal, passes the ``frictionless`` library's validation (a peer's validator), as a ZIP
(descriptor and CSV inside) and as a descriptor whose tables are the portal's DataStore
dumps. Its schema carries the curated vi/en labels, its rows are the published ones
(suppressed cells empty and declared missing), and a private dataset is a 404 to others.
"""
from __future__ import annotations

import csv
import io
import json
import zipfile

import frictionless
import requests

DATASET = "giao-duc-theo-xa-cap-hoc-2026-2027"


def _published(portal, dataset: dict) -> tuple[dict, list[dict], int]:
    resource = next(r for r in dataset["resources"] if r.get("datastore_active"))
    table = portal.action("datastore_search", {"resource_id": resource["id"], "limit": 0})
    fields = [f for f in table["fields"] if f["id"] != "_id"]
    return resource, fields, table["total"]


def test_dataset_zip_is_a_valid_data_package_of_the_published_rows(portal, tmp_path):
    dataset = portal.action("package_show", {"id": DATASET})
    resource, fields, total = _published(portal, dataset)
    answer = requests.get(f"{portal.url}/dataset/{DATASET}/datapackage.zip", timeout=120)
    assert answer.status_code == 200, answer.text[:300]
    assert answer.headers["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(answer.content)) as archive:
        archive.extractall(tmp_path)
        names = archive.namelist()
    assert names[0] == "datapackage.json" and len(names) == 2, names
    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]

    package = json.loads((tmp_path / "datapackage.json").read_text(encoding="utf-8"))
    assert package["name"] == DATASET and package["id"] == dataset["id"]
    table = package["resources"][0]
    assert table["schema"]["missingValues"] == [""]
    schema = {f["name"]: f for f in table["schema"]["fields"]}
    assert list(schema) == [f["id"] for f in fields]
    for field in fields:
        assert schema[field["id"]]["title"] == field["info"]["label"], field["id"]
        if field["info"].get("label_en"):
            assert schema[field["id"]]["title_en"] == field["info"]["label_en"]
    expected = {"text": "string", "int": "integer", "int4": "integer", "int8": "integer",
                "numeric": "number", "float8": "number", "date": "date", "bool": "boolean"}
    for field in fields:
        assert schema[field["id"]]["type"] == expected[field["type"]], field
    with open(tmp_path / table["path"], encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == total
    first = portal.action("datastore_search", {"resource_id": resource["id"], "sort": "_id",
                                               "limit": 1})["records"][0]
    assert {k: ("" if first[k] is None else str(first[k])) for k in schema} == rows[0]
    # the demo's small cells are suppressed: published empty, read back as missing
    counts = [name for name, f in schema.items() if f["type"] == "integer"]
    assert any(row[c] == "" for row in rows for c in counts), "no suppressed cell"


def test_descriptor_links_the_dumps_and_validates_over_http(portal):
    answer = requests.get(f"{portal.url}/dataset/{DATASET}/datapackage.json", timeout=60)
    assert answer.status_code == 200 and answer.headers["Content-Type"].startswith(
        "application/json")
    package = answer.json()
    path = package["resources"][0]["path"]
    assert path.startswith(f"{portal.url}/datastore/dump/") and "bom=false" in path, path
    report = frictionless.validate(package)
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]


def test_a_private_dataset_has_no_package_for_others(portal):
    dataset = portal.action("package_show", {"id": DATASET})
    portal.action("package_patch", {"id": DATASET, "private": True})
    try:
        for suffix in ("json", "zip"):
            anonymous = requests.get(f"{portal.url}/dataset/{DATASET}/datapackage.{suffix}",
                                     timeout=60)
            assert anonymous.status_code == 404, suffix
            assert dataset["id"] not in anonymous.text
        admin = portal.login()
        assert admin.get(f"{portal.url}/dataset/{DATASET}/datapackage.json",
                         timeout=60).status_code == 200
    finally:
        portal.action("package_patch", {"id": DATASET, "private": dataset["private"]})


def test_bulk_downloads_hold_every_open_dataset_and_nothing_private(portal, tmp_path):
    """An operator's nightly build (the CLI, as the timer runs it); a researcher downloads
    a department's ZIP from /downloads: every open dataset with tables, none private."""
    department = "so-giao-duc-dao-tao"
    found = portal.action("package_search", {"fq": f"organization:{department}",
                                             "include_private": True, "rows": 100})
    with_tables = sorted(d["name"] for d in found["results"]
                         if any(r.get("datastore_active") for r in d["resources"]))
    assert DATASET in with_tables and len(with_tables) >= 2, with_tables
    hidden = next(name for name in with_tables if name != DATASET)
    was_private = portal.action("package_show", {"id": hidden})["private"]
    portal.action("package_patch", {"id": hidden, "private": True})
    try:
        built = portal.cli("smartcity", "bulk", "build")
    finally:
        portal.action("package_patch", {"id": hidden, "private": was_private})
    assert built.returncode == 0, built.stderr[-2000:]
    assert f"department-{department}.zip" in built.stdout and "catalogue.zip" in built.stdout

    page = requests.get(f"{portal.url}/downloads", timeout=60)
    assert page.status_code == 200
    link = f"/downloads/department-{department}.zip"
    assert link in page.text and "SHA-256" in page.text
    answer = requests.get(portal.url + link, timeout=120)
    assert answer.status_code == 200
    path = tmp_path / "department.zip"
    path.write_bytes(answer.content)
    import hashlib
    assert hashlib.sha256(answer.content).hexdigest() in page.text
    with zipfile.ZipFile(path) as archive:
        archive.extractall(tmp_path / "x")
        folders = sorted({name.split("/")[0] for name in archive.namelist()})
    expected = [name for name in with_tables if name != hidden and not portal.action(
        "package_show", {"id": name})["private"]]
    assert folders == sorted(expected), (folders, hidden)
    report = frictionless.validate(str(tmp_path / "x" / DATASET / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]
    missing = requests.get(f"{portal.url}/downloads/department-khong-co.zip", timeout=60)
    assert missing.status_code == 404
