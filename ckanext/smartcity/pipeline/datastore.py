"""Load a published CSV into the resource's DataStore table at COPY speed, without
making API readers wait.

A reload (:class:`Reload`) has three steps:

1. :meth:`Reload.stage` builds the new table under a temporary name (the DataStore's
   own ``create_table``, ``COPY`` through a staging table, then the full-text trigger
   and indexes built once over the loaded rows) and commits it. Readers of the
   published table see nothing of it; a failure (or a killed process) leaves only the
   temporary table, which the next reload drops.
2. :meth:`Reload.swap` exchanges the tables by renaming them in one short transaction
   (the old one and its indexes get a temporary name, the new one the resource id),
   waiting at most :data:`LOCK_WAIT_S` for the lock each attempt so a long reader never
   queues the others behind the swap. Readers see the old rows until ``COMMIT`` and
   the new ones after; a ``datastore_search`` never waits for a load.
3. :meth:`Reload.finish` drops the old table; :meth:`Reload.undo` instead swaps it back
   (when the metadata write that follows failed), so rows and metadata change together.

Curated data dictionaries survive: the info (``label``, ``notes``, ``label_en`` …) a
department edited in CKAN's data dictionary form is kept for every column that still
exists; only new columns take their labels from the source config.

Loading: ``COPY`` the CSV into a temporary staging table (no trigger, no index), then one
``INSERT … SELECT`` that also fills ``_full_text``. The DataStore's trigger would compute
``to_tsvector(string_agg(value, ' '))`` over ``json_each_text(row_to_json(row))`` for every
row in PL/pgSQL; :func:`full_text_sql` computes the same text set-based (the columns' JSON
text forms joined by spaces, NULLs skipped), so ``q=`` search finds exactly what it found
before, and the trigger, still in place for later upserts, leaves a non-NULL
``_full_text`` alone.

Row values never appear in errors (PostgreSQL's COPY messages quote them; only the
SQLSTATE and the line number are kept).
"""
from __future__ import annotations

import logging
import re
import secrets
import time
from typing import Any

import psycopg2
import sqlalchemy as sa

import ckan.plugins.toolkit as tk

from ckanext.smartcity.pipeline.load import StreamedLoad, copy_csv, full_text_sql
from ckanext.smartcity.pipeline.load import ident as _ident
from ckanext.smartcity.pipeline.load import run_sql as _run

__all__ = ["DataStoreLoadError", "Reload", "replace_table", "start_stream", "drop_table", "table_columns",
           "full_text_sql", "curated_fields", "row_count", "LOCK_WAIT_S"]

log = logging.getLogger(__name__)

#: longest wait for the table lock in one swap attempt (readers queue behind a waiting
#: ALTER TABLE, so it must stay short); SWAP_ATTEMPTS attempts in all
LOCK_WAIT_S = 0.2
SWAP_ATTEMPTS = 50
#: data dictionary keys a department curates in CKAN's form
CURATED_KEYS = ("label", "notes", "label_en")


class DataStoreLoadError(Exception):
    """Loading the DataStore table failed; the previous table is untouched."""


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


def _finish_create(connection: sa.engine.Connection, resource_id: str) -> None:
    """The full-text trigger and indexes of a new table, after its rows are loaded."""
    from ckanext.datastore.backend import postgres as backend
    backend._create_fulltext_trigger(connection, resource_id)
    backend.create_indexes({"connection": connection},  # type: ignore[typeddict-item]
                           {"resource_id": resource_id})


def _copy(connection: sa.engine.Connection, resource_id: str, fields: list[dict[str, Any]],
          csv_path: str) -> None:
    copy_csv(connection, resource_id, fields, csv_path)


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


def _temporary_name(resource_id: str, kind: str) -> str:
    # resource ids are UUIDs (36 characters): this stays within PostgreSQL's 63
    return f"{resource_id[:40]}_{kind}{secrets.token_hex(4)}"


def curated_fields(fields: list[dict[str, Any]], existing: dict[str, dict[str, Any]]
                   ) -> list[dict[str, Any]]:
    """``fields`` with the dictionary info of columns that already exist kept.

    For a column in ``existing`` (column → info of the published table), each
    :data:`CURATED_KEYS` value found there wins over the source config's; other keys a
    department set are kept too. New columns keep the config's info.
    """
    out = []
    for field in fields:
        info = dict(field.get("info") or {})
        old = existing.get(field["id"])
        if isinstance(old, dict):
            for key, value in old.items():
                if value not in (None, "") or key not in info:
                    info[key] = value
        out.append(dict(field, info=info))
    return out


