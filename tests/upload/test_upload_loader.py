"""Uploads load like harvests: a CSV/XLSX uploaded to a city dataset is queued on CKAN's
jobs queue when the write commits, and CKAN's own jobs worker (run here in burst mode,
without forking) reads, gates, types and loads it into the DataStore with a vi/en
dictionary and a preview; a failed load keeps the previous table; a refused upload is
never stored, queued or loaded."""
from __future__ import annotations

import io

import factories as city
import pytest
from werkzeug.datastructures import FileStorage

import ckan.plugins.toolkit as tk
from ckan.lib import jobs
from ckan.tests import factories, helpers

PLUGINS = ("smartcity scheming_datasets scheming_organizations scheming_groups datastore "
           "datatables_view smartcity_map smartcity_chart")
pytestmark = [pytest.mark.ckan_config("ckan.plugins", PLUGINS),
              pytest.mark.usefixtures("with_plugins", "clean_datastore", "clean_index",
                                      "clean_queues", "with_test_worker")]

CLEAN = ("ma_xa,nam,so_ca\r\n"
         "20194,2025,12\r\n20197,2025,3\r\n20200,2025,40\r\n20203,2025,25\r\n")
LEAKY = "ma_xa,ho_ten,so_cccd\r\n20194,Nguyễn Văn An,048095001234\r\n"


@pytest.fixture
def dataset(user) -> dict:
    return city.dataset(user, "ca-benh-tai-len", title="Ca bệnh theo xã",
                             min_cell_size=5, temporal=("2025-01-01", "2025-12-31"))


def _queued(resource_id: str) -> list:
    return [j for j in jobs.get_queue().jobs
            if j.func_name.endswith("load_upload") and j.args[0] == resource_id]


def _work() -> None:
    jobs.Worker(["default"]).work(burst=True)


def _status(resource_id: str, user: dict | None = None) -> dict:
    return helpers.call_action("smartcity_upload_status", dict(user or {}), id=resource_id)


def _rows(resource_id: str) -> list[dict]:
    return helpers.call_action("datastore_search", {"ignore_auth": True},
                               resource_id=resource_id, sort="_id")["records"]


def test_an_uploaded_csv_is_queued_then_loaded_by_the_jobs_worker(storage, user, dataset):
    resource = helpers.call_action("resource_create", dict(user), package_id=dataset["id"],
                                   name="Ca bệnh 2025", upload=city.csv(CLEAN, "ca_benh.csv"))
    assert _status(resource["id"], user)["state"] == "queued"
    assert len(_queued(resource["id"])) == 1
    with pytest.raises(tk.ObjectNotFound):
        helpers.call_action("datastore_info", {"ignore_auth": True}, id=resource["id"])

    _work()

    state = _status(resource["id"], user)
    assert state["state"] == "loaded" and state["rows"] == 4, state
    assert state["privacy"]["rows_checked"] == 4
    rows = _rows(resource["id"])
    assert [r["ma_xa"] for r in rows] == ["20194", "20197", "20200", "20203"]
    # so_ca is a count column with k=5: 3 hidden, and one more cell to protect it
    assert sum(r["so_ca"] is None for r in rows) >= 1 and rows[1]["so_ca"] is None
    info = helpers.call_action("datastore_info", {"ignore_auth": True}, id=resource["id"])
    fields = {f["id"]: f for f in info["fields"]}
    assert fields["nam"]["type"] == "int8" and fields["ma_xa"]["type"] == "text"
    assert fields["ma_xa"]["info"]["label"] == "Mã xã, phường"
    assert fields["ma_xa"]["info"]["label_en"] == "Commune code"
    shown = helpers.call_action("resource_show", id=resource["id"])
    assert shown["datastore_active"] is True
    views = helpers.call_action("resource_view_list", id=resource["id"])
    assert "datatables_view" in {v["view_type"] for v in views}
    # the dataset carries the guard's report of its one uploaded table
    pkg = helpers.call_action("package_show", id=dataset["id"])
    assert pkg["privacy_report"]["rows_checked"] == 4
    # the loader's own writes queue nothing more
    assert _queued(resource["id"]) == []


def test_an_xlsx_with_vietnamese_headers_gets_ids_and_a_bilingual_dictionary(
        storage, user, dataset):
    # no count column: the workbook is stored as it is (a declared one it lacks refuses it)
    helpers.call_action("package_patch", dict(user), id=dataset["id"], count_columns="")
    resource = helpers.call_action("resource_create", dict(user), package_id=dataset["id"],
                                   name="Hộ nghèo", upload=city.xlsx([
                                       ("Mã xã", "Năm", "Số hộ nghèo", "Tỷ lệ (%)"),
                                       ("20194", 2025, 120, 1.5),
                                       ("20197", 2025, 80, 0.75)], "ho_ngheo.xlsx"))
    _work()
    assert _status(resource["id"], user)["state"] == "loaded"
    info = helpers.call_action("datastore_info", {"ignore_auth": True}, id=resource["id"])
    fields = {f["id"]: f for f in info["fields"]}
    assert list(fields) == ["ma_xa", "nam", "so_ho_ngheo", "ty_le"]
    assert fields["so_ho_ngheo"]["info"]["label"] == "Số hộ nghèo"
    assert fields["so_ho_ngheo"]["info"]["label_en"] == "Poor households"
    assert fields["ty_le"]["type"] == "float8"
    found = helpers.call_action("datastore_search", {"ignore_auth": True},
                                resource_id=resource["id"], filters={"ma_xa": "20197"})
    assert found["records"][0]["so_ho_ngheo"] == 80


