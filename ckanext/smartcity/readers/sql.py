"""Reader for departmental SQL databases (``smartcity_sql``; no CKAN imports).

Source: ``url`` is an SQLAlchemy URL *without* a password
(``postgresql+psycopg2://reader@db.syt:5432/yte``); config ``password_env`` names the
environment variable holding it, ``statement_timeout_s`` (default 60) bounds each
statement and ``connect_timeout_s`` (default 10) the connection. Spec: ``query`` (one
read-only SELECT, see :mod:`.sqlcheck`) and optionally ``statement_timeout_s`` and
``change_query`` (a cheap read-only SELECT whose rows change whenever the table does,
e.g. ``SELECT max(updated_at), count(*) FROM t``: the harvest's change signal).

Decisions:

* Supported backends: PostgreSQL, MySQL/MariaDB and SQLite, the ones whose read-only
  transaction and statement timeout this module knows how to set. Others are refused.
* Network databases: the host must pass :func:`netguard.check_url`; a URL without a
  host (unix socket) and query options that redirect the connection or carry secrets
  (``host``, ``hostaddr``, ``port``, ``service``, ``passfile``, ``password``,
  ``unix_socket``, ``read_default_file`` ...) are refused.
* SQLite: only ``:memory:`` or a file whose real path lies inside ``file_roots``; the
  file is opened read-only (``mode=ro``) with ``PRAGMA query_only=ON``, and the
  statement timeout is enforced with a progress handler, renewed for every batch.
* PostgreSQL: ``SET TRANSACTION READ ONLY`` + ``SET LOCAL statement_timeout``;
  MySQL: ``SET SESSION TRANSACTION READ ONLY`` + ``max_execution_time`` (MariaDB:
  ``max_statement_time``). Rows are streamed: on PostgreSQL through a server-side
  (named) psycopg2 cursor used directly, in the same read-only transaction (plain
  tuples, no per-row SQLAlchemy ``Row``); elsewhere ``stream_results`` with
  ``yield_per=batch_size``.
* Types come from the cursor description on PostgreSQL and MySQL; SQLite has none, so
  they are inferred from the first batch (see :mod:`.infer`).
* Database error texts can quote values; causes keep the first line with quoted
  literals after a colon, and all single-quoted text, replaced by ``'…'``.
"""
from __future__ import annotations

import hashlib

import operator
import re
import sqlite3
import time
from collections.abc import Callable, Iterator
from typing import Any, ClassVar
from urllib.parse import quote

import sqlalchemy as sa
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.pool import NullPool

from . import netguard
from .base import Column, Reader, ReaderError, Table, safe_url
from .infer import _to_text, convert, infer_types
from .sqlcheck import check_select

__all__ = ["SqlReader"]

_BACKENDS = ("postgresql", "mysql", "mariadb", "sqlite")
_FORBIDDEN_QUERY_KEYS = frozenset({
    "host", "hostaddr", "port", "service", "servicefile", "passfile", "password",
    "unix_socket", "read_default_file", "read_default_group", "init_command",
    "local_infile", "sslpassword", "user",
})
_PG_TYPES = {16: "bool", 20: "int", 21: "int", 23: "int", 26: "int", 700: "float",
             701: "float", 1700: "numeric", 1082: "date", 1114: "timestamp",
             1184: "timestamp"}
_MYSQL_TYPES = {0: "numeric", 246: "numeric", 1: "int", 2: "int", 3: "int", 8: "int",
                9: "int", 13: "int", 4: "float", 5: "float", 10: "date", 14: "date",
                7: "timestamp", 12: "timestamp"}
_TEXT_AS_IS = frozenset({str, type(None)})
_VALUE_AFTER_COLON = re.compile(r':\s*"[^"]*"')
_SINGLE_QUOTED = re.compile(r"'[^']*'")
_GRANT = re.compile(r"^GRANT\s+(.+?)\s+ON\s+(\S+)\s+TO\s", re.IGNORECASE)


def _redact(message: str) -> str:
    first = (message.strip().splitlines() or [""])[0]
    first = _SINGLE_QUOTED.sub("'…'", _VALUE_AFTER_COLON.sub(': "…"', first))
    return first[:200]


