"""Backups of a portal and their restore (``ckan smartcity backup create|restore DIR``).

A backup folder holds:

* ``ckan.dump`` and ``datastore.dump`` — ``pg_dump --format=custom`` of the CKAN database
  (datasets, resources, users, API tokens, harvest sources and their job history, upload
  load records) and of the DataStore database (the tables, their data dictionary labels:
  column comments);
* ``files.tar`` — the uploaded files under ``ckan.storage_path`` (``resources/``,
  ``storage/``; the web assets are rebuilt, not kept);
* ``names.json`` — the *names* of the secrets the harvest needs (each source's
  ``password_env``/``token_env``, the secret scopes' names) and of the harvest sources:
  never a value (the secrets file is the operator's to keep elsewhere);
* ``manifest.json`` — every file's size and SHA-256, the versions of CKAN, this extension,
  PostgreSQL and pg_dump, the site id and the time.

Each database dump is one consistent snapshot (``pg_dump`` reads in one transaction); the
two databases are dumped one after the other, CKAN first: a DataStore table loaded in
between is in the DataStore dump with its resource still marked as before, and the next
load or ``ckan smartcity uploads load`` puts them in step. For point-in-time recovery in
production use WAL archiving (README, "Backups and restore").

``restore`` checks every file against the manifest first (a changed or missing file
refuses the whole restore), then loads both dumps into the deployment's databases
(``pg_restore --clean --if-exists --no-owner``), unpacks the files into
``ckan.storage_path`` and rebuilds the search index.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import subprocess
import tarfile
from importlib import metadata
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import ckan.plugins.toolkit as tk
import sqlalchemy as sa

FORMAT = 1
DUMPS = {"ckan.dump": "sqlalchemy.url", "datastore.dump": "ckan.datastore.write_url"}
FILES = "files.tar"
NAMES = "names.json"
MANIFEST = "manifest.json"
STORED = ("resources", "storage")  # under ckan.storage_path


class BackupError(RuntimeError):
    """A backup or restore step failed; the message names the step or the file, never a
    password or a path of the server beyond the backup folder's own file names."""


def _pg_tool(name: str) -> str:
    """``pg_dump``/``pg_restore`` of the cluster's major version when installed."""
    for folder in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (folder / name).exists():
            return str(folder / name)
    found = shutil.which(name)
    if not found:
        raise BackupError(f"{name} not found: install postgresql-client")
    return found


def _pg_env(url: str) -> tuple[list[str], dict[str, str]]:
    """Connection arguments for a pg tool; the password goes in the environment only."""
    parts = urlsplit(url)
    args = ["-h", parts.hostname or "127.0.0.1", "-p", str(parts.port or 5432),
            "-U", parts.username or "", "-d", parts.path.lstrip("/")]
    env = dict(os.environ, PGPASSWORD=parts.password or "")
    return args, env


def _run(step: str, argv: list[str], env: dict[str, str]) -> str:
    res = subprocess.run(argv, env=env, capture_output=True, text=True)
    if res.returncode != 0:
        # pg tools name the object that failed; the password is never in their output
        raise BackupError(f"{step} failed ({res.returncode}): {res.stderr.strip()[-800:]}")
    return res.stdout


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "unknown"


def secret_names() -> dict[str, Any]:
    """Harvest sources and the names of the secrets they use (never a value)."""
    from ckan import model

    from ckanext.smartcity import config as options

    sources, names = [], set()
    rows = model.Session.execute(sa.text(
        "SELECT p.name, s.config FROM harvest_source s JOIN package p ON p.id = s.id "
        "ORDER BY p.name")).fetchall()
    model.Session.rollback()
    for name, config in rows:
        sources.append(name)
        try:
            parsed = json.loads(config or "{}")
        except ValueError:
            parsed = {}
        stack = [parsed]
        while stack:
            item = stack.pop()
            if isinstance(item, dict):
                for key, value in item.items():
                    if key.endswith("_env") and isinstance(value, str):
                        names.add(value)
                    else:
                        stack.append(value)
            elif isinstance(item, list):
                stack.extend(item)
    scoped = sorted(options.secret_scopes())
    return {"harvest_sources": sources, "secret_env_names": sorted(names),
            "secret_scope_names": scoped}


