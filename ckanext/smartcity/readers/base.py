"""What every departmental reader promises the harvest pipeline (no CKAN imports).

A reader gets rows out of one kind of system and hands them over as a :class:`Table`
that yields batches of tuples aligned to :attr:`Table.columns`. Errors are
:class:`ReaderError`, whose text names the source (a URL without credentials) and
the cause, never a secret and never a row value.

Constructing a reader does no I/O and never raises for a bad source: problems with
the URL or the source config are reported by :meth:`Reader.validate_source` (no I/O)
and raised as :class:`ReaderError` by :meth:`Reader.read`.
"""
from __future__ import annotations

import abc
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from types import TracebackType
from typing import Any, ClassVar, Self
from urllib.parse import urlsplit, urlunsplit

from .netguard import DEFAULT_PORTS
from .secrets import SecretScope, portal_secret_reason, scope_problem

__all__ = [
    "COLUMN_TYPES",
    "Column",
    "Reader",
    "ReaderError",
    "Table",
    "safe_url",
    "short_cause",
]

COLUMN_TYPES = ("text", "int", "numeric", "float", "bool", "date", "timestamp")


@dataclass
class Column:
    """One column of a table: its name as the source gives it and its type."""

    name: str
    type: str = "text"


class ReaderError(Exception):
    """A source could not be read. ``str(err)`` is ``"<source>: <cause>"``."""

    def __init__(self, source: str, cause: str) -> None:
        super().__init__(f"{source}: {cause}")
        self.source = source
        self.cause = cause


def safe_url(url: str) -> str:
    """``url`` with any user-info password replaced by ``***`` (user name kept)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "<unparseable URL>"
    if parts.password is None and "@" not in parts.netloc:
        return url
    userinfo, _, hostport = parts.netloc.rpartition("@")
    user = userinfo.split(":", 1)[0]
    netloc = f"{user}:***@{hostport}" if ":" in userinfo else f"{user}@{hostport}"
    return urlunsplit(parts._replace(netloc=netloc))


def short_cause(exc: BaseException, limit: int = 200) -> str:
    """Class name and the first line of the message, shortened (for error causes)."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


class Table:
    """Rows read from a source: ``columns`` plus batches of tuples; a context manager.

    Iterating a table is the same as iterating :meth:`batches`. Batches can be taken
    once; :meth:`close` releases connections, cursors, files and temporary downloads.
    """

    def __init__(self, columns: list[Column], batches: Iterable[list[tuple[Any, ...]]],
                 close: Callable[[], None] | None = None) -> None:
        self.columns = columns
        self._batches = iter(batches)
        self._close = close
        self._closed = False

    def batches(self) -> Iterator[list[tuple[Any, ...]]]:
        """Yield the rows in batches (lists of tuples aligned to ``columns``)."""
        yield from self._batches

    def __iter__(self) -> Iterator[list[tuple[Any, ...]]]:
        return self.batches()

    def close(self) -> None:
        """Release everything the table holds; safe to call twice."""
        if self._closed:
            return
        self._closed = True
        closer = getattr(self._batches, "close", None)
        if closer is not None:
            closer()
        if self._close is not None:
            self._close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()


