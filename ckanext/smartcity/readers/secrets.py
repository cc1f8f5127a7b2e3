"""Who may use a departmental secret, and towards where (no CKAN imports).

A source config names its secrets (``token_env``, ``password_env``); the value comes from
the harvest process's environment or the secrets file. A name is usable only when:

* it is not one of the portal's own (:func:`portal_secret_reason`): the ``CKAN_*`` and
  ``SMARTCITY_*`` namespaces, PostgreSQL (``PG*``, ``POSTGRES*``), Redis, Solr, SMTP,
  Beaker/session and any ``*SECRET_KEY*`` — refused even when declared;
* it is declared in the registry (``ckanext.smartcity.harvest.secret_scopes``: one
  declaration per line or ``;``, ``NAME department host:port[,host:port…]``);
* the source belongs to the declared department (organization name);
* the secret would be sent to a declared ``host:port`` (the source URL's host and port,
  the scheme's default port when the URL has none).

Every refusal names the secret and the reason, never its value.
"""
from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping
from dataclasses import dataclass

__all__ = ["SecretScope", "parse_scopes", "portal_secret_reason", "scope_problem"]

_PORTAL_PREFIXES = ("CKAN_", "CKAN", "SMARTCITY_", "PG", "POSTGRES", "REDIS", "SOLR",
                    "SMTP", "BEAKER", "SESSION", "FLASK", "HARVEST_", "MAIL_")
_PORTAL_PARTS = ("SECRET_KEY", "SUPERUSER", "DATASTORE", "SQLALCHEMY")
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@dataclass(frozen=True)
class SecretScope:
    """A declared secret: its name, owning department and where it may be sent."""

    name: str
    department: str
    targets: tuple[tuple[str, int], ...]


def portal_secret_reason(name: str) -> str | None:
    """Why ``name`` is one of the portal's own secrets (never usable), or None."""
    upper = name.upper()
    for prefix in _PORTAL_PREFIXES:
        if upper.startswith(prefix):
            return (f"{name} is one of the portal's own variables ({prefix}…) and is never "
                    "given to a harvest source")
    for part in _PORTAL_PARTS:
        if part in upper:
            return (f"{name} looks like one of the portal's own secrets (…{part}…) and is "
                    "never given to a harvest source")
    return None


def _target(text: str) -> tuple[str, int] | None:
    host, _, port = text.strip().rpartition(":")
    host = host.strip("[]").lower()
    if not host or not port.isdigit():
        return None
    return host, int(port)


def parse_scopes(text: str) -> tuple[dict[str, SecretScope], list[str]]:
    """The declarations of ``text`` by name, and the problems of malformed lines.

    A line is ``NAME department host:port[,host:port…]`` (several ``host:port`` may also
    be separated by spaces); ``#`` starts a comment; ``;`` separates declarations too.
    """
    scopes: dict[str, SecretScope] = {}
    problems: list[str] = []
    for number, raw in enumerate(re.split(r"[;\n]", text or ""), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.replace(",", " ").split()
        targets = [_target(part) for part in parts[2:]]
        if len(parts) < 3 or not _NAME.match(parts[0]) or None in targets:
            problems.append(f"declaration {number} is not 'NAME department host:port'")
            continue
        scopes[parts[0]] = SecretScope(parts[0], parts[1],
                                       tuple(t for t in targets if t is not None))
    return scopes, problems


def _same_host(a: str, b: str) -> bool:
    try:
        return ipaddress.ip_address(a) == ipaddress.ip_address(b)
    except ValueError:
        return a == b


def scope_problem(name: str, scopes: Mapping[str, SecretScope], department: str | None,
                  target: tuple[str, int | None] | None) -> str | None:
    """Why the source may not use secret ``name`` (never its value), or None when it may.

    :param department: the organization name of the source (None: unknown → refused).
    :param target: the ``(host, port)`` the secret would be sent to.
    """
    reason = portal_secret_reason(name)
    if reason:
        return reason
    scope = scopes.get(name)
    if scope is None:
        return (f"{name} is not declared in the harvest secrets registry "
                "(ckanext.smartcity.harvest.secret_scopes)")
    if not department or department != scope.department:
        return f"{name} belongs to another department, not to {department or 'this source'}"
    if target is None or target[1] is None:
        return f"{name} may only be sent to a declared host:port, and this source has none"
    host, port = target[0].strip("[]").lower(), target[1]
    if not any(_same_host(host, h) and port == p for h, p in scope.targets):
        return f"{name} is not declared for {host}:{port}"
    return None
