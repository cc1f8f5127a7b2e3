"""One Solr commit per harvest job: datasets are indexed without a commit each, and the
last import of the job commits; every dataset is searchable with its harvest ids as
soon as the job's last object is imported — also when that last one failed, and after
an update. Checked through package_search (fq=harvest_source_id) before
harvest_jobs_run (whose source reindex would commit as well)."""
from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

import ckan.model as model
from ckan.tests import helpers
from ckanext.harvest import queue
from ckanext.harvest.model import HarvestJob, HarvestObject

from .conftest import (DEFAULTS, PLUGINS, dataset, extra, harvester_for, make_source,
                       object_errors)

pytestmark = [pytest.mark.ckan_config("ckan.plugins", PLUGINS),
              pytest.mark.usefixtures("harvest_env")]
TABLES = ("a", "b", "c")


class Api:
    """GET /t/<name> → {"items": [...]}; a name in ``failing`` answers 500."""

    def __init__(self) -> None:
        self.base = 10
        self.failing: set[str] = set()
        api = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                name = self.path.split("?")[0].rsplit("/", 1)[-1]
                if name in api.failing:
                    self.send_response(500)
                    self.end_headers()
                    return
                body = json.dumps({"items": [
                    {"ma_xa": "20194", "nam": 2026, "so_co_so": api.base + i}
                    for i in range(3)]}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def api() -> Iterator[Api]:
    server = Api()
    yield server
    server.server.shutdown()
    server.server.server_close()


def imported(source_id: str) -> str:
    """Gather and import every object of a new job; returns the job id (the job is not
    finished: harvest_jobs_run is not called)."""
    job_dict = helpers.call_action("harvest_job_create", {"ignore_auth": True},
                                   source_id=source_id, run=False)
    job = HarvestJob.get(job_dict["id"])
    job.status = "Running"
    job.save()
    harvester = harvester_for(job.source.type)
    for obj_id in queue.gather_stage(harvester, job):
        queue.fetch_and_import_stages(harvester, HarvestObject.get(obj_id))
    model.Session.expire_all()
    return job_dict["id"]


def searched(source_id: str) -> dict[str, dict[str, Any]]:
    found = helpers.call_action("package_search", {"ignore_auth": True},
                                fq=f'harvest_source_id:"{source_id}"', rows=100,
                                include_private=True)
    return {d["name"]: d for d in found["results"]}


def current_objects(source_id: str) -> dict[str, str]:
    return {o.package_id: o.id for o in model.Session.query(HarvestObject)
            .filter_by(harvest_source_id=source_id, current=True)}


def test_every_dataset_is_searchable_with_its_harvest_ids_when_the_job_ends(
        sysadmin, org, api):
    config = json.dumps({"defaults": DEFAULTS, "max_retries": 0, "datasets": [
        {"name": f"bang-{t}", "dataset_type": "health", "title": f"Bảng {t}",
         "path": f"/t/{t}", "records_path": "items"} for t in TABLES]})
    source = make_source(sysadmin, org, api.url, config, source_type="smartcity_api",
                         name="syt-api")
    job_id = imported(source["id"])
    assert not object_errors(job_id)
    found = searched(source["id"])
    assert sorted(found) == [f"bang-{t}" for t in TABLES]
    objects = current_objects(source["id"])
    for name, result in found.items():
        harvest = {e["key"]: e["value"] for e in result["extras"]} \
            if "harvest_source_id" not in result else result
        assert harvest["harvest_source_id"] == source["id"]
        assert harvest["harvest_object_id"] == objects[result["id"]]

    before = {name: extra(dataset(name), "content_hash") for name in found}
    helpers.call_action("harvest_jobs_run", {"ignore_auth": True}, source_id=source["id"])
    # an update job whose last object fails: the others are updated in the database
    # and searchable with their new values
    api.base, api.failing = 50, {"c"}
    job_id = imported(source["id"])
    assert len(object_errors(job_id)) == 1
    found = searched(source["id"])
    hashes = {name: extra(dataset(name), "content_hash") for name in found}
    assert sorted(n for n in hashes if hashes[n] != before[n]) == ["bang-a", "bang-b"]
    assert {name: extra(found[name], "content_hash") for name in found} == hashes
    assert dataset("bang-a")["row_count"] in ("3", 3)
    objects = current_objects(source["id"])
    updated = [o for o in model.Session.query(HarvestObject).filter_by(harvest_job_id=job_id)
               if o.current]
    assert {o.package_id for o in updated} == {found["bang-a"]["id"], found["bang-b"]["id"]}
    for name in ("bang-a", "bang-b"):
        result = found[name]
        harvest = {e["key"]: e["value"] for e in result["extras"]} \
            if "harvest_object_id" not in result else result
        assert harvest["harvest_object_id"] == objects[result["id"]]
