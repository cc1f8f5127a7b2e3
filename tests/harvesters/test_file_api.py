"""The file-drop and JSON-API harvesters on real files and a real HTTP server."""
from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from .conftest import (DEFAULTS, PLUGINS, dataset, make_source, object_errors, rows,
                       run_job)

pytestmark = [pytest.mark.ckan_config("ckan.plugins", PLUGINS),
              pytest.mark.usefixtures("harvest_env")]

class Api:
    """A departmental JSON API on 127.0.0.1 whose answer the test controls."""

    def __init__(self) -> None:
        self.status, self.body = 200, b""
        api = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                self.send_response(api.status)
                self.send_header("Content-Type", "application/json" if api.status == 200
                                 else "text/html")
                self.end_headers()
                self.wfile.write(api.body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def answer(self, status: int, body: object) -> None:
        self.status = status
        self.body = body if isinstance(body, bytes) else json.dumps(body).encode()


@pytest.fixture
def api() -> Iterator[Api]:
    server = Api()
    yield server
    server.server.shutdown()
    server.server.server_close()


def test_file_drop_with_bom_is_published_and_a_bad_newer_file_keeps_it(
        sysadmin, org, drop_folder):
    text = "ma_xa,nam,loai_hinh,so_giuong\r\n20194,2026,Trạm y tế,40\r\n20197,2026,Bệnh viện,55\r\n"
    (drop_folder / "giuong_benh_2026.csv").write_bytes(text.encode("utf-8-sig"))
    config = json.dumps({"defaults": DEFAULTS, "datasets": [
        {"name": "giuong-benh", "dataset_type": "health", "title": "Giường bệnh",
         "file": "giuong_benh_*.csv"}]})
    source = make_source(sysadmin, org, drop_folder.as_uri(), config,
                         source_type="smartcity_file", name="syt-files")
    job = run_job(source["id"])
    assert job["stats"]["added"] == 1, object_errors(job["id"])
    resource = dataset("giuong-benh")["resources"][0]
    assert [(r["ma_xa"], r["loai_hinh"], r["so_giuong"]) for r in rows(resource["id"])] == [
        (20194, "Trạm y tế", 40), (20197, "Bệnh viện", 55)]
    before = dataset("giuong-benh")

    # a newer drop changes a column's type: the table is rebuilt, same resource
    (drop_folder / "giuong_benh_2027.csv").write_bytes(
        "ma_xa,nam,loai_hinh,so_giuong\r\n20194,2027,Trạm,40\r\n20197,2027,BV,nhiều\r\n"
        .encode("utf-8"))
    job = run_job(source["id"])
    assert job["stats"]["updated"] == 1, object_errors(job["id"])
    assert [r["so_giuong"] for r in rows(resource["id"])] == ["40", "nhiều"]
    assert dataset("giuong-benh")["temporal_start"] == "2027-01-01"
    before = dataset("giuong-benh")

    # then an empty file: refused, the published table stays
    (drop_folder / "giuong_benh_2028.csv").write_bytes(b"")
    job = run_job(source["id"])
    (message,) = object_errors(job["id"])
    assert "syt-files" in message or "CSDL Sở Y tế" in message
    assert dataset("giuong-benh")["metadata_modified"] == before["metadata_modified"]
    assert [r["so_giuong"] for r in rows(resource["id"])] == ["40", "nhiều"]


@pytest.mark.parametrize("status, body, cause", [
    (500, b"<html>Internal error</html>", "500"),
    (200, b"<html>not json</html>", "JSON"),
    (200, {"data": {"items": "oops"}}, "list"),
])
def test_api_source_failures_keep_what_is_published(sysadmin, org, api, status, body, cause):
    api.answer(200, {"data": {"items": [
        {"ma_xa": "20194", "nam": 2026, "so_co_so": 12},
        {"ma_xa": "20197", "nam": 2026, "so_co_so": 15}]}})
    config = json.dumps({"defaults": DEFAULTS, "max_retries": 0, "datasets": [
        {"name": "co-so-y-te-api", "dataset_type": "health", "title": "Cơ sở y tế (API)",
         "path": "/api/v1/facilities", "records_path": "data.items"}]})
    source = make_source(sysadmin, org, api.url, config, source_type="smartcity_api",
                         name="syt-api")
    job = run_job(source["id"])
    assert job["stats"]["added"] == 1, object_errors(job["id"])
    before = dataset("co-so-y-te-api")

    api.answer(status, body)
    job = run_job(source["id"])
    (message,) = object_errors(job["id"])
    # named by the source's title, in both languages, never by its URL
    assert api.url not in message and "127.0.0.1" not in message, message
    assert message.startswith("CSDL Sở Y tế: co-so-y-te-api: ") and "/" in message, message
    assert cause.lower() in message.lower(), message
    after = dataset("co-so-y-te-api")
    assert after["metadata_modified"] == before["metadata_modified"]
    assert [r["so_co_so"] for r in rows(after["resources"][0]["id"])] == [12, 15]
