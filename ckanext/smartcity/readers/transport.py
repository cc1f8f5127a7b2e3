"""Guarded HTTP transport shared by the API and file readers (no CKAN imports).

Every request goes through :func:`ckanext.smartcity.readers.netguard.session`, so the URL and
every redirect hop are checked against the allow-list before connecting.

Decisions:

* Retries: connection errors, timeouts, HTTP 429 and 5xx are retried up to
  ``max_retries`` times with exponential backoff ``backoff_s * 2**attempt``; a numeric
  ``Retry-After`` (seconds) replaces the backoff, capped at ``retry_after_cap_s``.
  Other 4xx answers fail at once. A refusal by the guard is never retried.
* Size: a response larger than ``max_bytes`` (Content-Length or counted while
  streaming) is abandoned.
* The bearer token is sent only to the origin (scheme, host, port) of the source
  URL: a ``next`` link or redirect to another host never receives it.
* Secrets: the token read from the environment is stripped (a trailing newline from
  ``echo`` or a secrets file) and must then be printable ASCII without spaces, else the
  client is not built. Extra ``headers`` of a source config may only be the non-secret
  ones of :data:`ALLOWED_HEADERS`, with printable values; secrets travel only through
  ``*_env`` keys. No error raised here includes a header value: ``requests``'
  ``InvalidHeader`` (whose text repeats the header) is re-worded.
"""
from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any, BinaryIO
from urllib.parse import urlsplit

import requests

from . import netguard
from .base import ReaderError, safe_url, short_cause

__all__ = ["ALLOWED_HEADERS", "DEFAULT_MAX_BYTES", "HttpClient", "Response",
           "check_headers", "clean_token"]

#: Request headers a source config may set (lower case): content negotiation and
#: identification only. Anything that can carry a credential (Authorization, Cookie,
#: X-Api-Key, …) is refused; the token comes from ``token_env``.
ALLOWED_HEADERS = frozenset({
    "accept", "accept-language", "accept-encoding", "user-agent", "x-requested-with",
    "cache-control", "if-none-match", "if-modified-since",
})

DEFAULT_MAX_BYTES = 100 * 1024 * 1024
_CHUNK = 64 * 1024


class Response:
    """The parts of an HTTP answer the readers use."""

    def __init__(self, url: str, status: int, content_type: str, body: bytes,
                 headers: Mapping[str, str] | None = None) -> None:
        self.url = url
        self.status = status
        self.content_type = content_type
        self.body = body
        #: the answer's ``ETag``/``Last-Modified`` (a change signal), when sent
        self.headers = {k: v for k, v in (headers or {}).items()
                        if k.lower() in ("etag", "last-modified")}


def _printable(text: str, spaces: bool) -> bool:
    return all(33 <= ord(c) < 127 or (spaces and c == " ") for c in text)


def clean_token(token: str | None, source: str) -> str | None:
    """The token without surrounding whitespace; :class:`ReaderError` (never showing the
    token) when what remains is empty or holds spaces or control/non-ASCII characters."""
    if token is None:
        return None
    stripped = token.strip()
    if not stripped or not _printable(stripped, spaces=False):
        raise ReaderError(source, "the token read from the environment (token_env) is not a "
                                  "valid header value: it is empty or holds spaces, control "
                                  "or non-ASCII characters (value not shown)")
    return stripped


def check_headers(headers: Mapping[str, Any] | None) -> str | None:
    """Why a source config's ``headers`` cannot be used (names the header, never its
    value), or None when every name is in :data:`ALLOWED_HEADERS` with a printable value."""
    if headers is None:
        return None
    if not isinstance(headers, Mapping):
        return "must be a mapping of header names to strings"
    for name, value in headers.items():
        if not isinstance(name, str) or not isinstance(value, str):
            return "must be a mapping of header names to strings"
        if name.strip().lower() not in ALLOWED_HEADERS:
            return (f"header {name!r} is not allowed in a source config (allowed: "
                    f"{', '.join(sorted(ALLOWED_HEADERS))}); send secrets with token_env")
        if not _printable(value, spaces=True):
            return f"header {name!r} has a value with control or non-ASCII characters"
    return None


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    return parts.scheme.lower(), (parts.hostname or "").lower(), parts.port


def _transport_cause(exc: Exception) -> str:
    """A short cause for a transport failure (the exception text may hold the URL)."""
    if isinstance(exc, requests.ConnectTimeout):
        return "connect timeout"
    if isinstance(exc, requests.ReadTimeout):
        return "read timeout"
    if isinstance(exc, requests.exceptions.ChunkedEncodingError):
        return "connection broken while reading"
    return "connection failed"


