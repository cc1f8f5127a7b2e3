"""The batch fast paths give exactly what the row-by-row definitions give: the
DataStore's full-text value, the published CSV bytes, suppression and derived fields."""
from __future__ import annotations

import datetime as dt
import os
import random
from decimal import Decimal

import psycopg2
import pytest

from ckanext.smartcity.pipeline.datastore import full_text_sql
from ckanext.smartcity.pipeline.mapping import ColumnPlan, Derived
from ckanext.smartcity.readers.published_csv import CsvWriter, csv_cell
from ckanext.smartcity.privacy import Guard, Policy
from ckanext.smartcity.readers.base import Column

FIELDS = [{"id": "ten", "type": "text"}, {"id": "so", "type": "int8"},
          {"id": "ty_le", "type": "numeric"}, {"id": "f", "type": "float8"},
          {"id": "co", "type": "bool"}, {"id": "ngay", "type": "date"},
          {"id": "luc", "type": "timestamp"}, {"id": "Tên: %s", "type": "text"}]
ROWS = [
    ("Hải Vân the running cats", 12345, "1.50", 0.1, True, "2024-01-31",
     "2024-01-31 13:45:00.5", "x-y a.b@c.vn"),
    (None,) * 8,
    ("",) + (None,) * 7,
    (None, -5, "NaN", float("inf"), False, "infinity", "2020-02-29 00:00:00", "0905"),
    ("Hòa Khánh", 2025, "1e3", 1e-20, None, "1999-12-31", None, "A B-C d.e"),
]


def test_full_text_sql_equals_the_datastore_trigger():
    url = os.environ.get("CKAN_DATASTORE_WRITE_URL")
    if not url:
        pytest.skip("needs the test DataStore database")
    connection = psycopg2.connect(url)
    try:
        cursor = connection.cursor()
        cursor.execute("SELECT to_regprocedure('populate_full_text_trigger()')")
        if cursor.fetchone()[0] is None:
            pytest.skip("DataStore permissions not set up")
        columns = ", ".join(f'"{f["id"]}" {f["type"]}' for f in FIELDS)
        cursor.execute(f"CREATE TEMP TABLE t (_id serial, _full_text tsvector, {columns})")
        cursor.execute("CREATE TRIGGER zfulltext BEFORE INSERT ON t FOR EACH ROW "
                       "EXECUTE PROCEDURE populate_full_text_trigger()")
        cursor.execute("SET DateStyle = 'SQL, DMY'")  # JSON text must not depend on it
        names = ", ".join('"' + f["id"].replace("%", "%%") + '"' for f in FIELDS)
        for row in ROWS:
            cursor.execute(f"INSERT INTO t ({names}) VALUES "
                           f"({', '.join(['%s'] * len(FIELDS))})", row)
        cursor.execute(f"SELECT _full_text, {full_text_sql(FIELDS, 't')} FROM t ORDER BY _id")
        pairs = cursor.fetchall()
        assert len(pairs) == len(ROWS)
        assert all(trigger == ours for trigger, ours in pairs)
    finally:
        connection.rollback()
        connection.close()


def _cells(rng: random.Random) -> list[object]:
    return [None, "", "Hải Vân", 'a "q", b', "x\ny", 0, 7, -3, 10**12, 1.5, float("inf"),
            Decimal("1.20"), True, False, dt.date(2024, 1, 2),
            dt.datetime(2024, 1, 2, 3, 4, 5), {"b": 1, "a": "ă"}, [1, 2], b"\x01",
            rng.random()]


def test_csv_writer_bytes_equal_cell_by_cell_csv(tmp_path):
    import csv
    rng = random.Random(7)
    pool = _cells(rng)
    rows = [tuple(rng.choice(pool) for _ in range(6)) for _ in range(500)]
    rows += [("20194", 1, 2.5, None, "x", 3)] * 50  # batches needing no conversion
    writer = CsvWriter(["a", "b", "c", "d", "e", "f"], directory=str(tmp_path))
    for start in range(0, len(rows), 64):
        writer.write(rows[start:start + 64])
    spool = writer.finish()
    expected = tmp_path / "expected.csv"
    with open(expected, "w", encoding="utf-8-sig", newline="") as out:
        plain = csv.writer(out, lineterminator="\r\n")
        plain.writerow(["a", "b", "c", "d", "e", "f"])
        for row in rows:
            plain.writerow([csv_cell(v) for v in row])
    import hashlib
    data = expected.read_bytes()
    with spool:
        assert open(spool.path, "rb").read() == data
        assert spool.sha256 == hashlib.sha256(data).hexdigest()
        assert spool.rows == len(rows)


def test_apply_batch_equals_apply_row_by_row():
    rng = random.Random(3)
    names = ["ma_xa", "nam", "so_nguoi", "so_ho"]
    rows = [(str(rng.randrange(300)), 2025, rng.choice([0, 1, 3, 9, 10, 12, 40]),
             rng.choice([None, "", "4", 11, 2.0, 25])) for _ in range(997)]
    policy = Policy.from_spec({"count_columns": ["so_nguoi", "so_ho"],
                               "group_by": ["ma_xa", "nam"]}, dataset_type="population")
    guard = Guard(names, policy)
    for start in range(0, len(rows), 100):
        guard.scan(rows[start:start + 100])
    report = guard.finish()
    assert report.complementary
    expected = [report.apply(i, row) for i, row in enumerate(rows)]
    got = []
    for start in range(0, len(rows), 100):
        got += report.apply_batch(start, rows[start:start + 100])
    assert got == expected


def test_derived_and_select_batch_equal_row_by_row():
    plan = ColumnPlan.build({"columns": ["nam", "ma_xa"]},
                            [Column("ma_xa"), Column("nam", "int"), Column("x")])
    rows = [(f"2{i % 1200:04d}", 2000 + i % 30, i) for i in range(3000)]
    assert plan.select_batch(rows, 3) == [plan.select(r) for r in rows]
    same = ColumnPlan.build({}, [Column("ma_xa"), Column("nam", "int"), Column("x")])
    assert same.select_batch(rows, 3) is rows
    one, batched = Derived(plan.names), Derived(plan.names)
    selected = plan.select_batch(rows, 3)
    for row in selected:
        one.add(row)
    for start in range(0, len(selected), 700):
        batched.add_batch(selected[start:start + 700])
    assert batched.fields() == one.fields()
    assert len(batched.admin_units) == 1000
