"""The restore drill (ckanext/smartcity/ops/backup.py): a small portal — a department's
table published by a harvest (dataset, uploaded CSV, DataStore table), a curated data
dictionary label, a user with an API token — is backed up with `ckan smartcity backup
create`, restored by `ckan smartcity backup restore` (another process, as an operator
types it) into an empty deployment (new databases, storage folder and site id on the same
services), and every row is identical: datasets (their extras are a column of `package`
in CKAN 2.12), resources, users, API tokens, harvest sources, jobs and objects, upload
records, DataStore rows and column labels, the uploaded files byte for byte; the search
index finds the same datasets. A backup changed after it was made is refused."""
from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import urllib.parse
from pathlib import Path

import pytest
import requests
import sqlalchemy as sa

import ckan.plugins.toolkit as tk
from ckan.tests import factories, helpers

from ckanext.smartcity.ops import backup

from .conftest import PLUGINS, make_source, run_job, spec, sql_config

pytestmark = [pytest.mark.ckan_config("ckan.plugins", PLUGINS),
              pytest.mark.usefixtures("harvest_env")]

DRILL_SITE = "smartcity_drill"
CKAN_TABLES = ("package", "resource", "resource_view", "\"group\"",
               "member", "\"user\"", "api_token", "harvest_source", "harvest_job",
               "harvest_object", "task_status", "package_tag", "tag")


def _with_db(url: str, db: str) -> str:
    return urllib.parse.urlunsplit(urllib.parse.urlsplit(url)._replace(path="/" + db))


def _fingerprint(url: str, tables) -> dict[str, tuple[int, str]]:
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    out = {}
    try:
        with engine.connect() as conn:
            for table in tables:
                out[table] = tuple(conn.execute(sa.text(
                    f"SELECT count(*), md5(coalesce(string_agg(x::text, '|' ORDER BY "
                    f"x::text), '')) FROM {table} x")).one())
    finally:
        engine.dispose()
    return out


def _datastore(url: str) -> dict[str, object]:
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            tables = conn.execute(sa.text(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                "AND tablename <> '_table_stats' ORDER BY 1")).scalars().all()
            labels = conn.execute(sa.text(
                "SELECT c.relname, a.attname, col_description(c.oid, a.attnum) "
                "FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid "
                "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' "
                "AND c.relkind = 'r' AND a.attnum > 0 ORDER BY 1, 2")).all()
    finally:
        engine.dispose()
    return {"tables": _fingerprint(url, [f'"{t}"' for t in tables]),
            "labels": [tuple(row) for row in labels]}


