"""Every path a table takes into the portal passes the privacy gate: a table with an
identifier is refused and leaves storage, DataStore and metadata exactly as before; a clean
table passes; small counts of a dataset's count columns are suppressed."""
from __future__ import annotations

import os
from pathlib import Path

import factories as city
import pytest
from openpyxl import load_workbook

import ckan.plugins.toolkit as tk
from ckan.lib.uploader import get_resource_uploader
from ckan.tests import factories, helpers

PLUGINS = "smartcity scheming_datasets scheming_organizations scheming_groups datastore"
pytestmark = [pytest.mark.ckan_config("ckan.plugins", PLUGINS),
              pytest.mark.usefixtures("with_plugins", "clean_datastore", "clean_index")]

LEAKY = ("ma_xa,ho_ten,so_cccd,so_ca\r\n"
         "20194,Nguyễn Văn An,048095001234,12\r\n"
         "20197,Trần Thị Bình,048196004321,15\r\n")
CLEAN = "ma_xa,nam,so_ca\r\n20194,2025,12\r\n20197,2025,3\r\n20200,2025,40\r\n"
VALUES = ("048095001234", "048196004321", "Nguyễn Văn An", "Trần Thị Bình", "0905")


@pytest.fixture
def dataset(user) -> dict:
    return city.dataset(user, "ca-benh-upload")


def _snapshot(storage: Path, dataset_id: str) -> tuple:
    files = sorted(str(p.relative_to(storage)) + f":{p.stat().st_size}"
                   for p in storage.rglob("*") if p.is_file())
    pkg = helpers.call_action("package_show", id=dataset_id)
    rows = {}
    for res in pkg["resources"]:
        if res.get("datastore_active"):
            rows[res["id"]] = helpers.call_action(
                "datastore_search", {"ignore_auth": True}, resource_id=res["id"])["total"]
    return files, pkg, rows


def _refused(call, *names: str) -> str:
    with pytest.raises(tk.ValidationError) as err:
        call()
    text = str(err.value.error_dict)
    for name in names:
        assert name in text, (name, text)
    for value in VALUES:
        assert value not in text
    return text


def _stored_text(resource: dict) -> str:
    with open(get_resource_uploader(dict(resource)).get_path(resource["id"]), "rb") as f:
        return f.read().decode("utf-8-sig")


def test_resource_create_refuses_identifiers_and_stores_a_clean_table(storage, user, dataset):
    before = _snapshot(storage, dataset["id"])
    _refused(lambda: helpers.call_action("resource_create", dict(user),
                                         package_id=dataset["id"], name="x",
                                         upload=city.csv(LEAKY, "benh_nhan.csv")),
             "so_cccd", "name:citizen_id", "ho_ten")
    assert _snapshot(storage, dataset["id"]) == before
    resource = helpers.call_action("resource_create", dict(user), package_id=dataset["id"],
                                   name="ca bệnh", upload=city.csv(CLEAN, "ca_benh.csv"))
    assert resource["url_type"] == "upload"
    # small counts of the dataset's count column are suppressed in the stored file
    assert _stored_text(resource).splitlines() == [
        "ma_xa,nam,so_ca", "20194,2025,", "20197,2025,", "20200,2025,40"]


def test_resource_update_with_only_id_and_upload_is_gated(storage, user, dataset):
    resource = helpers.call_action("resource_create", dict(user), package_id=dataset["id"],
                                   name="ca bệnh", upload=city.csv(CLEAN, "ca_benh.csv"))
    before = _snapshot(storage, dataset["id"])
    _refused(lambda: helpers.call_action("resource_update", dict(user), id=resource["id"],
                                         upload=city.csv(LEAKY, "ca_benh.csv")), "so_cccd")
    _refused(lambda: helpers.call_action("resource_patch", dict(user), id=resource["id"],
                                         upload=city.csv(LEAKY, "ca_benh.csv")), "so_cccd")
    assert _snapshot(storage, dataset["id"]) == before


