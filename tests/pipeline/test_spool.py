"""Spooling rows to files and hashing what is published."""
from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal

from ckanext.smartcity.pipeline.spool import RawSpool, content_hash
from ckanext.smartcity.readers.published_csv import write_csv


def test_raw_spool_round_trips_typed_batches_and_deletes_its_file():
    with RawSpool() as raw:
        raw.write([(1, "Hải Vân", dt.date(2026, 1, 1)), (2, None, None)])
        raw.write([])
        raw.write([(3, "x", Decimal("1.5"))])
        assert raw.rows == 3
        assert list(raw) == [(1, "Hải Vân", dt.date(2026, 1, 1)), (2, None, None),
                             (3, "x", Decimal("1.5"))]
        path = raw.path
    assert not os.path.exists(path)


def test_csv_is_utf8_with_bom_and_hash_follows_content():
    seen = []
    with write_csv(["ma_xa", "ten", "ok"], iter([("20194", "Hải Vân", True),
                                                  ("20197", None, False)]),
                   on_row=seen.append) as csv:
        data = open(csv.path, "rb").read()
        first = csv.sha256
        assert csv.rows == 2 and len(seen) == 2
    assert data.startswith(b"\xef\xbb\xbfma_xa,ten,ok\r\n")
    assert "20194,Hải Vân,true\r\n20197,,false\r\n" in data.decode("utf-8-sig")
    with write_csv(["ma_xa"], iter([("20194",)])) as other:
        assert other.sha256 != first


def test_content_hash_changes_with_any_part():
    base = content_hash({"title": "a"}, [["x"]], "r1", {"v": 1})
    assert base == content_hash({"title": "a"}, [["x"]], "r1", {"v": 1})
    assert base != content_hash({"title": "b"}, [["x"]], "r1", {"v": 1})
    assert base != content_hash({"title": "a"}, [["y"]], "r1", {"v": 1})
    assert base != content_hash({"title": "a"}, [["x"]], "r2", {"v": 1})
    assert base != content_hash({"title": "a"}, [["x"]], "r1", {"v": 2})