def _index_renames(connection: sa.engine.Connection, table: str, new_name: str,
                   columns: list[str]) -> list[str]:
    """SQL renaming ``table``'s DataStore-named indexes after the table's new name
    (the DataStore names an index after its table and column)."""
    from ckanext.datastore.backend.postgres import (_generate_index_name, identifier,
                                                    literal_string)
    present = set(connection.execute(sa.text(
        "SELECT indexname FROM pg_indexes WHERE schemaname = 'public' "
        "AND tablename = :t"), {"t": table}).scalars())
    # the index expressions the DataStore hashes into names (create_indexes and
    # _build_fts_indexes): the column, or its to_tsvector for full-text indexes
    lang = literal_string(tk.config.get("ckan.datastore.default_fts_lang") or "english")
    forms = []
    for column in ["_full_text", *columns]:
        quoted = identifier(column)
        forms += [column, quoted, f"to_tsvector({lang}, {quoted})",
                  f"to_tsvector({lang}, cast({quoted} AS text))"]
    wanted = {_generate_index_name(table, f): _generate_index_name(new_name, f)
              for f in forms}
    wanted[f"{table}_pkey"] = f"{new_name}_pkey"
    return [f"ALTER INDEX {_ident(old)} RENAME TO {_ident(new)}"
            for old, new in wanted.items() if old in present]


def _load_error(resource_id: str, err: BaseException) -> DataStoreLoadError:
    if isinstance(err, sa.exc.DBAPIError):
        orig = err.orig if isinstance(err.orig, psycopg2.Error) else None
        cause = _safe_cause(orig) if orig is not None else type(err).__name__
    elif isinstance(err, psycopg2.Error):
        cause = _safe_cause(err)
    elif isinstance(err, tk.ValidationError):
        cause = f"invalid fields {sorted(err.error_dict)}"
    else:
        cause = type(err).__name__
    return DataStoreLoadError(f"DataStore table {resource_id}: {cause}")


_DB_ERRORS = (sa.exc.DBAPIError, psycopg2.Error, tk.ValidationError)


class Reload:
    """A new version of the table of ``resource_id`` (see the module docstring).

    :param fields: DataStore fields (``id``, ``type``, ``info``), in CSV column order.
    """

    def __init__(self, resource_id: str, fields: list[dict[str, Any]], csv_path: str,
                 staged: str | None = None) -> None:
        self.resource_id = resource_id
        self.fields = fields
        self.csv_path = csv_path
        #: a table already built and committed under a temporary name (a streamed load)
        self.staged: str | None = staged
        self.old: str | None = None
        self._engine = _engine()

    def stage(self) -> None:
        """Build and commit the new table under a temporary name (the long step).

        :raises DataStoreLoadError: naming the resource and the cause; nothing the
            readers see changed.
        """
        from ckanext.datastore.backend import postgres as backend
        if self.staged is not None:
            return  # built while the CSV was written
        name = _temporary_name(self.resource_id, "n")
        try:
            with self._engine.connect() as connection, connection.begin():
                existing = backend._get_field_info(connection, self.resource_id)
                fields = curated_fields(self.fields, existing)
                backend.create_table({"connection": connection},  # type: ignore[arg-type]
                                     {"resource_id": name,
                                      "fields": [dict(f) for f in fields]}, {})
                _copy(connection, name, fields, self.csv_path)
                _finish_create(connection, name)
        except _DB_ERRORS as err:
            raise _load_error(self.resource_id, err) from None
        self.staged = name

    def swap(self) -> None:
        """Put the staged table in place of the published one (a short transaction).

        :raises DataStoreLoadError: when the lock could not be had; nothing changed.
        """
        assert self.staged is not None, "stage() first"
        old = _temporary_name(self.resource_id, "o")
        for attempt in range(SWAP_ATTEMPTS):
            try:
                with self._engine.connect() as connection, connection.begin():
                    _run(connection, f"SET LOCAL lock_timeout = '{int(LOCK_WAIT_S * 1000)}ms'")
                    current = table_columns(connection, self.resource_id)
                    sql = []
                    if current is not None:
                        sql.append(f"ALTER TABLE {_ident(self.resource_id)} "
                                   f"RENAME TO {_ident(old)}")
                        sql += _index_renames(connection, self.resource_id, old,
                                              [c for c, _ in current])
                    sql.append(f"ALTER TABLE {_ident(self.staged)} "
                               f"RENAME TO {_ident(self.resource_id)}")
                    sql += _index_renames(connection, self.staged, self.resource_id,
                                          [f["id"] for f in self.fields])
                    for statement in sql:
                        _run(connection, statement)
            except sa.exc.OperationalError as err:
                if getattr(err.orig, "pgcode", None) != "55P03" or attempt + 1 == SWAP_ATTEMPTS:
                    raise _load_error(self.resource_id, err) from None
                time.sleep(0.05 * (attempt + 1))  # a long reader holds the table: retry
                continue
            except _DB_ERRORS as err:
                raise _load_error(self.resource_id, err) from None
            self.old = old if current is not None else None
            self.staged = None
            # after COMMIT: renewing the cached row count scans the table, and readers
            # must not wait for it behind the swap's lock
            with self._engine.connect() as connection, connection.begin():
                _refresh_stats(connection, self.resource_id)
            return

    def undo(self) -> None:
        """Give the published table back its previous rows (after a failed metadata
        write), or drop the staged table when no swap happened."""
        if self.staged is not None:
            _drop(self._engine, self.staged)
            self.staged = None
            return
        new = _temporary_name(self.resource_id, "u")
        with self._engine.connect() as connection, connection.begin():
            columns = table_columns(connection, self.resource_id) or []
            sql = [f"ALTER TABLE {_ident(self.resource_id)} RENAME TO {_ident(new)}"]
            sql += _index_renames(connection, self.resource_id, new, [c for c, _ in columns])
            if self.old is not None:
                old_columns = table_columns(connection, self.old) or []
                sql.append(f"ALTER TABLE {_ident(self.old)} "
                           f"RENAME TO {_ident(self.resource_id)}")
                sql += _index_renames(connection, self.old, self.resource_id,
                                      [c for c, _ in old_columns])
            for statement in sql:
                _run(connection, statement)
            _run(connection, f"DROP TABLE {_ident(new)} CASCADE")
            _refresh_stats(connection, self.resource_id, dropped=self.old is None)
        self.old = None

    def finish(self) -> None:
        """Drop the previous table (readers already use the new one)."""
        if self.old is not None:
            _drop(self._engine, self.old)
            self.old = None


