"""Microdata from a real departmental PostgreSQL source (loopback): one row per person is
refused and publishes nothing; a declared quasi-identifier the table lacks refuses it too;
a k-anonymous table is published and its page says the microdata check ran, with k and
the quasi-identifiers, in Vietnamese and English."""
from __future__ import annotations

import random

import pytest

from .conftest import (dataset, extra, make_source, object_errors, published, run_job, spec,
                       sql_config, tk)
from .conftest import PLUGINS  # noqa: F401 - documented plugin list

pytestmark = [pytest.mark.usefixtures("harvest_env")]
JOBS = ("Nông dân", "Giáo viên", "Công nhân", "Buôn bán", "Nội trợ")


def _load(department, table: str, rows) -> None:
    role = department.url.split("://", 1)[1].split("@", 1)[0]
    values = ",".join(f"({a!r}, {s!r}, {x!r}, {j!r}, {r!r})" for a, s, x, j, r in rows)
    department.execute(
        f"DROP TABLE IF EXISTS {table}; CREATE TABLE {table} (tuoi text, gioi_tinh text, "
        f"ma_xa text, nghe_nghiep text, ket_qua text); INSERT INTO {table} VALUES {values}; "
        f"GRANT SELECT ON {table} TO {role};")


def _people(n=250):
    rnd = random.Random(4)
    return [(str(rnd.randint(1, 90)), rnd.choice(["Nam", "Nữ"]),
             rnd.choice(["20194", "20197", "20200"]), rnd.choice(JOBS),
             rnd.choice(["Dương tính", "Âm tính"])) for _ in range(n)]


def test_microdata_harvest_is_refused_and_publishes_nothing(sysadmin, org, department):
    _load(department, "xet_nghiem", _people())
    source = make_source(sysadmin, org, department.url,
                         sql_config(spec("xet-nghiem", "xet_nghiem")))
    job = run_job(source["id"])
    (message,) = object_errors(job["id"])
    for column in ("tuoi", "gioi_tinh", "ma_xa", "nghe_nghiep"):
        assert f"«{column}»" in message
    assert "k = 10" in message and "--generalise" in message
    for job_name in JOBS:
        assert job_name not in message
    assert published() == []
    with pytest.raises(tk.ObjectNotFound):
        dataset("xet-nghiem")


def test_declared_quasi_identifier_missing_refuses_the_harvest(sysadmin, org, department):
    rows = [("20-29", s, "20194", "x", "y") for s in ("Nam", "Nữ") for _ in range(10)]
    _load(department, "xet_nghiem", rows)
    source = make_source(sysadmin, org, department.url, sql_config(spec(
        "xet-nghiem", "xet_nghiem", privacy={"quasi_identifiers": ["nam_sinh", "gioi_tinh"]})))
    job = run_job(source["id"])
    (message,) = object_errors(job["id"])
    assert "quasi_identifiers" in message and "'nam_sinh'" in message
    assert published() == []


def test_k_anonymous_table_published_with_the_check_on_its_page(app, sysadmin, org,
                                                                department):
    rows = [(band, s, x, "-", "Âm tính") for band in ("20-29", "30-39") for s in ("Nam", "Nữ")
            for x in ("20194", "20197") for _ in range(10)]
    _load(department, "xet_nghiem", rows)
    source = make_source(sysadmin, org, department.url, sql_config(spec(
        "xet-nghiem", "xet_nghiem", privacy={"quasi_identifiers": ["tuoi", "gioi_tinh",
                                                                   "ma_xa"]})))
    job = run_job(source["id"])
    assert job["stats"]["added"] == 1, object_errors(job["id"])
    report = extra(dataset("xet-nghiem"), "privacy_report")
    assert report["microdata"]["status"] == "passed" and report["microdata"]["declared"]
    assert report["microdata"]["quasi_identifiers"] == ["tuoi", "gioi_tinh", "ma_xa"]
    assert report["microdata"]["smallest_class"] == 10
    body = app.get("/health/xet-nghiem").get_data(as_text=True)
    section = body[body.index('id="privacy-report"'):]
    section = section[:section.index("</section>")]
    assert "Kiểm tra dữ liệu vi mô (k-ẩn danh, k = 10)" in section
    assert "Microdata check (k-anonymity, k = 10)" in section
    assert "«tuoi», «gioi_tinh», «ma_xa»" in section or "«tuoi»" in section