def _files(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def _indexed(site_id: str) -> list[str]:
    answer = requests.get(f"{tk.config['solr_url']}/select", timeout=60, params={
        "q": "*:*", "fq": f'+site_id:"{site_id}" +entity_type:package', "fl": "name",
        "rows": 1000, "wt": "json"})
    answer.raise_for_status()
    return sorted(doc["name"] for doc in answer.json()["response"]["docs"])


def test_a_restored_portal_is_identical_to_the_one_backed_up(sysadmin, org, department,
                                                             tmp_path, pg_admin_url):
    source = make_source(sysadmin, org, department.url,
                         sql_config(spec("co-so-y-te-theo-xa", "co_so_y_te")))
    job = run_job(source["id"])
    assert job["stats"]["added"] == 1
    pkg = helpers.call_action("package_show", id="co-so-y-te-theo-xa")
    resource = pkg["resources"][0]
    # a curated data dictionary label (a column comment in the DataStore)
    fields = helpers.call_action("datastore_info", id=resource["id"])["fields"]
    curated = [dict(f, info={"label": "Mã xã / Commune code"}) if f["id"] == "ma_xa"
               else f for f in fields]
    helpers.call_action("datastore_create", resource_id=resource["id"], force=True,
                        fields=[{"id": f["id"], "type": f["type"], **({"info": f["info"]}
                                if f.get("info") else {})} for f in curated])
    user = factories.User(name="can-bo-syt")
    helpers.call_action("api_token_create", {"user": user["name"]}, user=user["name"],
                        name="dong-bo")

    folder = tmp_path / "backup"
    manifest = backup.create(folder)
    assert set(manifest["files"]) == {"ckan.dump", "datastore.dump", "files.tar", "names.json"}
    assert manifest["versions"]["ckan"] and manifest["versions"]["postgresql"]
    names = json.loads((folder / "names.json").read_text())
    assert names["harvest_sources"] == [source["name"]]
    assert os.environ.get(names["secret_env_names"][0]) == department.password
    assert department.password not in "".join(
        p.read_bytes().decode("latin-1") for p in (folder / "names.json", folder / "manifest.json"))

    owner = urllib.parse.urlsplit(tk.config["sqlalchemy.url"]).username
    drill = {"ckan": "ckan_drill", "datastore": "datastore_drill"}
    admin = sa.create_engine(pg_admin_url, isolation_level="AUTOCOMMIT",
                             poolclass=sa.pool.NullPool)
    with admin.connect() as conn:
        for db in drill.values():
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)'))
            conn.execute(sa.text(f'CREATE DATABASE "{db}" OWNER "{owner}" TEMPLATE template0'))
    storage = tmp_path / "restored-storage"
    storage.mkdir()
    env = dict(os.environ,
               CKAN_SQLALCHEMY_URL=_with_db(tk.config["sqlalchemy.url"], drill["ckan"]),
               CKAN_DATASTORE_WRITE_URL=_with_db(tk.config["ckan.datastore.write_url"],
                                                 drill["datastore"]),
               CKAN_DATASTORE_READ_URL=_with_db(tk.config["ckan.datastore.read_url"],
                                                drill["datastore"]),
               CKAN_STORAGE_PATH=str(storage), CKAN_SITE_ID=DRILL_SITE)
    ini = tk.config.get("__file__") or str(Path("test.ini").resolve())
    ckan = [str(Path(sys.executable).with_name("ckan")), "-c", ini,
            "smartcity", "backup", "restore"]
    try:
        # a changed byte refuses the whole restore, naming the file
        tampered = tmp_path / "tampered"
        subprocess.run(["cp", "-r", str(folder), str(tampered)], check=True)
        with open(tampered / "files.tar", "r+b") as tar:
            tar.seek(600)
            tar.write(b"X")
        refused = subprocess.run(ckan + [str(tampered)], env=env, capture_output=True,
                                 text=True, timeout=600)
        assert refused.returncode != 0 and "files.tar: size or SHA-256" in refused.stderr

        done = subprocess.run(ckan + [str(folder)], env=env, capture_output=True, text=True,
                              timeout=900)
        assert done.returncode == 0, done.stderr[-2000:]
        assert "search index rebuilt" in done.stdout

        assert _fingerprint(env["CKAN_SQLALCHEMY_URL"], CKAN_TABLES) == _fingerprint(
            tk.config["sqlalchemy.url"], CKAN_TABLES)
        restored = _datastore(env["CKAN_DATASTORE_WRITE_URL"])
        assert restored == _datastore(tk.config["ckan.datastore.write_url"])
        assert ("Mã xã / Commune code" in json.dumps(restored["labels"], ensure_ascii=False))
        assert restored["tables"][f'"{resource["id"]}"'][0] == 3
        original_files = _files(Path(tk.config["ckan.storage_path"]) / "resources")
        assert original_files and _files(storage / "resources") == original_files
        assert _indexed(DRILL_SITE) == _indexed(tk.config["ckan.site_id"]) != []
    finally:
        requests.post(f"{tk.config['solr_url']}/update?commit=true", timeout=60,
                      json={"delete": {"query": f'site_id:"{DRILL_SITE}"'}})
        with admin.connect() as conn:
            for db in drill.values():
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)'))
        admin.dispose()
