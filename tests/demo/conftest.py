"""Fixtures for the demo departments' tests (no CKAN needed).

PostgreSQL: ``SMARTCITY_TEST_PG_ADMIN_URL`` (superuser URL) if set, else a throwaway
PostgreSQL 15 cluster created with ``initdb`` (as the ``postgres`` user when running as
root) in a temporary folder, on a free port of 127.0.0.1; tests needing it are skipped
with the reason when neither is possible. Database and role names get a per-run
prefix and are dropped afterwards, so a shared cluster is left as it was.
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

DEMO = Path(__file__).resolve().parents[2] / "demo"
if str(DEMO) not in sys.path:
    sys.path.insert(0, str(DEMO))

PG_BIN = Path("/usr/lib/postgresql/15/bin")


def free_port() -> int:
    """A currently free TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _as_postgres(cmd: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *cmd]
    return cmd


@pytest.fixture(scope="session")
def pg_admin_url() -> Iterator[str]:
    """Superuser URL of a real PostgreSQL (the runner's, or a throwaway cluster)."""
    url = os.environ.get("SMARTCITY_TEST_PG_ADMIN_URL")
    if url:
        yield url
        return
    if not (PG_BIN / "initdb").exists():
        pytest.skip("no SMARTCITY_TEST_PG_ADMIN_URL and no PostgreSQL 15 binaries to make one")
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        pytest.skip("running as root without runuser: cannot start a throwaway PostgreSQL")
    folder = Path(tempfile.mkdtemp(prefix="smartcity-demo-pg-"))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
    data, port = folder / "data", free_port()
    try:
        subprocess.run(_as_postgres([str(PG_BIN / "initdb"), "-D", str(data), "-U", "postgres",
                                     "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8"]),
                       check=True, capture_output=True)
        hba = data / "pg_hba.conf"
        # Reader roles must authenticate with their password; the superuser is trusted.
        text = hba.read_text()
        readers = ",".join(f"{prefix}dn_{kind}_reader" for prefix in ("", f"t{os.getpid()}_")
                           for kind in ("population", "enterprise"))
        hba.write_text(f"host all {readers} 127.0.0.1/32 scram-sha-256\n" + text)
        subprocess.run(_as_postgres([
            str(PG_BIN / "pg_ctl"), "-D", str(data), "-w", "-l", str(folder / "log"),
            "-o", f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off",
            "start"]), check=True, capture_output=True)
    except (subprocess.CalledProcessError, OSError) as exc:
        shutil.rmtree(folder, ignore_errors=True)
        pytest.skip(f"could not start a throwaway PostgreSQL: {exc}")
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(_as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(data), "-m",
                                     "immediate", "stop"]), capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def db_prefix() -> str:
    """Per-run prefix for database and role names (``t<pid>_``)."""
    return f"t{os.getpid()}_"


@pytest.fixture
def health_server() -> Iterator[tuple[str, str]]:
    """The health API on a free port of 127.0.0.1 in a thread: (base URL, token)."""
    from health_api import HealthApi

    token = "kiem-thu-" + os.urandom(8).hex()
    server = HealthApi(0, token, quiet=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.port}", token
    finally:
        server.shutdown()
        server.server_close()