class HttpClient:
    """GET with guard, timeouts, retries, size limit and an optional bearer token."""

    retry_after_cap_s: float = 60.0

    def __init__(self, source: str, allowed_hosts: str, *, timeout_s: float = 30.0,
                 max_retries: int = 3, backoff_s: float = 1.0,
                 max_bytes: int = DEFAULT_MAX_BYTES, headers: Mapping[str, str] | None = None,
                 token: str | None = None, token_origin: str | None = None,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.source = source
        self.allowed_hosts = allowed_hosts
        self.timeout_s = timeout_s
        self.max_retries = max_retries
        self.backoff_s = backoff_s
        self.max_bytes = max_bytes
        problem = check_headers(headers)
        if problem:
            raise ReaderError(source, f"headers: {problem}")
        self.headers = dict(headers or {})
        self._token = clean_token(token, source)
        self._token_origin = _origin(token_origin) if token_origin else None
        self._sleep = sleep
        self._session = netguard.session(allowed_hosts)

    def __repr__(self) -> str:
        return f"<HttpClient {self.source}>"

    def close(self) -> None:
        """Close pooled connections."""
        self._session.close()

    def _fail(self, url: str, cause: str) -> ReaderError:
        return ReaderError(self.source, f"GET {safe_url(url)}: {cause}")

    def _headers(self, url: str) -> dict[str, str]:
        headers = {"Accept": "application/json, */*;q=0.5", **self.headers}
        if self._token and self._token_origin == _origin(url):
            headers["Authorization"] = f"Bearer {self._token}"
        return headers

    def _delay(self, attempt: int, response: requests.Response | None) -> float:
        if response is not None:
            retry_after = (response.headers.get("Retry-After") or "").strip()
            if retry_after.isdigit():
                return min(float(retry_after), self.retry_after_cap_s)
        return self.backoff_s * (2 ** attempt)

    def _stream(self, url: str, response: requests.Response, sink: BinaryIO | None
                ) -> bytes:
        length = response.headers.get("Content-Length", "")
        if length.isdigit() and int(length) > self.max_bytes:
            raise self._fail(url, f"response of {length} bytes exceeds max_bytes "
                                  f"({self.max_bytes})")
        chunks: list[bytes] = []
        total = 0
        for chunk in response.iter_content(_CHUNK):
            total += len(chunk)
            if total > self.max_bytes:
                raise self._fail(url, f"response exceeds max_bytes ({self.max_bytes})")
            if sink is None:
                chunks.append(chunk)
            else:
                sink.write(chunk)
        return b"".join(chunks)

    def get(self, url: str, params: Mapping[str, Any] | None = None,
            sink: BinaryIO | None = None) -> Response:
        """GET ``url``; the body is returned, or written to ``sink`` when given.

        :raises ReaderError: on refusal, 4xx, exhausted retries, size or transport errors.
        """
        attempt = 0
        while True:
            response: requests.Response | None = None
            failure: str
            try:
                response = self._session.get(
                    url, params=params, headers=self._headers(url), stream=True,
                    timeout=(self.timeout_s, self.timeout_s))
                status = response.status_code
                if status < 400:
                    if sink is not None:
                        sink.seek(0)
                        sink.truncate()
                    body = self._stream(url, response, sink)
                    return Response(response.url, status,
                                    response.headers.get("Content-Type", ""), body,
                                    response.headers)
                failure = f"HTTP {status} {response.reason or ''}".strip()
                if status != 429 and status < 500:
                    raise self._fail(url, failure)
            except netguard.Refused as exc:
                raise self._fail(url, f"refused by the network guard: {exc.reason}") from None
            except requests.exceptions.InvalidHeader:
                # its text repeats the header, value included
                raise self._fail(url, "a request header is not valid (value not shown)") from None
            except requests.TooManyRedirects:
                raise self._fail(url, "too many redirects") from None
            except (requests.ConnectionError, requests.Timeout,
                    requests.exceptions.ChunkedEncodingError) as exc:
                failure = _transport_cause(exc)
            except requests.RequestException as exc:
                raise self._fail(url, short_cause(exc)) from None
            except ValueError:
                # header preparation outside requests' own classes (http.client)
                raise self._fail(url, "the request could not be prepared (headers not "
                                      "shown)") from None
            finally:
                if response is not None:
                    response.close()
            if attempt >= self.max_retries:
                tries = attempt + 1
                raise self._fail(url, f"{failure} after {tries} attempt{'s' * (tries > 1)}")
            self._sleep(self._delay(attempt, response))
            attempt += 1
