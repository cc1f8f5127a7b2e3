"""Seeding the departmental PostgreSQL databases ``dn_population`` and ``dn_enterprise``.

Each database records its seed version in ``seed_info``; a database already holding
the expected version is reused untouched. Data goes in with ``COPY``. Each database
gets a reader role that can connect to it alone and only ``SELECT``.
"""
from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field

import psycopg2
from psycopg2 import sql
from psycopg2.extensions import connection, cursor

from . import DATA_VERSION, SEED, enterprise, population
from .population import to_csv
from .units import load_communes

_UNITS_DDL = """
CREATE TABLE don_vi_hanh_chinh (
    ma_xa char(5) PRIMARY KEY, ten_xa_phuong text NOT NULL, loai text NOT NULL,
    khu_vuc text NOT NULL CHECK (khu_vuc IN ('thanh_thi', 'nong_thon')));
COMMENT ON TABLE don_vi_hanh_chinh IS 'Đơn vị hành chính cấp xã từ 01/7/2025';
"""
POPULATION_DDL = _UNITS_DDL + """
CREATE TABLE ho_gia_dinh (
    ma_ho text PRIMARY KEY, ma_xa char(5) NOT NULL REFERENCES don_vi_hanh_chinh,
    dia_chi text NOT NULL, so_thanh_vien int NOT NULL, ngay_dang_ky date NOT NULL);
CREATE TABLE cong_dan (
    so_cccd char(12) PRIMARY KEY, ho_ten text NOT NULL, ngay_sinh date NOT NULL,
    gioi_tinh text NOT NULL CHECK (gioi_tinh IN ('nam', 'nu')),
    ma_xa char(5) NOT NULL REFERENCES don_vi_hanh_chinh,
    ma_ho text NOT NULL REFERENCES ho_gia_dinh, quan_he_chu_ho text NOT NULL,
    loai_cu_tru text NOT NULL CHECK (loai_cu_tru IN ('thuong_tru', 'tam_tru')));
CREATE INDEX cong_dan_ma_xa ON cong_dan (ma_xa);
COMMENT ON TABLE cong_dan IS 'Công dân (dữ liệu tổng hợp, sinh ngẫu nhiên cho demo)';
"""
ENTERPRISE_DDL = _UNITS_DDL + """
CREATE TABLE nganh_vsic_cap1 (ma_cap1 char(1) PRIMARY KEY, ten_cap1 text NOT NULL);
CREATE TABLE nganh_vsic (ma_nganh char(4) PRIMARY KEY, ten_nganh text NOT NULL,
    ma_cap1 char(1) NOT NULL REFERENCES nganh_vsic_cap1);
CREATE TABLE doanh_nghiep (
    ma_so_thue char(10) PRIMARY KEY, ten_doanh_nghiep text NOT NULL,
    loai_hinh_doanh_nghiep text NOT NULL,
    thanh_phan_kinh_te text NOT NULL CHECK (thanh_phan_kinh_te IN
        ('state_owned', 'non_state', 'fdi')),
    ma_nganh_vsic char(4) NOT NULL REFERENCES nganh_vsic,
    ma_nganh_cap1 char(1) NOT NULL REFERENCES nganh_vsic_cap1,
    ma_xa char(5) NOT NULL REFERENCES don_vi_hanh_chinh, dia_chi text NOT NULL,
    von_dieu_le bigint NOT NULL, so_lao_dong int NOT NULL, ngay_dang_ky date NOT NULL,
    trang_thai text NOT NULL, nguoi_dai_dien text NOT NULL, dien_thoai text NOT NULL);
CREATE INDEX doanh_nghiep_ma_xa ON doanh_nghiep (ma_xa);
"""


@dataclass
class DepartmentDb:
    """One departmental database: name, reader role, schema and the tables to load."""

    name: str
    reader: str
    ddl: str
    version: str
    loads: Callable[[], list[tuple[str, tuple[str, ...], list[tuple]]]]
    counts: dict[str, int] = field(default_factory=dict)


def _unit_rows() -> list[tuple]:
    return [(c.code, c.full_name, c.kind, "thanh_thi" if c.urban else "nong_thon")
            for c in load_communes()]


def population_db(n_people: int = population.DEFAULT_PEOPLE, seed: int = SEED, *,
                  prefix: str = "") -> DepartmentDb:
    """The population registry ``dn_population`` (``prefix`` for throwaway test copies)."""
    def loads() -> list[tuple[str, tuple[str, ...], list[tuple]]]:
        reg = population.generate(n_people, seed)
        return [("don_vi_hanh_chinh", ("ma_xa", "ten_xa_phuong", "loai", "khu_vuc"), _unit_rows()),
                ("ho_gia_dinh", population.HOUSEHOLD_COLUMNS, reg.households),
                ("cong_dan", population.PERSON_COLUMNS, reg.people)]
    version = f"population-v{DATA_VERSION} seed={seed} people={n_people}"
    return DepartmentDb(f"{prefix}dn_population", f"{prefix}dn_population_reader",
                        POPULATION_DDL, version, loads)


