"""The DataStore floor: the least work a searchable DataStore table needs.

The same rows, already as the published CSV on local disk, loaded by SQL alone into a
table of exactly the published table's shape (``_id``, the typed columns, ``_full_text``
filled in the same transaction, the same indexes), in one transaction:

    CREATE TABLE (… _id serial PRIMARY KEY …)   COPY → temp staging table
    INSERT … SELECT …, <the pipeline's own _full_text expression>   CREATE INDEX … (same defs)

Also :func:`explain_load`: ``EXPLAIN (ANALYZE, BUFFERS, WAL)`` of that ``INSERT … SELECT``
(run in a transaction that is rolled back), for the README's account of what bounds ingest.
"""
from __future__ import annotations

import time
from typing import Any

import psycopg2

from ckanext.smartcity.pipeline.datastore import full_text_sql

FLOOR = "bench_floor"


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def published_shape(write_url: str, resource_id: str) -> tuple[list[dict[str, str]], list[str]]:
    """The published table's typed columns (without ``_`` columns) and its index
    definitions other than the primary key, rewritten for the floor table."""
    with psycopg2.connect(write_url) as conn, conn.cursor() as cur:
        cur.execute("SELECT a.attname, format_type(a.atttypid, a.atttypmod) "
                    "FROM pg_attribute a WHERE a.attrelid = to_regclass(%s) "
                    "AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum",
                    (_ident(resource_id),))
        fields = [{"id": name, "type": {"bigint": "int8", "integer": "int4",
                                        "double precision": "float8",
                                        "boolean": "bool"}.get(kind, kind)}
                  for name, kind in cur.fetchall() if not name.startswith("_")]
        cur.execute("SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) "
                    "FROM pg_index i WHERE i.indrelid = to_regclass(%s) "
                    "AND NOT i.indisprimary", (_ident(resource_id),))
        indexes = []
        for number, (name, definition) in enumerate(cur.fetchall()):
            definition = definition.replace(f"public.{_ident(resource_id)}",
                                            f"public.{FLOOR}")
            definition = definition.replace(f"INDEX {name} ", f"INDEX {FLOOR}_{number} ")
            indexes.append(definition)
    if not fields:
        raise SystemExit(f"no published table {resource_id}")
    return fields, indexes


def _statements(fields: list[dict[str, str]]) -> tuple[str, str, str, str]:
    columns = ", ".join(_ident(f["id"]) for f in fields)
    typed = ", ".join(f"{_ident(f['id'])} {f['type']}" for f in fields)
    create = (f"CREATE TABLE {FLOOR} (_id serial PRIMARY KEY, _full_text tsvector, "
              f"{typed})")
    stage = f"CREATE TEMP TABLE bench_floor_stage ({typed}) ON COMMIT DROP"
    copy = (f"COPY bench_floor_stage ({columns}) FROM STDIN "
            f"WITH (FORMAT csv, HEADER true, ENCODING 'UTF8')")
    selected = ", ".join(f"s.{_ident(f['id'])}" for f in fields)
    insert = (f"INSERT INTO {FLOOR} ({columns}, _full_text) SELECT {selected}, "
              f"{full_text_sql(fields, 's')} FROM bench_floor_stage s")
    return create, stage, copy, insert


def load(write_url: str, csv_path: str, fields: list[dict[str, str]], indexes: list[str],
         *, maintenance_work_mem: str | None = None) -> dict[str, float]:
    """Load the CSV into the floor table in one transaction; seconds per stage and total.

    ``maintenance_work_mem``: ``SET LOCAL`` before the index build (the lever measured)."""
    create, stage, copy, insert = _statements(fields)
    conn = psycopg2.connect(write_url)
    try:
        with conn.cursor() as cur:
            cur.execute(f"DROP TABLE IF EXISTS {FLOOR}")
        conn.commit()
        times: dict[str, float] = {}
        started = mark = time.perf_counter()

        def lap(stage_name: str) -> None:
            nonlocal mark
            now = time.perf_counter()
            times[stage_name] = round(now - mark, 3)
            mark = now

        with conn.cursor() as cur:
            cur.execute(create)
            cur.execute(stage)
            with open(csv_path, "rb") as data:
                cur.copy_expert(copy, data, size=1 << 20)
            lap("copy_s")
            cur.execute(insert)
            lap("insert_full_text_s")
            if maintenance_work_mem:
                cur.execute(f"SET LOCAL maintenance_work_mem = '{maintenance_work_mem}'")
            for definition in indexes:
                cur.execute(definition)
            lap("index_s")
        conn.commit()
        lap("commit_s")
        times["total_s"] = round(time.perf_counter() - started, 3)
        with conn.cursor() as cur:
            cur.execute(f"SELECT count(*) FROM {FLOOR}")
            times["rows"] = cur.fetchone()[0]
            cur.execute(f"DROP TABLE {FLOOR}")
        conn.commit()
        return times
    finally:
        conn.close()


def explain_load(write_url: str, csv_path: str, fields: list[dict[str, str]]) -> str:
    """``EXPLAIN (ANALYZE, BUFFERS, WAL)`` of the floor's ``INSERT … SELECT`` (rolled back)."""
    create, stage, copy, insert = _statements(fields)
    conn = psycopg2.connect(write_url)
    try:
        with conn.cursor() as cur:
            cur.execute(f"DROP TABLE IF EXISTS {FLOOR}")
            cur.execute(create)
            cur.execute(stage)
            with open(csv_path, "rb") as data:
                cur.copy_expert(copy, data, size=1 << 20)
            cur.execute("EXPLAIN (ANALYZE, BUFFERS, WAL) " + insert)
            plan = "\n".join(row[0] for row in cur.fetchall())
        conn.rollback()
        return plan
    finally:
        conn.close()


def settings(write_url: str) -> dict[str, Any]:
    """The PostgreSQL settings that bound a load (reported beside the figures)."""
    names = ("maintenance_work_mem", "work_mem", "shared_buffers", "wal_level",
             "synchronous_commit", "max_wal_size", "fsync")
    with psycopg2.connect(write_url) as conn, conn.cursor() as cur:
        cur.execute("SELECT name, setting || coalesce(unit, '') FROM pg_settings "
                    "WHERE name = ANY(%s)", (list(names),))
        return dict(cur.fetchall())