def _drop(engine: sa.engine.Engine, table: str) -> None:
    try:
        with engine.connect() as connection, connection.begin():
            _run(connection, f"DROP TABLE IF EXISTS {_ident(table)} CASCADE")
            connection.execute(sa.text("DELETE FROM _table_stats WHERE resource_id = :t")
                               if _has_stats(connection) else sa.text("SELECT 1"),
                               {"t": table})
    except sa.exc.DBAPIError as err:
        log.error("DataStore table %s could not be dropped (%s)", table,
                  type(err).__name__)


def _has_stats(connection: sa.engine.Connection) -> bool:
    return bool(connection.execute(sa.text(
        "SELECT to_regclass('public._table_stats') IS NOT NULL")).scalar())


def start_stream(fields: list[dict[str, Any]]) -> StreamedLoad:
    """A new table filled while the CSV is written (:class:`load.StreamedLoad`); hand it
    to :func:`replace_table` as ``streamed``, or ``abort()`` it."""
    try:
        return StreamedLoad(_engine(), fields)
    except _DB_ERRORS as err:
        raise _load_error("(new)", err) from None


def replace_table(resource_id: str, fields: list[dict[str, Any]], csv_path: str,
                  streamed: StreamedLoad | None = None) -> None:
    """Stage, swap and finish in one go (nothing else has to change with the rows).

    ``streamed``: the rows are already in a streamed load (:func:`start_stream`) of the
    same CSV; it is finished and swapped in instead of loading ``csv_path`` again.

    :raises DataStoreLoadError: naming the resource and the cause (never a value).
    """
    staged = None
    if streamed is not None:
        try:
            staged = streamed.finish(_finish_create)
        except _DB_ERRORS as err:
            raise _load_error(resource_id, err) from None
    reload = Reload(resource_id, fields, csv_path, staged=staged)
    reload.stage()
    try:
        reload.swap()
    except BaseException:
        reload.undo()
        raise
    reload.finish()


def row_count(resource_id: str) -> int | None:
    """Rows in the DataStore table of ``resource_id``; None if there is no such table."""
    with _engine().connect() as connection:
        if table_columns(connection, resource_id) is None:
            return None
        return int(connection.execute(sa.text(
            f"SELECT count(*) FROM {_ident(resource_id)}")).scalar() or 0)


def drop_table(resource_id: str) -> None:
    """Drop the DataStore table of ``resource_id`` if it exists (undo of a first load)."""
    try:
        with _engine().connect() as connection, connection.begin():
            _run(connection, f"DROP TABLE IF EXISTS {_ident(resource_id)} CASCADE")
            _refresh_stats(connection, resource_id, dropped=True)
    except sa.exc.DBAPIError as err:
        log.error("DataStore table %s could not be dropped (%s)", resource_id,
                  type(err).__name__)
