"""Real components for the reader tests: PostgreSQL, MariaDB and an HTTP server.

PostgreSQL: ``SMARTCITY_TEST_PG_ADMIN_URL`` (a superuser SQLAlchemy URL of the
project cluster) if set, else a throwaway PostgreSQL 15 cluster created here
(``initdb`` as the ``postgres`` user when running as root), listening on 127.0.0.1
and a unix socket in its temporary folder. MariaDB: a throwaway ``mariadbd`` on
127.0.0.1 when it is installed. The HTTP server is ``http.server`` in a thread on
127.0.0.1. Nothing here talks to anything but loopback.
"""
from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from department_db import new_department_database

PG_BIN = Path("/usr/lib/postgresql/15/bin")
FILES = Path(__file__).resolve().parent.parent / "data" / "files"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _as_user(user: str, argv: list[str]) -> list[str]:
    return ["runuser", "-u", user, "--", *argv] if os.geteuid() == 0 else argv


# -- PostgreSQL ---------------------------------------------------------------------

@pytest.fixture(scope="session")
def pg_admin_url() -> Iterator[str]:
    """A superuser URL: the project's cluster, or a throwaway one made here."""
    given = os.environ.get("SMARTCITY_TEST_PG_ADMIN_URL")
    if given:
        yield given
        return
    if not (PG_BIN / "initdb").exists():
        pytest.skip(f"PostgreSQL 15 binaries not found in {PG_BIN} and "
                    "SMARTCITY_TEST_PG_ADMIN_URL is not set")
    base = Path(tempfile.mkdtemp(prefix="sc-readers-pg-"))
    if os.geteuid() == 0:
        shutil.chown(base, "postgres", "postgres")
    data, port = base / "data", free_port()
    subprocess.run(_as_user("postgres", [
        str(PG_BIN / "initdb"), "-D", str(data), "-U", "postgres", "-E", "UTF8",
        "--locale=C", "--auth-local=trust", "--auth-host=scram-sha-256"]),
        check=True, capture_output=True)
    options = f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off"
    subprocess.run(_as_user("postgres", [
        str(PG_BIN / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(base / "log"),
        "-w", "start"]), check=True, capture_output=True)
    try:
        yield f"postgresql+psycopg2://postgres@/postgres?host={base}&port={port}"
    finally:
        subprocess.run(_as_user("postgres", [
            str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
            capture_output=True, check=False)
        shutil.rmtree(base, ignore_errors=True)


@dataclass
class PgSource:
    """A database with a read-only login role, as a department would provide it."""

    url: str                 # reader URL, no password
    host: str
    port: int
    password_env: str
    env: dict[str, str]
    password: str
    admin: sa.Engine
    database: str
    role: str
    checks_password: bool    # False when pg_hba trusts TCP logins (project cluster)


def _checks_password(url: str) -> bool:
    """Whether a login without the password is refused by the cluster."""
    engine = sa.create_engine(url)
    try:
        with engine.connect():
            return False
    except sa.exc.OperationalError:
        return True
    finally:
        engine.dispose()


PG_SETUP = """
CREATE TABLE truong_hoc (
    ma_xa int, ten_xa text, so_truong int, ty_le numeric(5,2), diem float8,
    ngay_bao_cao date, cap_nhat timestamp, hoat_dong bool, ghi_chu jsonb);
INSERT INTO truong_hoc VALUES
    (20194, 'Hải Vân', 5, 98.50, 7.25, '2024-09-15', '2024-09-15 08:30', true, '{"a": 1}'),
    (20197, 'Liên Chiểu', 7, 97.10, 6.5, '2024-09-16', '2024-09-16 09:00', false, NULL),
    (20200, 'Hòa Khánh', 9, NULL, NULL, NULL, NULL, NULL, NULL);
CREATE TABLE nhat_ky (id serial, ghi_chu text);
CREATE FUNCTION ghi_nhat_ky() RETURNS int LANGUAGE sql AS
    $$ INSERT INTO nhat_ky (ghi_chu) VALUES ('x') RETURNING id $$;
GRANT SELECT ON truong_hoc TO {role};
GRANT SELECT, INSERT ON nhat_ky TO {role};
GRANT USAGE ON SEQUENCE nhat_ky_id_seq TO {role};
GRANT EXECUTE ON FUNCTION ghi_nhat_ky() TO {role};
"""


@pytest.fixture(scope="session")
def pg_source(pg_admin_url: str) -> Iterator[PgSource]:
    """A fresh database + login role with SELECT (and, on purpose, INSERT on nhat_ky)."""
    with new_department_database(pg_admin_url, "sc_readers") as new:
        database, role, password = new.database, new.role, new.password
        db_admin = sa.create_engine(new.admin_url, isolation_level="AUTOCOMMIT")
        with db_admin.connect() as conn:
            conn.exec_driver_sql(PG_SETUP.replace("{role}", role))
        host = new.admin_url.host or "127.0.0.1"
        port = int(new.admin_url.port or new.admin_url.query.get("port") or 5432)
        url = f"postgresql+psycopg2://{role}@{host}:{port}/{database}"
        try:
            try:
                socket.create_connection((host, port), timeout=2).close()
            except OSError:
                pytest.skip(f"the PostgreSQL cluster does not listen on TCP {host}:{port}; "
                            "the SQL reader refuses unix sockets")
            yield PgSource(url, host, port, "SC_TEST_PG_PASSWORD",
                           {"SC_TEST_PG_PASSWORD": password}, password, db_admin, database,
                           role, _checks_password(url))
        finally:
            db_admin.dispose()


# -- MariaDB ------------------------------------------------------------------------

@dataclass
class MariaSource:
    """A throwaway MariaDB server with a reader account."""

    url: str
    env: dict[str, str]
    admin: Callable[[str], None]


@pytest.fixture(scope="session")
def maria_source() -> Iterator[MariaSource]:
    """MariaDB on 127.0.0.1 with a tmp datadir (skipped when not installed)."""
    server, install = shutil.which("mariadbd") or "/usr/sbin/mariadbd", \
        shutil.which("mariadb-install-db")
    if not Path(server).exists() or install is None:
        pytest.skip("mariadbd / mariadb-install-db not installed (apt-get install mariadb-server)")
    pymysql = pytest.importorskip("pymysql", reason="PyMySQL not installed in the venv")
    base = Path(tempfile.mkdtemp(prefix="sc-readers-maria-"))
    user = "mysql" if os.geteuid() == 0 else os.environ.get("USER", "")
    if os.geteuid() == 0:
        shutil.chown(base, "mysql", "mysql")
    data, sock, port = base / "data", base / "mysqld.sock", free_port()
    subprocess.run([install, "--no-defaults", f"--datadir={data}", f"--user={user}",
                    "--auth-root-authentication-method=normal", "--skip-test-db"],
                   check=True, capture_output=True)
    process = subprocess.Popen(
        [server, "--no-defaults", f"--datadir={data}", f"--socket={sock}", f"--port={port}",
         "--bind-address=127.0.0.1", f"--user={user}", "--skip-name-resolve",
         f"--pid-file={base / 'mysqld.pid'}", f"--log-error={base / 'error.log'}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            if sock.exists():
                break
            time.sleep(0.1)

        def admin(sql: str) -> None:
            connection = pymysql.connect(unix_socket=str(sock), user="root", autocommit=True)
            try:
                with connection.cursor() as cursor:
                    cursor.execute(sql)
            finally:
                connection.close()

        password = "pw-" + secrets.token_urlsafe(12)
        for statement in [
            "CREATE DATABASE yte CHARACTER SET utf8mb4",
            ("CREATE TABLE yte.co_so (ma_xa INT, ten VARCHAR(100), so_giuong INT, "
             "ty_le DECIMAL(5,2), ngay DATE)"),
            ("INSERT INTO yte.co_so VALUES (20194, 'Trạm y tế Hải Vân', 12, 91.50, '2024-01-31'),"
             " (20197, 'Trạm y tế Liên Chiểu', 8, NULL, NULL)"),
            "CREATE TABLE yte.nhat_ky (id INT AUTO_INCREMENT PRIMARY KEY, ghi_chu TEXT)",
            ("CREATE FUNCTION yte.ghi_nhat_ky() RETURNS INT MODIFIES SQL DATA "
             "BEGIN INSERT INTO yte.nhat_ky (ghi_chu) VALUES ('x'); RETURN 1; END"),
            f"CREATE USER 'reader'@'127.0.0.1' IDENTIFIED BY '{password}'",
            "GRANT SELECT, INSERT, EXECUTE ON yte.* TO 'reader'@'127.0.0.1'",
        ]:
            admin(statement)
        yield MariaSource(f"mysql+pymysql://reader@127.0.0.1:{port}/yte?charset=utf8mb4",
                          {"SC_TEST_MARIA_PASSWORD": password}, admin)
    finally:
        process.terminate()
        process.wait(timeout=30)
        shutil.rmtree(base, ignore_errors=True)


# -- HTTP ---------------------------------------------------------------------------

Handler = Callable[["Request"], tuple[int, dict[str, str], bytes]]


@dataclass
class Request:
    """What the test server saw."""

    path: str
    query: str
    headers: dict[str, str]


@dataclass
class LocalServer:
    """http.server on 127.0.0.1 in a thread; tests register routes by path."""

    url: str
    routes: dict[str, Handler] = field(default_factory=dict)
    seen: list[Request] = field(default_factory=list)

    def json(self, path: str, body: Any, status: int = 200,
             headers: dict[str, str] | None = None) -> None:
        """Serve ``body`` as JSON at ``path``."""
        data = json.dumps(body, ensure_ascii=False).encode()
        self.routes[path] = lambda _req: (status, {"Content-Type": "application/json",
                                                   **(headers or {})}, data)


@pytest.fixture()
def http_server() -> Iterator[LocalServer]:
    """A fresh loopback HTTP server per test."""
    state: dict[str, LocalServer] = {}

    class _Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            server = state["server"]
            path, _, query = self.path.partition("?")
            request = Request(path, query, {k: v for k, v in self.headers.items()})
            server.seen.append(request)
            route = server.routes.get(path)
            status, headers, body = route(request) if route else (404, {}, b"not found")
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            return None

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    state["server"] = LocalServer(f"http://127.0.0.1:{httpd.server_address[1]}")
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield state["server"]
    finally:
        httpd.shutdown()
        httpd.server_close()
