"""ApiReader against a real HTTP server on 127.0.0.1."""
from __future__ import annotations

import json
import time
from typing import Any
from urllib.parse import parse_qs

import pytest

from ckanext.smartcity.readers import ApiReader, ReaderError

from .conftest import LocalServer, Request

FACILITIES = [
    {"ma_xa": 20194 + i, "ten": f"Trạm y tế số {i}", "so_giuong": 5 + i, "ty_le": 0.5 + i,
     "hoat_dong": i % 2 == 0, "ngay_cap_nhat": "2024-06-30", "vi_tri": {"lat": 16.0, "lon": 108.2}}
    for i in range(23)
]


def reader(server: LocalServer, **config: Any) -> ApiReader:
    return ApiReader(server.url + "/api", {"backoff_s": 0.01, **config},
                     allowed_hosts="127.0.0.1")


def rows_of(api: ApiReader, spec: dict[str, Any], batch_size: int = 5000) -> list[tuple]:
    with api.read(spec, batch_size=batch_size) as table:
        return [row for batch in table.batches() for row in batch]


def paged(param: str, size_param: str, start: int = 1) -> Any:
    def handler(request: Request) -> tuple[int, dict[str, str], bytes]:
        query = parse_qs(request.query)
        page, size = int(query[param][0]), int(query[size_param][0])
        items = FACILITIES[(page - start) * size:(page - start + 1) * size]
        return 200, {"Content-Type": "application/json"}, json.dumps(
            {"data": {"items": items, "page": page}}).encode()
    return handler


def test_single_request_columns_types_and_nested_json(http_server: LocalServer) -> None:
    http_server.json("/api/v1/facilities", {"data": {"items": FACILITIES[:3]}})
    api = reader(http_server)
    with api.read({"path": "/v1/facilities", "records_path": "data.items"}) as table:
        assert [(c.name, c.type) for c in table.columns] == [
            ("ma_xa", "int"), ("ten", "text"), ("so_giuong", "int"), ("ty_le", "float"),
            ("hoat_dong", "bool"), ("ngay_cap_nhat", "date"), ("vi_tri", "text")]
        rows = [r for b in table for r in b]
    assert rows[0][1] == "Trạm y tế số 0"
    assert json.loads(rows[0][6]) == {"lat": 16.0, "lon": 108.2}
    assert str(rows[0][5]) == "2024-06-30"


def test_page_pagination_reads_every_page(http_server: LocalServer) -> None:
    http_server.routes["/api/v1/facilities"] = paged("trang", "so_dong")
    spec = {"path": "v1/facilities", "records_path": "data.items",
            "pagination": {"type": "page", "param": "trang", "size_param": "so_dong", "size": 10}}
    rows = rows_of(reader(http_server), spec, batch_size=7)
    assert [r[0] for r in rows] == [f["ma_xa"] for f in FACILITIES]
    assert len(http_server.seen) == 3  # 10 + 10 + 3 (short page stops)


def test_offset_pagination(http_server: LocalServer) -> None:
    def handler(request: Request) -> tuple[int, dict[str, str], bytes]:
        query = parse_qs(request.query)
        offset, limit = int(query["offset"][0]), int(query["limit"][0])
        return 200, {"Content-Type": "application/json"}, json.dumps(
            FACILITIES[offset:offset + limit]).encode()
    http_server.routes["/api/items"] = handler
    spec = {"path": "/items", "pagination": {"type": "offset", "offset_param": "offset",
                                             "limit_param": "limit", "size": 23}}
    rows = rows_of(reader(http_server), spec)
    assert len(rows) == 23 and len(http_server.seen) == 2  # full page, then an empty one


def test_next_link_pagination_relative_and_absolute(http_server: LocalServer) -> None:
    http_server.json("/api/p1", {"items": FACILITIES[:2], "links": {"next": "p2?x=1"}})
    http_server.json("/api/p2", {"items": FACILITIES[2:4],
                                 "links": {"next": f"{http_server.url}/api/p3"}})
    http_server.json("/api/p3", {"items": FACILITIES[4:5], "links": {"next": None}})
    spec = {"path": "/p1", "records_path": "items",
            "pagination": {"type": "next_link", "path": "links.next"}}
    assert len(rows_of(reader(http_server), spec)) == 5
    assert [r.path for r in http_server.seen] == ["/api/p1", "/api/p2", "/api/p3"]


def test_next_link_to_unlisted_host_is_refused(http_server: LocalServer) -> None:
    port = http_server.url.rsplit(":", 1)[1]
    http_server.json("/api/p1", {"items": FACILITIES[:2],
                                 "next": f"http://127.0.0.2:{port}/api/p2"})
    http_server.json("/api/p2", {"items": FACILITIES[2:4]})
    spec = {"path": "/p1", "records_path": "items",
            "pagination": {"type": "next_link", "path": "next"}}
    with pytest.raises(ReaderError, match="refused by the network guard"):
        rows_of(reader(http_server), spec)
    assert [r.path for r in http_server.seen] == ["/api/p1"]