def enterprise_db(n: int = enterprise.DEFAULT_ENTERPRISES, seed: int = SEED, *,
                  prefix: str = "") -> DepartmentDb:
    """The enterprise register ``dn_enterprise`` (``prefix`` for throwaway test copies)."""
    def loads() -> list[tuple[str, tuple[str, ...], list[tuple]]]:
        return [("don_vi_hanh_chinh", ("ma_xa", "ten_xa_phuong", "loai", "khu_vuc"), _unit_rows()),
                ("nganh_vsic_cap1", ("ma_cap1", "ten_cap1"), enterprise.section_rows()),
                ("nganh_vsic", ("ma_nganh", "ten_nganh", "ma_cap1"), enterprise.class_rows()),
                ("doanh_nghiep", enterprise.COLUMNS, enterprise.generate(n, seed))]
    version = f"enterprise-v{DATA_VERSION} seed={seed} enterprises={n}"
    return DepartmentDb(f"{prefix}dn_enterprise", f"{prefix}dn_enterprise_reader",
                        ENTERPRISE_DDL, version, loads)


def libpq_url(url: str) -> str:
    """``url`` without a SQLAlchemy driver suffix (``postgresql+psycopg2://`` → libpq's)."""
    scheme, sep, rest = url.partition("://")
    return f"{scheme.split('+', 1)[0]}{sep}{rest}"


def _connect(admin_url: str, dbname: str | None = None) -> connection:
    return psycopg2.connect(libpq_url(admin_url), **({"dbname": dbname} if dbname else {}))


def seed_database(admin_url: str, db: DepartmentDb, password: str, *,
                  force: bool = False) -> str:
    """Create/load ``db`` unless it already holds ``db.version``; ensure its reader role.

    Returns ``"created"``, ``"reloaded"`` or ``"reused"``; fills ``db.counts``.
    """
    admin = _connect(admin_url)
    admin.autocommit = True
    try:
        with admin.cursor() as cur:
            cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", (db.name,))
            exists = cur.fetchone() is not None
            if not exists:
                cur.execute(sql.SQL("CREATE DATABASE {} ENCODING 'UTF8' TEMPLATE template0")
                            .format(sql.Identifier(db.name)))
            _ensure_role(cur, db, password)
    finally:
        admin.close()
    conn = _connect(admin_url, db.name)
    try:
        with conn, conn.cursor() as cur:
            current = _seed_version(cur)
            if current == db.version and not force:
                action = "reused"
            else:
                _load(cur, db)
                action = "created" if not exists else "reloaded"
            _grant(cur, db)
            for table in _tables(cur):
                cur.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table)))
                db.counts[table] = cur.fetchone()[0]
    finally:
        conn.close()
    return action


def _seed_version(cur: cursor) -> str | None:
    cur.execute("SELECT to_regclass('public.seed_info')")
    if cur.fetchone()[0] is None:
        return None
    cur.execute("SELECT value FROM seed_info WHERE key = 'version'")
    row = cur.fetchone()
    return row[0] if row else None


def _tables(cur: cursor) -> list[str]:
    cur.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                "AND tablename <> 'seed_info' ORDER BY tablename")
    return [r[0] for r in cur.fetchall()]


def _load(cur: cursor, db: DepartmentDb) -> None:
    """Drop and recreate every table, then COPY the generated rows (one transaction)."""
    for table in _tables(cur) + ["seed_info"]:
        cur.execute(sql.SQL("DROP TABLE IF EXISTS {} CASCADE").format(sql.Identifier(table)))
    cur.execute(db.ddl)
    for table, columns, rows in db.loads():
        copy = sql.SQL("COPY {} ({}) FROM STDIN WITH (FORMAT csv)").format(
            sql.Identifier(table), sql.SQL(", ").join(map(sql.Identifier, columns)))
        cur.copy_expert(copy.as_string(cur), io.StringIO(to_csv(rows)))
    cur.execute("ANALYZE")
    cur.execute("CREATE TABLE seed_info (key text PRIMARY KEY, value text NOT NULL)")
    cur.execute("INSERT INTO seed_info VALUES ('version', %s), ('generator', %s)",
                (db.version, "ckanext-smartcity demo/departments"))


def _ensure_role(cur: cursor, db: DepartmentDb, password: str) -> None:
    role = sql.Identifier(db.reader)
    cur.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (db.reader,))
    verb = "ALTER" if cur.fetchone() else "CREATE"
    cur.execute(sql.SQL(verb + " ROLE {} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE "
                        "NOINHERIT PASSWORD %s").format(role), (password,))
    cur.execute(sql.SQL("ALTER ROLE {} SET default_transaction_read_only = on").format(role))
    cur.execute(sql.SQL("ALTER ROLE {} SET statement_timeout = '60s'").format(role))
    dbname = sql.Identifier(db.name)
    cur.execute(sql.SQL("REVOKE ALL ON DATABASE {} FROM PUBLIC").format(dbname))
    cur.execute(sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(dbname, role))


def _grant(cur: cursor, db: DepartmentDb) -> None:
    role = sql.Identifier(db.reader)
    cur.execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC")
    cur.execute(sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(role))
    cur.execute(sql.SQL("REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {}").format(role))
    cur.execute(sql.SQL("GRANT SELECT ON ALL TABLES IN SCHEMA public TO {}").format(role))


def drop_database(admin_url: str, db: DepartmentDb) -> None:
    """Drop ``db`` and its reader role if they exist (for throwaway test copies)."""
    admin = _connect(admin_url)
    admin.autocommit = True
    try:
        with admin.cursor() as cur:
            cur.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
                        .format(sql.Identifier(db.name)))
            cur.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(db.reader)))
    finally:
        admin.close()
