"""SqlReader against real SQLite files, a real PostgreSQL cluster and (if installed) MariaDB."""
from __future__ import annotations

import datetime as dt
import sqlite3
import time
import tracemalloc
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa

from ckanext.smartcity.readers import ReaderError, SqlReader

from .conftest import MariaSource, PgSource

BAD_QUERIES = {
    "INSERT INTO truong_hoc (ma_xa) VALUES (1)": "SELECT",
    "SELECT 1; DROP TABLE truong_hoc": "one statement",
    "WITH d AS (DELETE FROM truong_hoc RETURNING *) SELECT * FROM d": "DELETE",
    "SELECT * INTO sao_chep FROM truong_hoc": "SELECT INTO",
    "SELECT * FROM truong_hoc FOR UPDATE": "FOR UPDATE",
    "UPDATE truong_hoc SET so_truong = 0": "SELECT",
    "": "required",
}


# -- validation (no I/O) ------------------------------------------------------------

@pytest.mark.parametrize("query, problem", BAD_QUERIES.items())
@pytest.mark.parametrize("url", ["postgresql+psycopg2://r@127.0.0.1/db",
                                 "mysql+pymysql://r@127.0.0.1/db", "sqlite:////tmp/x.db"])
def test_validate_spec_refuses_non_select(url: str, query: str, problem: str) -> None:
    errors = SqlReader(url, {}).validate_spec({"query": query})
    assert problem in errors["query"]


def test_validate_spec_accepts_selects() -> None:
    reader = SqlReader("postgresql://r@127.0.0.1/db", {})
    for query in ("SELECT ma_xa, count(*) FROM t WHERE ten LIKE 'H%' GROUP BY 1",
                  "WITH x AS (SELECT 1 AS a) SELECT a FROM x", "VALUES (1), (2)",
                  "SELECT 'a;b' AS x;"):
        assert reader.validate_spec({"query": query}) == {}, query


def test_url_with_password_is_refused_without_echoing_it() -> None:
    reader = SqlReader("postgresql://reader:Mat-Khau-42@127.0.0.1/yte", {})
    assert "password" in reader.validate_source()["url"]
    assert "Mat-Khau-42" not in repr(reader)
    with pytest.raises(ReaderError) as caught:
        reader.read({"query": "SELECT 1"})
    assert "Mat-Khau-42" not in str(caught.value)
    assert "password_env" in str(caught.value)


@pytest.mark.parametrize("url, problem", [
    ("postgresql://r@/db?host=/var/run/postgresql", "'host'"),
    ("postgresql://r@/db", "needs a host"),
    ("oracle://r@127.0.0.1/db", "backend"),
    ("not a url", "SQLAlchemy URL"),
])
def test_bad_urls(url: str, problem: str) -> None:
    assert problem in SqlReader(url, {}).validate_source()["url"]


# -- SQLite (real files) ------------------------------------------------------------

@pytest.fixture()
def sqlite_db(tmp_path: Path) -> Path:
    path = tmp_path / "dropbox" / "giao_duc.sqlite"
    path.parent.mkdir()
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE truong (ma_xa INTEGER, ten TEXT, so_truong INTEGER, "
                     "ty_le REAL, ngay TEXT, ma_don_vi TEXT)")
        conn.executemany("INSERT INTO truong VALUES (?, ?, ?, ?, ?, ?)", [
            (20194 + i, f"Xã {i}", i, 90.5 + i, f"2024-09-{i + 1:02d}", f"0{i}")
            for i in range(25)])
        conn.execute("CREATE TABLE nhat_ky (ghi_chu TEXT)")
    return path


def test_sqlite_reads_in_batches_with_types(sqlite_db: Path) -> None:
    reader = SqlReader(f"sqlite:///{sqlite_db}", {}, file_roots=str(sqlite_db.parent))
    with reader.read({"query": "SELECT * FROM truong ORDER BY ma_xa"}, batch_size=10) as table:
        assert [(c.name, c.type) for c in table.columns] == [
            ("ma_xa", "int"), ("ten", "text"), ("so_truong", "int"), ("ty_le", "float"),
            ("ngay", "date"), ("ma_don_vi", "text")]
        batches = list(table.batches())
    assert [len(b) for b in batches] == [10, 10, 5]
    assert batches[0][1] == (20195, "Xã 1", 1, 91.5, dt.date(2024, 9, 2), "01")