def test_redirect_to_unlisted_host_is_refused(http_server: LocalServer) -> None:
    port = http_server.url.rsplit(":", 1)[1]
    http_server.routes["/api/x"] = lambda r: (302, {"Location": f"http://127.0.0.2:{port}/y"}, b"")
    with pytest.raises(ReaderError, match="127.0.0.2"):
        reader(http_server).read({"path": "x"})


def test_token_is_sent_only_to_the_source_origin(http_server: LocalServer) -> None:
    http_server.json("/api/p1", {"items": FACILITIES[:1],
                                 "next": http_server.url.replace("127.0.0.1", "localhost")
                                 + "/api/p2"})
    http_server.json("/api/p2", {"items": FACILITIES[1:2]})
    api = ApiReader(http_server.url + "/api", {"token_env": "DN_SYT_API_TOKEN"},
                    env={"DN_SYT_API_TOKEN": "tok-bi-mat-123"},
                    allowed_hosts="127.0.0.1 localhost")
    spec = {"path": "p1", "records_path": "items",
            "pagination": {"type": "next_link", "path": "next"}}
    assert len(rows_of(api, spec)) == 2
    assert http_server.seen[0].headers.get("Authorization") == "Bearer tok-bi-mat-123"
    assert "Authorization" not in http_server.seen[1].headers
    assert "tok-bi-mat-123" not in repr(api)


def test_missing_token_variable_is_named(http_server: LocalServer) -> None:
    api = ApiReader(http_server.url, {"token_env": "DN_SYT_API_TOKEN"}, env={},
                    allowed_hosts="127.0.0.1")
    with pytest.raises(ReaderError, match="DN_SYT_API_TOKEN"):
        api.read({"path": "x"})
    assert http_server.seen == []


def test_retries_5xx_and_429_then_succeeds(http_server: LocalServer) -> None:
    answers = iter([(503, {}, b"busy"), (429, {"Retry-After": "0"}, b""),
                    (200, {"Content-Type": "application/json"}, json.dumps(FACILITIES[:2]).encode())])
    http_server.routes["/api/x"] = lambda r: next(answers)
    assert len(rows_of(reader(http_server), {"path": "x"})) == 2
    assert len(http_server.seen) == 3


def test_retry_after_is_honoured_and_capped(http_server: LocalServer) -> None:
    answers = iter([(429, {"Retry-After": "1"}, b""), (429, {"Retry-After": "3600"}, b""),
                    (200, {}, json.dumps(FACILITIES[:1]).encode())])
    http_server.routes["/api/x"] = lambda r: next(answers)
    api = reader(http_server)
    started = time.monotonic()
    from ckanext.smartcity.readers.transport import HttpClient
    original = HttpClient.retry_after_cap_s
    HttpClient.retry_after_cap_s = 1.5
    try:
        rows_of(api, {"path": "x"})
    finally:
        HttpClient.retry_after_cap_s = original
    elapsed = time.monotonic() - started
    assert 2.4 <= elapsed < 5, elapsed  # 1 s + the 3600 s capped to 1.5 s


def test_gives_up_after_max_retries(http_server: LocalServer) -> None:
    http_server.routes["/api/x"] = lambda r: (502, {}, b"<html>Bad gateway</html>")
    with pytest.raises(ReaderError, match=r"HTTP 502 .* after 3 attempts"):
        reader(http_server, max_retries=2).read({"path": "x"})
    assert len(http_server.seen) == 3


def test_connection_refused_is_retried_then_reported() -> None:
    from .conftest import free_port
    api = ApiReader(f"http://127.0.0.1:{free_port()}", {"max_retries": 1, "backoff_s": 0.01},
                    allowed_hosts="127.0.0.1")
    with pytest.raises(ReaderError, match="connection failed after 2 attempts"):
        api.read({"path": "x"})


def test_read_timeout(http_server: LocalServer) -> None:
    def slow(request: Request) -> tuple[int, dict[str, str], bytes]:
        time.sleep(1.5)
        return 200, {}, b"[]"
    http_server.routes["/api/x"] = slow
    with pytest.raises(ReaderError, match="read timeout after 1 attempt"):
        reader(http_server, timeout_s=0.3, max_retries=0).read({"path": "x"})


@pytest.mark.parametrize("status", [400, 401, 403, 404])
def test_4xx_fails_at_once(http_server: LocalServer, status: int) -> None:
    http_server.routes["/api/x"] = lambda r: (status, {}, b"{}")
    with pytest.raises(ReaderError, match=f"HTTP {status}"):
        reader(http_server).read({"path": "x"})
    assert len(http_server.seen) == 1