def create(folder: Path) -> dict[str, Any]:
    """Write a backup into ``folder`` (created; must be empty); return the manifest."""
    folder.mkdir(parents=True, exist_ok=True)
    if any(folder.iterdir()):
        raise BackupError("the backup folder is not empty")
    files: dict[str, dict[str, Any]] = {}
    pg_dump = _pg_tool("pg_dump")
    for dump, option in DUMPS.items():
        args, env = _pg_env(tk.config[option])
        _run(f"pg_dump of {dump.split('.')[0]}", [pg_dump, "--format=custom",
                                                  "--file", str(folder / dump), *args], env)
    storage = Path(tk.config.get("ckan.storage_path") or "")
    with tarfile.open(folder / FILES, "w") as tar:
        for sub in STORED:
            if storage and (storage / sub).is_dir():
                tar.add(storage / sub, arcname=sub)
    (folder / NAMES).write_text(json.dumps(secret_names(), indent=2, ensure_ascii=False),
                                encoding="utf-8")
    for name in (*DUMPS, FILES, NAMES):
        files[name] = {"bytes": (folder / name).stat().st_size, "sha256": sha256(folder / name)}
    args, env = _pg_env(tk.config["sqlalchemy.url"])
    server = _run("PostgreSQL version", ["psql", "-X", "-tA", *args, "-c", "SHOW server_version"],
                  env).strip()
    manifest = {
        "format": FORMAT, "site_id": tk.config.get("ckan.site_id"),
        "created": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "versions": {"ckan": _version("ckan"), "ckanext-smartcity": _version("ckanext-smartcity"),
                     "ckanext-harvest": _version("ckanext-harvest"), "postgresql": server,
                     "pg_dump": _run("pg_dump version", [pg_dump, "--version"], env).strip()},
        "files": files,
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return manifest


def verify(folder: Path) -> dict[str, Any]:
    """The manifest, once every file it lists has its size and SHA-256."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise BackupError(f"{MANIFEST}: not readable ({type(err).__name__})") from err
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{MANIFEST}: format {manifest.get('format')!r}, expected {FORMAT}")
    for name, expected in manifest["files"].items():
        path = folder / name
        if "/" in name or not path.is_file():
            raise BackupError(f"{name}: missing from the backup")
        if path.stat().st_size != expected["bytes"] or sha256(path) != expected["sha256"]:
            raise BackupError(f"{name}: size or SHA-256 differs from the manifest")
    return manifest


def restore(folder: Path) -> dict[str, Any]:
    """Restore the backup in ``folder`` into this deployment; return its manifest."""
    manifest = verify(folder)
    pg_restore = _pg_tool("pg_restore")
    for dump, option in DUMPS.items():
        args, env = _pg_env(tk.config[option])
        _run(f"pg_restore of {dump.split('.')[0]}",
             [pg_restore, "--clean", "--if-exists", "--no-owner", "--exit-on-error",
              "--single-transaction", *args, str(folder / dump)], env)
    storage = Path(tk.config.get("ckan.storage_path") or "")
    with tarfile.open(folder / FILES) as tar:
        for member in tar.getmembers():
            if member.name.split("/", 1)[0] not in STORED or not (member.isfile()
                                                                   or member.isdir()):
                raise BackupError(f"{FILES}: unexpected entry {member.name[:80]!r}")
        for sub in STORED:
            shutil.rmtree(storage / sub, ignore_errors=True)
        tar.extractall(storage, filter="data")
    from ckan import model
    from ckan.lib import search

    model.Session.remove()
    search.rebuild(force=False, defer_commit=True)
    search.commit()
    return manifest
