"""Network and file-system guard for harvest sources (no CKAN imports).

Every connection a reader makes goes through :func:`check_url` first, and every
``file://`` source through :func:`check_file_path`. The link check
(``quality/reachability.py``) and the privacy gate's fetch of linked tables
(``privacy/fetch.py``) use the same :func:`session`, each with its own allow-list.

Decisions:

* ``allowed_hosts`` is an allow-list (``ckanext.smartcity.harvest.allowed_hosts``):
  entries are host names or IP addresses, optionally ``host:port`` (IPv6 with a
  port as ``[::1]:8080``), separated by spaces or commas. A URL whose host matches
  an entry (and its port, if the entry names one) is allowed. Every other host is
  refused; the refusal says *why* it would be dangerous when it is (private,
  loopback, link-local, multicast, reserved, unspecified or cloud-metadata
  address), found from the IP literal or from ``socket.getaddrinfo`` for names.
* A listed *name* that resolves to a cloud-metadata address is still refused unless
  that metadata address itself is listed (a DNS answer must not open the metadata
  service). Names are compared case-insensitively, IP addresses by value.
* Refusal always happens before any connection: :func:`session` returns a
  ``requests.Session`` whose transport adapter checks the URL of every request it
  sends, which includes every redirect hop, and which ignores proxy and netrc
  settings from the environment.
* Entries starting with ``!`` are *denied endpoints* (``!host:port``, or
  ``!host:port/database`` for one database): the portal's own services, added by the
  portal itself (``config.allowed_hosts``). A denied endpoint is refused even
  when another entry allows its host; a loopback denied address also denies every
  loopback address on that port. Its one exception is a database URL whose database an
  allow entry names exactly as ``host:port/database`` (``*`` and ``?`` wildcards): a
  departmental database sharing the portal's database cluster (demo and tests); the
  ``!host:port/database`` denials (the portal's own databases) have no exception.
  An allow entry with ``/database`` only allows database URLs naming that database.
* ``file_roots`` are folders separated by spaces or commas (so a root cannot
  contain a space). A path is accepted when its real path (symlinks followed,
  ``..`` collapsed) lies inside the real path of a root. A root containing
  ``{department}`` is a *department's own* root: for a source of department ``D`` it
  means the folder with ``D`` in that place, and it means nothing for a source of no
  department. A root without it is shared by every department: a production portal
  lists only department roots, so one department's source cannot read another's drops.
"""
from __future__ import annotations

import fnmatch
import ipaddress
import os
import re
import socket
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter

__all__ = [
    "DEFAULT_PORTS",
    "MAX_REDIRECTS",
    "Refused",
    "check_denied",
    "DEPARTMENT_PLACEHOLDER",
    "check_file_path",
    "file_roots_of",
    "check_url",
    "parse_allowed_hosts",
    "session",
]

MAX_REDIRECTS = 5

DEFAULT_PORTS: dict[str, int] = {
    "http": 80, "https": 443, "postgresql": 5432, "postgres": 5432,
    "mysql": 3306, "mariadb": 3306, "mssql": 1433, "oracle": 1521,
}