def test_package_create_and_update_with_uploaded_resources_are_gated(storage, user, dataset):
    org = factories.Organization()
    _refused(lambda: helpers.call_action(
        "package_create", dict(user), name="khac", type="dataset", owner_org=org["id"],
        resources=[{"name": "a", "upload": city.csv(LEAKY, "a.csv")}]), "so_cccd")
    with pytest.raises(tk.ObjectNotFound):
        helpers.call_action("package_show", id="khac")
    before = _snapshot(storage, dataset["id"])
    pkg = helpers.call_action("package_show", id=dataset["id"])
    pkg["resources"] = [{"name": "b", "upload": city.csv(LEAKY, "b.csv")}]
    _refused(lambda: helpers.call_action("package_update", dict(user), **pkg), "so_cccd")
    _refused(lambda: helpers.call_action(
        "package_patch", dict(user), id=dataset["id"],
        resources=[{"name": "c", "upload": city.csv(LEAKY, "c.csv")}]), "so_cccd")
    assert _snapshot(storage, dataset["id"]) == before


@pytest.mark.parametrize("upload, names", [
    (lambda: city.xlsx({"Sheet1": [("ma_xa", "so_ca"), ("20194", 20)],
                    "Danh sách": [("stt", "lien_he"), (1, "0905123456")]}, "bang.xlsm"),
     ("Danh sách", "value:phone")),
    (lambda: city.csv("so_cccd,ho_ten,ma_xa\r\n048095001234,An,20194\r\n20197\r\n", "r.csv"),
     ("so_cccd", "line 3")),
    (lambda: city.csv(b"ma_xa,so_ca\r\n\x81\xfe\x00\xff\x00\x00\xfe\xff\x81\r\n", "enc.csv"),
     ("enc.csv",)),
    (lambda: city.csv(b"PK\x03\x04 not really a workbook", "hong.xlsx"), ("hong.xlsx", "XLSX")),
    (lambda: city.csv(b"\xd0\xcf\x11\xe0 old excel", "cu.xls"), ("cu.xls", "CSV")),
])
def test_unreadable_or_hidden_content_is_refused(storage, user, dataset, upload, names):
    before = _snapshot(storage, dataset["id"])
    _refused(lambda: helpers.call_action("resource_create", dict(user),
                                         package_id=dataset["id"], name="x",
                                         upload=upload()), *names)
    assert _snapshot(storage, dataset["id"]) == before


def test_datastore_records_are_gated_and_suppressed(storage, user, dataset):
    resource = helpers.call_action("resource_create", dict(user), package_id=dataset["id"],
                                   name="bảng", url="https://example.invalid/x",
                                   format="API")  # a page, not fetched
    fields = [{"id": "ma_xa", "type": "text"}, {"id": "ghi_chu", "type": "text"},
              {"id": "so_ca", "type": "int"}]
    _refused(lambda: helpers.call_action(
        "datastore_create", dict(user), resource_id=resource["id"], force=True,
        fields=fields, records=[{"ma_xa": "20194", "ghi_chu": "gọi 0905 123 456",
                                 "so_ca": 20}]), "ghi_chu", "value:phone")
    with pytest.raises(tk.ObjectNotFound):
        helpers.call_action("datastore_info", {"ignore_auth": True}, id=resource["id"])
    helpers.call_action("datastore_create", dict(user), resource_id=resource["id"],
                        force=True, fields=fields,
                        records=[{"ma_xa": "20194", "ghi_chu": "", "so_ca": 4},
                                 {"ma_xa": "20197", "ghi_chu": "ổn", "so_ca": 30}])
    before = _snapshot(storage, dataset["id"])
    _refused(lambda: helpers.call_action(
        "datastore_upsert", dict(user), resource_id=resource["id"], force=True,
        method="insert", records=[{"ma_xa": "20200", "ghi_chu": "a@b.vn", "so_ca": 1}]),
        "ghi_chu", "value:email")
    assert _snapshot(storage, dataset["id"]) == before
    found = helpers.call_action("datastore_search", {"ignore_auth": True},
                                resource_id=resource["id"], sort="ma_xa")["records"]
    # 4 < k=10 hidden; 30 hidden as the complementary cell of the only group
    assert [(r["ma_xa"], r["so_ca"]) for r in found] == [("20194", None), ("20197", None)]


