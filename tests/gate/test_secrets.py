"""Secrets never reach an error, a log line or an API answer: tokens from the environment
are stripped and validated, `requests`' InvalidHeader (which repeats the header) is
re-worded, and a source config may only name non-secret headers."""
from __future__ import annotations

import logging

import pytest
from readers.conftest import LocalServer, http_server  # noqa: F401 - fixture

from ckanext.smartcity.readers.api import ApiReader
from ckanext.smartcity.readers.base import ReaderError
from ckanext.smartcity.readers.transport import ALLOWED_HEADERS, HttpClient

TOKEN = "tok-bi-mat-9f3a"


def _read(api: ApiReader) -> list:
    with api.read({"path": "x", "records_path": "items"}) as table:
        return [row for batch in table.batches() for row in batch]


def test_a_token_with_a_trailing_newline_is_stripped(http_server: LocalServer) -> None:  # noqa: F811
    http_server.json("/api/x", {"items": [{"ma_xa": "20194", "so": 1}]})
    api = ApiReader(http_server.url + "/api", {"token_env": "DN_TOKEN"},
                    env={"DN_TOKEN": TOKEN + "\n"}, allowed_hosts="127.0.0.1")
    assert len(_read(api)) == 1
    assert http_server.seen[0].headers.get("Authorization") == f"Bearer {TOKEN}"


@pytest.mark.parametrize("bad", [TOKEN + "\nX-Injected: 1", "tok bi mat", "tok\x00", " \n"])
def test_a_broken_token_is_refused_without_showing_it(http_server: LocalServer, caplog,  # noqa: F811
                                                      bad: str) -> None:
    caplog.set_level(logging.DEBUG)
    api = ApiReader(http_server.url + "/api", {"token_env": "DN_TOKEN"},
                    env={"DN_TOKEN": bad}, allowed_hosts="127.0.0.1")
    with pytest.raises(ReaderError) as err:
        _read(api)
    assert "token_env" in str(err.value)
    for secret in (TOKEN, "tok bi mat", "tok\x00", "X-Injected"):
        assert secret not in str(err.value) and secret not in caplog.text
    assert http_server.seen == []


def test_invalid_header_from_requests_is_reworded(http_server: LocalServer, caplog) -> None:  # noqa: F811
    caplog.set_level(logging.DEBUG)
    client = HttpClient("syt-api", "127.0.0.1", max_retries=0)
    # bypass the constructor's checks, as a header set later in code would
    client.headers["Accept"] = "text/csv\r\nX-Secret: " + TOKEN
    with pytest.raises(ReaderError) as err:
        client.get(http_server.url + "/api/x")
    assert "not valid" in str(err.value)
    assert TOKEN not in str(err.value) and TOKEN not in caplog.text
    assert err.value.__cause__ is None  # raised `from None`: no chained header text


@pytest.mark.parametrize("name", ["X-Api-Key", "Authorization", "Cookie", "X-Auth-Token",
                                  "Proxy-Authorization"])
def test_source_configs_name_only_allowed_headers(name: str) -> None:
    api = ApiReader("http://127.0.0.1", {"headers": {name: TOKEN}})
    problem = api.validate_source()["headers"]
    assert name in problem and "token_env" in problem and TOKEN not in problem
    with pytest.raises(ReaderError) as err:
        HttpClient("syt-api", "127.0.0.1", headers={name: TOKEN})
    assert TOKEN not in str(err.value)


def test_allowed_headers_pass() -> None:
    assert "accept-language" in ALLOWED_HEADERS
    api = ApiReader("http://127.0.0.1", {"headers": {"Accept-Language": "vi"}})
    assert "headers" not in api.validate_source()