_METADATA_NAMES = frozenset({
    "metadata.google.internal", "metadata", "metadata.goog", "instance-data",
    "instance-data.ec2.internal",
})
_METADATA_ADDRESSES = frozenset(ipaddress.ip_address(a) for a in (
    "169.254.169.254", "169.254.170.2", "fd00:ec2::254", "100.100.100.200",
    "169.254.169.123",
))

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class Refused(Exception):
    """A URL or path was refused by the guard; ``reason`` says why (no secrets)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _split_entries(value: str) -> list[str]:
    return [part for part in re.split(r"[\s,]+", value or "") if part]


def _ip(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host.strip("[]").split("%", 1)[0])
    except ValueError:
        return None


def _norm_host(host: str) -> str:
    return host.strip("[]").rstrip(".").lower()


def _entries(allowed_hosts: str) -> list[tuple[bool, str, int | None, str | None]]:
    """Every entry as ``(denied, host, port or None, database or None)``."""
    entries = []
    for raw in _split_entries(allowed_hosts):
        denied = raw.startswith("!")
        raw = raw.lstrip("!")
        raw, _, database = raw.partition("/")
        (host, port), = parse_allowed_hosts(raw) or [("", None)]
        entries.append((denied, host, port, database or None))
    return entries


def parse_allowed_hosts(allowed_hosts: str) -> list[tuple[str, int | None]]:
    """Parse the plain allow entries into ``(host, port or None)`` pairs (hosts
    normalised); denied (``!``) and database (``/db``) entries are left out."""
    entries: list[tuple[str, int | None]] = []
    for raw in _split_entries(allowed_hosts):
        if raw.startswith("!") or "/" in raw:
            continue
        host, port = raw, None
        if raw.startswith("["):  # [v6] or [v6]:port
            inner, _, rest = raw[1:].partition("]")
            host = inner
            if rest.startswith(":") and rest[1:].isdigit():
                port = int(rest[1:])
        elif raw.count(":") == 1:  # name:port or v4:port; bare v6 has several colons
            name, _, port_text = raw.partition(":")
            if port_text.isdigit():
                host, port = name, int(port_text)
        entries.append((_norm_host(host), port))
    return entries


def _host_matches(host: str, entry: str) -> bool:
    host_ip, entry_ip = _ip(host), _ip(entry)
    if host_ip is not None and entry_ip is not None:
        return host_ip == entry_ip
    return host_ip is None and entry_ip is None and host == entry


def _addresses(host: str) -> list[IPAddress]:
    literal = _ip(host)
    if literal is not None:
        return [literal]
    try:
        return _resolve(host, None)
    except Refused:
        return []


def _local(address: IPAddress) -> bool:
    mapped = getattr(address, "ipv4_mapped", None)
    address = mapped or address
    return address.is_loopback or address.is_unspecified


def _same_endpoint(host: str, port: int | None, entry_host: str, entry_port: int | None
                   ) -> bool:
    """Whether ``host:port`` reaches the denied ``entry_host:entry_port`` (by address;
    any local address reaches a local service)."""
    if entry_port is not None and port != entry_port:
        return False
    if _host_matches(host, entry_host):
        return True
    mine, theirs = _addresses(host), _addresses(entry_host)
    if any(a in theirs for a in mine):
        return True
    return any(_local(a) for a in mine) and any(_local(a) for a in theirs)


def _check_denied(scheme: str, host: str, port: int | None, database: str | None,
                  entries: list[tuple[bool, str, int | None, str | None]]) -> bool:
    """Refuse a denied endpoint; True when a declared shared database lets it pass."""
    shown = f"{host}:{port}" if port is not None else host
    hits = [e for e in entries if e[0] and _same_endpoint(host, port, e[1], e[2])]
    if not hits:
        return False
    if any(e[3] is not None and database is not None and e[3] == database for e in hits):
        raise Refused(f"{shown}/{database} is one of the portal's own databases and is "
                      "never a harvest target")
    if not any(e[3] is None for e in hits):
        return False
    if database is not None and scheme not in ("http", "https") and any(
            not e[0] and e[3] is not None and fnmatch.fnmatchcase(database, e[3])
            and _host_matches(host, e[1]) and e[2] == port for e in entries):
        return True
    raise Refused(f"host {shown} is one of the portal's own services (database, DataStore, "
                  "Redis, Solr, mail or web) and is never a harvest target")


def check_denied(url: str, allowed_hosts: str) -> None:
    """Refuse ``url`` only when it reaches a denied endpoint (see module docstring);
    unparseable URLs and URLs without a host pass (the full check refuses them later)."""
    try:
        scheme, host, port, database = _url_host_port(url)
    except Refused:
        return
    _check_denied(scheme, host, port, database, _entries(allowed_hosts))


def _danger(address: IPAddress) -> str | None:
    """Name the kind of non-public address, or None for a public one."""
    mapped = getattr(address, "ipv4_mapped", None)
    if mapped is not None:
        address = mapped
    if address in _METADATA_ADDRESSES:
        return "cloud metadata"
    for attribute in ("is_loopback", "is_link_local", "is_multicast", "is_unspecified",
                      "is_reserved", "is_private"):
        if getattr(address, attribute):
            return attribute[3:].replace("_", "-")
    if not address.is_global:
        return "non-public"
    return None


def _resolve(host: str, port: int | None) -> list[IPAddress]:
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError, OSError) as exc:
        raise Refused(f"host {host!r} cannot be resolved ({type(exc).__name__})") from None
    found: list[IPAddress] = []
    for info in infos:
        address = _ip(str(info[4][0]))
        if address is not None and address not in found:
            found.append(address)
    return found


def _url_host_port(url: str) -> tuple[str, str, int | None, str | None]:
    try:
        parts = urlsplit(url)
        host = parts.hostname
        port = parts.port
    except ValueError as exc:
        raise Refused(f"URL cannot be parsed ({exc})") from None
    scheme = parts.scheme.lower()
    if not host:
        raise Refused(f"{scheme or 'URL'} URL has no host")
    if port is None:
        port = DEFAULT_PORTS.get(scheme.split("+", 1)[0])
    database = None
    if scheme not in ("http", "https"):
        database = parts.path.lstrip("/").split("/", 1)[0] or None
    return scheme, _norm_host(host), port, database


def check_url(url: str, allowed_hosts: str, *, schemes: frozenset[str] | None = None) -> None:
    """Refuse ``url`` unless its host (and port) is on the allow-list.

    :param url: any URL with a host (``http(s)://``, SQLAlchemy URLs ...).
    :param allowed_hosts: the allow-list string (see module docstring).
    :param schemes: if given, the URL scheme must be one of these.
    :raises Refused: with a reason naming the host, never a credential.
    """
    scheme, host, port, database = _url_host_port(url)
    if schemes is not None and scheme not in schemes:
        raise Refused(f"scheme {scheme!r} is not allowed (expected {', '.join(sorted(schemes))})")
    shown = f"{host}:{port}" if port is not None else host
    entries = _entries(allowed_hosts)
    if _check_denied(scheme, host, port, database, entries):
        return
    listed = [
        entry for entry in entries
        if not entry[0] and _host_matches(host, entry[1])
        and (entry[2] is None or entry[2] == port)
        and (entry[3] is None or (database is not None and scheme not in ("http", "https")
                                  and fnmatch.fnmatchcase(database, entry[3])))
    ]
    literal = _ip(host)
    if listed:
        if literal is None:  # a listed name must not lead to the metadata service
            if host in _METADATA_NAMES:
                return
            for address in _resolve(host, port):
                if _danger(address) == "cloud metadata" and not any(
                        _ip(e) == address for e, _ in parse_allowed_hosts(allowed_hosts)):
                    raise Refused(f"host {shown} resolves to a cloud metadata address")
        return
    if host in _METADATA_NAMES:
        raise Refused(f"host {shown} is a cloud metadata service and is not in the allow-list")
    addresses = [literal] if literal is not None else _resolve(host, port)
    for address in addresses:
        kind = _danger(address)
        if kind is not None:
            what = "is" if literal is not None else "resolves to"
            raise Refused(f"host {shown} {what} a {kind} address and is not in the allow-list")
    raise Refused(f"host {shown} is not in the allow-list")


#: the place of the owning department's name in a ``file_roots`` entry
DEPARTMENT_PLACEHOLDER = "{department}"
_DEPARTMENT_NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,99}")


def file_roots_of(file_roots: str, department: str | None) -> list[str]:
    """The roots a source of ``department`` may read: shared roots, and department roots
    with its name in place of ``{department}`` (none for no or an odd department name)."""
    roots = []
    for entry in _split_entries(file_roots):
        if DEPARTMENT_PLACEHOLDER not in entry:
            roots.append(entry)
        elif department and _DEPARTMENT_NAME.fullmatch(department):
            roots.append(entry.replace(DEPARTMENT_PLACEHOLDER, department))
    return roots


def check_file_path(path: str | os.PathLike[str], file_roots: str,
                    department: str | None = None) -> Path:
    """Return the real path of ``path`` if it lies inside one of the roots that
    ``file_roots`` gives a source of ``department`` (see :func:`file_roots_of`).

    :raises Refused: when no root applies or the real path escapes every root.
    """
    if not _split_entries(file_roots):
        raise Refused("no file roots are configured (ckanext.smartcity.harvest.file_roots)")
    roots = file_roots_of(file_roots, department)
    if not roots:
        raise Refused("no file root is configured for this source's department "
                      f"({department or 'none'})")
    real = Path(os.path.realpath(os.fspath(path)))
    for root in roots:
        if real.is_relative_to(Path(os.path.realpath(root))):
            return real
    whose = f" of department {department}" if department else ""
    raise Refused(f"path {os.fspath(path)!r} is outside the configured file roots{whose}")


class GuardedAdapter(HTTPAdapter):
    """An HTTP adapter that checks each URL against the allow-list before sending."""

    def __init__(self, allowed_hosts: str, **kwargs: Any) -> None:
        self.allowed_hosts = allowed_hosts
        super().__init__(**kwargs)

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any
             ) -> requests.Response:
        """Check ``request.url`` and only then let the parent connect."""
        check_url(str(request.url), self.allowed_hosts, schemes=frozenset({"http", "https"}))
        kwargs["proxies"] = {}  # a proxy would connect somewhere the guard did not check
        return super().send(request, *args, **kwargs)


def session(allowed_hosts: str, *, max_redirects: int = MAX_REDIRECTS) -> requests.Session:
    """A ``requests.Session`` whose every request and redirect hop is guarded.

    Only ``http`` and ``https`` are mounted; environment proxies and ``.netrc`` are ignored.
    """
    guarded = requests.Session()
    guarded.trust_env = False
    guarded.max_redirects = max_redirects
    guarded.adapters.clear()
    adapter = GuardedAdapter(allowed_hosts)
    guarded.mount("https://", adapter)
    guarded.mount("http://", adapter)
    return guarded
