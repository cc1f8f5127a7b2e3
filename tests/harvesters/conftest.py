"""Real parts for the harvester tests: a departmental PostgreSQL database created on
the project's test cluster, a department, harvest sources of the smartcity types, and
a helper that runs a harvest job through ckanext-harvest's own stage functions."""
from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import factories as city
import pytest
import sqlalchemy as sa
from department_db import new_department_database

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.tests import factories, helpers
from ckanext.harvest import queue
from ckanext.harvest.model import HarvestGatherError, HarvestJob, HarvestObject

PLUGINS = ("smartcity scheming_datasets scheming_organizations scheming_groups harvest "
           "datastore activity smartcity_sql smartcity_api smartcity_file")
PASSWORD_ENV = "SC_TEST_HARVEST_DB_PASSWORD"
DEFAULTS = {"update_frequency": "annual", "data_classification": "open",
            "personal_data": "aggregated", "license_id": "cc-by-4.0",
            "min_cell_size": 10}

SETUP = """
CREATE TABLE co_so_y_te (ma_xa text, nam int, loai text, so_co_so int);
INSERT INTO co_so_y_te VALUES ('20194', 2026, 'Trạm y tế', 12),
    ('20197', 2026, 'Trạm y tế', 15), ('20200', 2026, 'Bệnh viện', 20);
CREATE TABLE giuong_benh (ma_xa text, nam int, so_giuong int);
INSERT INTO giuong_benh VALUES ('20194', 2026, 40), ('20197', 2026, 55);
CREATE TABLE benh_nhan (ma_xa text, ho_ten text, so_dien_thoai text);
INSERT INTO benh_nhan VALUES ('20194', 'Nguyễn Văn Bình', '0905123456'),
    ('20197', 'Trần Thị Cúc', '0912345678');
GRANT SELECT ON co_so_y_te, giuong_benh, benh_nhan TO {role};
"""


@dataclass
class Department:
    """The departmental database: reader URL (no password) and an admin engine."""

    url: str
    password: str
    admin: sa.Engine

    def execute(self, sql: str) -> None:
        """Change the department's data (as the department would)."""
        with self.admin.begin() as conn:
            conn.exec_driver_sql(sql)


@pytest.fixture(scope="module")
def department_db(pg_admin_url: str) -> Iterator[Department]:
    """A fresh departmental database with a read-only login role."""
    with new_department_database(pg_admin_url, "sc_syt") as new:
        db_admin = sa.create_engine(new.admin_url)
        host, port = new.admin_url.host or "127.0.0.1", new.admin_url.port or 5432
        try:
            yield Department(f"postgresql+psycopg2://{new.role}@{host}:{port}/{new.database}",
                             new.password, db_admin)
        finally:
            db_admin.dispose()


@pytest.fixture
def department(department_db: Department, monkeypatch: pytest.MonkeyPatch,
               ckan_config: Any) -> Iterator[Department]:
    """The departmental database, reset to its initial rows for each test. It lives on
    the test cluster (which is also the portal's, so denied): the allow-list names its
    database, and the registry gives its password to Sở Y tế towards that host:port."""
    with department_db.admin.begin() as conn:
        conn.exec_driver_sql("DROP TABLE IF EXISTS co_so_y_te, giuong_benh, benh_nhan")
        role = sa.engine.make_url(department_db.url).username
        conn.exec_driver_sql(SETUP.replace("{role}", role))
    monkeypatch.setenv(PASSWORD_ENV, department_db.password)
    url = sa.engine.make_url(department_db.url)
    hosts = ckan_config.get("ckanext.smartcity.harvest.allowed_hosts") or ""
    monkeypatch.setitem(ckan_config, "ckanext.smartcity.harvest.allowed_hosts",
                        f"{hosts} {url.host}:{url.port}/{url.database}")
    monkeypatch.setitem(ckan_config, "ckanext.smartcity.harvest.secret_scopes",
                        f"{PASSWORD_ENV} so-y-te {url.host}:{url.port}")
    yield department_db


@pytest.fixture
def harvest_env(with_plugins: Any, clean_datastore: Any, clean_index: Any,
                clean_queues: Any) -> None:
    """Plugins loaded, empty CKAN + DataStore + index + queues."""


@pytest.fixture
def drop_folder() -> Iterator[Path]:
    """A department's file-drop folder inside the configured file roots."""
    with city.drop_folder() as folder:
        yield folder


