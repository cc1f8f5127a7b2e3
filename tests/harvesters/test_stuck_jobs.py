"""A job whose departmental API hangs, its fetch consumer killed with ``kill -9`` in the
middle of the import, finished by ``ckan.harvest.timeout``: nothing published changed,
the department report says why, and the next run succeeds. Real consumer processes."""
from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

import ckan.model as model
from ckan.tests import helpers
from ckanext.harvest.model import HarvestJob, HarvestObject

from .conftest import DEFAULTS, PLUGINS, dataset, extra, make_source, rows, run_job

pytestmark = [pytest.mark.ckan_config("ckan.plugins", PLUGINS),
              pytest.mark.usefixtures("harvest_env")]

ROOT = Path(__file__).resolve().parents[2]
CKAN = str(Path(sys.executable).parent / "ckan")


class HangingApi:
    """A departmental API on 127.0.0.1 that can be told to hang mid-answer."""

    def __init__(self) -> None:
        self.items: list[dict[str, Any]] = []
        self.hang = threading.Event()
        self.hanging = threading.Event()  # a request is being held
        self.release = threading.Event()
        api = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                body = json.dumps({"data": {"items": api.items}}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if api.hang.is_set():
                    self.wfile.write(body[: len(body) // 2])  # half an answer, then nothing
                    self.wfile.flush()
                    api.hanging.set()
                    api.release.wait(120)
                    return
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def api() -> Iterator[HangingApi]:
    server = HangingApi()
    yield server
    server.release.set()
    server.server.shutdown()
    server.server.server_close()


def _consumer(stage: str, tmp_path: Path) -> subprocess.Popen:
    log = open(tmp_path / f"{stage}.log", "w")  # a file: a full pipe would block it
    proc = subprocess.Popen([CKAN, "-c", str(ROOT / "test.ini"), "harvester", stage],
                            env=dict(os.environ), stdout=log, stderr=subprocess.STDOUT)
    proc.log_path = tmp_path / f"{stage}.log"  # type: ignore[attr-defined]
    return proc


def test_hanging_api_killed_consumer_and_timeout(sysadmin, org, api, tmp_path):
    api.items = [{"ma_xa": "20194", "nam": 2026, "so_co_so": 12},
                 {"ma_xa": "20197", "nam": 2026, "so_co_so": 15}]
    config = json.dumps({"defaults": DEFAULTS, "max_retries": 0, "timeout_s": 300,
                         "datasets": [{"name": "co-so-y-te-api", "dataset_type": "health",
                                       "title": "Cơ sở y tế (API)", "path": "/facilities",
                                       "records_path": "data.items"}]})
    source = make_source(sysadmin, org, api.url, config, source_type="smartcity_api",
                         name="syt-api")
    assert run_job(source["id"])["stats"]["added"] == 1
    before = dataset("co-so-y-te-api")
    resource_id = before["resources"][0]["id"]

    api.items = [dict(item, so_co_so=item["so_co_so"] + 100) for item in api.items]
    api.hang.set()
    gather, fetch = _consumer("gather-consumer", tmp_path), _consumer("fetch-consumer",
                                                                      tmp_path)
    try:
        job_id = helpers.call_action("harvest_job_create", {"user": sysadmin["name"]},
                                     source_id=source["id"], run=True)["id"]
        assert api.hanging.wait(120), (fetch.log_path.read_text()[-2000:]
                                       + gather.log_path.read_text()[-2000:])
        model.Session.remove()
        [obj] = model.Session.query(HarvestObject).filter_by(harvest_job_id=job_id).all()
        assert obj.state == "IMPORT"  # the consumer is inside the import
        fetch.kill()  # kill -9
        fetch.wait(timeout=30)
    finally:
        for proc in (gather, fetch):
            if proc.poll() is None:
                proc.terminate()
                proc.wait(timeout=30)

    model.Session.remove()
    after = dataset("co-so-y-te-api")
    assert after["metadata_modified"] == before["metadata_modified"]
    assert extra(after, "content_hash") == extra(before, "content_hash")
    assert [r["so_co_so"] for r in rows(resource_id)] == [12, 15]
    assert HarvestJob.get(job_id).status == "Running"

    # what ckan.harvest.timeout (5 minutes in test.ini) sees after the minutes passed
    past = dt.datetime.utcnow() - dt.timedelta(minutes=10)
    job = HarvestJob.get(job_id)
    job.gather_started = job.gather_finished = past
    for item in model.Session.query(HarvestObject).filter_by(harvest_job_id=job_id):
        item.gathered = past
    model.Session.commit()
    helpers.call_action("harvest_jobs_run", {"user": sysadmin["name"]},
                        source_id=source["id"])
    model.Session.remove()
    assert HarvestJob.get(job_id).status == "Finished"
    [entry] = helpers.call_action("smartcity_department_report",
                                  {"user": sysadmin["name"]}, id=org["name"])["sources"]
    assert entry["last_job"]["status"] == "Finished"
    failures = {f["dataset"]: f["message"] for f in entry["failed"]}
    assert "co-so-y-te-api" in failures, entry
    assert "Quá thời gian" in failures["co-so-y-te-api"]
    assert "ckan.harvest.timeout" in failures["co-so-y-te-api"]
    assert "timed out" in failures[None]

    api.hang.clear()
    api.release.set()
    job = run_job(source["id"])  # the killed consumer's lock and load are gone
    assert job["stats"]["updated"] == 1
    assert [r["so_co_so"] for r in rows(resource_id)] == [112, 115]
