"""Fetch a table linked by URL so the gate can check it (no CKAN imports).

:func:`fetched` downloads the URL through the network guard
(:func:`ckanext.smartcity.readers.netguard.session`: allow-list, every redirect hop re-checked, no
proxies, no ``.netrc``) into a temporary file carrying the table's suffix, and deletes it
afterwards. Decisions:

* **Bounded**: at most ``max_bytes`` of content (decoded, so a compressed answer cannot
  grow past it), refused as soon as ``Content-Length`` or the bytes read exceed it; at most
  ``timeout_s`` seconds for the connection, for each read and for the whole download.
* **Fails closed**: a refused address, a timeout, a too-large body, any HTTP status other
  than 200 or a broken connection raises :class:`FetchError` — the caller refuses the write.
* **No secrets or personal values in messages**: they name the URL's host (and port) only,
  never its path, query string or credentials, and never an exception's text (``requests``
  repeats the whole URL in its messages).
"""
from __future__ import annotations

import os
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Iterator
from urllib.parse import unquote, urlsplit

import requests

from ckanext.smartcity.readers import netguard

from .files import XLSX_SUFFIXES

__all__ = ["FetchLimits", "FetchError", "fetched", "shown_host", "url_name", "link_filename"]

_CSV_SUFFIXES = (".csv", ".tsv", ".txt")
_OTHER_SUFFIXES = (".xls", ".xlsb", ".ods", ".numbers")
_FORMAT_SUFFIX = {"CSV": ".csv", "TSV": ".tsv", "XLSX": ".xlsx", "XLSM": ".xlsm",
                  "XLS": ".xls", "XLSB": ".xlsb", "ODS": ".ods"}
_CHUNK = 64 * 1024


@dataclass(frozen=True)
class FetchLimits:
    """Where and how much the gate may fetch (``ckanext.smartcity.privacy.fetch_*``)."""

    allowed_hosts: str
    max_bytes: int
    timeout_s: float


class FetchError(Exception):
    """The linked table could not be fetched; ``str()`` is a bilingual message naming the
    host only."""


def shown_host(url: str) -> str:
    """``host`` or ``host:port`` of ``url`` — no credentials, path or query."""
    try:
        parts = urlsplit(url)
        host, port = parts.hostname, parts.port
    except ValueError:
        return "(địa chỉ không hợp lệ / invalid URL)"
    if not host:
        return "(không có máy chủ / no host)"
    host = f"[{host}]" if ":" in host else host
    return f"{host}:{port}" if port else host


def url_name(url: str) -> str:
    """The last segment of the URL's path, decoded (no query string): ``co-so.csv``."""
    try:
        path = urlsplit(url).path
    except ValueError:
        path = ""
    return PurePosixPath(unquote(path)).name.replace("\\", "_")


def link_filename(url: str, fmt: str | None) -> str:
    """The name the gate gives a linked table in its messages and to pick the reader:
    :func:`url_name`, with the declared format's suffix when the path has none the gate
    knows (CSV when the format names none either)."""
    name = url_name(url) or "bang"
    if name.lower().endswith(_CSV_SUFFIXES + XLSX_SUFFIXES + _OTHER_SUFFIXES):
        return name
    return name + _FORMAT_SUFFIX.get((fmt or "").strip().upper().lstrip("."), ".csv")


def _failure(url: str, cause_vi: str, cause_en: str) -> FetchError:
    host = shown_host(url)
    return FetchError(
        f"không tải được bảng liên kết từ {host} để kiểm tra quyền riêng tư ({cause_vi}); "
        f"không có gì được lưu / the linked table at {host} could not be fetched for the "
        f"privacy check ({cause_en}); nothing was stored")


def _download(url: str, limits: FetchLimits, out: "tempfile._TemporaryFileWrapper[bytes]"
              ) -> None:
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        scheme = ""
    if scheme not in ("http", "https"):
        raise _failure(url, "chỉ tải được địa chỉ http(s)", "only http(s) URLs can be fetched")
    deadline = time.monotonic() + limits.timeout_s
    too_large = (f"lớn hơn {limits.max_bytes} byte", f"larger than {limits.max_bytes} bytes")
    too_slow = (f"quá {limits.timeout_s:g} giây", f"no complete answer within "
                f"{limits.timeout_s:g} s")
    try:
        with netguard.session(limits.allowed_hosts) as http, http.get(
                url, stream=True, allow_redirects=True,
                timeout=(limits.timeout_s, limits.timeout_s)) as response:
            if response.status_code != 200:
                raise _failure(url, f"máy chủ trả lời HTTP {response.status_code}",
                               f"the server answered HTTP {response.status_code}")
            declared = response.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > limits.max_bytes:
                raise _failure(url, *too_large)
            read = 0
            for chunk in response.iter_content(_CHUNK):
                read += len(chunk)
                if read > limits.max_bytes:
                    raise _failure(url, *too_large)
                if time.monotonic() > deadline:
                    raise _failure(url, *too_slow)
                out.write(chunk)
    except netguard.Refused as err:
        raise _failure(url, f"bộ bảo vệ mạng từ chối: {err.reason}",
                       f"refused by the network guard: {err.reason}") from None
    except requests.Timeout:
        raise _failure(url, *too_slow) from None
    except requests.TooManyRedirects:
        raise _failure(url, "chuyển hướng quá nhiều lần", "too many redirects") from None
    except (requests.RequestException, OSError, ValueError) as err:
        # the exception's text repeats the URL (query string, credentials): name its type
        raise _failure(url, f"lỗi kết nối {type(err).__name__}",
                       f"connection failed: {type(err).__name__}") from None
    out.flush()


@contextmanager
def fetched(url: str, fmt: str | None, limits: FetchLimits) -> Iterator[tuple[Path, str]]:
    """Download ``url`` within ``limits``; yield ``(path, filename)`` of the temporary copy
    (deleted on exit). ``filename`` is :func:`link_filename`.

    :raises FetchError: see the module's decisions.
    """
    filename = link_filename(url, fmt)
    suffix = os.path.splitext(filename)[1].lower()
    with tempfile.NamedTemporaryFile(prefix="smartcity-link-", suffix=suffix) as out:
        _download(url, limits, out)
        yield Path(out.name), filename
