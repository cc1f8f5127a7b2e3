"""A departmental PostgreSQL table harvested end to end: dataset, CSV, DataStore."""
from __future__ import annotations

import json
import logging
import socket

import pytest
import sqlalchemy as sa

import ckan.model as model
from ckan.lib import search
from ckan.lib.uploader import get_resource_uploader
from ckan.tests import helpers
from ckanext.harvest.model import HarvestSource

from .conftest import (DEFAULTS, PASSWORD_ENV, PLUGINS, dataset, extra, gather_errors, make_source,
                       object_errors, published, rows, run_job,
                       spec, sql_config, tk, update_source)

pytestmark = [pytest.mark.ckan_config("ckan.plugins", PLUGINS),
              pytest.mark.usefixtures("harvest_env")]


def _csv_bytes(resource):
    upload = get_resource_uploader(dict(resource))
    with open(upload.get_path(resource["id"]), "rb") as data:
        return data.read()


def test_sql_table_becomes_dataset_csv_and_datastore(sysadmin, org, department):
    source = make_source(sysadmin, org, department.url,
                         sql_config(spec("co-so-y-te-theo-xa", "co_so_y_te",
                                         fields={"title_en": "Health facilities"})))
    job = run_job(source["id"])
    assert job["stats"]["added"] == 1, object_errors(job["id"])
    assert job["stats"]["errored"] == 0

    pkg = dataset("co-so-y-te-theo-xa")
    assert pkg["type"] == "health" and pkg["owner_org"] == org["id"]
    assert pkg["title"] == "Bảng co_so_y_te" and pkg["title_en"] == "Health facilities"
    assert pkg["temporal_start"] == "2026-01-01" and pkg["temporal_end"] == "2026-12-31"
    assert sorted(pkg["admin_units"]) == ["20194", "20197", "20200"]
    assert extra(pkg, "harvest_source") == source["id"]
    assert extra(pkg, "row_count") == 3
    assert len(extra(pkg, "content_hash")) == 64
    assert extra(pkg, "privacy_report")["verdict"] == "passed"
    assert extra(pkg, "harvested_at")

    (resource,) = pkg["resources"]
    assert resource["url_type"] == "upload" and resource["format"] == "CSV"
    assert resource["datastore_active"] is True
    data = _csv_bytes(resource)
    assert data.startswith(b"\xef\xbb\xbfma_xa,nam,loai,so_co_so\r\n")
    assert "20194,2026,Trạm y tế,12" in data.decode("utf-8-sig")

    records = rows(resource["id"])
    assert [(r["ma_xa"], r["nam"], r["loai"], r["so_co_so"]) for r in records] == [
        ("20194", 2026, "Trạm y tế", 12), ("20197", 2026, "Trạm y tế", 15),
        ("20200", 2026, "Bệnh viện", 20)]
    info = helpers.call_action("datastore_info", {"ignore_auth": True}, id=resource["id"])
    fields = {f["id"]: f for f in info["fields"]}
    assert fields["nam"]["type"] == "int8" and fields["ma_xa"]["type"] == "text"
    assert fields["so_co_so"]["info"]["label"] == "so_co_so"
    found = helpers.call_action("datastore_search", {"ignore_auth": True},
                                resource_id=resource["id"], q="Bệnh viện")
    assert found["total"] == 1


def test_reharvest_of_unchanged_rows_writes_nothing(sysadmin, org, department):
    source = make_source(sysadmin, org, department.url,
                         sql_config(spec("co-so-y-te-theo-xa", "co_so_y_te")))
    run_job(source["id"])
    before = dataset("co-so-y-te-theo-xa")
    ids_before = [r["_id"] for r in rows(before["resources"][0]["id"])]

    job = run_job(source["id"])
    assert job["stats"]["not modified"] == 1 and job["stats"]["added"] == 0
    after = dataset("co-so-y-te-theo-xa")
    assert after["metadata_modified"] == before["metadata_modified"]
    assert after["resources"] == before["resources"]
    assert [r["_id"] for r in rows(after["resources"][0]["id"])] == ids_before
    assert published() == ["co-so-y-te-theo-xa"]