def test_sqlite_outside_file_roots_is_refused(sqlite_db: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    other.mkdir()
    reader = SqlReader(f"sqlite:///{sqlite_db}", {}, file_roots=str(other))
    with pytest.raises(ReaderError, match="outside the configured file roots"):
        reader.read({"query": "SELECT 1"})


def test_sqlite_file_is_opened_read_only(tmp_path: Path) -> None:
    """A missing file is an error, not a new empty database (mode=ro)."""
    missing = tmp_path / "khong_co.sqlite"
    reader = SqlReader(f"sqlite:///{missing}", {}, file_roots=str(tmp_path))
    with pytest.raises(ReaderError, match="OperationalError"):
        reader.read({"query": "SELECT 1"})
    assert not missing.exists()


def test_sqlite_statement_timeout_fires(sqlite_db: Path) -> None:
    reader = SqlReader(f"sqlite:///{sqlite_db}", {"statement_timeout_s": 0.3},
                       file_roots=str(sqlite_db.parent))
    slow = ("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) "
            "SELECT count(*) FROM n")
    started = time.monotonic()
    with pytest.raises(ReaderError, match="interrupted"):
        reader.read({"query": slow})
    assert time.monotonic() - started < 10


def test_sqlite_sql_error_names_source_and_cause(sqlite_db: Path) -> None:
    reader = SqlReader(f"sqlite:///{sqlite_db}", {}, file_roots=str(sqlite_db.parent))
    with pytest.raises(ReaderError) as caught:
        reader.read({"query": "SELECT khong_co FROM truong"})
    assert str(caught.value).startswith(f"sqlite:///{sqlite_db}: OperationalError")
    assert "khong_co" in caught.value.cause


# -- PostgreSQL -----------------------------------------------------------------------

def _pg(source: PgSource, **config: object) -> SqlReader:
    return SqlReader(source.url, {"password_env": source.password_env, **config},
                     env=source.env, allowed_hosts=source.host)


def test_pg_reads_typed_rows(pg_source: PgSource) -> None:
    reader = _pg(pg_source)
    with reader.read({"query": "SELECT * FROM truong_hoc ORDER BY ma_xa"}) as table:
        assert [(c.name, c.type) for c in table.columns] == [
            ("ma_xa", "int"), ("ten_xa", "text"), ("so_truong", "int"),
            ("ty_le", "numeric"), ("diem", "float"), ("ngay_bao_cao", "date"),
            ("cap_nhat", "timestamp"), ("hoat_dong", "bool"), ("ghi_chu", "text")]
        rows = [row for batch in table for row in batch]
    assert rows[0] == (20194, "Hải Vân", 5, Decimal("98.50"), 7.25, dt.date(2024, 9, 15),
                       dt.datetime(2024, 9, 15, 8, 30), True, '{"a": 1}')
    assert rows[2][3:] == (None,) * 6


def test_pg_statement_timeout_fires(pg_source: PgSource) -> None:
    reader = _pg(pg_source, statement_timeout_s=0.5)
    started = time.monotonic()
    with pytest.raises(ReaderError, match="statement timeout"):
        reader.read({"query": "SELECT pg_sleep(5)"})
    assert time.monotonic() - started < 4


def test_pg_spec_timeout_overrides_source(pg_source: PgSource) -> None:
    reader = _pg(pg_source, statement_timeout_s=60)
    with pytest.raises(ReaderError, match="statement timeout"):
        reader.read({"query": "SELECT pg_sleep(5)", "statement_timeout_s": 0.3})


def test_pg_write_through_function_is_refused(pg_source: PgSource) -> None:
    """The role may INSERT into nhat_ky; only the read-only transaction stops it."""
    reader = _pg(pg_source)
    assert reader.validate_spec({"query": "SELECT ghi_nhat_ky()"}) == {}
    with pytest.raises(ReaderError, match="read-only transaction"):
        reader.read({"query": "SELECT ghi_nhat_ky()"})
    with pg_source.admin.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM nhat_ky").scalar() == 0


def test_pg_streams_with_server_side_cursor_and_bounded_memory(pg_source: PgSource) -> None:
    reader = _pg(pg_source)
    query = "SELECT g AS so, repeat('x', 500) AS ghi_chu FROM generate_series(1, 60000) g"
    fetch_seen = False
    tracemalloc.start()
    try:
        with reader.read({"query": query}, batch_size=1000) as table:
            total = 0
            for number, batch in enumerate(table.batches()):
                assert len(batch) <= 1000
                total += len(batch)
                if number == 5:
                    with pg_source.admin.connect() as conn:
                        fetch_seen = bool(conn.exec_driver_sql(
                            "SELECT count(*) FROM pg_stat_activity WHERE usename = %s "
                            "AND query LIKE 'FETCH FORWARD 1000%%'", (pg_source.role,)).scalar())
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert total == 60000
    assert fetch_seen, "rows were not fetched from a server-side cursor"
    assert peak < 8 * 1024 * 1024, f"peak {peak} bytes for ~30 MB of rows"


def test_pg_missing_password_variable_names_it(pg_source: PgSource) -> None:
    reader = SqlReader(pg_source.url, {"password_env": "DN_SYT_DB_PASSWORD"}, env={},
                       allowed_hosts=pg_source.host)
    with pytest.raises(ReaderError, match="DN_SYT_DB_PASSWORD"):
        reader.read({"query": "SELECT 1"})


def test_pg_wrong_password_never_leaks(pg_source: PgSource) -> None:
    if not pg_source.checks_password:
        pytest.skip("this PostgreSQL cluster trusts TCP logins, so a wrong password "
                    "cannot fail authentication")
    wrong = "Sai-Mat-Khau-" + pg_source.password
    reader = SqlReader(pg_source.url, {"password_env": "P"}, env={"P": wrong},
                       allowed_hosts=pg_source.host)
    with pytest.raises(ReaderError) as caught:
        reader.read({"query": "SELECT 1"})
    assert "authentication failed" in str(caught.value)
    for text in (str(caught.value), repr(caught.value), repr(reader)):
        assert wrong not in text and pg_source.password not in text
    assert caught.value.source == pg_source.url


def test_pg_error_does_not_echo_values(pg_source: PgSource) -> None:
    reader = _pg(pg_source)
    with pytest.raises(ReaderError) as caught:
        reader.read({"query": "SELECT ten_xa::int FROM truong_hoc"})
    assert "Hải Vân" not in str(caught.value)
    assert "22P02" in str(caught.value)


def test_pg_unlisted_host_is_refused_before_connecting(pg_source: PgSource) -> None:
    url = pg_source.url.replace(f"@{pg_source.host}:", "@127.0.0.2:")
    reader = SqlReader(url, {"password_env": pg_source.password_env}, env=pg_source.env,
                       allowed_hosts=pg_source.host)
    with pytest.raises(ReaderError, match="refused by the network guard"):
        reader.read({"query": "SELECT 1"})


def test_pg_connection_refused_names_source(pg_source: PgSource) -> None:
    from .conftest import free_port
    url = f"postgresql+psycopg2://nobody@127.0.0.1:{free_port()}/x"
    reader = SqlReader(url, {"connect_timeout_s": 2}, allowed_hosts="127.0.0.1")
    with pytest.raises(ReaderError) as caught:
        reader.read({"query": "SELECT 1"})
    assert caught.value.source == url and "OperationalError" in caught.value.cause


# -- MariaDB --------------------------------------------------------------------------

def _maria(source: MariaSource, **config: object) -> SqlReader:
    return SqlReader(source.url, {"password_env": "SC_TEST_MARIA_PASSWORD", **config},
                     env=source.env, allowed_hosts="127.0.0.1")


def test_mariadb_reads_typed_rows(maria_source: MariaSource) -> None:
    with _maria(maria_source).read({"query": "SELECT * FROM co_so ORDER BY ma_xa"}) as table:
        assert [c.type for c in table.columns] == ["int", "text", "int", "numeric", "date"]
        rows = [row for batch in table for row in batch]
    assert rows[0] == (20194, "Trạm y tế Hải Vân", 12, Decimal("91.50"), dt.date(2024, 1, 31))


def test_mariadb_write_through_function_is_refused(maria_source: MariaSource) -> None:
    with pytest.raises(ReaderError, match="(?i)read.only"):
        _maria(maria_source).read({"query": "SELECT ghi_nhat_ky()"})


def test_mariadb_statement_timeout_fires(maria_source: MariaSource) -> None:
    reader = _maria(maria_source, statement_timeout_s=0.5)
    started = time.monotonic()
    with pytest.raises(ReaderError, match="max_statement_time"):
        reader.read({"query": "SELECT SLEEP(5) AS ngu, 1 AS x FROM co_so"})
    assert time.monotonic() - started < 4


def test_engine_is_not_reused_after_close(pg_source: PgSource) -> None:
    """Closing the table returns the connection: the role has no session left."""
    table = _pg(pg_source).read({"query": "SELECT 1 AS x"})
    table.close()
    with pg_source.admin.connect() as conn:
        left = conn.execute(sa.text("SELECT count(*) FROM pg_stat_activity "
                                    "WHERE usename = :r"), {"r": pg_source.role}).scalar()
    assert left == 0
