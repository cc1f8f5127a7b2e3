"""Sở Y tế — synthetic health statistics REST API for the demo (stdlib only).

    python demo/health_api.py --port 8765 --token-env DN_SYT_API_TOKEN

Binds 127.0.0.1 only. Every ``/api/`` request needs ``Authorization: Bearer <token>``
(the token is read from the named environment variable, never from the command line).
Collections page with ``offset``/``limit`` and answer
``{"data": {"items": [...], "total": N, "offset": o, "limit": l}}``.

Endpoints: ``GET /healthz`` (no auth), ``GET /api/v1/facilities``,
``GET /api/v1/cases/monthly`` (optional filters ``thang``, ``ma_xa``, ``chuong_icd10``).
"""
from __future__ import annotations

import argparse
import hmac
import json
import os
import sys
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

from departments import SEED, health  # noqa: E402

HOST = "127.0.0.1"
DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
FILTERS = {"/api/v1/cases/monthly": ("thang", "ma_xa", "chuong_icd10"),
           "/api/v1/facilities": ("ma_xa", "loai_co_so")}


class HealthApi(ThreadingHTTPServer):
    """The server: holds the token and the generated collections (read-only)."""

    daemon_threads = True

    def __init__(self, port: int, token: str, seed: int = SEED, quiet: bool = False) -> None:
        if not token:
            raise ValueError("an API token is required")
        self.token = token.encode("utf-8")
        self.quiet = quiet
        self.collections: dict[str, list[dict[str, Any]]] = {
            "/api/v1/facilities": health.facilities(seed),
            "/api/v1/cases/monthly": health.monthly_cases(seed),
        }
        super().__init__((HOST, port), Handler)

    @property
    def port(self) -> int:
        """The bound port (useful with ``port=0``)."""
        return int(self.server_address[1])


class Handler(BaseHTTPRequestHandler):
    """GET-only JSON handler."""

    server: HealthApi
    server_version = "SoYTe-ThongKe/1.0"

    def do_GET(self) -> None:  # noqa: N802 (http.server naming)
        url = urlsplit(self.path)
        path = url.path.rstrip("/") or "/"
        if path == "/healthz":
            return self._send(HTTPStatus.OK, {"status": "ok"})
        if not path.startswith("/api/"):
            return self._error(HTTPStatus.NOT_FOUND, "not_found", "Không tìm thấy / Not found")
        if not self._authorized():
            return self._error(HTTPStatus.UNAUTHORIZED, "unauthorized",
                               "Thiếu hoặc sai mã truy cập / Missing or invalid bearer token")
        if path == "/api/v1":
            return self._send(HTTPStatus.OK, {"data": {"endpoints": sorted(FILTERS)}})
        rows = self.server.collections.get(path)
        if rows is None:
            return self._error(HTTPStatus.NOT_FOUND, "not_found", "Không tìm thấy / Not found")
        query = parse_qs(url.query)
        try:
            offset = _int_param(query, "offset", 0, 0, None)
            limit = _int_param(query, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT)
        except ValueError as exc:
            return self._error(HTTPStatus.BAD_REQUEST, "bad_request", str(exc))
        for key in FILTERS[path]:
            if key in query:
                wanted = query[key][-1]
                rows = [r for r in rows if str(r[key]) == wanted]
        self._send(HTTPStatus.OK, {"data": {"items": rows[offset:offset + limit],
                                            "total": len(rows), "offset": offset,
                                            "limit": limit}})

    def do_POST(self) -> None:  # noqa: N802
        self._error(HTTPStatus.METHOD_NOT_ALLOWED, "method_not_allowed", "GET only")

    do_PUT = do_DELETE = do_PATCH = do_POST

    def _authorized(self) -> bool:
        header = self.headers.get("Authorization", "")
        scheme, _, token = header.partition(" ")
        return scheme.lower() == "bearer" and hmac.compare_digest(
            token.strip().encode("utf-8"), self.server.token)

    def _error(self, status: HTTPStatus, code: str, message: str) -> None:
        extra = {"WWW-Authenticate": 'Bearer realm="so-y-te"'} \
            if status == HTTPStatus.UNAUTHORIZED else {}
        self._send(status, {"error": {"code": code, "message": message}}, extra)

    def _send(self, status: HTTPStatus, body: dict, headers: dict[str, str] | None = None) -> None:
        payload = json.dumps(body, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        if not self.server.quiet:  # never logs headers, so never the token
            sys.stderr.write(f"{self.address_string()} {format % args}\n")


def _int_param(query: dict[str, list[str]], name: str, default: int, low: int,
               high: int | None) -> int:
    raw = query.get(name, [None])[-1]
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ValueError(f"'{name}' phải là số nguyên / must be an integer") from None
    if value < low or (high is not None and value > high):
        bound = f"{low}..{high}" if high is not None else f">= {low}"
        raise ValueError(f"'{name}' ngoài khoảng / out of range {bound}")
    return value


def main(argv: list[str] | None = None) -> int:
    """Run the API until interrupted."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0, help="TCP port on 127.0.0.1 (0: any free)")
    parser.add_argument("--token-env", default="DN_SYT_API_TOKEN",
                        help="environment variable holding the bearer token")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--port-file", help="write the bound port to this file once listening")
    parser.add_argument("--quiet", action="store_true", help="no access log")
    args = parser.parse_args(argv)
    token = os.environ.get(args.token_env, "")
    if not token:
        parser.error(f"environment variable {args.token_env} is empty or unset")
    server = HealthApi(args.port, token, args.seed, args.quiet)
    if args.port_file:
        Path(args.port_file).write_text(f"{server.port}\n", encoding="utf-8")
    print(f"health API listening on http://{HOST}:{server.port}/", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
