"""Finding 1 of issue 19: a department editor must not obtain a secret of the portal or of
another department through a harvest source (``token_env`` / ``password_env``).

Unit level: the real readers against a real loopback listener that records what it
receives. End to end: an editor of Sở Tài chính on the running portal (tests/e2e) creates
an API source towards a listener on a port the harvest allow-list admits, naming the
portal's own secrets or Sở Y tế's token: refused at create; forced into the database, the
harvest run refuses it and the listener receives nothing.
"""
from __future__ import annotations

import json
import secrets
import urllib.parse

import pytest
import sqlalchemy as sa

from ckanext.smartcity.readers import ApiReader, ReaderError, SqlReader
from ckanext.smartcity.readers.secrets import parse_scopes, portal_secret_reason
from .attackers import api_source, attacker, listener, run_job  # noqa: F401 - fixtures

VALUE = "bi-mat-" + secrets.token_urlsafe(12)
SPEC = {"path": "records"}
PORTAL_NAMES = ["CKAN_SECRET_KEY", "SMARTCITY_PG_SUPERUSER_PASSWORD", "PGPASSWORD",
                "POSTGRES_PASSWORD", "REDIS_PASSWORD", "SOLR_ADMIN_PASSWORD",
                "SMTP_PASSWORD", "BEAKER_SESSION_SECRET", "APP_SECRET_KEY"]


def _api(port: int, variable: str, department: str, declared: str) -> ApiReader:
    scopes, problems = parse_scopes(declared)
    assert problems == []
    return ApiReader(f"http://127.0.0.1:{port}/", {"token_env": variable},
                     env={variable: VALUE}, allowed_hosts=f"127.0.0.1:{port}",
                     department=department, scopes=scopes)


@pytest.mark.parametrize("variable", PORTAL_NAMES)
def test_portal_secret_is_refused_even_when_declared(listener, variable):
    server = listener()
    reader = _api(server.port, variable, "so-tai-chinh",
                  f"{variable} so-tai-chinh 127.0.0.1:{server.port}")
    with pytest.raises(ReaderError) as caught:
        reader.read(SPEC)
    assert variable in str(caught.value) and "portal" in str(caught.value)
    assert VALUE not in str(caught.value)
    assert server.received == []
    assert portal_secret_reason(variable)


def test_another_departments_token_is_refused(listener):
    server = listener()
    reader = _api(server.port, "DN_SYT_API_TOKEN", "so-tai-chinh",
                  f"DN_SYT_API_TOKEN so-y-te 127.0.0.1:{server.port}")
    with pytest.raises(ReaderError, match="DN_SYT_API_TOKEN belongs to another department"):
        reader.read(SPEC)
    assert server.received == []


def test_undeclared_secret_is_refused(listener):
    server = listener()
    reader = _api(server.port, "DN_SYT_API_TOKEN", "so-y-te",
                  f"DN_OTHER_TOKEN so-y-te 127.0.0.1:{server.port}")
    assert "not declared" in reader.secret_problems()["token_env"]
    with pytest.raises(ReaderError, match="DN_SYT_API_TOKEN is not declared"):
        reader.read(SPEC)
    assert server.received == []


def test_token_goes_only_to_its_declared_host_port(listener):
    declared, other = listener(), listener()
    scope = f"DN_SYT_API_TOKEN so-y-te 127.0.0.1:{declared.port}"
    with pytest.raises(ReaderError, match=f"not declared for 127.0.0.1:{other.port}"):
        _api(other.port, "DN_SYT_API_TOKEN", "so-y-te", scope).read(SPEC)
    assert other.received == []
    with _api(declared.port, "DN_SYT_API_TOKEN", "so-y-te", scope).read(
            {**SPEC, "columns": ["ma_xa"]}):
        pass
    assert declared.received[0][1].get("Authorization") == f"Bearer {VALUE}"


def test_sql_password_is_scoped_before_connecting(pg_admin_url):
    """The portal's superuser password is refused before any connection is made."""
    admin = sa.engine.make_url(pg_admin_url)
    scopes, _ = parse_scopes(f"SMARTCITY_PG_SUPERUSER_PASSWORD so-y-te "
                             f"{admin.host}:{admin.port}")
    reader = SqlReader(f"postgresql://{admin.username}@{admin.host}:{admin.port}/postgres",
                       {"password_env": "SMARTCITY_PG_SUPERUSER_PASSWORD"},
                       env={"SMARTCITY_PG_SUPERUSER_PASSWORD": admin.password or VALUE},
                       allowed_hosts=f"{admin.host}:{admin.port}", department="so-y-te",
                       scopes=scopes)
    with pytest.raises(ReaderError, match="SMARTCITY_PG_SUPERUSER_PASSWORD") as caught:
        reader.read({"query": "SELECT 1"})
    assert (admin.password or VALUE) not in str(caught.value)


def test_malformed_declarations_are_reported_not_used():
    scopes, problems = parse_scopes("DN_A so-y-te\nDN_B so-y-te 127.0.0.1; DN_C x h:1")
    assert list(scopes) == ["DN_C"] and len(problems) == 2


# -- end to end: an editor of another department on the running portal ---------------

VARIANTS = ["CKAN_SECRET_KEY", "SMARTCITY_PG_SUPERUSER_PASSWORD", "DN_SYT_API_TOKEN",
            "SMARTCITY_CKAN_DB_PASSWORD"]


@pytest.mark.parametrize("variable", VARIANTS)
def test_editor_of_another_department_cannot_take_a_secret(portal, attacker, listener,
                                                           variable):
    server = listener(int(portal.env["SMARTCITY_E2E_OPEN_PORT"]))
    name = "tc-" + variable.lower().replace("_", "-")[:40]
    answer = portal.raw_action("harvest_source_create", api_source(name, server.port,
                                                                     variable),
                               token=attacker)
    assert answer.status_code == 409, answer.text
    error = json.dumps(answer.json()["error"], ensure_ascii=False)
    assert variable in error and "refused" in error
    assert all(value not in error for value in
               (portal.env.get("CKAN_SECRET_KEY"), portal.env.get(variable)) if value)

    # forced into the database anyway (as if the create check were bypassed): the run
    # refuses the secret and the listener receives nothing
    source = portal.action("harvest_source_create", api_source(name, server.port, None),
                           token=attacker)
    forced = json.loads(api_source(name, server.port, variable)["config"])
    url = sa.engine.make_url(portal.env["SMARTCITY_TEST_PG_ADMIN_URL"])
    engine = sa.create_engine(url.set(database=urllib.parse.urlsplit(
        portal.env["CKAN_SQLALCHEMY_URL"]).path.lstrip("/")))
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE harvest_source SET config = :c WHERE id = :i"),
                     {"c": json.dumps(forced), "i": source["id"]})
    engine.dispose()
    report = run_job(portal, source["id"])
    messages = json.dumps(report, ensure_ascii=False)
    assert variable in messages and "refused" in messages, messages
    assert server.received == []
    secret_values = [v for k, v in portal.env.items()
                     if k in (variable, "CKAN_SECRET_KEY") and v]
    assert all(value not in messages for value in secret_values)
