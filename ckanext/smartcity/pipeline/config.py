"""Typed readers of the harvest options (declared in ``config_declaration.yaml``)."""
from __future__ import annotations

import logging
import os
import stat
from collections import ChainMap
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import ckan.plugins.toolkit as tk

from ckanext.smartcity.readers.secrets import SecretScope, parse_scopes

if TYPE_CHECKING:
    from ckanext.smartcity.readers.limits import Limits

__all__ = ["allowed_hosts", "file_roots", "batch_size", "sources_dir", "datastore_write_url",
           "file_settle_seconds", "lock_timeout_seconds", "notify_enabled", "harvest_timeout_minutes",
           "secrets_file", "secret_env", "upload_limits", "secret_scopes", "portal_endpoints",
           "proxy_settings", "proxy_trusted", "metrics_token", "developers_example_dataset"]

log = logging.getLogger(__name__)


def _get(key: str, default: str = "") -> str:
    value = tk.config.get(key)
    return default if value in (None, "") else str(value)


def allowed_hosts() -> str:
    """``ckanext.smartcity.harvest.allowed_hosts``: hosts harvest sources may reach,
    followed by the portal's own services as denied entries (:func:`portal_endpoints`)."""
    return " ".join([_get("ckanext.smartcity.harvest.allowed_hosts"), *portal_endpoints()])


_MAINTENANCE_DBS = ("postgres", "template0", "template1")


def portal_endpoints(*, with_site: bool = True) -> list[str]:
    """The portal's own services as denied allow-list entries (``!host:port``, and
    ``!host:port/db`` for its databases): the CKAN and DataStore databases (and their
    cluster's maintenance databases), Solr, Redis, the harvest queue, SMTP and the web
    site (``ckan.site_url``, unless ``with_site`` is false: the privacy gate fetches the
    portal's own files), all read from the CKAN config. Never a harvest target."""
    denied: list[str] = []

    def add(url: str, default_port: int, databases: bool = False) -> None:
        try:
            parts = urlsplit(url if "//" in url else f"//{url}")
            host, port = parts.hostname, parts.port or default_port
        except ValueError:
            return
        if not host:
            return
        where = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
        denied.append(f"!{where}")
        if databases:
            name = parts.path.lstrip("/").split("/", 1)[0]
            denied.extend(f"!{where}/{db}" for db in (name, *_MAINTENANCE_DBS) if db)

    for key in ("sqlalchemy.url", "ckan.datastore.write_url", "ckan.datastore.read_url"):
        if _get(key):
            add(_get(key), 5432, databases=True)
    for key, port in (("solr_url", 8983), ("ckan.redis.url", 6379),
                      *((("ckan.site_url", 80),) if with_site else ()), ("smtp.server", 25)):
        if _get(key):
            add(_get(key), 443 if _get(key).startswith("https:") else port)
    if _get("ckan.harvest.mq.hostname"):
        add(f"//{_get('ckan.harvest.mq.hostname')}:{_get('ckan.harvest.mq.port', '6379')}",
            6379)
    return denied


def secret_scopes() -> dict[str, SecretScope]:
    """``ckanext.smartcity.harvest.secret_scopes``: the harvest secrets registry (each
    declaration ``NAME department host:port[,host:port…]``, by newline or ``;``).
    Malformed declarations are logged and ignored (those secrets stay unusable)."""
    scopes, problems = parse_scopes(_get("ckanext.smartcity.harvest.secret_scopes"))
    for problem in problems:
        log.warning("ckanext.smartcity.harvest.secret_scopes: %s: ignored", problem)
    return scopes


def file_roots() -> str:
    """``ckanext.smartcity.harvest.file_roots``: folders file sources must lie in."""
    return _get("ckanext.smartcity.harvest.file_roots")


def batch_size() -> int:
    """``ckanext.smartcity.harvest.batch_size``: rows per batch read from a source."""
    try:
        return max(1, int(_get("ckanext.smartcity.harvest.batch_size", "5000")))
    except ValueError:
        return 5000


def sources_dir() -> Path:
    """``ckanext.smartcity.harvest.sources_dir``, else the repository's ``harvesters/``."""
    configured = _get("ckanext.smartcity.harvest.sources_dir")
    if configured:
        return Path(configured)
    return Path(__file__).resolve().parents[3] / "harvesters"


def datastore_write_url() -> str:
    """``ckan.datastore.write_url`` (required to load DataStore tables)."""
    url = _get("ckan.datastore.write_url")
    if not url:
        raise RuntimeError("ckan.datastore.write_url is not configured")
    return url


