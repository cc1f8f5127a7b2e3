"""What the benchmarks share: a real CKAN booted from test.ini (plugins loaded, the test
PostgreSQL/Solr/Redis of `make test`), an empty portal, and a harvest job run synchronously
through ckanext-harvest's own stage functions (the same code the consumers run)."""
from __future__ import annotations

import fcntl
import os
import resource
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PLUGINS = ("smartcity scheming_datasets scheming_organizations scheming_groups harvest "
           "datastore activity smartcity_sql smartcity_api smartcity_file")
_lock = None


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far, in MiB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def boot(ini: Path = ROOT / "test.ini") -> Any:
    """Load CKAN with the portal's plugins; returns the Flask app (request context pushed).

    Takes the test-session lock: the benchmarks use (and wipe) the test database."""
    global _lock
    if "CKAN_SQLALCHEMY_URL" not in os.environ:
        raise SystemExit("run the benchmarks with `make bench` (it starts the services)")
    _lock = open(ROOT / ".test" / "pytest.lock", "w")
    fcntl.flock(_lock, fcntl.LOCK_EX)
    from ckan.cli import load_config
    from ckan.config.middleware import make_app

    conf = load_config(str(ini))
    conf["ckan.plugins"] = PLUGINS
    app = make_app(conf)
    flask_app = app.apps["flask_app"]._wsgi_app if hasattr(app, "apps") else app._wsgi_app
    flask_app.test_request_context().push()
    return flask_app


def bench_ini(name: str = "bench", **options: str) -> Path:
    """An ini for the benchmark's server processes (fetch consumers, gunicorn): test.ini
    as it is (the portal's own plugin list), with quiet logs and ``options`` set."""
    path = ROOT / "bench" / "results" / f"{name}.ini"
    path.parent.mkdir(exist_ok=True)
    path.write_text(
        "[app:main]\n"
        f"use = config:{ROOT / 'test.ini'}\n"
        + "".join(f"{key} = {value}\n" for key, value in options.items())
        + "\n"
        "[loggers]\nkeys = root\n\n[handlers]\nkeys = console\n\n"
        "[formatters]\nkeys = generic\n\n"
        "[logger_root]\nlevel = WARNING\nhandlers = console\n\n"
        "[handler_console]\nclass = StreamHandler\nargs = (sys.stderr,)\n"
        "level = NOTSET\nformatter = generic\n\n"
        "[formatter_generic]\nformat = %(asctime)s %(levelname)-5.5s [%(name)s] %(message)s\n")
    return path


def reset_portal() -> None:
    """Empty CKAN database (with harvest/activity tables), index, DataStore and queues."""
    import sqlalchemy as sa
    import ckanext.datastore.backend.postgres as ds
    from ckan.cli.db import _run_migrations
    from ckan.lib import search
    from ckan.tests import helpers
    from ckanext.harvest import queue

    helpers.reset_db()
    for plugin in ("harvest", "activity"):
        _run_migrations(plugin, "head", True)
    search.clear_all()
    with ds.get_write_engine().begin() as conn:
        for table in conn.execute(sa.text(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                "AND tablename NOT LIKE '\\_%'")).scalars():
            conn.execute(sa.text(f'DROP TABLE IF EXISTS "{table}" CASCADE'))
    queue.purge_queues()
    _pooled_engine()


def _pooled_engine() -> None:
    """Give CKAN back the pooled engine a portal process has.

    Running the migrations in-process (``reset_db``) leaves CKAN's model bound to
    alembic's NullPool engine, so every transaction would open a new PostgreSQL
    connection (~10 ms each) — an artefact of resetting inside the benchmark process;
    web and harvest workers use the pooled engine of ``load_environment``."""
    import sqlalchemy as sa
    from ckan import model
    from ckan.plugins import toolkit as tk

    if isinstance(model.meta.engine.pool, sa.pool.NullPool):
        settings = dict(tk.config)
        settings.setdefault("sqlalchemy.pool_pre_ping", True)
        model.init_model(sa.engine_from_config(settings))


def department(name: str = "so-tai-chinh") -> tuple[dict[str, Any], dict[str, Any]]:
    """A sysadmin and a department organization."""
    from ckan.tests import factories

    admin = factories.Sysadmin()
    org = factories.Organization(name=name, title="Sở Tài chính", department_code="STC",
                                 level="city")
    return admin, org


def allow_department_db(reader_url: str, secret: str, department: str) -> None:
    """Let the benchmark's departmental database (on the portal's own PostgreSQL cluster,
    which the harvest target guard refuses whole) be harvested: its ``host:port/database``
    joins the allow-list and ``secret`` is declared for ``department`` towards it, as the
    demo's departmental databases are (see ``ckanext.smartcity.harvest.secret_scopes``)."""
    import sqlalchemy as sa
    from ckan.plugins import toolkit as tk

    url = sa.engine.make_url(reader_url)
    hosts = tk.config.get("ckanext.smartcity.harvest.allowed_hosts") or ""
    tk.config["ckanext.smartcity.harvest.allowed_hosts"] = (
        f"{hosts} {url.host}:{url.port}/{url.database}")
    tk.config["ckanext.smartcity.harvest.secret_scopes"] = (
        f"{secret} {department} {url.host}:{url.port}")


def make_source(admin: dict, org: dict, *, name: str, url: str, source_type: str,
                config: str) -> dict[str, Any]:
    from ckan.tests import helpers

    return helpers.call_action("harvest_source_create", {"user": admin["name"]}, name=name,
                               title=name, url=url, source_type=source_type,
                               owner_org=org["id"], config=config)


def run_job(source_id: str) -> tuple[dict[str, Any], float]:
    """Run one harvest job to the end; returns (job dict, wall seconds)."""
    from ckan import model
    from ckan.tests import helpers
    from ckanext.harvest import queue
    from ckanext.harvest.model import HarvestJob, HarvestObject

    ctx = {"ignore_auth": True}
    started = time.perf_counter()
    job_dict = helpers.call_action("harvest_job_create", ctx, source_id=source_id, run=False)
    job = HarvestJob.get(job_dict["id"])
    job.status = "Running"
    job.save()
    harvester = queue.get_harvester(job.source.type)
    ids = queue.gather_stage(harvester, job)
    for obj_id in ids if isinstance(ids, list) else []:
        queue.fetch_and_import_stages(harvester, HarvestObject.get(obj_id))
    helpers.call_action("harvest_jobs_run", ctx, source_id=source_id)
    elapsed = time.perf_counter() - started
    model.Session.expire_all()
    return helpers.call_action("harvest_job_show", ctx, id=job_dict["id"]), elapsed


def job_errors(job_id: str) -> list[str]:
    """Gather and object error messages of a job (for a benchmark that must stop)."""
    from ckan import model
    from ckanext.harvest.model import HarvestGatherError, HarvestObject

    gather = [e.message for e in model.Session.query(HarvestGatherError)
              .filter_by(harvest_job_id=job_id)]
    objects = model.Session.query(HarvestObject).filter_by(harvest_job_id=job_id).all()
    return gather + [e.message for o in objects for e in o.errors]
