"""Load a published CSV into the resource's DataStore table, atomically, at COPY speed.

The whole replacement is ONE transaction on the DataStore write connection:

* same columns as before → ``DELETE`` the old rows, restart ``_id``, load the new
  rows; concurrent readers keep seeing the old rows (MVCC) until ``COMMIT``;
* new table or changed columns → ``DROP`` + create (the DataStore's own
  ``create_table``) + load, then the full-text trigger and indexes (built once over
  the loaded rows instead of row by row); readers wait on the table lock and then see
  the new table, never a half-loaded one.

Loading: ``COPY`` the CSV into a temporary staging table (no trigger, no index), then one
``INSERT … SELECT`` that also fills ``_full_text``. The DataStore's trigger would compute
``to_tsvector(string_agg(value, ' '))`` over ``json_each_text(row_to_json(row))`` for every
row in PL/pgSQL; :func:`full_text_sql` computes the same text set-based (the columns' JSON
text forms joined by spaces, NULLs skipped), so ``q=`` search finds exactly what it found
before, and the trigger, still in place for later upserts, leaves a non-NULL
``_full_text`` alone.

Any failure rolls everything back, so the published table stays as it was. Row values
never appear in errors (PostgreSQL's COPY messages quote them; only the SQLSTATE and
the line number are kept).
"""
from __future__ import annotations

import json
import logging
import re
from typing import Any

import psycopg2
import sqlalchemy as sa

import ckan.plugins.toolkit as tk

__all__ = ["DataStoreLoadError", "replace_table", "drop_table", "table_columns",
           "full_text_sql"]

log = logging.getLogger(__name__)


class DataStoreLoadError(Exception):
    """Loading the DataStore table failed; the previous table is untouched."""


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _engine() -> sa.engine.Engine:
    from ckanext.datastore.backend import postgres as backend
    engine = backend.get_write_engine()
    backend._cache_types(engine)
    return engine


def table_columns(connection: sa.engine.Connection, resource_id: str
                  ) -> list[tuple[str, str]] | None:
    """``[(column, pg type)]`` of the table (without ``_`` columns); None if absent."""
    # pg_catalog rather than the (slow) information_schema view: same names and udt names
    rows = connection.execute(sa.text(
        "SELECT a.attname, t.typname FROM pg_attribute a "
        "JOIN pg_type t ON t.oid = a.atttypid "
        "WHERE a.attrelid = to_regclass('public.' || quote_ident(:t)) "
        "AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum"),
        {"t": resource_id}).fetchall()
    if not rows:
        return None
    return [(r[0], r[1]) for r in rows if not r[0].startswith("_")]


def _comment_sql(resource_id: str, field: dict[str, Any]) -> str:
    # Same shape as the DataStore's own column comments: " " + {"_info": {...}}
    comment = " " + json.dumps({"_info": field["info"]}, ensure_ascii=False,
                               separators=(",", ":"))
    return (f"COMMENT ON COLUMN {_ident(resource_id)}.{_ident(field['id'])} "
            f"IS {_literal(comment)}")


def _create(connection: sa.engine.Connection, resource_id: str,
            fields: list[dict[str, Any]]) -> None:
    from ckanext.datastore.backend import postgres as backend
    context: Any = {"connection": connection}
    connection.execute(sa.text(f"DROP TABLE IF EXISTS {_ident(resource_id)} CASCADE"))
    backend.create_table(context, {"resource_id": resource_id,
                                   "fields": [dict(f) for f in fields]}, {})


def _finish_create(connection: sa.engine.Connection, resource_id: str) -> None:
    """The full-text trigger and indexes of a new table, after its rows are loaded."""
    from ckanext.datastore.backend import postgres as backend
    backend._create_fulltext_trigger(connection, resource_id)
    backend.create_indexes({"connection": connection},  # type: ignore[typeddict-item]
                           {"resource_id": resource_id})


# types whose ::text equals their JSON text (what json_each_text yields)
_PLAIN_TEXT_TYPES = frozenset({"int2", "int4", "int8", "numeric", "float4", "float8",
                               "bool"})


def full_text_sql(fields: list[dict[str, Any]], alias: str) -> str:
    """SQL for the ``_full_text`` value the DataStore trigger would compute for a row.

    The trigger: ``to_tsvector(string_agg(value, ' '))`` over
    ``json_each_text(row_to_json(NEW))`` without ``_`` columns, i.e. the columns' JSON
    text forms in table order, NULLs skipped, and NULL when every column is NULL.
    Dates and timestamps use ``to_json`` (ISO with ``T``, whatever the DateStyle);
    numbers and booleans print the same as text and JSON.
    """
    parts = []
    for field in fields:
        if field["id"].startswith("_"):
            continue
        column = f"{alias}.{_ident(field['id'])}"
        if field["type"] == "text":
            parts.append(column)
        elif field["type"] in _PLAIN_TEXT_TYPES:
            parts.append(f"{column}::text")
        else:
            parts.append(f"to_json({column}) #>> '{{}}'")
    if not parts:
        return "NULL::tsvector"
    joined = ", ".join(parts)
    return (f"CASE WHEN num_nonnulls({joined}) = 0 THEN NULL::tsvector "
            f"ELSE to_tsvector(concat_ws(' ', {joined})) END")


