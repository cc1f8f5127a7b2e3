#!/usr/bin/env python3
"""`make demo`: the portal with the demo departments harvested, at http://127.0.0.1:5000.

Steps (each idempotent, so a second `make demo` is quick):
  services (PostgreSQL, Redis, Solr) → .demo/ckan.ini → CKAN database → sysadmin `admin`
  → departments and pillars → synthetic departmental systems → harvest sources
  → gather/fetch consumers + jobs worker + scheduler → harvests → the web app (gunicorn with
  config/gunicorn.conf.py: config/wsgi.py, 2 workers, as in production, on a private
  loopback port, SMARTCITY_DEMO_WEB_PORT, 5001 if free) behind nginx on :5000 (page cache,
  rate limits, web assets from disk: scripts/proxy.py, config/nginx/) → an uploaded
  table (demo/upload_example.py), loaded into the DataStore by the jobs worker.
Every long-running process (gunicorn, consumers, jobs worker, mail sink) is supervised
(scripts/supervisor.py): restarted on failure with a back-off, at most 5 starts a minute,
logged to .demo/logs/supervisor.log — one crash never takes the demo down.
Ctrl-C (or `make stop`) stops every process it started, then the services.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import proxy  # noqa: E402
import services  # noqa: E402
from supervisor import Supervisor  # noqa: E402

STATE = ROOT / ".demo"
INI = STATE / "ckan.ini"
PIDS = STATE / "pids"
LOGS = STATE / "logs"
DROPBOX = STATE / "dropbox"
MAIL = STATE / "mail"  # the local SMTP sink writes every outgoing message here (.eml)
VENV_BIN = ROOT / ".venv" / "bin"
PORT = int(os.environ.get("SMARTCITY_DEMO_PORT", "5000"))
ADMIN_USER = "admin"
# Demo-only credentials, documented in the README; never use them on a real portal.
ADMIN_PASSWORD = os.environ.get("SMARTCITY_DEMO_ADMIN_PASSWORD", "DaNang-demo-2025")
PLUGINS = ("smartcity scheming_datasets scheming_organizations scheming_groups harvest dcat "
           "datastore activity smartcity_sql smartcity_api smartcity_file datatables_view "
           "smartcity_map smartcity_chart")


def say(msg: str) -> None:
    print(f"[demo] {msg}", flush=True)


#: the portal's own secrets, which no harvest process needs (CKAN reads its DB URLs and
#: SECRET_KEY from the ini): left out of the consumers' and jobs worker's environment
PORTAL_ONLY = ("CKAN_SECRET_KEY", "SMARTCITY_PG_SUPERUSER_PASSWORD", "SMARTCITY_PG_ADMIN_URL",
               "SMARTCITY_TEST_PG_ADMIN_URL", "SMARTCITY_CKAN_DB_PASSWORD",
               "SMARTCITY_DATASTORE_RO_PASSWORD")


def harvest_env(env: dict[str, str]) -> dict[str, str]:
    """The environment of the harvest processes: ``env`` without :data:`PORTAL_ONLY`."""
    return {k: v for k, v in env.items() if k not in PORTAL_ONLY}


def harvest_settings(pg_port: int, api_port: int) -> dict[str, str]:
    """The harvest allow-list and secrets registry of the demo's departmental systems:
    the health API on ``api_port``, the two registries on the cluster's ``pg_port``."""
    pg = f"127.0.0.1:{pg_port}"
    return {
        "allowed_hosts": f"127.0.0.1:{api_port} {pg}/dn_population {pg}/dn_enterprise",
        "secret_scopes": (f"DN_SYT_API_TOKEN so-y-te 127.0.0.1:{api_port}; "
                          f"DN_POPULATION_DB_PASSWORD cong-an-thanh-pho {pg}; "
                          f"DN_ENTERPRISE_DB_PASSWORD so-tai-chinh {pg}"),
    }


def write_ini(env: dict[str, str], smtp_port: int, api_port: int) -> None:
    template = (ROOT / "config" / "ckan.ini.tmpl").read_text()
    pg_port = urllib.parse.urlsplit(env["SMARTCITY_PG_ADMIN_URL"]).port or 5432
    INI.write_text(template.format(common_ini=str(ROOT / "config" / "ckan-common.ini"),
                                   port=PORT, plugins=PLUGINS, dropbox=str(DROPBOX),
                                   smtp_server=f"127.0.0.1:{smtp_port}",
                                   secrets_file=str(STATE / "secrets.env"),
                                   **harvest_settings(pg_port, api_port), **env))
    INI.chmod(0o600)


