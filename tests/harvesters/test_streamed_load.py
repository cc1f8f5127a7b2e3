"""A new dataset's rows are loaded into the DataStore while the published CSV is written
(pipeline/load.py StreamedLoad, several COPY + INSERT … SELECT chunks on a second
thread): same rows and order as the CSV, ``_full_text`` from the suppressed values, and
nothing left behind when publishing fails afterwards or the guard refuses the table."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from ckan.tests import helpers
from ckanext.datastore.backend.postgres import get_write_engine

from ckanext.smartcity.pipeline import driver
from ckanext.smartcity.pipeline import load

from .conftest import (PLUGINS, dataset, make_source, object_errors, published, run_job,
                       spec, sql_config)

pytestmark = [pytest.mark.ckan_config("ckan.plugins", PLUGINS),
              pytest.mark.usefixtures("harvest_env")]
ROWS = 3000


@pytest.fixture(autouse=True)
def streamed(monkeypatch):
    """Streamed loads are off by default (README, Performance): on for these tests."""
    monkeypatch.setattr(driver, "STREAM_NEW_TABLES", True)


def _population(department) -> None:
    # every 10th commune has 3 people: below k = 10, suppressed by the guard
    department.execute(
        "DROP TABLE IF EXISTS dan_so; "
        "CREATE TABLE dan_so (stt int, ma_xa text, ma_diem text, nam int, so_nguoi int); "
        f"INSERT INTO dan_so SELECT 1000 + i, (ARRAY['20194', '20197', '20200'])[i %% 3 + 1], "
        f"'D' || lpad(i::text, 5, '0'), 2026, "
        f"CASE WHEN i %% 10 = 0 THEN 3 ELSE 100 + i END FROM generate_series(1, {ROWS}) i; "
        "GRANT SELECT ON dan_so TO " + sa.engine.make_url(department.url).username)


def _loads_left() -> list[str]:
    with get_write_engine().connect() as connection:
        return list(connection.execute(sa.text(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
            "AND tablename LIKE 'smartcity\\_load\\_%'")).scalars())


def _counted(**extra):
    return spec("dan-so-theo-xa", "dan_so ORDER BY stt",
                privacy={"count_columns": ["so_nguoi"], "min_cell_size": 10}, **extra)


def test_streamed_first_load_in_chunks_equals_the_csv(sysadmin, org, department,
                                                      monkeypatch):
    _population(department)
    monkeypatch.setattr(load, "CHUNK_BYTES", 4096)  # many chunks for 3,000 rows
    source = make_source(sysadmin, org, department.url, sql_config(_counted()))
    job = run_job(source["id"])
    assert job["stats"]["added"] == 1, object_errors(job["id"])
    resource_id = dataset("dan-so-theo-xa")["resources"][0]["id"]
    stored = helpers.call_action("datastore_search", {"ignore_auth": True},
                                 resource_id=resource_id, limit=ROWS + 1, sort="_id")
    assert stored["total"] == ROWS
    records = stored["records"]
    assert [r["stt"] for r in records] == list(range(1001, ROWS + 1001))
    assert [r["_id"] for r in records] == list(range(1, ROWS + 1))
    assert all(r["so_nguoi"] is None for r in records if r["stt"] % 10 == 0)
    assert records[0]["so_nguoi"] == 101
    # full-text search knows the published values, never the suppressed ones
    found = helpers.call_action("datastore_search", {"ignore_auth": True},
                                resource_id=resource_id, q="3", limit=5)
    assert found["records"] == []
    found = helpers.call_action("datastore_search", {"ignore_auth": True},
                                resource_id=resource_id, q="D00011", limit=5)
    assert [r["so_nguoi"] for r in found["records"]] == [111]
    assert _loads_left() == []


def test_a_failed_publication_after_streaming_leaves_nothing(sysadmin, org, department):
    _population(department)
    bad = _counted(fields={"update_frequency": "every-full-moon"})
    source = make_source(sysadmin, org, department.url, sql_config(bad))
    job = run_job(source["id"])
    (message,) = object_errors(job["id"])
    assert "update_frequency" in message
    assert published() == [] and _loads_left() == []


def test_a_refused_table_never_starts_a_load(sysadmin, org, department):
    source = make_source(sysadmin, org, department.url,
                         sql_config(spec("benh-nhan", "benh_nhan")))
    job = run_job(source["id"])
    assert object_errors(job["id"]) and published() == [] and _loads_left() == []
    with get_write_engine().connect() as connection:
        assert connection.execute(sa.text(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' "
            "AND tablename NOT LIKE '\\_%'")).scalar() == 0
