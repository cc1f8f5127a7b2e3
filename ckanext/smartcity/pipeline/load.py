"""Filling a DataStore table: ``COPY`` into a staging table, then one ``INSERT … SELECT``
that also computes ``_full_text`` (:func:`full_text_sql`); from a CSV file
(:func:`copy_csv`) or streamed while the CSV is still being written
(:class:`StreamedLoad`).

A streamed load runs on a second thread with its own connection, in one transaction:
the table is created under a temporary name, every chunk of CSV lines handed to
:meth:`StreamedLoad.feed` is copied into the staging table and moved into the new table
while Python writes the next chunk, so Python and PostgreSQL work at the same time. The
caller feeds only rows that the privacy guard has already passed (with its suppressions
applied, so ``_full_text`` is computed from the published values). Nothing is committed
before :meth:`StreamedLoad.finish` (trigger and indexes, then ``COMMIT``); a failure or
:meth:`StreamedLoad.abort` rolls everything back.
"""
from __future__ import annotations

import io
import logging
import queue
import secrets
import threading
from typing import Any

import sqlalchemy as sa

__all__ = ["full_text_sql", "copy_csv", "StreamedLoad", "ident", "run_sql"]

log = logging.getLogger(__name__)
STAGE = "smartcity_stage"
#: bytes of CSV lines moved per COPY + INSERT … SELECT of a streamed load
CHUNK_BYTES = 8 << 20
#: batches waiting for the loader thread at most (bounds memory when PostgreSQL is slower)
QUEUE_BATCHES = 32

# types whose ::text equals their JSON text (what json_each_text yields)
_PLAIN_TEXT_TYPES = frozenset({"int2", "int4", "int8", "numeric", "float4", "float8",
                               "bool"})


def ident(name: str) -> str:
    """A quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def run_sql(connection: sa.engine.Connection, sql: str) -> None:
    """Execute ``sql`` as is: identifiers may hold ':' or '%' (no parameter parsing)."""
    connection.exec_driver_sql(sql, execution_options={"no_parameters": True})


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
        column = f"{alias}.{ident(field['id'])}"
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


def _create_stage(connection: sa.engine.Connection, fields: list[dict[str, Any]]) -> None:
    definition = ", ".join(f"{ident(f['id'])} {f['type']}" for f in fields)
    run_sql(connection, f"DROP TABLE IF EXISTS pg_temp.{STAGE}")
    run_sql(connection, f"CREATE TEMP TABLE {STAGE} ({definition}) ON COMMIT DROP")


def _move_stage(connection: sa.engine.Connection, table: str,
                fields: list[dict[str, Any]]) -> None:
    names = [f["id"] for f in fields]
    columns = ", ".join(ident(n) for n in names)
    selected = ", ".join(f"s.{ident(n)}" for n in names)
    run_sql(connection, f"INSERT INTO {ident(table)} ({columns}, _full_text) "
                        f"SELECT {selected}, {full_text_sql(fields, 's')} FROM {STAGE} s")


def _copy_into_stage(connection: sa.engine.Connection, fields: list[dict[str, Any]],
                     data: Any, header: bool) -> None:
    columns = ", ".join(ident(f["id"]) for f in fields)
    sql = (f"COPY {STAGE} ({columns}) FROM STDIN "
           f"WITH (FORMAT csv, HEADER {str(header).lower()}, ENCODING 'UTF8')")
    cursor = connection.connection.dbapi_connection.cursor()  # same transaction
    try:
        cursor.copy_expert(sql, data, size=1 << 20)
    finally:
        cursor.close()


def copy_csv(connection: sa.engine.Connection, table: str, fields: list[dict[str, Any]],
             csv_path: str) -> None:
    """Load the CSV file (with its header line) into ``table`` (in the caller's
    transaction)."""
    _create_stage(connection, fields)
    with open(csv_path, "rb") as data:
        _copy_into_stage(connection, fields, data, header=True)
    _move_stage(connection, table, fields)
    run_sql(connection, f"DROP TABLE pg_temp.{STAGE}")


_END = object()


class StreamedLoad:
    """A new DataStore table filled from CSV lines while they are written (see module).

    :param engine: the DataStore write engine.
    :param fields: DataStore fields (``id``, ``type``, ``info``), in CSV column order.
    """

    def __init__(self, engine: sa.engine.Engine, fields: list[dict[str, Any]]) -> None:
        from ckanext.datastore.backend import postgres as backend
        self.fields = fields
        self.name = f"smartcity_load_{secrets.token_hex(8)}"
        self.rows = 0
        self._queue: queue.Queue[Any] = queue.Queue(maxsize=QUEUE_BATCHES)
        self._error: BaseException | None = None
        self._connection = engine.connect()
        self._transaction = self._connection.begin()
        try:
            backend.create_table({"connection": self._connection},  # type: ignore[arg-type]
                                 {"resource_id": self.name,
                                  "fields": [dict(f) for f in fields]}, {})
            _create_stage(self._connection, fields)
        except BaseException:
            self._close(commit=False)
            raise
        self._thread = threading.Thread(target=self._work, name="smartcity-load",
                                        daemon=True)
        self._thread.start()

    # the loader thread

    def _work(self) -> None:
        pending: list[bytes] = []
        size = 0
        item: Any = None
        try:
            while True:
                item = self._queue.get()
                if item is not _END:
                    pending.append(item)
                    size += len(item)
                if pending and (size >= CHUNK_BYTES or item is _END):
                    _copy_into_stage(self._connection, self.fields,
                                     io.BytesIO(b"".join(pending)), header=False)
                    _move_stage(self._connection, self.name, self.fields)
                    run_sql(self._connection, f"TRUNCATE pg_temp.{STAGE}")
                    pending, size = [], 0
                if item is _END:
                    return
        except BaseException as err:  # noqa: BLE001 - re-raised by finish()
            self._error = err
            while item is not _END:  # let the writer go on to its end
                item = self._queue.get()

    # the writer's side

    def feed(self, data: bytes, rows: int) -> None:
        """Queue CSV lines (no header) of ``rows`` rows the guard has passed."""
        if data:
            self._queue.put(data)
            self.rows += rows

    def finish(self, finish_table: Any) -> str:
        """Wait for the last chunk, then ``finish_table(connection, name)`` (trigger and
        indexes) and ``COMMIT``; return the new table's name.

        :raises: the loader's database error (everything rolled back)."""
        self._queue.put(_END)
        self._thread.join()
        try:
            if self._error is not None:
                raise self._error
            run_sql(self._connection, f"DROP TABLE pg_temp.{STAGE}")
            finish_table(self._connection, self.name)
        except BaseException:
            self._close(commit=False)
            raise
        self._close(commit=True)
        return self.name

    def abort(self) -> None:
        """Stop and roll back (nothing was committed)."""
        if self._thread.is_alive():
            self._queue.put(_END)
            self._thread.join()
        self._close(commit=False)

    def _close(self, commit: bool) -> None:
        if self._connection.closed:
            return
        try:
            if commit:
                self._transaction.commit()
            else:
                self._transaction.rollback()
        finally:
            self._connection.close()
