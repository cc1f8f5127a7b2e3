"""Shared fixtures. CKAN's own pytest plugin (`--ckan-ini=test.ini`) provides the app,
`clean_db`, `clean_index`, `with_plugins`, `reset_redis`; here they are extended for the
harvest tables and the DataStore, and the services' addresses are exposed to tests."""
from __future__ import annotations

import os

import pytest


@pytest.fixture
def clean_db(reset_db, migrate_db_for):
    """CKAN's clean_db, plus the harvest tables (ckanext-harvest keeps its own migrations)."""
    reset_db()
    migrate_db_for("harvest")
    migrate_db_for("activity")


@pytest.fixture
def clean_datastore(clean_db):
    """An empty DataStore database (tables of earlier tests dropped)."""
    import sqlalchemy as sa
    import ckanext.datastore.backend.postgres as db

    with db.get_write_engine().begin() as conn:
        tables = conn.execute(sa.text(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).scalars().all()
        for table in tables:
            conn.execute(sa.text(f'DROP TABLE IF EXISTS "{table}" CASCADE'))
    yield


@pytest.fixture
def clean_queues():
    """Empty harvest gather/fetch queues on the test Redis."""
    from ckanext.harvest import queue

    queue.purge_queues()
    yield
    queue.purge_queues()


@pytest.fixture(scope="session")
def pg_admin_url() -> str:
    """Superuser URL of the project's test PostgreSQL cluster (to create departmental DBs)."""
    url = os.environ.get("SMARTCITY_TEST_PG_ADMIN_URL")
    if not url:
        pytest.fail("SMARTCITY_TEST_PG_ADMIN_URL is not set: run the tests with `make test`")
    return url
