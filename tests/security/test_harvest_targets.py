"""Finding 1/2 of issue 19: the portal's own services are never a harvest target, and a
SQL source never runs as a role that can read server files or is a superuser.

Unit level: the allow-list the harvesters really use (``config.allowed_hosts``,
from test.ini: bare ``127.0.0.1`` allowed) refuses the test portal's PostgreSQL, Redis,
Solr and web endpoints; the SQL reader, on the real test cluster, refuses a superuser and
members of ``pg_read_server_files`` & co. before running the query, while a plain
read-only role still reads. End to end: an editor of another department points sources
at the running portal's own cluster, Solr and web port.
"""
from __future__ import annotations

import json
import secrets
import urllib.parse

import pytest
import sqlalchemy as sa

from ckanext.smartcity.readers import netguard
from ckanext.smartcity import config as options
from ckanext.smartcity.readers import ApiReader, ReaderError, SqlReader
from department_db import new_department_database

from .attackers import (ATTACKER_ORG, api_source, attacker, listener,  # noqa: F401
                       run_job)


def _endpoint(url: str, default: int) -> tuple[str, int]:
    parts = urllib.parse.urlsplit(url)
    return parts.hostname or "", parts.port or default


def _portal_endpoints() -> dict[str, tuple[str, int]]:
    import ckan.plugins.toolkit as tk
    return {key: _endpoint(str(tk.config.get(key)), port) for key, port in (
        ("sqlalchemy.url", 5432), ("ckan.datastore.write_url", 5432),
        ("solr_url", 8983), ("ckan.redis.url", 6379), ("ckan.site_url", 80))}


@pytest.mark.parametrize("key", ["sqlalchemy.url", "ckan.datastore.write_url", "solr_url",
                                 "ckan.redis.url", "ckan.site_url"])
@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "127.0.0.2"])
def test_portal_service_is_refused_though_its_host_is_allowed(key, host, listener):
    allowed = options.allowed_hosts()
    assert "127.0.0.1" in allowed.split()  # test.ini allows the whole loopback host
    _, port = _portal_endpoints()[key]
    with pytest.raises(netguard.Refused, match="portal's own"):
        netguard.check_url(f"http://{host}:{port}/", allowed)
    reader = ApiReader(f"http://{host}:{port}/", {}, allowed_hosts=allowed)
    with pytest.raises(ReaderError, match="portal's own"):
        reader.read({"path": "x"})
    netguard.check_url(f"http://127.0.0.1:{listener().port}/", allowed)  # others pass


@pytest.mark.parametrize("key", ["sqlalchemy.url", "solr_url", "ckan.redis.url"])
@pytest.mark.parametrize("fetch_hosts", ["", "127.0.0.1 localhost"])
def test_privacy_gate_never_fetches_a_link_to_the_portals_own_services(key, fetch_hosts,
                                                                        monkeypatch):
    """A linked table is fetched through the same guard: the portal's own database, Solr
    and Redis are refused whatever ``privacy.fetch_allowed_hosts`` says (its own web site
    stays fetchable: uploads are checked from there)."""
    import ckan.plugins.toolkit as tk
    from ckanext.smartcity.logic.write_checks import fetch_limits

    monkeypatch.setitem(tk.config, "ckanext.smartcity.privacy.fetch_allowed_hosts",
                        fetch_hosts)
    allowed = fetch_limits().allowed_hosts
    _, port = _portal_endpoints()[key]
    with pytest.raises(netguard.Refused, match="portal's own"):
        netguard.check_url(f"http://127.0.0.1:{port}/x.csv", allowed)
    site_host, site_port = _portal_endpoints()["ckan.site_url"]
    netguard.check_url(f"http://{site_host}:{site_port}/x.csv", allowed)


def test_portal_databases_are_refused_even_when_a_shared_database_is_allowed():
    host, port = _portal_endpoints()["sqlalchemy.url"]
    import ckan.plugins.toolkit as tk
    own = urllib.parse.urlsplit(str(tk.config.get("sqlalchemy.url"))).path.lstrip("/")
    allowed = f"{options.allowed_hosts()} {host}:{port}/*"
    for database in (own, "postgres", "template1"):
        with pytest.raises(netguard.Refused, match="portal's own databases"):
            netguard.check_url(f"postgresql://{host}:{port}/{database}", allowed)
    netguard.check_url(f"postgresql://{host}:{port}/dn_population", allowed)
    with pytest.raises(netguard.Refused, match="portal's own services"):
        netguard.check_url(f"postgresql://{host}:{port}/dn_population",
                           options.allowed_hosts())