def test_changed_rows_replace_the_table_in_the_same_dataset(sysadmin, org, department):
    source = make_source(sysadmin, org, department.url,
                         sql_config(spec("co-so-y-te-theo-xa", "co_so_y_te",
                                         columns=["ma_xa", {"id": "so_co_so",
                                                            "name": "so_luong",
                                                            "label": "Số cơ sở",
                                                            "label_en": "Facilities"}])))
    run_job(source["id"])
    before = dataset("co-so-y-te-theo-xa")
    department.execute("UPDATE co_so_y_te SET so_co_so = 30 WHERE ma_xa = '20194';"
                        "INSERT INTO co_so_y_te VALUES ('20209', 2026, 'Trạm y tế', 11)")
    job = run_job(source["id"])
    assert job["stats"]["updated"] == 1, object_errors(job["id"])
    after = dataset("co-so-y-te-theo-xa")
    assert after["id"] == before["id"]
    assert after["resources"][0]["id"] == before["resources"][0]["id"]
    assert extra(after, "content_hash") != extra(before, "content_hash")
    records = rows(after["resources"][0]["id"])
    assert [(r["ma_xa"], r["so_luong"]) for r in records] == [
        ("20197", 15), ("20200", 20), ("20194", 30), ("20209", 11)] or sorted(
        (r["ma_xa"], r["so_luong"]) for r in records) == [
        ("20194", 30), ("20197", 15), ("20200", 20), ("20209", 11)]
    assert [r["_id"] for r in records] == [1, 2, 3, 4]
    info = helpers.call_action("datastore_info", {"ignore_auth": True},
                               id=after["resources"][0]["id"])
    label = {f["id"]: f.get("info", {}) for f in info["fields"]}["so_luong"]
    assert label["label"] == "Số cơ sở" and label["label_en"] == "Facilities"
    assert "ma_xa,so_luong" in _csv_bytes(after["resources"][0]).decode("utf-8-sig")


def test_removed_spec_is_withdrawn_with_delete_missing(sysadmin, org, department):
    both = [spec("co-so-y-te-theo-xa", "co_so_y_te"), spec("giuong-benh", "giuong_benh")]
    source = make_source(sysadmin, org, department.url,
                         sql_config(*both, delete_missing=True))
    run_job(source["id"])
    update_source(sysadmin, source, config=sql_config(both[0], delete_missing=True))
    job = run_job(source["id"])
    assert job["stats"]["deleted"] == 1 and job["stats"]["not modified"] == 1
    assert dataset("giuong-benh")["state"] == "deleted"
    assert dataset("co-so-y-te-theo-xa")["state"] == "active"


def _closed_port_url(url):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    parsed = sa.engine.make_url(url)
    return parsed.set(host="127.0.0.1", port=port).render_as_string(hide_password=False)


def test_source_down_keeps_what_is_published(sysadmin, org, department, caplog, ckan_config,
                                             monkeypatch):
    both = [spec("co-so-y-te-theo-xa", "co_so_y_te"), spec("giuong-benh", "giuong_benh")]
    source = make_source(sysadmin, org, department.url,
                         sql_config(*both, delete_missing=True))
    run_job(source["id"])
    before = {n: dataset(n) for n in ("co-so-y-te-theo-xa", "giuong-benh")}
    records = rows(before["co-so-y-te-theo-xa"]["resources"][0]["id"])

    # the database is unreachable, and one spec was removed at the same time
    closed = _closed_port_url(department.url)
    where = f"{sa.engine.make_url(closed).host}:{sa.engine.make_url(closed).port}"
    monkeypatch.setitem(ckan_config, "ckanext.smartcity.harvest.secret_scopes",
                        f"{PASSWORD_ENV} so-y-te {where}")
    update_source(sysadmin, source, url=closed,
                  config=sql_config(both[0], delete_missing=True))
    job = run_job(source["id"])
    messages = gather_errors(job["id"]) + object_errors(job["id"])
    assert messages, "an unreachable source must be reported"
    assert all("CSDL Sở Y tế" in m for m in messages), messages
    assert any("withdrawn" in m or "connect" in m.lower() for m in messages), messages
    for name, pkg in before.items():
        now = dataset(name)
        assert now["state"] == "active", name
        assert now["metadata_modified"] == pkg["metadata_modified"], name
    assert rows(before["co-so-y-te-theo-xa"]["resources"][0]["id"]) == records


def test_source_answering_zero_rows_keeps_the_published_rows(sysadmin, org, department):
    source = make_source(sysadmin, org, department.url,
                         sql_config(spec("co-so-y-te-theo-xa", "co_so_y_te")))
    run_job(source["id"])
    before = dataset("co-so-y-te-theo-xa")
    department.execute("DELETE FROM co_so_y_te")
    job = run_job(source["id"])
    (message,) = object_errors(job["id"])
    assert "no rows" in message and "allow_empty" in message
    after = dataset("co-so-y-te-theo-xa")
    assert after["metadata_modified"] == before["metadata_modified"]
    assert len(rows(after["resources"][0]["id"])) == 3


