#!/usr/bin/env python3
"""Start (or reuse) the services the portal needs: PostgreSQL, Redis and Solr.

Used by both `make demo` (profile ``demo``, state in ``.demo/``) and `make test`
(profile ``test``, state in ``.test/``), so the demo and the test suite never share a
database, a Redis or a Solr core.

    python scripts/services.py up   --profile test   # install what is missing, start, init
    python scripts/services.py down --profile test   # stop what this profile started
    python scripts/services.py env  --profile test   # print the environment file

Everything a profile started is recorded under its state folder; a second ``up`` reuses
what is running and is ready in seconds. Point the portal at external services instead
by exporting SMARTCITY_PG_ADMIN_URL, SMARTCITY_REDIS_URL and/or SMARTCITY_SOLR_URL
(see README, "External services"). Stdlib only: it runs before the virtualenv exists.
"""
from __future__ import annotations

import argparse
import hashlib
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_BIN = Path(os.environ.get("SMARTCITY_PG_BIN", "/usr/lib/postgresql/15/bin"))
CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "ckanext-smartcity"
sys.path.insert(0, str(ROOT / "scripts"))

# binary -> Debian package that provides it
SYSTEM_PACKAGES = {
    str(PG_BIN / "initdb"): "postgresql-15",
    "psql": "postgresql-client-15",
    "redis-server": "redis-server",
    "java": "openjdk-17-jdk-headless",
    "mvn": "maven",
    "/usr/lib/x86_64-linux-gnu/libmagic.so.1": "libmagic1",
    # the reverse proxy in front of gunicorn (config/nginx/): page cache keyed by the
    # search cache's write generation, read from Redis by the Lua module
    "/usr/sbin/nginx": "nginx",
    "/usr/share/nginx/modules-available/mod-http-lua.conf": "libnginx-mod-http-lua",
    "/usr/share/lua/5.1/nginx/redis.lua": "lua-nginx-redis",
}
# only for the test suite: the browser test and a real MariaDB departmental system
TEST_PACKAGES = {"/usr/bin/chromium": "chromium", "/usr/bin/chromedriver": "chromium-driver",
                 "/usr/sbin/mariadbd": "mariadb-server"}


def log(msg: str) -> None:
    print(f"[services] {msg}", flush=True)


class ServiceError(RuntimeError):
    """A service could not be installed or started; the message says what to do."""


# ---------------------------------------------------------------- installation
def _missing(packages: dict[str, str]) -> list[str]:
    out = []
    for binary, package in packages.items():
        found = Path(binary).exists() if binary.startswith("/") else shutil.which(binary)
        if not found and package not in out:
            out.append(package)
    return out


def ensure_packages(packages: dict[str, str]) -> None:
    """Install missing Debian packages when root; otherwise say which to install."""
    missing = _missing(packages)
    if not missing:
        return
    if os.geteuid() != 0:
        raise ServiceError(
            "missing system packages: " + " ".join(missing)
            + "\n  install them with: sudo apt-get update && sudo apt-get install -y "
            + " ".join(missing))
    log("installing Debian packages: " + " ".join(missing))
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing],
                   check=True, env=env)
    # Debian starts its own cluster/redis on install; ours run on other ports, so leave them.


