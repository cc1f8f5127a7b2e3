"""Load a published CSV into the resource's DataStore table, atomically, at COPY speed.

The whole replacement is ONE transaction on the DataStore write connection:

* same columns as before → ``DELETE`` the old rows, restart ``_id``, ``COPY`` the new
  rows; concurrent readers keep seeing the old rows (MVCC) until ``COMMIT``;
* new table or changed columns → ``DROP`` + create (the DataStore's own
  ``create_table``, full-text trigger and indexes) + ``COPY``; readers wait on the
  table lock and then see the new table, never a half-loaded one.

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

__all__ = ["DataStoreLoadError", "replace_table", "table_columns"]

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
    rows = connection.execute(sa.text(
        "SELECT column_name, udt_name FROM information_schema.columns "
        "WHERE table_schema = 'public' AND table_name = :t ORDER BY ordinal_position"),
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
    backend._create_fulltext_trigger(connection, resource_id)
    backend.create_indexes(context, {"resource_id": resource_id})


def _copy(connection: sa.engine.Connection, resource_id: str, names: list[str],
          csv_path: str) -> None:
    columns = ", ".join(_ident(n) for n in names)
    sql = (f"COPY {_ident(resource_id)} ({columns}) FROM STDIN "
           f"WITH (FORMAT csv, HEADER true, ENCODING 'UTF8')")
    cursor = connection.connection.dbapi_connection.cursor()  # same transaction
    try:
        with open(csv_path, "rb") as data:
            cursor.copy_expert(sql, data, size=1 << 20)
    finally:
        cursor.close()


def _refresh_stats(connection: sa.engine.Connection, resource_id: str) -> None:
    # the DataStore caches row counts in _table_stats; renew them in the same transaction
    exists = connection.execute(sa.text(
        "SELECT to_regprocedure('update_table_stats(name)') IS NOT NULL")).scalar()
    if exists:
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
            _copy(connection, resource_id, [f["id"] for f in fields], csv_path)
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
