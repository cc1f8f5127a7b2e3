"""Ingest benchmark: N rows × 10 columns from a departmental PostgreSQL table through
`smartcity_sql` (read → privacy guard → CSV + DataStore), then, on the CSV it published,
the baselines of the same run: the DataStore floor (bench/floor.py), the peer
ckanext-xloader (bench/peer_xloader.py) and, as context, a plain `COPY` of the rows.

    make bench                      # all benchmarks, 1,000,000 rows
    python bench/ingest.py --rows 200000   # inside the `make bench` environment
"""
from __future__ import annotations

import argparse
import json
import os
import secrets
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402

PASSWORD_ENV = "SC_BENCH_DB_PASSWORD"
COLUMNS = ("ma_xa text, nam int, gioi_tinh text, nhom_tuoi text, ten_xa text, "
           "so_nguoi int, so_ho int, so_lao_dong int, so_hoc_sinh int, so_tre_em int")
# 10 columns of aggregate-looking data; generated server-side so generation costs nothing here.
GENERATE = """
CREATE TABLE dan_so AS
SELECT (ARRAY['20194','20197','20200','20209','20242','20257','20260','20263'])[1 + g % 8]
         AS ma_xa,
       2025 + g % 2 AS nam,
       (ARRAY['nam','nu'])[1 + g % 2] AS gioi_tinh,
       (ARRAY['0-14','15-24','25-39','40-59','60+'])[1 + g % 5] AS nhom_tuoi,
       (ARRAY['Hải Vân','Liên Chiểu','Hòa Khánh','Thanh Khê','Hải Châu','Hòa Cường',
              'Sơn Trà','An Hải'])[1 + g % 8] AS ten_xa,
       20 + g % 977 AS so_nguoi, 10 + g % 311 AS so_ho, 15 + g % 501 AS so_lao_dong,
       12 + g % 203 AS so_hoc_sinh, 11 + g % 97 AS so_tre_em
FROM generate_series(1, {rows}) AS g;
"""


def setup_department(admin_url: str, rows: int) -> tuple[str, str, Any]:
    """A departmental database with the table and a read-only login role."""
    import sqlalchemy as sa

    url = sa.engine.make_url(admin_url)
    password = secrets.token_urlsafe(16)
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql("DROP DATABASE IF EXISTS sc_bench_dept WITH (FORCE)")
        conn.exec_driver_sql("DROP ROLE IF EXISTS sc_bench_reader")
        conn.exec_driver_sql(f"CREATE ROLE sc_bench_reader LOGIN PASSWORD '{password}'")
        conn.exec_driver_sql("CREATE DATABASE sc_bench_dept")
    dept = sa.create_engine(url.set(database="sc_bench_dept"))
    with dept.begin() as conn:
        conn.execute(sa.text(GENERATE.format(rows=rows)))
        conn.exec_driver_sql("GRANT SELECT ON dan_so TO sc_bench_reader")
    reader_url = f"postgresql://sc_bench_reader@{url.host}:{url.port}/sc_bench_dept"
    return reader_url, password, dept


def plain_copy(dept: Any, write_url: str) -> float:
    """Baseline: COPY the same rows out of the department and into the DataStore database
    (through a temporary file, as the harvest spools too)."""
    import tempfile

    import psycopg2

    target = psycopg2.connect(write_url)
    source = dept.raw_connection()
    try:
        with target.cursor() as cur:
            cur.execute("DROP TABLE IF EXISTS bench_plain_copy")
            cur.execute(f"CREATE TABLE bench_plain_copy ({COLUMNS})")
        target.commit()
        started = time.perf_counter()
        with source.cursor() as src, target.cursor() as dst, tempfile.TemporaryFile() as spool:
            src.copy_expert("COPY dan_so TO STDOUT", spool)
            spool.seek(0)
            dst.copy_expert("COPY bench_plain_copy FROM STDIN", spool)
        target.commit()
        elapsed = time.perf_counter() - started
        with target.cursor() as cur:
            cur.execute("DROP TABLE bench_plain_copy")
        target.commit()
        return elapsed
    finally:
        source.close()
        target.close()


