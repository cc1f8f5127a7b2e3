"""Shared fixtures. CKAN's own pytest plugin (`--ckan-ini=test.ini`) provides the app,
`clean_db`, `clean_index`, `with_plugins`, `reset_redis`; here they are extended for the
harvest tables and the DataStore, and the services' addresses are exposed to tests."""
from __future__ import annotations

import fcntl
import logging
import os
from pathlib import Path

import pytest

_LOCK = None


def pytest_configure(config):
    """One test session at a time per checkout: concurrent sessions share the test
    database and Solr core and would wipe each other's data mid-test."""
    global _LOCK
    lock_path = Path(__file__).resolve().parent.parent / ".test" / "pytest.lock"
    lock_path.parent.mkdir(exist_ok=True)
    _LOCK = open(lock_path, "w")
    fcntl.flock(_LOCK, fcntl.LOCK_EX)


@pytest.fixture
def clean_db(reset_db, migrate_db_for):
    """CKAN's clean_db, plus the tables of loaded plugins that keep their own migrations."""
    import ckan.plugins as p

    reset_db()
    for plugin in ("harvest", "activity"):
        if p.plugin_loaded(plugin):
            migrate_db_for(plugin)
    _enable_loggers()


def _enable_loggers() -> None:
    """Alembic's env.py of each migration runs logging.fileConfig, which disables every
    logger that already exists; tests that read log records (no secret, no personal value
    in any log line) need them back."""
    for logger in logging.Logger.manager.loggerDict.values():
        if isinstance(logger, logging.Logger):
            logger.disabled = False


@pytest.fixture
def clean_datastore(clean_db):
    """An empty DataStore database (tables of earlier tests dropped)."""
    import sqlalchemy as sa
    import ckanext.datastore.backend.postgres as db

    with db.get_write_engine().begin() as conn:
        tables = conn.execute(sa.text(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).scalars().all()
        for table in tables:
            if table == "_table_stats":  # the DataStore's own bookkeeping table stays
                conn.execute(sa.text("DELETE FROM _table_stats"))
            else:
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


@pytest.fixture
def build():
    """The dataset builders shared by the search, DCAT and UI tests
    (tests/search/builders.py: sysadmin, department, pillar, dataset)."""
    import importlib.util

    path = Path(__file__).parent / "search" / "builders.py"
    spec = importlib.util.spec_from_file_location("smartcity_test_builders", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def linked_files():
    """A loopback web server for tables linked by URL (tests/file_server.py): the privacy
    gate fetches every newly linked CSV/XLSX, so such a URL must really answer."""
    from file_server import FileServer

    with FileServer() as server:
        yield server


@pytest.fixture
def storage(tmp_path, monkeypatch):
    """``ckan.storage_path`` in a fresh folder: uploads of this test land there (its file
    listing is what a refused write must leave as it was)."""
    import ckan.plugins.toolkit as tk
    monkeypatch.setitem(tk.config, "ckan.storage_path", str(tmp_path))
    return tmp_path


@pytest.fixture
def user() -> dict:
    """The context of a new sysadmin, for writes through the actions."""
    from ckan.tests import factories
    return {"user": factories.Sysadmin()["name"]}
