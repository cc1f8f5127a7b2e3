"""The nginx configuration of the portal, rendered from the CKAN config.

The templates are in ``config/nginx/`` (``smartcity.conf.tmpl`` and the two files it
includes); every ``@@NAME@@`` is filled here from the CKAN config: the page cache's ttl and
the rate limits (``ckanext.smartcity.proxy.*``, read by
:func:`ckanext.smartcity.config.proxy_settings`), Redis (``ckan.redis.url``: the
page cache key holds the search cache's write generation, read from there by nginx's Lua
module) and the web assets folder (under ``ckan.storage_path``).

    ckan -c ckan.ini smartcity proxy render PREFIX --listen 127.0.0.1:5000 \
        --upstream 127.0.0.1:5001
"""
from __future__ import annotations

import getpass
import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import ckan.plugins.toolkit as tk

from ckanext.smartcity import config as options

TEMPLATES = Path(__file__).resolve().parents[3] / "config" / "nginx"
FILES = ("smartcity.conf", "page_cache.conf", "proxy_params.conf")
_PLACEHOLDER = re.compile(r"@@([A-Z_]+)@@")


class ProxyConfigError(ValueError):
    """A value the nginx config cannot take; the message names the option."""


def generation_key() -> str:
    """The Redis key of the search cache's write generation (search_cache.invalidate)."""
    return f"smartcity:search:{tk.config.get('ckan.site_id') or 'default'}:generation"


def _address(value: str, option: str) -> str:
    if not re.fullmatch(r"[A-Za-z0-9.:\[\]-]+:\d{1,5}", value):
        raise ProxyConfigError(f"{option}: expected host:port")
    return value


def _network(value: str) -> str:
    import ipaddress
    try:
        return str(ipaddress.ip_network(value, strict=False))
    except ValueError:
        raise ProxyConfigError("ckanext.smartcity.proxy.trusted_proxies: expected addresses "
                               "or networks") from None


def values(prefix: Path, listen: str, upstream: str, user: str | None = None) -> dict[str, str]:
    """The placeholders' values for a proxy with its state under ``prefix``."""
    settings = options.proxy_settings()
    redis = urlsplit(tk.config.get("ckan.redis.url") or "redis://127.0.0.1:6379/0")
    if redis.password:
        raise ProxyConfigError("ckan.redis.url: the proxy's page cache reads the generation "
                               "from a Redis without a password (bind it to loopback)")
    db = (redis.path or "/0").lstrip("/") or "0"
    storage = tk.config.get("ckan.storage_path") or ""
    webassets = tk.config.get("ckan.webassets.path") or os.path.join(storage, "webassets")
    user = user or getpass.getuser()
    return {
        "PREFIX": str(prefix), "LISTEN": _address(listen, "--listen"),
        "UPSTREAM": _address(upstream, "--upstream"),
        # workers run as the portal's user (they read the web assets it builds); only a
        # master started as root switches user
        "USER_LINE": f"user {user};" if os.geteuid() == 0 else "",
        "WEBASSETS": webassets, "STORAGE": storage,
        "MAX_BODY_MB": str(tk.asint(tk.config.get("ckan.max_resource_size") or 10) + 1),
        "REDIS_HOST": redis.hostname or "127.0.0.1", "REDIS_PORT": str(redis.port or 6379),
        "REDIS_DB": str(int(db)), "GENERATION_KEY": generation_key(),
        "PAGE_TTL": str(settings["page_ttl"]), "CACHE_MB": str(max(1, settings["cache_max_mb"])),
        "API_RATE": str(settings["api_rate"]), "API_BURST": str(settings["api_burst"]),
        "SEARCH_RATE": str(settings["search_rate"]),
        "SEARCH_BURST": str(settings["search_burst"]),
        "LOGIN_RATE": str(settings["login_rate"]), "LOGIN_BURST": str(settings["login_burst"]),
        "RETRY_AFTER": str(settings["retry_after"]),
        "REAL_IP": "".join(f"    set_real_ip_from {_network(net)};\n"
                           for net in options.proxy_trusted()) +
                   ("    real_ip_header X-Real-IP;" if options.proxy_trusted() else ""),
    }


def render_text(template: str, filled: dict[str, str]) -> str:
    """``template`` with every ``@@NAME@@`` replaced; an unknown name is an error."""
    def one(match: re.Match[str]) -> str:
        if match.group(1) not in filled:
            raise ProxyConfigError(f"config/nginx: no value for @@{match.group(1)}@@")
        return filled[match.group(1)]
    return _PLACEHOLDER.sub(one, template)


def render(prefix: Path, listen: str, upstream: str, user: str | None = None) -> Path:
    """Write the nginx config under ``prefix`` (with its logs/, tmp/, cache/ folders);
    return the path of ``nginx.conf``."""
    filled = values(prefix, listen, upstream, user)
    if int(filled["PAGE_TTL"]) == 0:
        filled["PAGE_TTL"] = "0"
    for folder in ("logs", "tmp", "cache"):
        (prefix / folder).mkdir(parents=True, exist_ok=True)
    for name in FILES:
        text = render_text((TEMPLATES / f"{name}.tmpl").read_text(encoding="utf-8"), filled)
        if name == "page_cache.conf" and filled["PAGE_TTL"] == "0":
            text = text.replace("proxy_cache sc_pages;", "proxy_cache off;")
        target = prefix / ("nginx.conf" if name == "smartcity.conf" else name)
        target.write_text(text, encoding="utf-8")
    return prefix / "nginx.conf"