class StageClock:
    """Wall time spent in the named pipeline functions during the harvest (a timing
    wrapper around the real functions: the benchmark's per-stage account)."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self._undo: list[tuple[Any, str, Any]] = []

    def wrap(self, module: Any, name: str, label: str) -> None:
        real = getattr(module, name)

        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return real(*args, **kwargs)
            finally:
                self.seconds[label] = round(self.seconds.get(label, 0.0)
                                            + time.perf_counter() - started, 3)

        setattr(module, name, timed)
        self._undo.append((module, name, real))

    def restore(self) -> None:
        for module, name, real in reversed(self._undo):
            setattr(module, name, real)


def _harvest(source_id: str) -> tuple[dict[str, Any], float, dict[str, float]]:
    from ckanext.smartcity.pipeline import driver, prepare, publish

    clock = StageClock()
    clock.wrap(driver, "prepare", "read_guard_spool_csv_s")
    clock.wrap(prepare, "_publishable", "suppress_and_write_csv_s")
    clock.wrap(driver, "publish", "publish_s")
    clock.wrap(publish, "replace_table", "datastore_load_s")
    try:
        job, seconds = common.run_job(source_id)
    finally:
        clock.restore()
    stages = dict(clock.seconds)
    stages["read_and_guard_s"] = round(stages.get("read_guard_spool_csv_s", 0)
                                       - stages.get("suppress_and_write_csv_s", 0), 3)
    stages["package_and_upload_s"] = round(stages.get("publish_s", 0)
                                           - stages.get("datastore_load_s", 0), 3)
    stages["job_overhead_s"] = round(seconds - stages.get("read_guard_spool_csv_s", 0)
                                     - stages.get("publish_s", 0), 3)
    return job, seconds, stages


def _published_csv(resource: dict[str, Any]) -> str:
    from ckan.lib import uploader

    return uploader.get_resource_uploader(resource).get_path(resource["id"])


def _xloader_peer(admin: dict[str, Any], package_id: str, csv_path: str) -> dict[str, Any]:
    import peer_xloader
    from ckan.tests import helpers

    # a link the peer loads itself: the portal's privacy gate would try to fetch it
    # (the CSV is the harvest's own, already through the guard)
    resource = helpers.call_action("resource_create", {"user": admin["name"],
                                                       "smartcity_privacy_checked": True},
                                   package_id=package_id, name="xloader peer",
                                   url="http://127.0.0.1/xloader-peer.csv", format="CSV")
    figures = peer_xloader.load(csv_path, resource["id"])
    total = helpers.call_action("datastore_search", {"ignore_auth": True},
                                resource_id=resource["id"], limit=0)["total"]
    figures["rows"] = total
    return figures


def reload_read_pause(dept: Any, source_id: str, resource_id: str) -> tuple[float, int]:
    """The longest ``datastore_search`` of the published table while a changed
    re-harvest reloads it (readers must never wait for the load): ``(ms, searches)``."""
    import threading

    from ckan import model
    from ckan.tests import helpers

    with dept.begin() as conn:
        conn.exec_driver_sql("UPDATE dan_so SET so_tre_em = so_tre_em + 1")
    done = threading.Event()
    pauses: list[float] = []

    def read() -> None:
        try:
            while not done.is_set():
                started = time.perf_counter()
                helpers.call_action("datastore_search", {"ignore_auth": True},
                                    resource_id=resource_id, limit=1)
                pauses.append(time.perf_counter() - started)
                time.sleep(0.01)
        finally:
            model.Session.remove()

    reader = threading.Thread(target=read)
    reader.start()
    try:
        job, _seconds = common.run_job(source_id)
    finally:
        done.set()
        reader.join()
    if job["stats"].get("updated") != 1:
        raise SystemExit(f"reload did not publish: {job['stats']} "
                         f"{common.job_errors(job['id'])}")
    return max(pauses) * 1000, len(pauses)


def run(rows: int = 1_000_000) -> dict[str, Any]:
    """Boot CKAN, run the harvest and, on its published CSV, the baselines."""
    common.boot()
    from ckan.plugins import toolkit as tk
    from ckan.tests import helpers

    import floor

    common.reset_portal()
    rss_booted = common.peak_rss_mb()
    reader_url, password, dept = setup_department(os.environ["SMARTCITY_PG_ADMIN_URL"], rows)
    os.environ[PASSWORD_ENV] = password
    write_url = tk.config["ckan.datastore.write_url"]

    admin, org = common.department()
    common.allow_department_db(reader_url, PASSWORD_ENV, org["name"])
    config = {
        "password_env": PASSWORD_ENV,
        "defaults": {"update_frequency": "annual", "data_classification": "open",
                     "personal_data": "aggregated", "min_cell_size": 10,
                     "license_id": "cc-by-4.0"},
        "datasets": [{
            "name": "dan-so-theo-xa-bench", "dataset_type": "population",
            "title": "Dân số theo xã (benchmark)", "query": "SELECT * FROM dan_so",
            "fields": {"title_en": "Population by commune (benchmark)"},
            "privacy": {"count_columns": ["so_nguoi", "so_ho"], "group_by": ["ma_xa", "nam"]},
        }],
    }
    source = common.make_source(admin, org, name="bench-sql", url=reader_url,
                                source_type="smartcity_sql", config=json.dumps(config))
    job, harvest_s, stages = _harvest(source["id"])
    rss_harvest = common.peak_rss_mb()  # before the peers run in this process
    if job["stats"].get("added") != 1:
        raise SystemExit(f"harvest did not publish: {job['stats']} "
                         f"{common.job_errors(job['id'])}")
    pkg = helpers.call_action("package_show", {"ignore_auth": True}, id="dan-so-theo-xa-bench")
    resource = pkg["resources"][0]
    total = helpers.call_action("datastore_search", {"ignore_auth": True},
                                resource_id=resource["id"], limit=0)["total"]
    if total != rows:
        raise SystemExit(f"DataStore holds {total} rows, expected {rows}")

    csv_path = _published_csv(resource)
    fields, indexes = floor.published_shape(write_url, resource["id"])
    bound = floor.load(write_url, csv_path, fields, indexes)
    bound_mwm = floor.load(write_url, csv_path, fields, indexes,
                           maintenance_work_mem="512MB")
    if bound["rows"] != rows:
        raise SystemExit(f"floor table holds {bound['rows']} rows, expected {rows}")
    xloader = _xloader_peer(admin, pkg["id"], csv_path)
    if xloader["rows"] != rows:
        raise SystemExit(f"xloader loaded {xloader['rows']} rows, expected {rows}")
    copy_s = plain_copy(dept, write_url)
    plan = floor.explain_load(write_url, csv_path, fields)
    pause_ms, searches = reload_read_pause(dept, source["id"], pkg["resources"][0]["id"])
    dept.dispose()
    return {
        "rows": rows,
        "harvest_s": round(harvest_s, 2),
        "harvest_rows_per_s": round(rows / harvest_s),
        "harvest_stages": stages,
        "lower_bound_s": bound["total_s"],
        "lower_bound_rows_per_s": round(rows / bound["total_s"]),
        "lower_bound_stages": bound,
        "ratio_to_lower_bound": round(bound["total_s"] / harvest_s, 3),
        "lower_bound_maintenance_work_mem_512mb": bound_mwm,
        "xloader_s": xloader["total_s"],
        "xloader_rows_per_s": round(rows / xloader["total_s"]),
        "xloader_stages": xloader,
        "ratio_to_xloader": round(xloader["total_s"] / harvest_s, 3),
        "copy_s": round(copy_s, 2),
        "copy_rows_per_s": round(rows / copy_s),
        "ratio_to_copy": round(copy_s / harvest_s, 3),
        "peak_rss_mb": round(rss_harvest, 1),
        "rss_after_boot_mb": round(rss_booted, 1),
        "explain_insert_full_text": plan,
        "postgres_settings": floor.settings(write_url),
        # longest datastore_search during a changed reload of the same table
        "reload_read_pause_ms": round(pause_ms, 1),
        "reload_read_searches": searches,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--stream", action="store_true",
                        help="stream a new table into the DataStore while its CSV is "
                             "written (driver.STREAM_NEW_TABLES; off by default): A/B")
    args = parser.parse_args()
    if args.stream:
        from ckanext.smartcity.pipeline import driver
        driver.STREAM_NEW_TABLES = True
    print(json.dumps(run(args.rows), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