def test_a_failed_load_keeps_the_previous_table_and_says_where(storage, user, dataset):
    resource = helpers.call_action("resource_create", dict(user), package_id=dataset["id"],
                                   name="Ca bệnh", upload=city.csv(CLEAN, "ca_benh.csv"))
    _work()
    before = _rows(resource["id"])
    # the type of `nam` is inferred from the first 5,000 rows; line 5,003 does not fit
    body = "".join(f"2{i:04d},2025,{10 + i % 7}\r\n" for i in range(5001))
    helpers.call_action("resource_update", dict(user), id=resource["id"],
                        upload=city.csv("ma_xa,nam,so_ca\r\n" + body + "20999,không rõ,9\r\n",
                                        "ca_benh.csv"))
    assert _status(resource["id"], user)["state"] == "queued"
    _work()
    state = _status(resource["id"], user)
    assert state["state"] == "failed", state
    assert state["message"].startswith("ca_benh.csv: không đọc được tệp / the file could not "
                                       "be read: line 5003, column 'nam'"), state["message"]
    assert "không rõ" not in state["message"]
    assert _rows(resource["id"]) == before
    # the public sees the state, not the reason
    assert "message" not in _status(resource["id"], {"user": "", "ignore_auth": False})


def test_the_officers_xlsx_is_loaded_with_its_count_columns_suppressed(storage, user,
                                                                       dataset):
    # issue 20: headers "Số ca mắc", "Số ca tử vong" declared by the ids the portal
    # generates from them, k = 10; before, the declaration was dropped on the way
    helpers.call_action("package_patch", dict(user), id=dataset["id"], min_cell_size=10,
                        count_columns="so_ca_mac, so_ca_tu_vong")
    resource = helpers.call_action("resource_create", dict(user), package_id=dataset["id"],
                                   name="Ca bệnh", upload=city.xlsx([
                                       ("Mã xã", "Số ca mắc", "Số ca tử vong"),
                                       ("20194", 3, 0), ("20197", 40, 2), ("20200", 12, 1),
                                       ("20203", 55, 15)], name="ca_benh.xlsx"))
    _work()
    state = _status(resource["id"], user)
    assert state["state"] == "loaded", state
    assert state["privacy"]["count_columns"] == ["Số ca mắc", "Số ca tử vong"]
    rows = _rows(resource["id"])
    counts = [r[c] for r in rows for c in ("so_ca_mac", "so_ca_tu_vong")]
    assert all(v is None or v == 0 or v >= 10 for v in counts), rows
    assert rows[0]["so_ca_mac"] is None and rows[1]["so_ca_tu_vong"] is None
    report = helpers.call_action("package_show", id=dataset["id"])["privacy_report"]
    assert report["count_columns"] == ["Số ca mắc", "Số ca tử vong"]
    assert report["min_cell_size"] == 10


def test_a_refused_upload_is_not_stored_queued_or_loaded(storage, user, dataset):
    resource = helpers.call_action("resource_create", dict(user), package_id=dataset["id"],
                                   name="Ca bệnh", upload=city.csv(CLEAN, "ca_benh.csv"))
    _work()
    before = _rows(resource["id"])
    with pytest.raises(tk.ValidationError) as err:
        helpers.call_action("resource_update", dict(user), id=resource["id"],
                            upload=city.csv(LEAKY, "ca_benh.csv"))
    assert "so_cccd" in str(err.value.error_dict)
    assert _queued(resource["id"]) == []
    assert _status(resource["id"], user)["state"] == "loaded"
    assert _rows(resource["id"]) == before


def test_uploads_to_other_datasets_and_links_are_not_queued(storage, user, dataset):
    org = factories.Organization()
    plain = helpers.call_action("package_create", dict(user), name="khong-phai-thanh-pho",
                                owner_org=org["id"])
    other = helpers.call_action("resource_create", dict(user), package_id=plain["id"],
                                name="x", upload=city.csv(CLEAN, "ca_benh.csv"))
    pdf = helpers.call_action("resource_create", dict(user), package_id=dataset["id"],
                              name="báo cáo", upload=FileStorage(io.BytesIO(b"%PDF-1.4"),
                                                                 filename="bao_cao.pdf"))
    for resource in (other, pdf):
        assert _queued(resource["id"]) == []
        with pytest.raises(tk.ObjectNotFound):
            _status(resource["id"], user)


def test_the_cli_loads_a_resource_in_process(storage, user, dataset, cli):
    from ckanext.smartcity.cli import smartcity
    resource = helpers.call_action("resource_create", dict(user), package_id=dataset["id"],
                                   name="Ca bệnh", upload=city.csv(CLEAN, "ca_benh.csv"))
    result = cli.invoke(smartcity, ["uploads", "load", resource["id"]])
    assert result.exit_code == 0, result.output
    assert f"{resource['id']}: loaded" in result.output
    assert len(_rows(resource["id"])) == 4
