"""Seeding the departmental databases into a real PostgreSQL, and the reader roles."""
from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import psycopg2
import pytest

from departments.pg import drop_database, enterprise_db, libpq_url, population_db
from departments.secrets_env import read_env

DEMO = Path(__file__).resolve().parents[2] / "demo"
PEOPLE, ENTERPRISES = 3000, 800


def _reader(admin_url: str, db, password: str):
    dsn = libpq_url(admin_url)
    return psycopg2.connect(dsn, dbname=db.name, user=db.reader, password=password)


@pytest.fixture
def seeded(pg_admin_url, db_prefix, tmp_path):
    """Run ``demo/seed.py`` twice (small sizes, prefixed names); yield its outputs."""
    secrets = tmp_path / "secrets.env"
    args = [sys.executable, str(DEMO / "seed.py"), "--pg-admin-url", pg_admin_url,
            "--dropbox", str(tmp_path / "dropbox"), "--secrets-file", str(secrets),
            "--people", str(PEOPLE), "--enterprises", str(ENTERPRISES),
            "--db-prefix", db_prefix]
    dbs = (population_db(PEOPLE, prefix=db_prefix), enterprise_db(ENTERPRISES, prefix=db_prefix))
    try:
        first = subprocess.run(args, capture_output=True, text=True, timeout=300)
        assert first.returncode == 0, first.stderr
        second = subprocess.run(args, capture_output=True, text=True, timeout=300)
        assert second.returncode == 0, second.stderr
        yield {"first": first.stdout, "second": second.stdout, "secrets": secrets,
               "dropbox": tmp_path / "dropbox", "dbs": dbs}
    finally:
        for db in dbs:
            drop_database(pg_admin_url, db)


def test_seed_creates_then_reuses(seeded, db_prefix):
    assert f"{db_prefix}dn_population: created" in seeded["first"]
    assert f"{db_prefix}dn_population: reused" in seeded["second"]
    assert f"{db_prefix}dn_enterprise: reused" in seeded["second"]
    assert "generated" not in seeded["second"]  # secrets kept on re-run
    assert sorted(p.relative_to(seeded["dropbox"]).as_posix()
                  for p in seeded["dropbox"].rglob("*") if p.is_file()) == [
        "so-giao-duc-dao-tao/giao_duc_nam_hoc_2025-2026.csv",
        "so-giao-duc-dao-tao/giao_duc_nam_hoc_2026-2027.csv",
        "so-nong-nghiep-moi-truong/thong_ke_dat_2025.xlsx"]


def test_secrets_file(seeded):
    path: Path = seeded["secrets"]
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    values = read_env(path)
    assert set(values) == {"DN_POPULATION_DB_PASSWORD", "DN_ENTERPRISE_DB_PASSWORD",
                           "DN_SYT_API_TOKEN"}
    assert all(len(v) >= 24 for v in values.values())
    assert len(set(values.values())) == 3


def test_row_counts_and_reader_can_select(seeded, pg_admin_url):
    population, enterprise = seeded["dbs"]
    secrets = read_env(seeded["secrets"])
    with _reader(pg_admin_url, population, secrets["DN_POPULATION_DB_PASSWORD"]) as conn, \
            conn.cursor() as cur:
        cur.execute("SELECT count(*), count(DISTINCT so_cccd), count(DISTINCT ma_xa) "
                    "FROM cong_dan")
        people, unique, communes = cur.fetchone()
        assert people == unique == PEOPLE and communes > 80
        cur.execute("SELECT count(*) FROM don_vi_hanh_chinh")
        assert cur.fetchone()[0] == 94
        cur.execute("SELECT sum(so_thanh_vien) FROM ho_gia_dinh")
        assert cur.fetchone()[0] == PEOPLE
        cur.execute("SELECT value FROM seed_info WHERE key = 'version'")
        assert cur.fetchone()[0] == population.version
    conn.close()
    with _reader(pg_admin_url, enterprise, secrets["DN_ENTERPRISE_DB_PASSWORD"]) as conn, \
            conn.cursor() as cur:
        cur.execute("SELECT count(*), count(DISTINCT ma_so_thue) FROM doanh_nghiep")
        assert cur.fetchone() == (ENTERPRISES, ENTERPRISES)
    conn.close()


def test_reader_cannot_write(seeded, pg_admin_url):
    population, _ = seeded["dbs"]
    password = read_env(seeded["secrets"])["DN_POPULATION_DB_PASSWORD"]
    conn = _reader(pg_admin_url, population, password)
    try:
        with conn.cursor() as cur, pytest.raises(psycopg2.errors.ReadOnlySqlTransaction):
            cur.execute("INSERT INTO don_vi_hanh_chinh VALUES ('99999', 'x', 'Xã', 'nong_thon')")
        conn.rollback()
        # Even with the read-only default switched off, the role has no INSERT privilege.
        with conn.cursor() as cur:
            cur.execute("SET default_transaction_read_only = off")
            conn.commit()
            with pytest.raises(psycopg2.errors.InsufficientPrivilege):
                cur.execute("INSERT INTO cong_dan (so_cccd) VALUES ('048000000000')")
            conn.rollback()
            with pytest.raises(psycopg2.errors.InsufficientPrivilege):
                cur.execute("CREATE TABLE thu (a int)")
            conn.rollback()
            with pytest.raises(psycopg2.errors.InsufficientPrivilege):
                cur.execute("DELETE FROM ho_gia_dinh")
    finally:
        conn.close()


def test_reader_is_confined_to_its_database(seeded, pg_admin_url):
    population, enterprise = seeded["dbs"]
    password = read_env(seeded["secrets"])["DN_POPULATION_DB_PASSWORD"]
    with pytest.raises(psycopg2.OperationalError):
        psycopg2.connect(libpq_url(pg_admin_url), dbname=enterprise.name,
                         user=population.reader, password=password).close()
    if not os.environ.get("SMARTCITY_TEST_PG_ADMIN_URL"):  # our cluster checks passwords
        with pytest.raises(psycopg2.OperationalError):
            _reader(pg_admin_url, population, "sai-mat-khau").close()
