"""Finding 8 of issue 19: a department's ``file://`` source reads only its own drop folder.

The e2e portal runs the demo's configuration: ``file_roots = <dropbox>/{department}`` and
each department's drops in ``<dropbox>/<department>/``. An editor of Sở Tài chính (the
attacker) points file sources at Sở Giáo dục's folder, at the shared parent and through
``..`` and a symlink; creation is refused, and a source forced into the database is
refused when it runs, publishing nothing. Their own folder is accepted, and the demo's
education drops (another department) were harvested by their own source.
"""
from __future__ import annotations

import json
import os
import secrets
from pathlib import Path

import sqlalchemy as sa

from .attackers import ATTACKER_ORG, attacker, run_job  # noqa: F401

VICTIM = "so-giao-duc-dao-tao"
VICTIM_FILE = "giao_duc_nam_hoc_2025-2026.csv"


def _file_source(name: str, url: str) -> dict:
    config = {"datasets": [{"name": f"{name}-data", "dataset_type": "education",
                            "title": "Dữ liệu", "file": VICTIM_FILE}]}
    return {"name": name, "title": f"Nguồn {name}", "url": url,
            "source_type": "smartcity_file", "owner_org": ATTACKER_ORG,
            "frequency": "MANUAL", "config": json.dumps(config)}


def _dropbox(portal) -> Path:
    folder = Path(portal.env["SMARTCITY_DEMO_DROPBOX"])
    assert (folder / VICTIM / VICTIM_FILE).is_file(), "the demo drops are not per department"
    return folder


def test_a_department_cannot_point_a_source_at_another_departments_drops(portal, attacker):
    dropbox = _dropbox(portal)
    own = dropbox / ATTACKER_ORG
    (own / "lien-ket").mkdir(parents=True, exist_ok=True)
    link = own / "lien-ket" / "sang-so-khac"
    if not link.is_symlink():
        os.symlink(dropbox / VICTIM, link)
    tag = secrets.token_hex(3)
    for index, url in enumerate((f"file://{dropbox / VICTIM}", f"file://{dropbox}",
                                 f"file://{own}/../{VICTIM}", f"file://{link}")):
        answer = portal.raw_action("harvest_source_create",
                                   _file_source(f"tc-drop-{tag}-{index}", url), token=attacker)
        assert answer.status_code == 409, (url, answer.status_code, answer.text[:300])
        error = " ".join(answer.json()["error"]["url"])
        assert "thư mục thả tệp của đơn vị" in error and "drop folders" in error, error
        assert ATTACKER_ORG in error, error
    accepted = portal.raw_action("harvest_source_create",
                                 _file_source(f"tc-drop-{tag}-own", f"file://{own}"),
                                 token=attacker)
    assert accepted.status_code == 200, accepted.text[:300]


def test_a_source_forced_into_another_departments_folder_is_refused_when_it_runs(
        portal, attacker):
    dropbox = _dropbox(portal)
    (dropbox / ATTACKER_ORG).mkdir(exist_ok=True)
    name = f"tc-drop-forced-{secrets.token_hex(3)}"
    source = portal.action("harvest_source_create",
                           _file_source(name, f"file://{dropbox / ATTACKER_ORG}"),
                           token=attacker)
    ckan_db = sa.engine.make_url(portal.env["CKAN_SQLALCHEMY_URL"]).database
    admin = sa.engine.make_url(portal.env["SMARTCITY_TEST_PG_ADMIN_URL"])
    engine = sa.create_engine(admin.set(database=ckan_db))
    with engine.begin() as conn:  # as if the check at creation had been bypassed
        conn.execute(sa.text("UPDATE harvest_source SET url = :u WHERE id = :i"),
                     {"u": f"file://{dropbox / VICTIM}", "i": source["id"]})
    engine.dispose()
    report = json.dumps(run_job(portal, source["id"]), ensure_ascii=False)
    assert "outside the configured file roots of department so-tai-chinh" in report, report
    published = portal.action("package_search", {"fq": f"name:{name}-data",
                                                 "include_private": True})
    assert published["count"] == 0


def test_each_department_still_reads_its_own_drops(portal):
    """The demo's education source (its own folder) was harvested by the session portal."""
    found = portal.action("package_search", {"fq": "organization:so-giao-duc-dao-tao",
                                             "include_private": True})
    names = {dataset["name"] for dataset in found["results"]}
    assert "giao-duc-theo-xa-cap-hoc-2026-2027" in names, sorted(names)