_STAGE = "smartcity_stage"


def _run(connection: sa.engine.Connection, sql: str) -> None:
    # identifiers may hold ':' or '%': no bind-parameter parsing, no DB-API formatting
    connection.exec_driver_sql(sql, execution_options={"no_parameters": True})


def _copy(connection: sa.engine.Connection, resource_id: str, fields: list[dict[str, Any]],
          csv_path: str) -> None:
    names = [f["id"] for f in fields]
    columns = ", ".join(_ident(n) for n in names)
    definition = ", ".join(f"{_ident(f['id'])} {f['type']}" for f in fields)
    _run(connection, f"DROP TABLE IF EXISTS pg_temp.{_STAGE}")
    _run(connection, f"CREATE TEMP TABLE {_STAGE} ({definition}) ON COMMIT DROP")
    sql = (f"COPY {_STAGE} ({columns}) FROM STDIN "
           f"WITH (FORMAT csv, HEADER true, ENCODING 'UTF8')")
    cursor = connection.connection.dbapi_connection.cursor()  # same transaction
    try:
        with open(csv_path, "rb") as data:
            cursor.copy_expert(sql, data, size=1 << 20)
    finally:
        cursor.close()
    selected = ", ".join(f"s.{_ident(n)}" for n in names)
    _run(connection, f"INSERT INTO {_ident(resource_id)} ({columns}, _full_text) "
                     f"SELECT {selected}, {full_text_sql(fields, 's')} FROM {_STAGE} s")
    _run(connection, f"DROP TABLE pg_temp.{_STAGE}")


def _refresh_stats(connection: sa.engine.Connection, resource_id: str,
                   *, dropped: bool = False) -> None:
    # the DataStore caches row counts in _table_stats, and update_table_stats keeps a
    # cached count: forget it first, then renew it, in the same transaction
    known = connection.execute(sa.text(
        "SELECT to_regclass('public._table_stats') IS NOT NULL, "
        "to_regprocedure('update_table_stats(name)') IS NOT NULL")).one()
    if known[0]:
        connection.execute(sa.text("DELETE FROM _table_stats WHERE resource_id = :t"),
                           {"t": resource_id})
    if known[1] and not dropped:
        connection.execute(sa.text("SELECT update_table_stats(:t)"), {"t": resource_id})


def _safe_cause(err: psycopg2.Error) -> str:
    line = ""
    context = getattr(getattr(err, "diag", None), "context", None) or ""
    match = re.search(r"line (\d+)(?:, column ([^:]+))?", context)
    if match:
        line = f" at CSV line {match.group(1)}"
        if match.group(2):
            line += f", column {match.group(2).strip()}"
    return f"PostgreSQL error {err.pgcode or type(err).__name__}{line}"


def replace_table(resource_id: str, fields: list[dict[str, Any]], csv_path: str) -> bool:
    """Replace the table of ``resource_id`` with the CSV's rows in one transaction.

    :param fields: DataStore fields (``id``, ``type``, ``info``), in CSV column order.
    :returns: True when the table was (re)created, False when rows were replaced.
    :raises DataStoreLoadError: naming the resource and the cause (never a value).
    """
    engine = _engine()
    wanted = [(f["id"], f["type"]) for f in fields]
    try:
        with engine.connect() as connection, connection.begin():
            existing = table_columns(connection, resource_id)
            created = existing != wanted
            if created:
                _create(connection, resource_id, fields)
            else:
                connection.execute(sa.text(f"DELETE FROM {_ident(resource_id)}"))
                connection.execute(sa.text(
                    "SELECT setval(pg_get_serial_sequence(:t, '_id'), 1, false)"),
                    {"t": _ident(resource_id)})
                for field in fields:
                    connection.execute(sa.text(_comment_sql(resource_id, field)
                                               .replace(":", r"\:")))
            _copy(connection, resource_id, fields, csv_path)
            if created:
                _finish_create(connection, resource_id)
            _refresh_stats(connection, resource_id)
    except sa.exc.DBAPIError as err:
        orig = err.orig if isinstance(err.orig, psycopg2.Error) else None
        cause = _safe_cause(orig) if orig is not None else type(err).__name__
        raise DataStoreLoadError(f"DataStore table {resource_id}: {cause}") from None
    except psycopg2.Error as err:
        raise DataStoreLoadError(f"DataStore table {resource_id}: {_safe_cause(err)}"
                                 ) from None
    except tk.ValidationError as err:
        raise DataStoreLoadError(f"DataStore table {resource_id}: invalid fields "
                                 f"{sorted(err.error_dict)}") from None
    return created


def drop_table(resource_id: str) -> None:
    """Drop the DataStore table of ``resource_id`` if it exists (undo of a first load)."""
    try:
        with _engine().connect() as connection, connection.begin():
            _run(connection, f"DROP TABLE IF EXISTS {_ident(resource_id)} CASCADE")
            _refresh_stats(connection, resource_id, dropped=True)
    except sa.exc.DBAPIError as err:
        log.error("DataStore table %s could not be dropped (%s)", resource_id,
                  type(err).__name__)
