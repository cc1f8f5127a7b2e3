"""Gather-time skip of unchanged tables (harvesters/fingerprint.py) on a real JSON API,
real dropped files and a real departmental PostgreSQL database: an unchanged table is
not read again and shows as "unchanged"; any change to the source config, the dataset
spec, the privacy policy, the schema or the content reads it again."""
from __future__ import annotations

import copy
import hashlib
import json
import os
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

import ckan.model as model
import ckan.plugins as p
from ckan.tests import helpers
from ckanext.harvest import queue
from ckanext.harvest.model import HarvestJob, HarvestObject

from ckanext.smartcity.harvesters.outcomes import job_outcomes

from .conftest import (DEFAULTS, PLUGINS, dataset, extra, harvester_for, make_source,
                       object_errors, rows, spec, sql_config, update_source)

pytestmark = [pytest.mark.ckan_config("ckan.plugins", PLUGINS),
              pytest.mark.usefixtures("harvest_env")]

RECORDS = [{"ma_xa": "20194", "nam": 2026, "so_co_so": 12},
           {"ma_xa": "20197", "nam": 2026, "so_co_so": 15}]


class Api:
    """A departmental JSON API that tags its answer with an ETag (a hash of the body),
    or sends no tag at all; counts the GETs it answers."""

    def __init__(self) -> None:
        self.body = json.dumps({"items": RECORDS}).encode()
        self.etag = True
        self.gets = 0
        api = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                api.gets += 1
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                if api.etag:
                    self.send_header("ETag", '"' + hashlib.sha256(api.body).hexdigest()[:16]
                                     + '"')
                self.end_headers()
                self.wfile.write(api.body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def answer(self, records: list[dict[str, Any]]) -> None:
        self.body = json.dumps({"items": records}).encode()


@pytest.fixture
def api() -> Iterator[Api]:
    server = Api()
    yield server
    server.server.shutdown()
    server.server.server_close()


def run(source_id: str) -> tuple[dict[str, Any], int]:
    """One job through ckanext-harvest's stage functions; (job, objects queued)."""
    ctx = {"ignore_auth": True}
    job_dict = helpers.call_action("harvest_job_create", ctx, source_id=source_id, run=False)
    job = HarvestJob.get(job_dict["id"])
    job.status = "Running"
    job.save()
    harvester = harvester_for(job.source.type)
    ids = queue.gather_stage(harvester, job)
    for obj_id in ids:
        queue.fetch_and_import_stages(harvester, HarvestObject.get(obj_id))
    helpers.call_action("harvest_jobs_run", ctx, source_id=source_id)
    model.Session.expire_all()
    shown = helpers.call_action("harvest_job_show", ctx, id=job_dict["id"])
    assert shown["status"] == "Finished"
    return shown, len(ids)


def api_config(**changes: Any) -> str:
    one = {"name": "co-so-y-te-api", "dataset_type": "health", "title": "Cơ sở y tế",
           "path": "/v1/facilities", "records_path": "items"}
    one.update(changes.pop("spec", {}))
    return json.dumps({"defaults": DEFAULTS, "max_retries": 0, "datasets": [one], **changes},
                      ensure_ascii=False)


def api_source(sysadmin, org, api, **changes: Any) -> dict[str, Any]:
    return make_source(sysadmin, org, api.url, api_config(**changes),
                       source_type="smartcity_api", name="syt-api")


def assert_skipped(source_id: str, name: str) -> dict[str, Any]:
    job, queued = run(source_id)
    assert queued == 0 and job["stats"]["not modified"] == 1, object_errors(job["id"])
    (outcome,) = job_outcomes(job["id"])
    assert (outcome.dataset, outcome.outcome, outcome.package_name) == (
        name, "unchanged", name)
    return job


def test_unchanged_api_table_is_not_read_and_shows_unchanged(sysadmin, org, api):
    source = api_source(sysadmin, org, api)
    job, queued = run(source["id"])
    assert queued == 1 and job["stats"]["added"] == 1, object_errors(job["id"])
    before = dataset("co-so-y-te-api")
    gets = api.gets

    assert_skipped(source["id"], "co-so-y-te-api")
    assert api.gets == gets + 1  # the tag only: no read of the table
    after = dataset("co-so-y-te-api")
    assert after["metadata_modified"] == before["metadata_modified"]
    # a skipped job keeps the chain: the next unchanged job is skipped too
    assert_skipped(source["id"], "co-so-y-te-api")

    # new content, new tag: read and published
    api.answer([dict(r, so_co_so=r["so_co_so"] + 1) for r in RECORDS])
    job, queued = run(source["id"])
    assert queued == 1 and job["stats"]["updated"] == 1, object_errors(job["id"])
    assert [r["so_co_so"] for r in rows(after["resources"][0]["id"])] == [13, 16]
    assert_skipped(source["id"], "co-so-y-te-api")


def test_api_without_a_tag_is_always_read(sysadmin, org, api):
    api.etag = False
    source = api_source(sysadmin, org, api)
    run(source["id"])
    job, queued = run(source["id"])
    # read again (the content hash finds it unchanged)
    assert queued == 1 and job["stats"]["not modified"] == 1, object_errors(job["id"])
    api.answer(RECORDS[:1])
    job, queued = run(source["id"])
    assert job["stats"]["updated"] == 1
    assert len(rows(dataset("co-so-y-te-api")["resources"][0]["id"])) == 1


@pytest.mark.parametrize("change", [
    {"defaults": {**DEFAULTS, "update_frequency": "monthly"}},           # source config
    {"max_pages": 5},                                                     # reader option
    {"spec": {"title": "Cơ sở y tế theo xã"}},                            # dataset spec
    {"spec": {"privacy": {"min_cell_size": 20}}},                         # privacy policy
], ids=["defaults", "reader-option", "spec", "privacy"])
def test_any_config_spec_or_policy_change_reads_again(sysadmin, org, api, change):
    source = api_source(sysadmin, org, api)
    run(source["id"])
    assert_skipped(source["id"], "co-so-y-te-api")
    gets = api.gets
    update_source(sysadmin, source, config=api_config(**copy.deepcopy(change)))
    job, queued = run(source["id"])
    assert queued == 1 and api.gets == gets + 2, object_errors(job["id"])  # tag + read
    assert not object_errors(job["id"])
    published = dataset("co-so-y-te-api")
    if "defaults" in change:
        assert published["update_frequency"] == "monthly"
    if "title" in change.get("spec", {}):
        assert published["title"] == "Cơ sở y tế theo xã"
    if "privacy" in change.get("spec", {}):
        assert "20" in json.dumps(extra(published, "privacy_report"))
    assert_skipped(source["id"], "co-so-y-te-api")


def test_a_schema_change_reads_again(sysadmin, org, api):
    source = api_source(sysadmin, org, api)
    run(source["id"])
    assert_skipped(source["id"], "co-so-y-te-api")
    scheming = p.get_plugin("scheming_datasets")
    schema = scheming._expanded_schemas["health"]
    field = schema["dataset_fields"][1]
    kept = copy.deepcopy(field)
    try:
        field["label"] = {"vi": "Nhãn mới", "en": "New label"}
        job, queued = run(source["id"])
        assert queued == 1, object_errors(job["id"])
    finally:
        field.clear()
        field.update(kept)
    job, queued = run(source["id"])
    assert queued == 1  # the schema is back to its old form: a change again


def test_a_dataset_deleted_by_hand_is_published_again(sysadmin, org, api):
    source = api_source(sysadmin, org, api)
    run(source["id"])
    helpers.call_action("package_delete", {"user": sysadmin["name"]}, id="co-so-y-te-api")
    job, queued = run(source["id"])
    assert queued == 1 and not object_errors(job["id"])
    assert dataset("co-so-y-te-api")["state"] == "active"


def test_file_drop_unchanged_is_skipped_and_any_rewrite_reads_again(sysadmin, org,
                                                                   drop_folder):
    drop = drop_folder / "giuong_benh.csv"
    drop.write_bytes("ma_xa,nam,so_giuong\r\n20194,2026,40\r\n20197,2026,55\r\n".encode())
    config = json.dumps({"defaults": DEFAULTS, "datasets": [
        {"name": "giuong-benh", "dataset_type": "health", "title": "Giường bệnh",
         "file": "giuong_benh*.csv"}]})
    source = make_source(sysadmin, org, drop_folder.as_uri(), config,
                         source_type="smartcity_file", name="syt-files")
    job, _ = run(source["id"])
    assert job["stats"]["added"] == 1, object_errors(job["id"])
    resource_id = dataset("giuong-benh")["resources"][0]["id"]
    assert_skipped(source["id"], "giuong-benh")

    # same size, modification time set back: the change time still differs
    info = drop.stat()
    drop.write_bytes("ma_xa,nam,so_giuong\r\n20194,2026,41\r\n20197,2026,56\r\n".encode())
    os.utime(drop, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert drop.stat().st_size == info.st_size
    job, queued = run(source["id"])
    assert queued == 1 and job["stats"]["updated"] == 1, object_errors(job["id"])
    assert [r["so_giuong"] for r in rows(resource_id)] == [41, 56]
    assert_skipped(source["id"], "giuong-benh")


def test_sql_change_query_skips_until_the_rows_change(sysadmin, org, department):
    checked = spec("co-so-y-te-theo-xa", "co_so_y_te",
                   change_query="SELECT count(*), sum(so_co_so) FROM co_so_y_te")
    source = make_source(sysadmin, org, department.url, sql_config(checked))
    job, _ = run(source["id"])
    assert job["stats"]["added"] == 1, object_errors(job["id"])
    assert_skipped(source["id"], "co-so-y-te-theo-xa")
    department.execute("UPDATE co_so_y_te SET so_co_so = 30 WHERE ma_xa = '20194'")
    job, queued = run(source["id"])
    assert queued == 1 and job["stats"]["updated"] == 1, object_errors(job["id"])
    resource_id = dataset("co-so-y-te-theo-xa")["resources"][0]["id"]
    assert sorted(r["so_co_so"] for r in rows(resource_id)) == [15, 20, 30]
    assert_skipped(source["id"], "co-so-y-te-theo-xa")


def test_sql_without_change_query_is_always_read(sysadmin, org, department):
    source = make_source(sysadmin, org, department.url,
                         sql_config(spec("co-so-y-te-theo-xa", "co_so_y_te")))
    run(source["id"])
    job, queued = run(source["id"])
    assert queued == 1 and job["stats"]["not modified"] == 1
