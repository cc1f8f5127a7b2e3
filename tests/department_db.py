"""A throwaway departmental database on the test PostgreSQL cluster: a new database and a
login role with a random password, dropped afterwards (shared by reader and harvester tests)."""
from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import sqlalchemy as sa


@dataclass
class NewDatabase:
    """Where the throwaway database lives; `admin_url` is the superuser URL to it."""

    database: str
    role: str
    password: str
    admin_url: sa.engine.URL


@contextmanager
def new_department_database(pg_admin_url: str, prefix: str) -> Iterator[NewDatabase]:
    """Create ``<prefix>_<hex>`` and role ``<prefix>_reader_<hex>``; drop both on exit."""
    admin_url = sa.engine.make_url(pg_admin_url)
    suffix = secrets.token_hex(4)
    database, role = f"{prefix}_{suffix}", f"{prefix}_reader_{suffix}"
    password = "pw-" + secrets.token_urlsafe(16)
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f"CREATE ROLE {role} LOGIN PASSWORD '{password}'")
        conn.exec_driver_sql(f"CREATE DATABASE {database}")
    try:
        yield NewDatabase(database, role, password, admin_url.set(database=database))
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
            conn.exec_driver_sql(f"DROP ROLE IF EXISTS {role}")
        admin.dispose()