OFFICER = [("Mã xã", "Số ca mắc", "Số ca tử vong"), ("20194", 3, 0), ("20197", 40, 2),
           ("20200", 12, 1), ("20203", 55, 15)]


def test_an_xlsx_upload_names_its_count_columns_by_generated_id(storage, user, dataset):
    # issue 20: the officer declares the ids the portal generates from the headers
    helpers.call_action("package_patch", dict(user), id=dataset["id"],
                        count_columns="so_ca_mac, so_ca_tu_vong")
    resource = helpers.call_action("resource_create", dict(user), package_id=dataset["id"],
                                   name="ca bệnh", upload=city.xlsx({"Ca bệnh": OFFICER}))
    rows = [line.split(",") for line in _stored_text(resource).splitlines()]
    assert rows[0] == ["Mã xã", "Số ca mắc", "Số ca tử vong"]
    counts = [int(v) for row in rows[1:] for v in row[1:] if v]
    assert counts and all(v == 0 or v >= 10 for v in counts), rows
    assert rows[1][1] == "" and rows[2][2] == ""


def test_a_declared_count_column_that_matches_nothing_refuses_the_upload(
        storage, user, dataset):
    helpers.call_action("resource_create", dict(user), package_id=dataset["id"],
                        name="ca bệnh", upload=city.csv(CLEAN, "ca_benh.csv"))
    helpers.call_action("package_patch", dict(user), id=dataset["id"],
                        count_columns="so_ca, so_ca_chet")
    before = _snapshot(storage, dataset["id"])
    _refused(lambda: helpers.call_action("resource_create", dict(user),
                                         package_id=dataset["id"], name="x",
                                         upload=city.csv(CLEAN, "ca_benh_2.csv")),
             "so_ca_chet", "count_columns")
    _refused(lambda: helpers.call_action("resource_create", dict(user),
                                         package_id=dataset["id"], name="x",
                                         upload=city.xlsx({"Ca bệnh": OFFICER})), "so_ca_chet")
    assert _snapshot(storage, dataset["id"]) == before


def test_datastore_records_name_count_columns_by_dictionary_label(storage, user, dataset):
    helpers.call_action("package_patch", dict(user), id=dataset["id"],
                        count_columns="Số ca mắc")
    resource = helpers.call_action("resource_create", dict(user), package_id=dataset["id"],
                                   name="bảng", url="https://example.invalid/x",
                                   format="API")  # a page, not fetched
    fields = [{"id": "ma_xa", "type": "text"},
              {"id": "n", "type": "int", "info": {"label": "Số ca mắc", "label_en": "Cases"}}]
    helpers.call_action("datastore_create", dict(user), resource_id=resource["id"],
                        force=True, fields=fields,
                        records=[{"ma_xa": "20194", "n": 4}, {"ma_xa": "20197", "n": 30}])
    found = helpers.call_action("datastore_search", {"ignore_auth": True},
                                resource_id=resource["id"], sort="ma_xa")["records"]
    assert [r["n"] for r in found] == [None, None]
    # upserts find the label in the stored dictionary
    helpers.call_action("datastore_upsert", dict(user), resource_id=resource["id"],
                        force=True, method="insert", records=[{"ma_xa": "20200", "n": 2},
                                                              {"ma_xa": "20203", "n": 50}])
    found = helpers.call_action("datastore_search", {"ignore_auth": True},
                                resource_id=resource["id"], sort="ma_xa")["records"]
    assert found[2]["n"] is None
    helpers.call_action("package_patch", dict(user), id=dataset["id"], count_columns="so_ca")
    before = _snapshot(storage, dataset["id"])
    _refused(lambda: helpers.call_action(
        "datastore_upsert", dict(user), resource_id=resource["id"], force=True,
        method="insert", records=[{"ma_xa": "20206", "n": 3}]), "so_ca")
    assert _snapshot(storage, dataset["id"]) == before
