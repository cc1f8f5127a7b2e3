"""A departmental web server on a loopback address that serves files the test puts in it.

Tests that link a resource to a table by URL need it: the privacy gate fetches every newly
linked CSV/XLSX/XLSM (see ckanext/smartcity/logic/write_checks.py), so the URL must really answer.

    with FileServer() as files:                   # 127.0.0.1, a free port
        files.put("co-so.csv", b"ma_xa,so_co_so\\r\\n20194,12\\r\\n")
        url = files.url("co-so.csv")              # http://127.0.0.1:PORT/files/co-so.csv
        files.requests                            # paths asked for, in order
    FileServer(host="127.0.0.2")                  # another loopback address
    files.delay = 3.0                             # answer after 3 s
    files.chunked = True                          # no Content-Length, body in chunks
"""
from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

__all__ = ["FileServer"]


class FileServer:
    """Serves ``put`` files under ``/files/``; anything else is 404."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.files: dict[str, bytes] = {}
        self.requests: list[str] = []
        self.delay = 0.0
        self.chunked = False
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802
                path = urlsplit(self.path).path
                server.requests.append(path)
                if server.delay:
                    time.sleep(server.delay)
                body = server.files.get(path.removeprefix("/files/"))
                if body is None:
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", "text/csv; charset=utf-8")
                if server.chunked:
                    self.send_header("Transfer-Encoding", "chunked")
                    self.end_headers()
                    for start in range(0, len(body), 1024):
                        part = body[start:start + 1024]
                        self.wfile.write(f"{len(part):x}\r\n".encode() + part + b"\r\n")
                    self.wfile.write(b"0\r\n\r\n")
                else:
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer((host, 0), Handler)
        self.httpd.daemon_threads = True
        self.base = f"http://{host}:{self.httpd.server_port}"
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self._thread.start()

    def put(self, name: str, body: bytes | str) -> str:
        """Serve ``body`` (str is written as UTF-8 with a BOM) as ``name``; return its URL."""
        self.files[name] = body.encode("utf-8-sig") if isinstance(body, str) else body
        return self.url(name)

    def url(self, name: str) -> str:
        return f"{self.base}/files/{name}"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def __enter__(self) -> "FileServer":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