# ---------------------------------------------------------------- helpers
def free_port(preferred: int | None = None) -> int:
    for port in ([preferred] if preferred else []):
        if not port_open(port):
            return port
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_open(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex((host, port)) == 0


def read_env(path: Path) -> dict[str, str]:
    if not path.exists():
        return {}
    out = {}
    for line in path.read_text().splitlines():
        if "=" in line and not line.lstrip().startswith("#"):
            key, value = line.split("=", 1)
            out[key.strip()] = value.strip()
    return out


def write_env(path: Path, values: dict[str, str]) -> None:
    lines = ["# written by scripts/services.py; holds local dev passwords: never commit"]
    lines += [f"{k}={v}" for k, v in values.items()]
    path.write_text("\n".join(lines) + "\n")
    path.chmod(0o600)


def as_pg_user() -> list[str]:
    """Prefix for commands that PostgreSQL refuses to run as root."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--"]
    return []


def run(cmd: list[str], **kw) -> subprocess.CompletedProcess:
    kw.setdefault("check", True)
    return subprocess.run(cmd, **kw)


# ---------------------------------------------------------------- PostgreSQL
class Postgres:
    """A project-local PostgreSQL cluster (data under the profile's state folder)."""

    def __init__(self, state: Path, port: int, password: str):
        self.state = state
        self.port = port
        self.password = password
        self.data = self._data_dir()
        self.sock = self.data.parent / "run"

    def _data_dir(self) -> Path:
        wanted = self.state / "pg"
        if os.geteuid() != 0:
            return wanted / "data"
        # The postgres user must be able to reach the folder; a clone under /root cannot.
        probe = subprocess.run(["runuser", "-u", "postgres", "--", "test", "-x", str(self.state)],
                               capture_output=True)
        if probe.returncode == 0:
            return wanted / "data"
        tag = hashlib.sha1(str(self.state).encode()).hexdigest()[:12]
        outside = Path("/var/lib/ckanext-smartcity") / tag
        outside.mkdir(parents=True, exist_ok=True)
        if not wanted.exists():
            wanted.symlink_to(outside)
        return outside / "data"

    @property
    def admin_url(self) -> str:
        pw = urllib.parse.quote(self.password, safe="")
        return f"postgresql://postgres:{pw}@127.0.0.1:{self.port}/postgres"

    def _chown(self, path: Path) -> None:
        if os.geteuid() == 0:
            pg = pwd.getpwnam("postgres")
            os.chown(path, pg.pw_uid, pg.pw_gid)

    def ensure(self) -> None:
        self.data.parent.mkdir(parents=True, exist_ok=True)
        self._chown(self.data.parent)
        if not (self.data / "PG_VERSION").exists():
            log(f"creating PostgreSQL cluster in {self.data}")
            self.sock.mkdir(exist_ok=True)
            self._chown(self.sock)
            pwfile = self.data.parent / "pwfile"
            pwfile.write_text(self.password + "\n")
            self._chown(pwfile)
            run(as_pg_user() + [str(PG_BIN / "initdb"), "-D", str(self.data), "-U", "postgres",
                                "--pwfile", str(pwfile), "--auth-local=trust",
                                "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8"],
                stdout=subprocess.DEVNULL)
            pwfile.unlink()
            with open(self.data / "postgresql.conf", "a") as conf:
                conf.write(
                    "\n# ckanext-smartcity local cluster\n"
                    "listen_addresses = '127.0.0.1'\n"
                    f"unix_socket_directories = '{self.sock}'\n"
                    "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n"
                    "max_connections = 200\nshared_buffers = 256MB\n")
        if self.running():
            return
        if port_open(self.port):
            raise ServiceError(f"port {self.port} is taken by another program; remove "
                               f"SMARTCITY_PG_PORT from {self.state}/services.env to pick another")
        log(f"starting PostgreSQL on 127.0.0.1:{self.port}")
        run(as_pg_user() + [str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l",
                            str(self.data.parent / "postgresql.log"), "-w", "-t", "60",
                            "-o", f"-p {self.port}", "start"], stdout=subprocess.DEVNULL)

    def running(self) -> bool:
        res = subprocess.run(as_pg_user() + [str(PG_BIN / "pg_ctl"), "-D", str(self.data),
                                             "status"], capture_output=True)
        return res.returncode == 0 and port_open(self.port)

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            log("stopping PostgreSQL")
            subprocess.run(as_pg_user() + [str(PG_BIN / "pg_ctl"), "-D", str(self.data),
                                           "-m", "fast", "-w", "stop"], capture_output=True)


def psql(admin_url: str, sql: str, db: str | None = None, capture: bool = False) -> str:
    url = admin_url if db is None else admin_url.rsplit("/", 1)[0] + "/" + db
    res = run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-tA", url, "-c", sql],
              capture_output=True, text=True)
    return res.stdout.strip() if capture else ""


def ensure_role(admin_url: str, role: str, password: str) -> None:
    exists = psql(admin_url, f"SELECT 1 FROM pg_roles WHERE rolname = '{role}'", capture=True)
    verb = "ALTER" if exists else "CREATE"
    psql(admin_url, f"{verb} ROLE \"{role}\" LOGIN PASSWORD '{password}'")


def ensure_db(admin_url: str, db: str, owner: str) -> bool:
    exists = psql(admin_url, f"SELECT 1 FROM pg_database WHERE datname = '{db}'", capture=True)
    if not exists:
        psql(admin_url, f'CREATE DATABASE "{db}" OWNER "{owner}" ENCODING \'UTF8\' '
                        "TEMPLATE template0")
        return True
    return False


# ---------------------------------------------------------------- Redis
def ensure_redis(state: Path, port: int) -> None:
    folder = state / "redis"
    folder.mkdir(parents=True, exist_ok=True)
    pidfile = folder / "redis.pid"
    if pidfile.exists() and port_open(port):
        return
    if port_open(port):
        raise ServiceError(f"port {port} is taken by another program; remove "
                           f"SMARTCITY_REDIS_PORT from {state}/services.env to pick another")
    log(f"starting Redis on 127.0.0.1:{port}")
    run(["redis-server", "--bind", "127.0.0.1", "--port", str(port), "--daemonize", "yes",
         "--pidfile", str(pidfile), "--dir", str(folder), "--logfile", str(folder / "redis.log"),
         "--save", "", "--appendonly", "no"])
    for _ in range(50):
        if port_open(port):
            return
        time.sleep(0.1)
    raise ServiceError(f"Redis did not start; see {folder / 'redis.log'}")


def harvest_safe_redis_url(url: str) -> str:
    """The Redis URL with a socket timeout the harvest consumers survive.

    ckanext-harvest's consumers wait on BLPOP without a timeout, and redis-py 8 (pinned by
    CKAN 2.12) drops a socket after 5 s of silence by default, so an idle consumer would
    die. The harvest queue reads `ckan.redis.url`, hence the timeout goes on that URL."""
    parts = urllib.parse.urlsplit(url)
    query = dict(urllib.parse.parse_qsl(parts.query))
    query.setdefault("socket_timeout", str(REDIS_IDLE_TIMEOUT_S))
    return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(query)))


