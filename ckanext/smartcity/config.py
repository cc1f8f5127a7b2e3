"""The plugin's options, read in one place: one function per option declared in
``config_declaration.yaml``, typed as declared there.

CKAN normalises declared options when it loads the ini, but a value set later (a test's
``ckan_config``, ``tk.config[...] = "0"``) stays text: each reader here returns the
declared type whatever it finds, the declared default when the option is empty, and the
default (with a warning) when the value is not of its type. Call sites never cast.
CKAN is imported when an option is read, not when this module is.
"""
from __future__ import annotations

import functools
import logging
import os
import stat
from collections import ChainMap
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import yaml

from ckanext.smartcity.readers.secrets import SecretScope, parse_scopes

if TYPE_CHECKING:
    from ckanext.smartcity.readers.limits import Limits

__all__ = ["harvest_allowed_hosts", "allowed_hosts", "secret_scopes", "file_roots",
           "batch_size", "sources_dir", "file_settle_seconds", "lock_timeout_seconds",
           "notify_enabled", "secrets_file", "fetch_allowed_hosts", "fetch_max_bytes",
           "fetch_timeout", "upload_limit", "upload_limits", "link_allowed_hosts",
           "link_timeout", "link_max_bytes", "search_cache_ttl",
           "datastore_write_url", "harvest_timeout_minutes", "secret_env", "site_host",
           "portal_endpoints", "declared", "proxy_settings", "proxy_trusted",
           "metrics_token", "developers_example_dataset"]

log = logging.getLogger(__name__)

PREFIX = "ckanext.smartcity."
_DECLARATION = Path(__file__).with_name("config_declaration.yaml")


@functools.cache
def declared() -> dict[str, Any]:
    """``{option key: declared default}`` from ``config_declaration.yaml`` (the default's
    type is the option's: ``int`` for ``type: int``, ``bool`` for ``type: bool``)."""
    data = yaml.safe_load(_DECLARATION.read_text(encoding="utf-8"))
    found: dict[str, Any] = {}
    for group in data["groups"]:
        for option in group["options"]:
            kind = option.get("type", "str")
            default = option.get("default", "")
            found[option["key"]] = {"int": int, "bool": _asbool}.get(kind, str)(default)
    return found


def _asbool(value: Any) -> bool:
    from ckan.plugins.toolkit import asbool
    return asbool(value)


def _get(key: str) -> Any:
    from ckan.plugins.toolkit import config
    return config.get(key)


def _read(key: str) -> Any:
    """The option ``key`` in its declared type (see module)."""
    default = declared()[key]
    value = _get(key)
    if value is None or value == "":
        return default
    if isinstance(default, bool):
        try:
            return _asbool(value)
        except ValueError:
            log.warning("%s: not a boolean; %s used", key, default)
            return default
    if isinstance(default, int):
        try:
            return int(value)
        except (TypeError, ValueError):
            log.warning("%s: not a whole number; %s used", key, default)
            return default
    return str(value)


def _text(key: str) -> str:
    value = _get(key)
    return "" if value in (None, "") else str(value)


# ------------------------------------------------------------------- harvests

def harvest_allowed_hosts() -> str:
    """``ckanext.smartcity.harvest.allowed_hosts`` as configured: the hosts (and ports,
    databases) harvest sources may reach."""
    return _read(PREFIX + "harvest.allowed_hosts")


def allowed_hosts() -> str:
    """The harvest allow-list the harvesters use: :func:`harvest_allowed_hosts` followed
    by the portal's own services as denied entries (:func:`portal_endpoints`)."""
    return " ".join([harvest_allowed_hosts(), *portal_endpoints()])


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
        if _text(key):
            add(_text(key), 5432, databases=True)
    for key, port in (("solr_url", 8983), ("ckan.redis.url", 6379),
                      *((("ckan.site_url", 80),) if with_site else ()), ("smtp.server", 25)):
        if _text(key):
            add(_text(key), 443 if _text(key).startswith("https:") else port)
    if _text("ckan.harvest.mq.hostname"):
        port = _text("ckan.harvest.mq.port") or "6379"
        add(f"//{_text('ckan.harvest.mq.hostname')}:{port}", 6379)
    return denied


def secret_scopes() -> dict[str, SecretScope]:
    """``ckanext.smartcity.harvest.secret_scopes``: the harvest secrets registry (each
    declaration ``NAME department host:port[,host:port…]``, by newline or ``;``).
    Malformed declarations are logged and ignored (those secrets stay unusable)."""
    scopes, problems = parse_scopes(_read(PREFIX + "harvest.secret_scopes"))
    for problem in problems:
        log.warning("ckanext.smartcity.harvest.secret_scopes: %s: ignored", problem)
    return scopes


def file_roots() -> str:
    """``ckanext.smartcity.harvest.file_roots``: folders file sources must lie in."""
    return _read(PREFIX + "harvest.file_roots")


def batch_size() -> int:
    """``ckanext.smartcity.harvest.batch_size``: rows per batch read from a source."""
    return max(1, _read(PREFIX + "harvest.batch_size"))


def sources_dir() -> Path:
    """``ckanext.smartcity.harvest.sources_dir``, else the repository's ``harvesters/``."""
    configured = _read(PREFIX + "harvest.sources_dir")
    if configured:
        return Path(configured)
    return Path(__file__).resolve().parents[2] / "harvesters"


def file_settle_seconds() -> int:
    """``ckanext.smartcity.harvest.file_settle_seconds``: drop files changed more
    recently are still arriving and are not read (default 60)."""
    return max(0, _read(PREFIX + "harvest.file_settle_seconds"))


