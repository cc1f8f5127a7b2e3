"""Microdata through the portal's gate: an upload and DataStore writes of one row per
person are refused naming the quasi-identifiers and leave the portal as before; the
generalised table is stored with the microdata check in its privacy report; a declared
quasi-identifier the table lacks refuses the write (fail closed)."""
from __future__ import annotations

import csv
import io
import random

import pytest
from werkzeug.datastructures import FileStorage

import ckan.plugins.toolkit as tk
from ckan.tests import factories, helpers

from ckanext.smartcity.privacy.checkpoint import check_rows
from ckanext.smartcity.privacy.generalise import plan_generalisation

PLUGINS = "smartcity scheming_datasets scheming_organizations scheming_groups datastore"
pytestmark = [pytest.mark.ckan_config("ckan.plugins", PLUGINS),
              pytest.mark.usefixtures("with_plugins", "clean_datastore", "clean_index")]

HEADER = ["tuoi", "gioi_tinh", "ma_xa", "nghe_nghiep", "ket_qua"]
JOBS = ["Nông dân", "Giáo viên", "Công nhân", "Buôn bán", "Nội trợ"]


def people(n: int = 250) -> list[tuple]:
    rnd = random.Random(2)
    return [(rnd.randint(1, 90), rnd.choice(["Nam", "Nữ"]),
             rnd.choice(["20194", "20197", "20200", "20203"]), rnd.choice(JOBS),
             rnd.choice(["Dương tính", "Âm tính"])) for _ in range(n)]


def as_csv(header, rows, name: str) -> FileStorage:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return FileStorage(io.BytesIO(out.getvalue().encode("utf-8-sig")), filename=name)


@pytest.fixture
def dataset(user) -> dict:
    org = factories.Organization()
    return helpers.call_action(
        "package_create", dict(user), type="health", name="xet-nghiem",
        title="Kết quả xét nghiệm", owner_org=org["id"], update_frequency="annual",
        admin_units=["20194"], data_classification="open", personal_data="anonymized",
        min_cell_size=10, temporal_start="2025-07-01", temporal_end="2025-12-31")


def snapshot(storage, dataset_id):
    files = sorted(str(p.relative_to(storage)) for p in storage.rglob("*") if p.is_file())
    return files, helpers.call_action("package_show", id=dataset_id)


def refused(call, *names) -> str:
    with pytest.raises(tk.ValidationError) as err:
        call()
    text = str(err.value.error_dict)
    for name in names:
        assert name in text, (name, text)
    for job in JOBS:
        assert job not in text
    return text


def test_upload_of_microdata_refused_generalised_published(storage, user, dataset):
    rows = people()
    before = snapshot(storage, dataset["id"])
    text = refused(lambda: helpers.call_action(
        "resource_create", dict(user), package_id=dataset["id"], name="ds",
        upload=as_csv(HEADER, rows, "xet_nghiem.csv")),
        "«tuoi»", "«gioi_tinh»", "«ma_xa»", "«nghe_nghiep»", "k = 10", "--generalise")
    assert "% số dòng thuộc nhóm ít hơn 10 người" in text
    assert snapshot(storage, dataset["id"]) == before
    md = check_rows(HEADER, [tuple(map(str, r)) for r in rows], dataset).verdict.report
    plan = plan_generalisation(HEADER, [tuple(map(str, r)) for r in rows], 10,
                               md.microdata.quasi_identifiers)
    safe = [plan.apply(tuple(map(str, r))) for r in rows]
    resource = helpers.call_action("resource_create", dict(user), package_id=dataset["id"],
                                   name="ds", upload=as_csv(plan.header, safe, "an_toan.csv"))
    assert resource["url_type"] == "upload"


def test_declared_quasi_identifier_missing_refuses_the_upload(storage, user, dataset):
    helpers.call_action("package_patch", dict(user), id=dataset["id"],
                        quasi_identifiers="nam_sinh, gioi_tinh")
    before = snapshot(storage, dataset["id"])
    refused(lambda: helpers.call_action(
        "resource_create", dict(user), package_id=dataset["id"], name="x",
        upload=as_csv(["gioi_tinh", "ket_qua"], [("Nam", "Âm tính")] * 20, "x.csv")),
        "quasi_identifiers", "'nam_sinh'")
    assert snapshot(storage, dataset["id"]) == before


def test_datastore_create_and_upsert_of_microdata_refused(storage, user, dataset):
    resource = helpers.call_action("resource_create", dict(user), package_id=dataset["id"],
                                   name="bảng", url="https://example.invalid/x",
                                   format="API")  # a page, not fetched
    fields = [{"id": "tuoi", "type": "int"}, {"id": "gioi_tinh", "type": "text"},
              {"id": "ma_xa", "type": "text"}, {"id": "ket_qua", "type": "text"}]
    records = [dict(zip(["tuoi", "gioi_tinh", "ma_xa", "ket_qua"], (r[0], r[1], r[2], r[4])))
               for r in people(60)]
    refused(lambda: helpers.call_action(
        "datastore_create", dict(user), resource_id=resource["id"], force=True,
        fields=fields, records=records), "«tuoi»", "«gioi_tinh»", "«ma_xa»", "k = 10")
    with pytest.raises(tk.ObjectNotFound):
        helpers.call_action("datastore_info", {"ignore_auth": True}, id=resource["id"])
    # k holds: 2 groups of 10 people
    ok = [{"tuoi": 30, "gioi_tinh": s, "ma_xa": "20194", "ket_qua": "Âm tính"}
          for s in ("Nam", "Nữ") for _ in range(10)]
    helpers.call_action("datastore_create", dict(user), resource_id=resource["id"],
                        force=True, fields=fields, records=ok)
    refused(lambda: helpers.call_action(
        "datastore_upsert", dict(user), resource_id=resource["id"], force=True,
        method="insert", records=records[:12]), "«tuoi»", "k = 10")
    found = helpers.call_action("datastore_search", {"ignore_auth": True},
                                resource_id=resource["id"])
    assert found["total"] == 20