@pytest.fixture(scope="module")
def cluster(pg_admin_url: str):
    """A departmental database on the test cluster, and a maker of login roles in it."""
    with new_department_database(pg_admin_url, "sc_sec") as new:
        admin = sa.create_engine(new.admin_url, isolation_level="AUTOCOMMIT")
        made: list[str] = []

        def role(grant: str) -> tuple[str, str]:
            name, password = f"sc_sec_{secrets.token_hex(4)}", "pw-" + secrets.token_hex(8)
            with admin.connect() as conn:
                conn.exec_driver_sql(f"CREATE ROLE {name} LOGIN PASSWORD '{password}'")
                conn.exec_driver_sql(f"GRANT CONNECT ON DATABASE {new.database} TO {name}")
                if grant == "SUPERUSER":
                    conn.exec_driver_sql(f"ALTER ROLE {name} SUPERUSER")
                elif grant:
                    conn.exec_driver_sql(f"GRANT {grant} TO {name}")
            made.append(name)
            return name, password

        try:
            yield new, role
        finally:
            with admin.connect() as conn:
                for name in made:
                    conn.exec_driver_sql(f"REVOKE ALL ON DATABASE {new.database} FROM {name}")
                    conn.exec_driver_sql(f"DROP ROLE IF EXISTS {name}")
            admin.dispose()


def _sql(new, name: str, password: str) -> SqlReader:
    host, port = new.admin_url.host, new.admin_url.port
    return SqlReader(f"postgresql+psycopg2://{name}@{host}:{port}/{new.database}",
                     {"password_env": "DN_TEST_DB_PASSWORD"},
                     env={"DN_TEST_DB_PASSWORD": password}, allowed_hosts=f"{host}:{port}")


@pytest.mark.parametrize("grant", ["SUPERUSER", "pg_read_server_files",
                                   "pg_write_server_files", "pg_execute_server_program"])
def test_powerful_sql_role_is_refused_before_the_query(cluster, grant):
    new, role = cluster
    name, password = role(grant)
    with pytest.raises(ReaderError) as caught:
        _sql(new, name, password).read(
            {"query": "SELECT pg_read_file('/etc/hostname') AS leaked"})
    message = str(caught.value)
    assert name in message and grant.lower() in message.lower(), message
    assert password not in message


def test_plain_read_only_role_still_reads(cluster):
    new, role = cluster
    name, password = role("")
    with _sql(new, name, password).read({"query": "SELECT 1 AS mot"}) as table:
        assert [c.name for c in table.columns] == ["mot"]
        assert list(table.batches()) == [[(1,)]]


# -- end to end ---------------------------------------------------------------------

def _sql_source(name: str, url: str) -> dict:
    config = {"password_env": "DN_ENTERPRISE_DB_PASSWORD", "datasets": [
        {"name": f"{name}-data", "dataset_type": "enterprise", "title": "Dữ liệu",
         "query": "SELECT 1 AS x"}]}
    return {"name": name, "title": f"Nguồn {name}", "url": url,
            "source_type": "smartcity_sql", "owner_org": ATTACKER_ORG,
            "frequency": "MANUAL", "config": json.dumps(config)}


def test_sources_towards_the_portals_own_services_are_refused(portal, attacker, listener):
    pg = urllib.parse.urlsplit(portal.env["SMARTCITY_TEST_PG_ADMIN_URL"])
    ckan_db = urllib.parse.urlsplit(portal.env["CKAN_SQLALCHEMY_URL"]).path.lstrip("/")
    ds_db = urllib.parse.urlsplit(portal.env["CKAN_DATASTORE_WRITE_URL"]).path.lstrip("/")
    for index, database in enumerate(("postgres", ckan_db, ds_db, "dn_other")):
        answer = portal.raw_action("harvest_source_create", _sql_source(
            f"tc-pg-{index}", f"postgresql://postgres@127.0.0.1:{pg.port}/{database}"),
            token=attacker)
        assert answer.status_code == 409, answer.text
        assert "portal's own" in json.dumps(answer.json()["error"]), answer.text
    solr = urllib.parse.urlsplit(portal.env["CKAN_SOLR_URL"])
    redis = urllib.parse.urlsplit(portal.env["CKAN_REDIS_URL"])
    web = urllib.parse.urlsplit(portal.url)
    for index, port in enumerate((solr.port, redis.port, web.port)):
        answer = portal.raw_action("harvest_source_create",
                                   api_source(f"tc-svc-{index}", port, None), token=attacker)
        assert answer.status_code == 409, answer.text
        assert "portal's own" in json.dumps(answer.json()["error"]), answer.text

    # forced into the database: the run refuses it before connecting
    server = listener(int(portal.env["SMARTCITY_E2E_OPEN_PORT"]))
    source = portal.action("harvest_source_create", api_source("tc-forced-solr", server.port,
                                                                None), token=attacker)
    url = sa.engine.make_url(portal.env["SMARTCITY_TEST_PG_ADMIN_URL"])
    engine = sa.create_engine(url.set(database=ckan_db))
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE harvest_source SET url = :u WHERE id = :i"),
                     {"u": f"http://127.0.0.1:{solr.port}/solr/", "i": source["id"]})
    engine.dispose()
    report = json.dumps(run_job(portal, source["id"]), ensure_ascii=False)
    assert "portal's own" in report, report