class Reader(abc.ABC):
    """Base of the departmental readers (one subclass per kind of system).

    :param url: the harvest source URL (never with a password).
    :param config: the harvest source config (see PRODUCT.md); secrets only as
        names of environment variables.
    :param env: where environment variables are read (default ``os.environ``).
    :param allowed_hosts: ``ckanext.smartcity.harvest.allowed_hosts``.
    :param file_roots: ``ckanext.smartcity.harvest.file_roots``.
    :param department: the organization name owning the source (for secret scopes).
    :param scopes: the secrets registry (:func:`.secrets.parse_scopes`). The harvesters
        always pass it; then a secret is used only as :func:`.secrets.scope_problem`
        allows. Without it (a reader built by hand) only the portal's own names are refused.
    """

    name: ClassVar[str] = ""
    #: reader-specific keys of a dataset spec
    spec_keys: ClassVar[set[str]] = set()
    #: reader-specific top-level keys of the source config
    source_keys: ClassVar[set[str]] = set()

    def __init__(self, url: str, config: dict[str, Any] | None = None, *,
                 env: Mapping[str, str] | None = None, allowed_hosts: str = "",
                 file_roots: str = "", department: str | None = None,
                 scopes: Mapping[str, SecretScope] | None = None) -> None:
        self.url = url
        self.department = department
        self.scopes = scopes
        self.config = dict(config or {})
        self.env: Mapping[str, str] = os.environ if env is None else env
        self.allowed_hosts = allowed_hosts
        self.file_roots = file_roots

    @property
    def source(self) -> str:
        """The source as named in errors and logs (URL without credentials)."""
        return safe_url(self.url)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.source}>"

    def error(self, cause: str) -> ReaderError:
        """A :class:`ReaderError` for this source."""
        return ReaderError(self.source, cause)

    def secret_target(self) -> tuple[str, int | None] | None:
        """Where this source's secrets are sent: the URL's host and port (the scheme's
        default port when the URL has none); None without a host."""
        try:
            parts = urlsplit(self.url)
            host, port = parts.hostname, parts.port
        except ValueError:
            return None
        if not host:
            return None
        return host, port or DEFAULT_PORTS.get(parts.scheme.lower().split("+", 1)[0])

    def secret_problems(self) -> dict[str, str]:
        """``{key: reason}`` for each ``*_env`` key naming a secret this source may not use
        (see :mod:`.secrets`); no value is read."""
        problems: dict[str, str] = {}
        for key in ("password_env", "token_env"):
            variable = self.config.get(key)
            if key not in self.source_keys or not variable or not isinstance(variable, str):
                continue
            if self.scopes is None:
                reason = portal_secret_reason(variable)
            else:
                reason = scope_problem(variable, self.scopes, self.department,
                                       self.secret_target())
            if reason:
                problems[key] = reason
        return problems

    def secret(self, key: str) -> str | None:
        """Read the secret named by ``config[key]`` from ``env``; None if not configured.

        :raises ReaderError: naming the variable when it is configured but unset, or when
            this source may not use it (:meth:`secret_problems`; the value is not read).
        """
        variable = self.config.get(key)
        if not variable:
            return None
        refused = self.secret_problems().get(key)
        if refused:
            raise self.error(f"bí mật bị từ chối / secret refused: {refused}")
        value = self.env.get(str(variable))
        if not value:
            raise self.error(f"environment variable {variable} (from {key!r}) is not set")
        return value

    def validate_source(self) -> dict[str, str]:
        """Check the URL and source config without I/O; ``{key: error}``, empty if fine."""
        errors: dict[str, str] = {}
        for key in ("password_env", "token_env"):
            if key in self.source_keys and key in self.config:
                value = self.config[key]
                if not isinstance(value, str) or not value.replace("_", "").isalnum():
                    errors[key] = "must be the name of an environment variable"
        return errors

    @abc.abstractmethod
    def validate_spec(self, spec: dict[str, Any]) -> dict[str, str]:
        """Check the reader-specific keys of a dataset spec (no I/O); empty if fine."""

    @abc.abstractmethod
    def read(self, spec: dict[str, Any], batch_size: int = 5000) -> Table:
        """Open the source for ``spec`` and return its rows as a :class:`Table`.

        :raises ReaderError: when the source cannot be reached or read.
        """

    def change_signal(self, spec: dict[str, Any]) -> str | None:
        """A cheap token that changes whenever the rows of ``spec`` may have changed
        (ETag/Last-Modified, file size + mtime, a checksum query), or None when the
        source offers none: then the table is always read again.

        :raises ReaderError: when the source cannot be reached.
        """
        return None

    def _checked_spec(self, spec: dict[str, Any]) -> None:
        errors = {**self.validate_source(), **self.validate_spec(spec)}
        if errors:
            key, message = next(iter(errors.items()))
            raise self.error(f"invalid {key!r}: {message}")