def _int(key: str, default: int, minimum: int = 0) -> int:
    try:
        return max(minimum, int(_get(key, str(default))))
    except ValueError:
        return default


def developers_example_dataset() -> str:
    """``ckanext.smartcity.developers.example_dataset``: the dataset of /developers' examples."""
    return _get("ckanext.smartcity.developers.example_dataset",
                "dan-so-theo-xa-gioi-tinh-nhom-tuoi")


def file_settle_seconds() -> int:
    """``ckanext.smartcity.harvest.file_settle_seconds``: drop files changed more
    recently are still arriving and are not read (default 60)."""
    return _int("ckanext.smartcity.harvest.file_settle_seconds", 60)


def lock_timeout_seconds() -> int:
    """``ckanext.smartcity.harvest.lock_timeout_seconds``: longest wait for the import
    lock of a dataset name (default 600)."""
    return _int("ckanext.smartcity.harvest.lock_timeout_seconds", 600, minimum=1)


def notify_enabled() -> bool:
    """``ckanext.smartcity.notify.enabled``: mail departments about refused/failed
    tables (default true)."""
    return tk.asbool(_get("ckanext.smartcity.notify.enabled", "true"))


def harvest_timeout_minutes() -> int | None:
    """``ckan.harvest.timeout`` (ckanext-harvest's own option): a running job with no
    progress for longer is finished with an error; None when unset."""
    value = _get("ckan.harvest.timeout")
    try:
        return int(value) if value else None
    except ValueError:
        return None
def secrets_file() -> Path | None:
    """``ckanext.smartcity.harvest.secrets_file``: an env file of departmental secrets."""
    configured = _get("ckanext.smartcity.harvest.secrets_file")
    return Path(configured) if configured else None


def _read_secrets(path: Path) -> dict[str, str]:
    try:
        mode = path.stat().st_mode
        text = path.read_text(encoding="utf-8")
    except OSError as err:
        log.warning("secrets file %s cannot be read (%s)", path, type(err).__name__)
        return {}
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        # fail closed: a secrets file others can read is not used at all
        log.warning("secrets file %s is readable by others: ignored (chmod 600 it)", path)
        return {}
    values: dict[str, str] = {}
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            key, value = line.split("=", 1)
            values[key.strip()] = value.strip()
    return values


def secret_env() -> Mapping[str, str]:
    """Where readers look up ``*_env`` secrets: the process environment first, then the
    secrets file (so ``ckan -c ckan.ini harvester run-test …`` works in a plain shell)."""
    path = secrets_file()
    if path is None:
        return os.environ
    return ChainMap(dict(os.environ), _read_secrets(path))


_LIMIT_FIELDS = ("max_upload_bytes", "max_columns", "max_line_chars", "max_cell_chars",
                 "max_xlsx_uncompressed_bytes", "max_shared_strings_bytes",
                 "max_nesting_depth", "max_structured_bytes")


def upload_limits() -> Limits:
    """``ckanext.smartcity.uploads.max_*``: the bounds on reading an uploaded or linked
    file (:class:`~ckanext.smartcity.readers.limits.Limits`; defaults as declared)."""
    from ckanext.smartcity.readers.limits import DEFAULT_LIMITS, Limits
    return Limits(**{name: _int(f"ckanext.smartcity.uploads.{name}",
                                getattr(DEFAULT_LIMITS, name), minimum=1)
                     for name in _LIMIT_FIELDS})


_PROXY_INTS = {"page_ttl": 60, "cache_max_mb": 512, "api_rate": 20, "api_burst": 40,
               "search_rate": 5, "search_burst": 20, "login_rate": 10, "login_burst": 5,
               "retry_after": 10}


def proxy_settings() -> dict[str, int]:
    """``ckanext.smartcity.proxy.*``: the nginx page cache and rate limits (each a
    non-negative int; a rate of 0 would refuse everything, so rates are at least 1)."""
    out = {}
    for name, default in _PROXY_INTS.items():
        value = max(0, tk.asint(_get(f"ckanext.smartcity.proxy.{name}", str(default))))
        out[name] = max(1, value) if name.endswith("_rate") else value
    return out


def proxy_trusted() -> list[str]:
    """``ckanext.smartcity.proxy.trusted_proxies``: addresses of a TLS terminator in front
    of nginx whose ``X-Real-IP`` is believed (the rate limits then count the real client)."""
    return _get("ckanext.smartcity.proxy.trusted_proxies").split()


def metrics_token() -> str:
    """``ckanext.smartcity.metrics.token``: the bearer token that opens ``/metrics`` from
    elsewhere than loopback (empty: loopback only)."""
    return _get("ckanext.smartcity.metrics.token")