def lock_timeout_seconds() -> int:
    """``ckanext.smartcity.harvest.lock_timeout_seconds``: longest wait for the import
    lock of a dataset name (default 600)."""
    return max(1, _read(PREFIX + "harvest.lock_timeout_seconds"))


def notify_enabled() -> bool:
    """``ckanext.smartcity.notify.enabled``: mail departments about refused/failed
    tables (default true)."""
    return _read(PREFIX + "notify.enabled")


def secrets_file() -> Path | None:
    """``ckanext.smartcity.harvest.secrets_file``: an env file of departmental secrets."""
    configured = _read(PREFIX + "harvest.secrets_file")
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


def datastore_write_url() -> str:
    """``ckan.datastore.write_url`` (required to load DataStore tables)."""
    url = _text("ckan.datastore.write_url")
    if not url:
        raise RuntimeError("ckan.datastore.write_url is not configured")
    return url


def harvest_timeout_minutes() -> int | None:
    """``ckan.harvest.timeout`` (ckanext-harvest's own option): a running job with no
    progress for longer is finished with an error; None when unset."""
    value = _text("ckan.harvest.timeout")
    try:
        return int(value) if value else None
    except ValueError:
        return None


def site_host() -> str:
    """The host (and port) of ``ckan.site_url``."""
    return urlsplit(_text("ckan.site_url")).netloc


# --------------------------------------------------------- the privacy gate's fetch

def fetch_allowed_hosts() -> str:
    """``ckanext.smartcity.privacy.fetch_allowed_hosts`` as configured (empty: the
    harvest allow-list and the portal's host; see ``gate.fetch_limits``)."""
    return _read(PREFIX + "privacy.fetch_allowed_hosts")


def fetch_max_bytes() -> int:
    """``ckanext.smartcity.privacy.fetch_max_bytes``: the most a linked table may weigh
    (0: the declared default)."""
    return _read(PREFIX + "privacy.fetch_max_bytes") or declared()[
        PREFIX + "privacy.fetch_max_bytes"]


def fetch_timeout() -> int:
    """``ckanext.smartcity.privacy.fetch_timeout``: seconds for one fetch (0: the
    declared default)."""
    return _read(PREFIX + "privacy.fetch_timeout") or declared()[
        PREFIX + "privacy.fetch_timeout"]


# ------------------------------------------------------------------- uploads

_LIMIT_FIELDS = ("max_upload_bytes", "max_columns", "max_line_chars", "max_cell_chars",
                 "max_xlsx_uncompressed_bytes", "max_shared_strings_bytes",
                 "max_nesting_depth", "max_structured_bytes")


def upload_limit(name: str) -> int:
    """``ckanext.smartcity.uploads.<name>`` (one of the ``max_*`` options), at least 1."""
    if name not in _LIMIT_FIELDS:
        raise KeyError(name)
    return max(1, _read(f"{PREFIX}uploads.{name}"))


def upload_limits() -> Limits:
    """``ckanext.smartcity.uploads.max_*``: the bounds on reading an uploaded or linked
    file (:class:`~ckanext.smartcity.readers.limits.Limits`; defaults as declared)."""
    from ckanext.smartcity.readers.limits import Limits
    return Limits(**{name: upload_limit(name) for name in _LIMIT_FIELDS})


# ---------------------------------------------------------------- link checks

def link_allowed_hosts() -> str:
    """``ckanext.smartcity.links.allowed_hosts`` as configured (empty: the harvest
    allow-list and the portal's host; see ``quality.reachability.allowed_hosts``)."""
    return _read(PREFIX + "links.allowed_hosts")


def link_timeout() -> int:
    """``ckanext.smartcity.links.timeout``: seconds for one link check (0: the default)."""
    return _read(PREFIX + "links.timeout") or declared()[PREFIX + "links.timeout"]


def link_max_bytes() -> int:
    """``ckanext.smartcity.links.max_bytes``: the most a link check reads (0: the
    default)."""
    return _read(PREFIX + "links.max_bytes") or declared()[PREFIX + "links.max_bytes"]


# ------------------------------------------------------------------- search

def search_cache_ttl() -> int:
    """``ckanext.smartcity.search_cache.ttl``: seconds an anonymous search answer is
    kept (0 turns the cache off)."""
    return _read(PREFIX + "search_cache.ttl")


# ------------------------------------------------------------ the web's front

#: the nginx page cache and rate-limit options (``ckanext.smartcity.proxy.<name>``, ints)
_PROXY_INTS = ("page_ttl", "cache_max_mb", "api_rate", "api_burst", "search_rate",
               "search_burst", "login_rate", "login_burst", "retry_after")


def proxy_settings() -> dict[str, int]:
    """``ckanext.smartcity.proxy.*``: the nginx page cache and rate limits (each a
    non-negative int; a rate of 0 would refuse everything, so rates are at least 1)."""
    out = {}
    for name in _PROXY_INTS:
        value = max(0, _read(f"{PREFIX}proxy.{name}"))
        out[name] = max(1, value) if name.endswith("_rate") else value
    return out


def proxy_trusted() -> list[str]:
    """``ckanext.smartcity.proxy.trusted_proxies``: addresses of a TLS terminator in front
    of nginx whose ``X-Real-IP`` is believed (the rate limits then count the real client)."""
    return _read(PREFIX + "proxy.trusted_proxies").split()


def metrics_token() -> str:
    """``ckanext.smartcity.metrics.token``: the bearer token that opens ``/metrics`` from
    elsewhere than loopback (empty: loopback only)."""
    return _read(PREFIX + "metrics.token")


def developers_example_dataset() -> str:
    """``ckanext.smartcity.developers.example_dataset``: the dataset of /developers'
    examples."""
    return _read(PREFIX + "developers.example_dataset")
