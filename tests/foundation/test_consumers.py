"""The real harvest processes: `ckan harvester gather-consumer` and `fetch-consumer` run
as separate processes on the test Redis, survive being idle, and publish a file drop."""
from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ckan import model
from ckan.tests import factories, helpers

ROOT = Path(__file__).resolve().parents[2]
CKAN = str(Path(sys.executable).parent / "ckan")


@pytest.fixture
def consumers(tmp_path):
    procs = []
    for stage in ("gather-consumer", "fetch-consumer"):
        # a file, not a pipe: a full pipe would block a chatty consumer
        log = open(tmp_path / f"{stage}.log", "w")
        proc = subprocess.Popen([CKAN, "-c", str(ROOT / "test.ini"), "harvester", stage],
                                env=dict(os.environ), stdout=log, stderr=subprocess.STDOUT)
        proc.log_path = tmp_path / f"{stage}.log"
        procs.append(proc)
    yield procs
    for proc in procs:
        proc.terminate()
        proc.wait(timeout=30)


def _logs(procs) -> str:
    return "\n".join(p.log_path.read_text()[-1500:] for p in procs)


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "clean_queues")
def test_consumer_processes_publish_a_drop_after_idling(consumers):
    folder = ROOT / ".test" / "dropbox" / f"sgd-{secrets.token_hex(4)}"
    folder.mkdir(parents=True)
    try:
        (folder / "truong_hoc_2025.csv").write_bytes(
            "ma_xa,nam,so_truong\r\n20194,2025,12\r\n20197,2025,15\r\n".encode("utf-8-sig"))
        org = factories.Organization(name="so-giao-duc-dao-tao")
        user = {"user": factories.Sysadmin()["name"]}
        config = {"defaults": {"update_frequency": "annual", "data_classification": "open",
                               "personal_data": "none"},
                  "datasets": [{"name": "truong-hoc-theo-xa", "dataset_type": "education",
                                "title": "Trường học theo xã", "file": "truong_hoc_*.csv"}]}
        source = helpers.call_action("harvest_source_create", user, name="sgd-files",
                                     title="Sở GD&ĐT", url=folder.as_uri(),
                                     source_type="smartcity_file", owner_org=org["id"],
                                     config=json.dumps(config))
        # Longer than redis-py's default 5 s socket timeout: idle consumers must survive it.
        time.sleep(8)
        for proc in consumers:
            assert proc.poll() is None, _logs(consumers)
        helpers.call_action("harvest_job_create", user, source_id=source["id"], run=True)

        deadline = time.monotonic() + 120
        published = None
        while time.monotonic() < deadline and published is None:
            time.sleep(1)
            model.Session.remove()
            published = model.Package.by_name("truong-hoc-theo-xa")
            assert all(p.poll() is None for p in consumers)
        assert published is not None, (
            "the consumers did not publish the drop within 120 s\n" + _logs(consumers))
        dataset = helpers.call_action("package_show", id="truong-hoc-theo-xa")
        assert dataset["type"] == "education"
        assert dataset["admin_units"] == ["20194", "20197"]
    finally:
        shutil.rmtree(folder, ignore_errors=True)