def test_html_error_page_is_not_json(http_server: LocalServer) -> None:
    http_server.routes["/api/x"] = lambda r: (
        200, {"Content-Type": "text/html; charset=utf-8"}, b"<html>B\xe1\xba\xa3o tr\xc3\xac</html>")
    with pytest.raises(ReaderError) as caught:
        reader(http_server).read({"path": "x"})
    assert "not JSON (text/html)" in str(caught.value) and "html>" not in str(caught.value)


def test_wrong_records_path_names_the_missing_segment(http_server: LocalServer) -> None:
    http_server.json("/api/x", {"data": {"rows": FACILITIES[:1]}})
    with pytest.raises(ReaderError, match="segment 'items' is missing under 'data'"):
        reader(http_server).read({"path": "x", "records_path": "data.items"})


def test_records_not_a_list(http_server: LocalServer) -> None:
    http_server.json("/api/x", {"data": {"count": 3}})
    with pytest.raises(ReaderError, match="is a dict, not a list"):
        reader(http_server).read({"path": "x", "records_path": "data"})


def test_empty_first_page_needs_declared_columns(http_server: LocalServer) -> None:
    http_server.json("/api/x", {"items": []})
    with pytest.raises(ReaderError, match="no records.*declare 'columns'"):
        reader(http_server).read({"path": "x", "records_path": "items"})
    spec = {"path": "x", "records_path": "items",
            "columns": ["ma_xa", {"id": "so_giuong", "type": "int"}]}
    with reader(http_server).read(spec) as table:
        assert [(c.name, c.type) for c in table.columns] == [("ma_xa", "text"),
                                                             ("so_giuong", "int")]
        assert list(table.batches()) == []


def test_max_pages_stops_an_endless_api(http_server: LocalServer) -> None:
    http_server.json("/api/x", {"items": FACILITIES[:1], "next": "x"})
    spec = {"path": "x", "records_path": "items", "pagination": {"type": "next_link",
                                                                  "path": "next"}}
    with pytest.raises(ReaderError, match=r"max_pages \(4\)"):
        rows_of(reader(http_server, max_pages=4), spec)
    assert len(http_server.seen) == 4


def test_response_larger_than_max_bytes(http_server: LocalServer) -> None:
    http_server.json("/api/x", FACILITIES)
    with pytest.raises(ReaderError, match=r"exceeds max_bytes \(1000\)"):
        reader(http_server, max_bytes=1000).read({"path": "x"})


def test_later_unknown_key_and_type_mismatch_are_errors(http_server: LocalServer) -> None:
    http_server.json("/api/p1", {"items": [{"a": 1}], "next": "p2"})
    http_server.json("/api/p2", {"items": [{"a": 2, "moi": "x"}], "next": "p3"})
    http_server.json("/api/p3", {"items": [{"a": "không phải số"}]})
    spec = {"path": "p1", "records_path": "items",
            "pagination": {"type": "next_link", "path": "next"}}
    with pytest.raises(ReaderError, match="record 1 on page 2 has key 'moi'"):
        rows_of(reader(http_server), spec)
    http_server.json("/api/p2", {"items": [{"a": 2}], "next": "p3"})
    with pytest.raises(ReaderError) as caught:
        rows_of(reader(http_server), spec)
    assert "page 3: column 'a' does not fit type int" in str(caught.value)
    assert "không phải số" not in str(caught.value)


@pytest.mark.parametrize("spec, key", [
    ({}, "path"),
    ({"path": "http://127.0.0.2/x"}, "path"),
    ({"path": "//127.0.0.2/x"}, "path"),
    ({"path": "x", "records_path": ["data"]}, "records_path"),
    ({"path": "x", "pagination": {"type": "cursor"}}, "pagination"),
    ({"path": "x", "pagination": {"type": "page", "param": "p", "size": 10}}, "pagination"),
    ({"path": "x", "pagination": {"type": "offset", "offset_param": "o", "limit_param": "l",
                                  "size": 0}}, "pagination"),
    ({"path": "x", "pagination": {"type": "next_link"}}, "pagination"),
    ({"path": "x", "pagination": {"type": "next_link", "path": "n", "size": 3}}, "pagination"),
])
def test_validate_spec(spec: dict[str, Any], key: str) -> None:
    assert key in ApiReader("http://127.0.0.1", {}).validate_spec(spec)


def test_validate_spec_accepts_the_documented_forms() -> None:
    api = ApiReader("http://127.0.0.1", {})
    assert api.validate_spec({"path": "/api/v1/facilities", "records_path": "data.items",
                              "pagination": {"type": "offset", "offset_param": "offset",
                                             "limit_param": "limit", "size": 500}}) == {}
    assert api.validate_spec({"path": "x", "pagination": {
        "type": "page", "param": "p", "size_param": "s", "size": 5, "start": 0}}) == {}


def test_validate_source_refuses_credentials_in_headers() -> None:
    api = ApiReader("http://127.0.0.1", {"headers": {"Authorization": "Bearer x"}})
    assert "token_env" in api.validate_source()["headers"]
