"""Registry, Table, ReaderError, type inference and encoding detection (pure code)."""
from __future__ import annotations

import codecs
import datetime as dt
from decimal import Decimal

import pytest

from ckanext.smartcity.readers import (
    REGISTRY,
    ApiReader,
    Column,
    FileReader,
    Reader,
    ReaderError,
    SqlReader,
    Table,
    get_reader,
)
from ckanext.smartcity.readers.base import safe_url
from ckanext.smartcity.readers.encoding import detect_encoding
from ckanext.smartcity.readers.infer import convert, infer_types


def test_registry_names_match_plugin_names() -> None:
    assert REGISTRY == {"smartcity_sql": SqlReader, "smartcity_api": ApiReader,
                        "smartcity_file": FileReader}
    for name, cls in REGISTRY.items():
        assert cls.name == name and issubclass(cls, Reader)
        assert get_reader(name) is cls
    with pytest.raises(KeyError, match="smartcity_ftp"):
        get_reader("smartcity_ftp")


def test_spec_and_source_keys() -> None:
    assert {"query"} <= SqlReader.spec_keys
    assert {"path", "records_path", "pagination"} <= ApiReader.spec_keys
    assert FileReader.spec_keys == {"file", "encoding", "sheet", "header_row", "delimiter"}
    assert {"password_env", "statement_timeout_s"} <= SqlReader.source_keys
    assert {"token_env", "timeout_s", "max_retries", "backoff_s", "max_pages"} \
        <= ApiReader.source_keys


def test_reader_error_text() -> None:
    err = ReaderError("http://127.0.0.1/api", "HTTP 404 Not Found")
    assert str(err) == "http://127.0.0.1/api: HTTP 404 Not Found"
    assert (err.source, err.cause) == ("http://127.0.0.1/api", "HTTP 404 Not Found")


def test_safe_url_masks_passwords_only() -> None:
    assert safe_url("http://u:secret@127.0.0.1/x") == "http://u:***@127.0.0.1/x"
    assert safe_url("http://u@127.0.0.1/x") == "http://u@127.0.0.1/x"
    assert safe_url("http://127.0.0.1/x?a=1") == "http://127.0.0.1/x?a=1"


def test_table_is_a_context_manager_that_closes_once() -> None:
    closed: list[int] = []

    def batches():
        yield [(1,)]
        yield [(2,)]

    with Table([Column("a", "int")], batches(), close=lambda: closed.append(1)) as table:
        assert list(table) == [[(1,)], [(2,)]]
    table.close()
    assert closed == [1]


def test_secret_from_env_mapping() -> None:
    reader = ApiReader("http://127.0.0.1", {"token_env": "T"}, env={"T": "abc"})
    assert reader.secret("token_env") == "abc"
    assert reader.secret("password_env") is None
    assert "token_env" in ApiReader("http://127.0.0.1", {"token_env": "a b"}).validate_source()


@pytest.mark.parametrize("values, expected", [
    (["1", "20", "-3"], "int"),
    (["0905123456", "12"], "text"),          # leading zero: a code, not a number
    (["1", "2.5"], "float"),
    (["1,5"], "text"),                        # decimal comma is ambiguous
    (["e5", "1e"], "text"),
    (["2024-01-31", "31/12/2024"], "date"),
    (["2024-01-31T08:00:00", "2024-01-31"], "timestamp"),
    (["", None], "text"),
    ([True, False], "bool"),
    ([Decimal("1.5"), 2], "numeric"),
    ([dt.datetime(2024, 1, 1), dt.datetime(2024, 1, 2)], "date"),
    ([dt.datetime(2024, 1, 1, 8, 30)], "timestamp"),
    (["12345678901234567890"], "text"),       # longer than a bigint
])
def test_infer_types(values: list, expected: str) -> None:
    assert infer_types([[v] for v in values], 1) == [expected]


def test_api_strings_are_not_numbers() -> None:
    assert infer_types([["123"], ["2024-01-31"]], 1, strings="dates") == ["text"]
    assert infer_types([["2024-01-31"]], 1, strings="dates") == ["date"]


def test_convert() -> None:
    assert convert("  ", "int") is None
    assert convert("31/12/2024", "date") == dt.date(2024, 12, 31)
    assert convert(5, "float") == 5.0 and isinstance(convert(5, "float"), float)
    assert convert({"b": 1, "a": "ă"}, "text") == '{"a": "ă", "b": 1}'
    with pytest.raises(ValueError) as caught:
        convert("mười", "int")
    assert "mười" not in str(caught.value)


@pytest.mark.parametrize("encoding, expected", [
    ("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("utf-16", "utf-16"),
])
def test_detect_encoding_with_bom_or_utf8(encoding: str, expected: str) -> None:
    assert detect_encoding("Mã xã,Tên xã\n20194,Hải Vân\n".encode(encoding)) == expected


def test_detect_utf16_without_bom_and_cp1258() -> None:
    text = "Mã xã\tTên xã, phường\tSố trường\n" + "20194\tHải Vân\t5\n" * 20
    assert codecs.lookup(detect_encoding(text.encode("utf-16-le"))).name == "utf-16-le"
    raw = "Nga\u0300nh kinh tê\u0301,Xa\u0303\n".encode("cp1258") * 20
    assert detect_encoding(raw) == "cp1258"
