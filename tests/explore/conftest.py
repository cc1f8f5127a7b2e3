"""A harvested commune table (through the real file-drop harvester and privacy guard)
and an API table without a commune column, for the explore tests."""
from __future__ import annotations

import csv
import io
import json
import secrets
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ckan.tests import factories, helpers
from ckanext.smartcity.explore.profile import current_communes
from harvesters.conftest import DEFAULTS, dataset, make_source, object_errors, run_job

DROPBOX = Path(__file__).resolve().parents[2] / ".test" / "dropbox"
MONTHS = ("2026-05", "2026-06")
CHAPTERS = {"I": "Bệnh nhiễm trùng và ký sinh trùng", "II": "Khối u"}
COLUMNS = [
    {"id": "thang", "label": "Tháng", "label_en": "Month"},
    {"id": "ma_xa", "label": "Mã xã, phường", "label_en": "Commune code"},
    {"id": "ten_xa_phuong", "label": "Xã, phường", "label_en": "Commune"},
    {"id": "chuong_icd10", "label": "Chương ICD-10", "label_en": "ICD-10 chapter"},
    {"id": "ten_chuong", "label": "Tên chương bệnh", "label_en": "Chapter title"},
    {"id": "so_ca_mac", "type": "int", "label": "Số ca mắc", "label_en": "Cases"},
]


def cases_csv() -> str:
    """Monthly cases of every current commune; a few small counts the guard must hide."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([c["id"] for c in COLUMNS])
    for m, month in enumerate(MONTHS):
        for i, (code, (name, _)) in enumerate(sorted(current_communes().items())):
            for k, (chapter, title) in enumerate(CHAPTERS.items()):
                count = 20 + (i * 37 + m * 101 + k * 53) % 400
                if chapter == "I" and i % 15 == 3:
                    count = 4 + m  # 1..9: suppressed by the privacy guard (k = 10)
                writer.writerow([month, code, name, chapter, title, count])
    return out.getvalue()


@pytest.fixture
def explore_env(with_plugins: Any, clean_datastore: Any, clean_index: Any,
                clean_queues: Any) -> None:
    """Plugins of test.ini (with the explore views), empty CKAN, DataStore and index."""


@pytest.fixture
def harvested(explore_env: None) -> Iterator[dict[str, Any]]:
    """``ca-mac-theo-xa``: a monthly commune table harvested from a file drop."""
    folder = DROPBOX / f"explore-{secrets.token_hex(4)}"
    folder.mkdir(parents=True)
    (folder / "ca_mac_2026.csv").write_text(cases_csv(), encoding="utf-8")
    sysadmin = factories.Sysadmin()
    org = factories.Organization(name="so-y-te", title="Sở Y tế", department_code="SYT",
                                 level="city")
    config = json.dumps({"defaults": DEFAULTS, "datasets": [{
        "name": "ca-mac-theo-xa", "dataset_type": "health",
        "title": "Số ca mắc theo xã, phường", "fields": {"title_en": "Cases by commune"},
        "file": "ca_mac_*.csv", "columns": COLUMNS,
        "privacy": {"count_columns": ["so_ca_mac"], "min_cell_size": 10,
                    "group_by": ["thang", "chuong_icd10"]}}]}, ensure_ascii=False)
    source = make_source(sysadmin, org, folder.as_uri(), config,
                         source_type="smartcity_file", name="syt-files")
    try:
        job = run_job(source["id"])
        assert job["stats"]["added"] == 1, object_errors(job["id"])
        pkg = dataset("ca-mac-theo-xa")
        yield {"sysadmin": sysadmin, "org": org, "package": pkg,
               "resource": pkg["resources"][0]}
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def api_table(harvested: dict[str, Any]) -> dict[str, Any]:
    """A DataStore table created through the API: new enterprises by year and section,
    no commune column."""
    user = harvested["sysadmin"]
    pkg = helpers.call_action("package_show", {"ignore_auth": True}, id="ca-mac-theo-xa")
    created = helpers.call_action(
        "datastore_create", {"user": user["name"]},
        resource={"package_id": pkg["id"], "name": "Doanh nghiệp mới theo năm"},
        fields=[{"id": "nam", "type": "int", "info": {"label": "Năm", "label_en": "Year"}},
                {"id": "ma_nganh", "type": "text"},
                {"id": "so_doanh_nghiep", "type": "int"}],
        records=[{"nam": year, "ma_nganh": section, "so_doanh_nghiep": 10 + year % 7 + n}
                 for year in range(2020, 2026) for n, section in enumerate("ABC")])
    return helpers.call_action("resource_show", {"ignore_auth": True},
                               id=created["resource_id"])


def view_types(resource_id: str) -> list[str]:
    """The view types of a resource, in order."""
    return [v["view_type"] for v in helpers.call_action(
        "resource_view_list", {"ignore_auth": True}, id=resource_id)]