@pytest.fixture
def sysadmin() -> dict[str, Any]:
    """A sysadmin to create sources with."""
    return factories.Sysadmin()


@pytest.fixture
def org(harvest_env: None) -> dict[str, Any]:
    """The department (Sở Y tế)."""
    return factories.Organization(name="so-y-te", title="Sở Y tế", department_code="SYT",
                                  level="city")


def spec(name: str, table: str, **extra: Any) -> dict[str, Any]:
    """A health dataset spec reading ``table``."""
    return {"name": name, "dataset_type": "health", "title": f"Bảng {table}",
            "query": f"SELECT * FROM {table}", **extra}


def sql_config(*specs: dict[str, Any], **extra: Any) -> str:
    """A smartcity_sql config with the test defaults."""
    return json.dumps({"password_env": PASSWORD_ENV, "defaults": DEFAULTS,
                       "datasets": list(specs), **extra}, ensure_ascii=False)


def make_source(sysadmin: dict[str, Any], org: dict[str, Any], url: str, config: str,
                name: str = "syt-db", source_type: str = "smartcity_sql") -> dict[str, Any]:
    """A harvest source of the department."""
    return helpers.call_action("harvest_source_create", {"user": sysadmin["name"]},
                               name=name, title="CSDL Sở Y tế", url=url,
                               source_type=source_type, owner_org=org["id"], config=config)


def update_source(sysadmin: dict[str, Any], source: dict[str, Any], **changes: Any) -> None:
    """Change a source's url/config."""
    data = {k: source[k] for k in ("id", "name", "title", "url", "source_type", "owner_org",
                                   "config")}
    data.update(changes)
    helpers.call_action("harvest_source_update", {"user": sysadmin["name"]}, **data)


def harvester_for(source_type: str) -> Any:
    """The loaded harvester plugin of a source type."""
    found = queue.get_harvester(source_type)
    assert found is not None, source_type
    return found


def run_job(source_id: str) -> dict[str, Any]:
    """Run one job synchronously (gather, fetch+import each object, finish)."""
    ctx = {"ignore_auth": True}
    job_dict = helpers.call_action("harvest_job_create", ctx, source_id=source_id, run=False)
    job = HarvestJob.get(job_dict["id"])
    job.status = "Running"
    job.save()
    harvester = harvester_for(job.source.type)
    ids = queue.gather_stage(harvester, job)
    for obj_id in ids if isinstance(ids, list) else []:
        queue.fetch_and_import_stages(harvester, HarvestObject.get(obj_id))
    helpers.call_action("harvest_jobs_run", ctx, source_id=source_id)
    model.Session.expire_all()
    return helpers.call_action("harvest_job_show", ctx, id=job_dict["id"])


def object_errors(job_id: str) -> list[str]:
    """All object error messages of a job."""
    objects = model.Session.query(HarvestObject).filter_by(harvest_job_id=job_id).all()
    return [e.message for o in objects for e in o.errors]


def gather_errors(job_id: str) -> list[str]:
    """All gather error messages of a job."""
    return [e.message for e in model.Session.query(HarvestGatherError)
            .filter_by(harvest_job_id=job_id)]


def published() -> list[str]:
    """Names of active datasets (harvest sources excluded)."""
    return sorted(p.name for p in model.Session.query(model.Package)
                  .filter(model.Package.state == "active")
                  .filter(model.Package.type != "harvest"))


def rows(resource_id: str) -> list[dict[str, Any]]:
    """DataStore rows of a resource, through the public action."""
    return helpers.call_action("datastore_search", {"ignore_auth": True},
                               resource_id=resource_id, limit=1000, sort="_id")["records"]


def dataset(name: str) -> dict[str, Any]:
    """package_show as a sysadmin (deleted datasets too)."""
    return helpers.call_action("package_show", {"ignore_auth": True}, id=name)


def extra(pkg: dict[str, Any], key: str) -> Any:
    """A provenance value (schema field or extra)."""
    if key in pkg:
        return pkg[key]
    return {e["key"]: e["value"] for e in pkg.get("extras", [])}.get(key)


__all__ = ["DEFAULTS", "PLUGINS", "harvester_for", "gather_errors", "published", "spec", "sql_config", "make_source", "update_source", "run_job",
           "object_errors", "rows", "dataset", "extra", "tk"]