REDIS_IDLE_TIMEOUT_S = 7 * 24 * 3600


def stop_pidfile(pidfile: Path, name: str) -> None:
    if not pidfile.exists():
        return
    try:
        pid = int(pidfile.read_text().strip())
        log(f"stopping {name}")
        os.kill(pid, 15)
        for _ in range(100):
            os.kill(pid, 0)
            time.sleep(0.1)
    except (ProcessLookupError, ValueError):
        pass
    pidfile.unlink(missing_ok=True)


# ---------------------------------------------------------------- CKAN database
def ckan_schema_xml() -> Path:
    venv_python = ROOT / ".venv" / "bin" / "python"
    out = run([str(venv_python), "-c", "import ckan, os; print(os.path.dirname(ckan.__file__))"],
              capture_output=True, text=True).stdout.strip()
    return Path(out) / "config" / "solr" / "schema.xml"


def init_ckan_db(state: Path, ini: Path, env: dict[str, str], admin_url: str, ds_db: str) -> None:
    """`ckan db init`, harvest migrations and DataStore permissions, once per config."""
    ckan = str(ROOT / ".venv" / "bin" / "ckan")
    stamp = state / "ckan-db.stamp"
    key = hashlib.sha1((ini.read_text() + env["CKAN_SQLALCHEMY_URL"]).encode()).hexdigest()
    if stamp.exists() and stamp.read_text() == key:
        return
    full_env = dict(os.environ, **env)
    log("initialising the CKAN database (db init, harvest migrations, datastore permissions)")
    run([ckan, "-c", str(ini), "db", "init"], env=full_env, stdout=subprocess.DEVNULL)
    run([ckan, "-c", str(ini), "db", "upgrade", "-p", "harvest"], env=full_env,
        stdout=subprocess.DEVNULL)
    sql = run([ckan, "-c", str(ini), "datastore", "set-permissions"], env=full_env,
              capture_output=True, text=True).stdout
    run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", admin_url.rsplit("/", 1)[0] + "/" + ds_db],
        input=sql, text=True, stdout=subprocess.DEVNULL)
    stamp.write_text(key)


# ---------------------------------------------------------------- orchestration
PROFILES = {
    "demo": {"state": ".demo", "ckan_db": "ckan", "ds_db": "datastore", "ini": ".demo/ckan.ini"},
    "test": {"state": ".test", "ckan_db": "ckan_test", "ds_db": "datastore_test",
             "ini": "test.ini"},
}