def ckan(*args: str, env: dict[str, str], check: bool = True, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([str(VENV_BIN / "ckan"), "-c", str(INI), *args], env=env,
                          check=check, **kw)


def ensure_admin(env: dict[str, str]) -> None:
    shown = ckan("user", "show", ADMIN_USER, env=env, capture_output=True, text=True,
                 check=False)
    if "User:None" in shown.stdout.replace(" ", "") or shown.returncode != 0:
        say(f"creating sysadmin '{ADMIN_USER}'")
        ckan("user", "add", ADMIN_USER, "email=admin@demo.invalid",
             f"password={ADMIN_PASSWORD}", env=env, stdout=subprocess.DEVNULL)
    ckan("sysadmin", "add", ADMIN_USER, env=env, stdout=subprocess.DEVNULL,
         stderr=subprocess.DEVNULL, check=False)


SUPERVISOR = Supervisor(LOGS, PIDS, say=lambda msg: say(f"supervisor: {msg}"))


def start_background(name: str, argv: list[str], env: dict[str, str]) -> subprocess.Popen:
    """Start ``argv`` as ``name`` under the demo's supervisor (pid in .demo/pids/)."""
    return SUPERVISOR.start(name, argv, env)


def _alive(pid: int) -> bool:
    try:
        if os.waitpid(pid, os.WNOHANG)[0] == pid:  # our own child: reap it
            return False
    except ChildProcessError:
        pass  # started by another `make demo`: only signals tell
    try:
        os.kill(pid, 0)
        return True
    except ProcessLookupError:
        return False


def stop_background() -> None:
    """Stop every process recorded under .demo/pids (also used by `make stop`):
    SIGTERM to all, up to 10 s for them to finish, then SIGKILL. The supervising
    `make demo` process (demo.pid) goes first, so nothing is restarted meanwhile."""
    if not PIDS.exists():
        return
    own = PIDS / "demo.pid"
    if own.exists() and own.read_text().strip() != str(os.getpid()):
        try:
            os.kill(int(own.read_text()), signal.SIGTERM)  # its handler stops the rest
        except (ProcessLookupError, ValueError, PermissionError):
            pass
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and own.exists():
            time.sleep(0.2)
        own.unlink(missing_ok=True)
    pids = {}
    for pidfile in PIDS.glob("*.pid"):
        if pidfile.name == "demo.pid":
            continue
        try:
            pids[int(pidfile.read_text())] = pidfile
            os.killpg(int(pidfile.read_text()), signal.SIGTERM)
        except (ProcessLookupError, ValueError, PermissionError):
            pass
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_alive(pid) for pid in pids):
        time.sleep(0.2)
    for pid, pidfile in pids.items():
        if _alive(pid):
            try:
                os.killpg(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        pidfile.unlink(missing_ok=True)


def web_argv(port: int) -> list[str]:
    """The web app as production serves it: gunicorn with config/gunicorn.conf.py
    (config/wsgi.py, 2 workers), on loopback. It needs CKAN_INI in its environment."""
    return [str(VENV_BIN / "gunicorn"), "-c", str(ROOT / "config" / "gunicorn.conf.py"),
            "--bind", f"127.0.0.1:{port}"]


def wait_for_web(web: subprocess.Popen, timeout: float = 180) -> None:
    """Until CKAN answers through nginx (gunicorn binds its port before its workers have
    loaded CKAN; nginx answers 502 meanwhile)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and web.poll() is None:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{PORT}/api/3/action/status_show",
                                        timeout=5):
                return
        except OSError:
            time.sleep(0.5)
    say(f"the web app is not answering; see {LOGS / 'web.log'}")


def scheduler(env: dict[str, str], stop: threading.Event) -> None:
    """What cron does in production: `ckan harvester run` every minute, and the link
    check (`ckan smartcity links check`, jobs on the worker) two minutes in, then every
    30 minutes (config/systemd/ckan-links-check.timer)."""
    minute = 0
    while not stop.wait(60):
        minute += 1
        ckan("harvester", "run", env=env, check=False, stdout=subprocess.DEVNULL,
             stderr=subprocess.DEVNULL)
        if minute % 30 == 2:
            ckan("smartcity", "links", "check", env=env, check=False,
                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def publish_upload(env: dict[str, str]) -> None:
    """A department's uploaded table (demo/upload_example.py, over the API with a token
    of `admin`); the jobs worker loads it into the DataStore."""
    try:  # published already (a second `make demo`): no new token
        with urllib.request.urlopen(f"http://127.0.0.1:{PORT}/api/3/action/package_show"
                                    "?id=ho-ngheo-theo-xa-2025", timeout=30) as answer:
            if b'"resources": [{' in answer.read():
                return
    except OSError:
        pass  # 404: not yet
    say("an uploaded table (demo/upload_example.py)")
    made = ckan("user", "token", "add", ADMIN_USER, "demo-upload", env=env,
                capture_output=True, text=True)
    token = made.stdout.strip().splitlines()[-1].strip()
    subprocess.run([str(VENV_BIN / "python"), str(ROOT / "demo" / "upload_example.py"),
                    "--url", f"http://127.0.0.1:{PORT}"],
                   env=dict(env, SMARTCITY_DEMO_TOKEN=token), check=False)


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "stop":
        stop_background()
        return 0
    stop_background()  # leftovers of an interrupted run
    PIDS.mkdir(parents=True, exist_ok=True)
    (PIDS / "demo.pid").write_text(str(os.getpid()))
    started = time.monotonic()
    env_values = services.up("demo", init_db=False)
    smtp_port, api_port = services.free_port(), services.free_port()
    write_ini(env_values, smtp_port, api_port)
    env = dict(os.environ, **env_values)
    procs = [start_background("smtp-sink", [str(VENV_BIN / "python"),
                                            str(ROOT / "demo" / "smtp_sink.py"),
                                            "--folder", str(MAIL), "--port", str(smtp_port)],
                              env)]
    services.init_ckan_db(STATE, INI, env_values, env_values["SMARTCITY_PG_ADMIN_URL"],
                          services.PROFILES["demo"]["ds_db"])
    ensure_admin(env)
    say("departments and smart-city pillars")
    ckan("smartcity", "init", env=env, stdout=subprocess.DEVNULL)

    DROPBOX.mkdir(parents=True, exist_ok=True)
    secrets_file = STATE / "secrets.env"
    say("synthetic departmental systems")
    subprocess.run([str(VENV_BIN / "python"), str(ROOT / "demo" / "seed.py"),
                    "--pg-admin-url", env_values["SMARTCITY_PG_ADMIN_URL"],
                    "--dropbox", str(DROPBOX), "--secrets-file", str(secrets_file)],
                   env=env, check=True)
    subprocess.run([str(VENV_BIN / "python"), str(ROOT / "demo" / "run_systems.py"), "start",
                    "--state-dir", str(STATE), "--port", str(api_port)], env=env, check=True)
    env.update(services.read_env(secrets_file))
    env.update(services.read_env(STATE / "systems.env"))

    say("harvest sources from harvesters/*.yaml")
    ckan("smartcity", "sources", "sync", str(ROOT / "harvesters"), env=env)
    harvesting = harvest_env(env)  # no portal secret in the harvest processes
    procs += [
        start_background("gather-consumer", [str(VENV_BIN / "ckan"), "-c", str(INI),
                                             "harvester", "gather-consumer"], harvesting),
        start_background("fetch-consumer", [str(VENV_BIN / "ckan"), "-c", str(INI),
                                            "harvester", "fetch-consumer"], harvesting),
        start_background("jobs-worker", [str(VENV_BIN / "ckan"), "-c", str(INI),
                                         "jobs", "worker"], harvesting),
    ]
    SUPERVISOR.watch()
    say("starting the demo harvests (consumers are running: watch /harvest)")
    ckan("harvester", "job-all", env=env, check=False, stdout=subprocess.DEVNULL)
    ckan("harvester", "run", env=env, check=False, stdout=subprocess.DEVNULL)
    stop = threading.Event()
    threading.Thread(target=scheduler, args=(env, stop), daemon=True).start()

    web_port = int(os.environ.get("SMARTCITY_DEMO_WEB_PORT") or services.free_port(PORT + 1))
    web = start_background("web", web_argv(web_port), dict(env, CKAN_INI=str(INI)))
    procs.append(web)
    shutil.rmtree(STATE / "nginx" / "cache", ignore_errors=True)
    procs.append(start_background("proxy", proxy.prepare(
        STATE / "nginx", INI, env, f"127.0.0.1:{PORT}", f"127.0.0.1:{web_port}"), env))
    wait_for_web(web)
    publish_upload(env)
    say(f"ready in {time.monotonic() - started:.0f} s: http://127.0.0.1:{PORT} "
        f"(user '{ADMIN_USER}', password '{ADMIN_PASSWORD}'); logs in {LOGS}; Ctrl-C stops")

    def shutdown(*_):
        stop.set()
        say("stopping")
        SUPERVISOR.stop()
        stop_background()
        subprocess.run([str(VENV_BIN / "python"), str(ROOT / "demo" / "run_systems.py"),
                        "stop", "--state-dir", str(STATE)], check=False)
        services.down("demo")
        (PIDS / "demo.pid").unlink(missing_ok=True)
        sys.exit(0)

    signal.signal(signal.SIGINT, shutdown)
    signal.signal(signal.SIGTERM, shutdown)
    while True:  # the supervisor thread restarts what fails; this only waits for Ctrl-C
        time.sleep(1)


if __name__ == "__main__":
    sys.exit(main())
