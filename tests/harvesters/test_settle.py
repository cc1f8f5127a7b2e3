"""A drop file still being uploaded is not harvested: the job says it is waiting and
nothing published changes; once the file has settled the next run publishes it."""
from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from .conftest import DEFAULTS, PLUGINS, dataset, make_source, object_errors, rows, run_job

pytestmark = [pytest.mark.ckan_config("ckan.plugins", PLUGINS),
              pytest.mark.usefixtures("harvest_env")]

def _settled(path: Path) -> None:
    past = time.time() - 600
    os.utime(path, (past, past))


@pytest.mark.ckan_config("ckanext.smartcity.harvest.file_settle_seconds", "60")
def test_file_still_arriving_changes_nothing(sysadmin, org, drop_folder):
    first = drop_folder / "giuong_benh_2025.csv"
    first.write_text("ma_xa,nam,so_giuong\n20194,2025,40\n20197,2025,55\n", encoding="utf-8")
    _settled(first)
    config = json.dumps({"defaults": DEFAULTS, "datasets": [
        {"name": "giuong-benh", "dataset_type": "health", "title": "Giường bệnh",
         "file": "giuong_benh_*.csv"}]})
    source = make_source(sysadmin, org, drop_folder.as_uri(), config,
                         source_type="smartcity_file", name="syt-files")
    assert run_job(source["id"])["stats"]["added"] == 1
    before = dataset("giuong-benh")

    arriving = drop_folder / "giuong_benh_2026.csv"
    arriving.write_text("ma_xa,nam,so_giuong\n20194,2026,4", encoding="utf-8")  # half-copied
    (drop_folder / "~$giuong_benh_2027.csv").write_text("x", encoding="utf-8")
    job = run_job(source["id"])
    [message] = object_errors(job["id"])
    assert "giuong_benh_2026.csv" in message
    assert "đang chờ" in message and "to finish uploading" in message
    after = dataset("giuong-benh")
    assert after["metadata_modified"] == before["metadata_modified"]
    assert [r["so_giuong"] for r in rows(after["resources"][0]["id"])] == [40, 55]

    arriving.write_text("ma_xa,nam,so_giuong\n20194,2026,44\n20197,2026,58\n",
                        encoding="utf-8")
    _settled(arriving)
    assert run_job(source["id"])["stats"]["updated"] == 1
    assert [r["so_giuong"] for r in rows(after["resources"][0]["id"])] == [44, 58]
