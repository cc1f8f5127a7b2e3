"""The declared sources against the real demo systems, through the project's readers and
privacy guard (no CKAN): aggregated tables pass, the citizen list is refused."""
from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest
import yaml

from departments.pg import drop_database, enterprise_db, population_db
from departments.secrets_env import read_env

REPO = Path(__file__).resolve().parents[2]
PEOPLE, ENTERPRISES = 4000, 1500

pytest.importorskip("ckanext.smartcity.readers")
pytest.importorskip("ckanext.smartcity.privacy")


@pytest.fixture
def demo_env(pg_admin_url, db_prefix, tmp_path):
    """Seeded databases (prefixed), file drops and a running health API; yields env."""
    from health_api import HealthApi

    secrets = tmp_path / "secrets.env"
    dropbox = tmp_path / "dropbox"
    run = subprocess.run(
        [sys.executable, str(REPO / "demo" / "seed.py"), "--pg-admin-url", pg_admin_url,
         "--dropbox", str(dropbox), "--secrets-file", str(secrets), "--people", str(PEOPLE),
         "--enterprises", str(ENTERPRISES), "--db-prefix", db_prefix],
        capture_output=True, text=True, timeout=300)
    dbs = (population_db(PEOPLE, prefix=db_prefix), enterprise_db(ENTERPRISES, prefix=db_prefix))
    env = read_env(secrets)
    server = HealthApi(0, env["DN_SYT_API_TOKEN"], quiet=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        assert run.returncode == 0, run.stderr
        port = pg_admin_url.rsplit(":", 1)[1].split("/")[0]
        env.update({"SMARTCITY_PG_PORT": port, "DN_SYT_API_PORT": str(server.port),
                    "SMARTCITY_DEMO_DROPBOX": str(dropbox)})
        yield env
    finally:
        server.shutdown()
        server.server_close()
        for db in dbs:
            drop_database(pg_admin_url, db)


def test_every_declared_dataset(demo_env, db_prefix, pg_admin_url):
    from check_sources import MUST_REFUSE, check_source

    host = pg_admin_url.split("@", 1)[1].split("/", 1)[0]

    def rewrite(url: str) -> str:  # the throwaway copies carry the per-run prefix
        for name in ("dn_population", "dn_enterprise"):
            url = url.replace(f"{name}_reader@", f"{db_prefix}{name}_reader@")
            url = url.replace(f"/{name}", f"/{db_prefix}{name}")
        return url.replace("127.0.0.1:" + host.rsplit(":", 1)[1], host)

    results = {}
    for path in sorted((REPO / "harvesters").glob("*.yaml")):
        source = yaml.safe_load(path.read_text(encoding="utf-8"))
        for name, published, summary in check_source(source, demo_env, rewrite=rewrite):
            results[name] = (published, summary)
    assert len(results) >= 10
    for name, (published, summary) in results.items():
        assert published == (name not in MUST_REFUSE), f"{name}: {summary}"
    refusal = results["danh-sach-cong-dan-mau"][1]
    assert "so_cccd" in refusal and "ho_ten" in refusal
    assert "048" not in refusal.replace("«", "")  # names columns, never values