class SqlReader(Reader):
    """Rows from one read-only SELECT against a departmental database."""

    name = "smartcity_sql"
    spec_keys: ClassVar[set[str]] = {"query", "statement_timeout_s", "change_query"}
    source_keys: ClassVar[set[str]] = {"password_env", "statement_timeout_s", "connect_timeout_s"}

    # -- configuration ------------------------------------------------------------

    def _url(self) -> URL | None:
        try:
            return make_url(self.url)
        except Exception:  # noqa: BLE001 - any parse failure means "not a URL"
            return None

    @property
    def source(self) -> str:
        """The URL with any password masked."""
        url = self._url()
        return url.render_as_string(hide_password=True) if url else safe_url(self.url)

    def _backend(self) -> str:
        url = self._url()
        backend = url.get_backend_name() if url else ""
        return "mysql" if backend == "mariadb" else backend

    def validate_source(self) -> dict[str, str]:
        """Check the URL (no password, known backend, safe options) and timeouts."""
        errors = super().validate_source()
        url = self._url()
        if url is None:
            errors["url"] = "is not a valid SQLAlchemy URL"
            return errors
        if url.password is not None:
            errors["url"] = ("must not contain a password; name an environment variable "
                             "in 'password_env'")
        elif url.get_backend_name() not in _BACKENDS:
            errors["url"] = f"backend must be one of {', '.join(_BACKENDS)}"
        elif bad := sorted(_FORBIDDEN_QUERY_KEYS & {k.lower() for k in url.query}):
            errors["url"] = f"query option {bad[0]!r} is not allowed"
        elif self._backend() != "sqlite" and not url.host:
            errors["url"] = "needs a host (unix sockets are not supported)"
        for key in ("statement_timeout_s", "connect_timeout_s"):
            value = self.config.get(key, 1)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
                errors[key] = "must be a positive number of seconds"
        return errors

    def validate_spec(self, spec: dict[str, Any]) -> dict[str, str]:
        """Check that ``query`` is one read-only SELECT (no I/O)."""
        errors: dict[str, str] = {}
        problem = check_select(spec.get("query"), self._backend() or "postgresql")
        if problem:
            errors["query"] = problem
        if "change_query" in spec:
            problem = check_select(spec.get("change_query"), self._backend() or "postgresql")
            if problem:
                errors["change_query"] = problem
        value = spec.get("statement_timeout_s", 1)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
            errors["statement_timeout_s"] = "must be a positive number of seconds"
        return errors

    def change_signal(self, spec: dict[str, Any]) -> str | None:
        """The rows of the spec's ``change_query`` (a cheap SELECT the department
        declares, e.g. ``SELECT max(updated_at), count(*) FROM t``), hashed; run like
        ``query`` (read-only, with the timeout). None without ``change_query``."""
        if not spec.get("change_query"):
            return None
        digest = hashlib.sha256()
        with self.read({**spec, "query": spec["change_query"]}, batch_size=1000) as table:
            digest.update(repr([c.name for c in table.columns]).encode())
            for batch in table.batches():
                digest.update(repr(batch).encode())
        return f"sql:{digest.hexdigest()}"

    # -- connecting ---------------------------------------------------------------

    def _engine(self, url: URL, timeout_s: float) -> tuple[sa.Engine, list[float]]:
        """An engine for one read; the list holds the SQLite deadline (monotonic)."""
        deadline = [0.0]
        connect_s = int(max(1, self.config.get("connect_timeout_s", 10)))
        backend = self._backend()
        if backend == "sqlite":
            database = url.database or ":memory:"
            if database != ":memory:":
                try:
                    database = str(netguard.check_file_path(database, self.file_roots,
                                                            self.department))
                except netguard.Refused as exc:
                    raise self.error(f"refused: {exc.reason}") from None

            def creator() -> sqlite3.Connection:
                target = "file::memory:" if database == ":memory:" else \
                    f"file:{quote(database)}?mode=ro"
                connection = sqlite3.connect(target, uri=True, check_same_thread=False,
                                             timeout=connect_s)
                connection.set_progress_handler(
                    lambda: 1 if time.monotonic() > deadline[0] else 0, 10_000)
                return connection

            return sa.create_engine("sqlite://", creator=creator, poolclass=NullPool), deadline
        try:
            where = f"{url.host}:{url.port}" if url.port else str(url.host)
            netguard.check_url(f"{backend}://{where}/{url.database or ''}", self.allowed_hosts)
        except netguard.Refused as exc:
            raise self.error(f"refused by the network guard: {exc.reason}") from None
        password = self.secret("password_env")
        if password is not None:
            url = url.set(password=password)
        args: dict[str, Any] = {"connect_timeout": connect_s}
        if backend == "postgresql":
            args["application_name"] = "ckanext-smartcity"
        return sa.create_engine(url, poolclass=NullPool, connect_args=args), deadline

    def _refuse_powerful_role(self, conn: Connection) -> None:
        """Refuse a login that can do more than read its tables, before any query:
        on PostgreSQL a superuser or a member of ``pg_read_server_files``,
        ``pg_write_server_files`` or ``pg_execute_server_program``; on MySQL/MariaDB a
        user granted ``ALL PRIVILEGES``, ``FILE`` or ``SUPER`` on ``*.*`` (from
        ``SHOW GRANTS``; privileges held through a role are not followed)."""
        backend = self._backend()
        if backend == "postgresql":
            row = conn.exec_driver_sql(
                "SELECT rolsuper, pg_has_role(current_user, 'pg_read_server_files', "
                "'MEMBER'), pg_has_role(current_user, 'pg_write_server_files', 'MEMBER'), "
                "pg_has_role(current_user, 'pg_execute_server_program', 'MEMBER') "
                "FROM pg_roles WHERE rolname = current_user").one()
            names = ("superuser", "pg_read_server_files", "pg_write_server_files",
                     "pg_execute_server_program")
            found = [name for name, held in zip(names, row) if held]
        elif backend == "mysql":
            found = []
            for (grant, *_rest) in conn.exec_driver_sql("SHOW GRANTS"):
                match = _GRANT.match(str(grant))
                if match and match.group(2).strip() == "*.*":
                    held = {p.strip().upper() for p in match.group(1).split(",")}
                    found += [p for p in ("ALL PRIVILEGES", "FILE", "SUPER")
                              if p in held and p not in found]
        else:
            return
        conn.rollback()
        if found:
            raise self.error(f"từ chối vai trò quá nhiều quyền / refused: the login role "
                             f"{conn.engine.url.username!r} has {', '.join(found)}")

    def _begin_read_only(self, conn: Connection, timeout_s: float) -> None:
        backend = self._backend()
        milliseconds = max(1, int(timeout_s * 1000))
        if backend == "postgresql":
            conn.exec_driver_sql("SET TRANSACTION READ ONLY")
            conn.exec_driver_sql(f"SET LOCAL statement_timeout = {milliseconds}")
        elif backend == "mysql":
            conn.exec_driver_sql("SET SESSION TRANSACTION READ ONLY")
            if getattr(conn.dialect, "is_mariadb", False):
                conn.exec_driver_sql(f"SET SESSION max_statement_time = {timeout_s:.3f}")
            else:
                conn.exec_driver_sql(f"SET SESSION max_execution_time = {milliseconds}")
            conn.commit()  # the next statement starts a read-only transaction
        elif backend == "sqlite":
            conn.exec_driver_sql("PRAGMA query_only = ON")

    def _db_error(self, exc: BaseException) -> ReaderError:
        original = getattr(exc, "orig", None) or exc
        code = getattr(original, "pgcode", None)
        message = str(original)
        args = getattr(original, "args", ())
        if len(args) == 2 and isinstance(args[0], int) and isinstance(args[1], str):
            code, message = args  # MySQL drivers: (error number, message)
        detail = _redact(message)
        prefix = f"{type(original).__name__}" + (f" [{code}]" if code else "")
        return self.error(f"{prefix}: {detail}" if detail else prefix)

    # -- reading ------------------------------------------------------------------

    def read(self, spec: dict[str, Any], batch_size: int = 5000) -> Table:
        """Run the query read-only with a timeout and stream its rows.

        :raises ReaderError: on a bad spec/URL, refused host, unset password variable,
            connection, authentication, timeout or SQL errors.
        """
        self._checked_spec(spec)
        url = self._url()
        assert url is not None  # validate_source guarantees it
        timeout_s = float(spec.get("statement_timeout_s",
                                   self.config.get("statement_timeout_s", 60)))
        engine, deadline = self._engine(url, timeout_s)
        conn: Connection | None = None
        cursor: Any = None
        errors: tuple[type[BaseException], ...] = (sa.exc.SQLAlchemyError, sqlite3.Error)
        try:
            conn = engine.connect()
            dbapi_error = getattr(conn.dialect.dbapi, "Error", None)
            if isinstance(dbapi_error, type) and issubclass(dbapi_error, BaseException):
                errors += (dbapi_error,)
            deadline[0] = time.monotonic() + timeout_s
            self._refuse_powerful_role(conn)
            self._begin_read_only(conn, timeout_s)
            if self._backend() == "postgresql" and conn.dialect.driver == "psycopg2":
                # a server-side cursor straight on the driver (same read-only
                # transaction): plain tuples, no per-row Row objects
                cursor = conn.connection.dbapi_connection.cursor(name="smartcity_read")
                cursor.itersize = batch_size
                cursor.execute(spec["query"])
                first = cursor.fetchmany(batch_size)
                description = cursor.description
                names = [item[0] for item in description]
                fetch = cursor.fetchmany
            else:
                result = conn.execution_options(
                    stream_results=True, yield_per=batch_size, no_parameters=True,
                ).exec_driver_sql(spec["query"])
                names = list(result.keys())
                description = result.cursor.description if result.cursor is not None \
                    else None

                def fetch(size: int, result: Any = result) -> list[tuple[Any, ...]]:
                    return [tuple(row) for row in result.fetchmany(size)]

                first = fetch(batch_size)
            described = self._described_types(description, len(names))
        except ReaderError:
            self._dispose(conn, engine, cursor)
            raise
        except (*errors, OSError) as exc:
            self._dispose(conn, engine, cursor)
            raise self._db_error(exc) from None
        inferred = infer_types(first, len(names)) if None in described \
            else described
        types = [d or i for d, i in zip(described, inferred)]
        columns = [Column(n, t) for n, t in zip(names, types)]
        exact = [d is not None for d in described]
        batches = self._batches(fetch, first, columns, exact, batch_size, deadline, timeout_s,
                                errors)
        return Table(columns, batches, close=lambda: self._dispose(conn, engine, cursor))

    def _described_types(self, description: Any, width: int) -> list[str | None]:
        table = {"postgresql": _PG_TYPES, "mysql": _MYSQL_TYPES}.get(self._backend())
        if not description or table is None:
            return [None] * width
        return [table.get(item[1], "text") if isinstance(item[1], int) else "text"
                for item in description]

    @staticmethod
    def _dispose(conn: Connection | None, engine: sa.Engine, cursor: Any = None) -> None:
        try:
            if cursor is not None:
                try:
                    cursor.close()
                except Exception:  # noqa: BLE001 - the transaction ends below anyway
                    pass
            if conn is not None:
                conn.close()  # rolls the read-only transaction back
        finally:
            engine.dispose()

    def _convert_rows(self, rows: list[tuple[Any, ...]], columns: list[Column],
                      exact: list[bool], offset: int) -> list[tuple[Any, ...]]:
        """Row by row; raises naming the first cell (in row order) that does not fit."""
        converted = []
        for number, row in enumerate(rows, offset + 1):
            values = []
            for value, column, known in zip(row, columns, exact):
                if known:
                    values.append(_to_text(value) if column.type == "text"
                                  and value is not None else value)
                    continue
                try:
                    values.append(convert(value, column.type))
                except ValueError:
                    raise self.error(f"row {number}: column {column.name!r} does not fit "
                                     f"type {column.type} inferred from the first batch"
                                     ) from None
            converted.append(tuple(values))
        return converted

    def _convert(self, rows: list[tuple[Any, ...]], columns: list[Column],
                 exact: list[bool], offset: int) -> list[tuple[Any, ...]]:
        """Column by column; described non-text columns and text columns holding only
        ``str``/``None`` are taken as the driver gives them."""
        if not rows:
            return rows
        if set(map(len, rows)) != {len(columns)}:
            return self._convert_rows(rows, columns, exact, offset)
        if all(known and (column.type != "text" or set(
                map(type, map(operator.itemgetter(index), rows))) <= _TEXT_AS_IS)
               for index, (column, known) in enumerate(zip(columns, exact))):
            # nothing to convert (the usual case with described types): no transposing
            return rows if set(map(type, rows)) <= {tuple} else [tuple(r) for r in rows]
        cells = list(zip(*rows))
        changed = False
        for index, (column, known) in enumerate(zip(columns, exact)):
            values = cells[index]
            if known:
                if column.type != "text" or set(map(type, values)) <= _TEXT_AS_IS:
                    continue
                cells[index] = tuple([None if v is None else _to_text(v) for v in values])
            else:
                kind = column.type
                try:
                    cells[index] = tuple([convert(v, kind) for v in values])
                except ValueError:  # the same error as row by row (first row, first column)
                    return self._convert_rows(rows, columns, exact, offset)
            changed = True
        if changed:
            return list(zip(*cells))
        return rows if set(map(type, rows)) <= {tuple} else [tuple(r) for r in rows]

    def _batches(self, fetch: Callable[[int], list[tuple[Any, ...]]],
                 first: list[tuple[Any, ...]], columns: list[Column], exact: list[bool],
                 batch_size: int, deadline: list[float], timeout_s: float,
                 errors: tuple[type[BaseException], ...]
                 ) -> Iterator[list[tuple[Any, ...]]]:
        rows, seen = first, 0
        while rows:
            yield self._convert(rows, columns, exact, seen)
            seen += len(rows)
            deadline[0] = time.monotonic() + timeout_s
            try:
                rows = fetch(batch_size)
            except errors as exc:
                raise self._db_error(exc) from None