def test_privacy_blocked_table_publishes_nothing(sysadmin, org, department):
    source = make_source(sysadmin, org, department.url,
                         sql_config(spec("benh-nhan", "benh_nhan")))
    job = run_job(source["id"])
    (message,) = object_errors(job["id"])
    assert "ho_ten" in message and "so_dien_thoai" in message and "name:" in message
    for value in ("Nguyễn", "Bình", "0905123456", "0912345678", "Cúc"):
        assert value not in message
    assert published() == []
    with pytest.raises(tk.ObjectNotFound):
        dataset("benh-nhan")


def test_secrets_stay_out_of_sources_logs_and_errors(sysadmin, org, department, caplog):
    caplog.set_level(logging.DEBUG)
    source = make_source(sysadmin, org, department.url,
                         sql_config(spec("co-so-y-te-theo-xa", "co_so_y_te")))
    run_job(source["id"])
    shown = helpers.call_action("harvest_source_show", {"user": sysadmin["name"]},
                                id=source["id"])
    assert department.password not in json.dumps(shown, ensure_ascii=False)
    stored = HarvestSource.get(source["id"]).config
    assert PASSWORD_ENV in stored and department.password not in stored
    # a wrong password: the error names the source and cause, never the secret
    update_source(sysadmin, source, config=sql_config(spec("giuong-benh", "giuong_benh")))
    import os
    os.environ[PASSWORD_ENV] = "wrong-" + department.password
    job = run_job(source["id"])
    errors = object_errors(job["id"])
    assert errors and all("CSDL Sở Y tế" in e for e in errors)
    assert all(department.password not in e for e in errors)
    assert department.password not in caplog.text

    with pytest.raises(tk.ValidationError) as err:
        make_source(sysadmin, org, department.url, json.dumps(
            {"password": "hunter2-inline", "datasets": [spec("x-y", "co_so_y_te")]}),
            name="bad-source")
    text = json.dumps(err.value.error_dict, ensure_ascii=False)
    assert "password" in text and "hunter2-inline" not in text


def test_a_name_taken_by_a_hand_made_dataset_is_not_overwritten(sysadmin, org, department):
    manual = helpers.call_action(
        "package_create", {"user": sysadmin["name"]}, name="co-so-y-te-theo-xa",
        type="health", title="Nhập tay", owner_org=org["id"], admin_units=["20194"],
        **DEFAULTS)
    source = make_source(sysadmin, org, department.url,
                         sql_config(spec("co-so-y-te-theo-xa", "co_so_y_te")))
    job = run_job(source["id"])
    (message,) = object_errors(job["id"])
    assert "name is taken" in message and "co-so-y-te-theo-xa" in message
    after = dataset("co-so-y-te-theo-xa")
    assert after["title"] == "Nhập tay" and after["resources"] == []
    assert after["metadata_modified"] == manual["metadata_modified"]


def test_provenance_lost_in_a_form_edit_does_not_orphan_the_dataset(sysadmin, org,
                                                                      department):
    source = make_source(sysadmin, org, department.url,
                         sql_config(spec("co-so-y-te-theo-xa", "co_so_y_te")))
    run_job(source["id"])
    # a web-form edit: the provenance fields are not in the form; they are kept
    edited = dataset("co-so-y-te-theo-xa")
    for key in ("harvest_source", "harvested_at", "content_hash", "row_count",
                "privacy_report"):
        edited.pop(key, None)
    helpers.call_action("package_update", {"user": sysadmin["name"]}, **edited)
    assert extra(dataset("co-so-y-te-theo-xa"), "harvest_source") == source["id"]
    # a dataset whose provenance was lost before it was protected (removed in the
    # database): the harvest objects still say which dataset this source made
    package = model.Package.by_name("co-so-y-te-theo-xa")
    package.extras = {k: v for k, v in (package.extras or {}).items()
                      if k not in ("harvest_source", "content_hash")}
    model.Session.commit()
    search.rebuild(package.id)  # package_show may answer from the index
    assert extra(dataset("co-so-y-te-theo-xa"), "harvest_source") is None
    job = run_job(source["id"])
    assert job["stats"]["updated"] == 1, object_errors(job["id"])
    assert extra(dataset("co-so-y-te-theo-xa"), "harvest_source") == source["id"]


def test_a_failed_first_load_leaves_no_dataset_behind(sysadmin, org, department):
    # the configured column type does not fit the values: COPY fails inside its transaction
    source = make_source(sysadmin, org, department.url, sql_config(
        spec("co-so-y-te-theo-xa", "co_so_y_te",
             columns=["ma_xa", {"id": "loai", "type": "int"}])))
    job = run_job(source["id"])
    (message,) = object_errors(job["id"])
    assert "DataStore table" in message and "22P02" in message
    assert "Trạm" not in message and "Bệnh" not in message
    assert published() == []
