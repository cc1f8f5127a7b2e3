"""Fixtures of the quality tests: datasets crafted through package_create with the real
schemas (tests/search/builders.py) and a loopback server whose answer the test controls."""
from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


class LinkServer:
    """A departmental web server on 127.0.0.1: answers 200, 404, or nothing for a while."""

    def __init__(self) -> None:
        self.mode = "ok"
        self.hits = 0
        self.delay = 3.0
        server = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self, body: bool) -> None:
                server.hits += 1
                if server.mode == "slow":
                    time.sleep(server.delay)
                status = 404 if server.mode == "missing" else 200
                self.send_response(status)
                self.send_header("Content-Type", "text/csv")
                self.send_header("Content-Length", "8")
                self.end_headers()
                if body:
                    self.wfile.write(b"ma_xa,n\n")

            def do_HEAD(self) -> None:  # noqa: N802
                self._answer(False)

            def do_GET(self) -> None:  # noqa: N802
                self._answer(True)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_port}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def url(self, name: str) -> str:
        return f"{self.base}/files/{name}"


@pytest.fixture
def link_server() -> Iterator[LinkServer]:
    server = LinkServer()
    yield server
    server.httpd.shutdown()
    server.httpd.server_close()


@pytest.fixture
def city(with_plugins, build, clean_db, clean_index):
    """A sysadmin and two departments (Health with a contact address, Education)."""
    admin = build.sysadmin()
    health = build.department(admin)
    education = build.department(admin, name="so-giao-duc-dao-tao",
                                 title="Sở Giáo dục và Đào tạo", code="SGDDT")
    return {"admin": admin, "health": health, "education": education}