def up(profile: str, init_db: bool = True) -> dict[str, str]:
    """Make every service of `profile` ready; return (and write) its environment."""
    spec = PROFILES[profile]
    state = ROOT / spec["state"]
    state.mkdir(exist_ok=True)
    env_path = state / "services.env"
    old = read_env(env_path)
    ext_pg = os.environ.get("SMARTCITY_PG_ADMIN_URL")
    if ext_pg and ext_pg == old.get("SMARTCITY_PG_ADMIN_URL") and old.get("SMARTCITY_PG_PORT"):
        ext_pg = None  # our own cluster's URL, exported from services.env: not external
    ext_solr = os.environ.get("SMARTCITY_SOLR_URL")
    ext_redis = os.environ.get("SMARTCITY_REDIS_URL")

    packages = dict(SYSTEM_PACKAGES)
    if profile == "test":
        packages.update(TEST_PACKAGES)
    if ext_pg:
        packages = {k: v for k, v in packages.items() if v not in ("postgresql-15",)}
    if ext_redis:
        packages = {k: v for k, v in packages.items() if v != "redis-server"}
    if ext_solr:
        packages = {k: v for k, v in packages.items()
                    if v not in ("openjdk-17-jdk-headless", "maven")}
    ensure_packages(packages)

    env: dict[str, str] = {}
    pw = old.get("SMARTCITY_PG_SUPERUSER_PASSWORD") or secrets.token_urlsafe(18)
    if ext_pg:
        admin_url = ext_pg
    else:
        pg_port = int(old.get("SMARTCITY_PG_PORT") or free_port())
        pg = Postgres(state, pg_port, pw)
        pg.ensure()
        admin_url = pg.admin_url
        env["SMARTCITY_PG_PORT"] = str(pg_port)
        env["SMARTCITY_PG_SUPERUSER_PASSWORD"] = pw
    env["SMARTCITY_PG_ADMIN_URL"] = admin_url

    parsed = urllib.parse.urlsplit(admin_url)
    host = f"{parsed.hostname}:{parsed.port or 5432}"
    ckan_pw = old.get("SMARTCITY_CKAN_DB_PASSWORD") or secrets.token_urlsafe(18)
    ro_pw = old.get("SMARTCITY_DATASTORE_RO_PASSWORD") or secrets.token_urlsafe(18)
    ckan_role, ro_role = f"ckan_{profile}", f"datastore_ro_{profile}"
    ensure_role(admin_url, ckan_role, ckan_pw)
    ensure_role(admin_url, ro_role, ro_pw)
    ensure_db(admin_url, spec["ckan_db"], ckan_role)
    ensure_db(admin_url, spec["ds_db"], ckan_role)
    env.update({
        "SMARTCITY_CKAN_DB_PASSWORD": ckan_pw,
        "SMARTCITY_DATASTORE_RO_PASSWORD": ro_pw,
        "CKAN_SQLALCHEMY_URL": f"postgresql://{ckan_role}:{ckan_pw}@{host}/{spec['ckan_db']}",
        "CKAN_DATASTORE_WRITE_URL": f"postgresql://{ckan_role}:{ckan_pw}@{host}/{spec['ds_db']}",
        "CKAN_DATASTORE_READ_URL": f"postgresql://{ro_role}:{ro_pw}@{host}/{spec['ds_db']}",
    })

    if ext_redis:
        redis_url = ext_redis
    else:
        redis_port = int(old.get("SMARTCITY_REDIS_PORT") or free_port())
        ensure_redis(state, redis_port)
        env["SMARTCITY_REDIS_PORT"] = str(redis_port)
        redis_url = f"redis://127.0.0.1:{redis_port}/0"
    env["CKAN_REDIS_URL"] = harvest_safe_redis_url(redis_url)

    if ext_solr:
        solr_url = ext_solr
    else:
        import solr as solr_mod  # scripts/solr.py
        solr_port = int(old.get("SMARTCITY_SOLR_PORT") or free_port())
        base = solr_mod.ensure_started(CACHE / "solr", state / "solr", solr_port, ["ckan"],
                                       ckan_schema_xml(), "512m")
        env["SMARTCITY_SOLR_PORT"] = str(solr_port)
        solr_url = base.rstrip("/") + "/ckan"
    env["CKAN_SOLR_URL"] = solr_url

    storage = state / "storage"
    storage.mkdir(exist_ok=True)
    env["CKAN_STORAGE_PATH"] = str(storage)
    env["SMARTCITY_STATE_DIR"] = str(state)
    env["CKAN_SECRET_KEY"] = old.get("CKAN_SECRET_KEY") or secrets.token_urlsafe(32)
    if profile == "test":
        env["SMARTCITY_TEST_PG_ADMIN_URL"] = admin_url
    write_env(env_path, env)

    ini = ROOT / spec["ini"]
    if init_db and ini.exists():
        init_ckan_db(state, ini, env, admin_url, spec["ds_db"])
    log(f"{profile} services ready (environment in {env_path.relative_to(ROOT)})")
    return env


def down(profile: str) -> None:
    state = ROOT / PROFILES[profile]["state"]
    env = read_env(state / "services.env")
    if (state / "solr").exists():
        import solr as solr_mod
        solr_mod.stop(state / "solr")
    stop_pidfile(state / "redis" / "redis.pid", "Redis")
    if env.get("SMARTCITY_PG_PORT"):
        Postgres(state, int(env["SMARTCITY_PG_PORT"]), "").stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("command", choices=["up", "down", "env"])
    parser.add_argument("--profile", choices=sorted(PROFILES), default="test")
    parser.add_argument("--no-init-db", action="store_true",
                        help="do not run ckan db init (the caller does it)")
    args = parser.parse_args(argv)
    try:
        if args.command == "up":
            up(args.profile, init_db=not args.no_init_db)
        elif args.command == "down":
            down(args.profile)
        else:
            print((ROOT / PROFILES[args.profile]["state"] / "services.env").read_text(), end="")
    except ServiceError as err:
        print(f"[services] ERROR: {err}", file=sys.stderr)
        return 1
    except subprocess.CalledProcessError as err:
        print(f"[services] ERROR: command failed ({err.returncode}): {err.cmd[0]} ...",
              file=sys.stderr)
        if err.stderr:
            print(err.stderr if isinstance(err.stderr, str) else err.stderr.decode(),
                  file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
