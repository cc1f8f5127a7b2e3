"""Reader for departmental REST/JSON APIs (``smartcity_api``; no CKAN imports).

Source: ``url`` is the API base; config keys ``token_env`` (sent as
``Authorization: Bearer <token>``, only to the base URL's origin), ``timeout_s``
(connect and read, default 30), ``max_retries`` (3), ``backoff_s`` (1.0),
``max_pages`` (1000), ``max_bytes`` (per response, 100 MiB) and ``headers`` (extra,
non-secret request headers, only those of ``transport.ALLOWED_HEADERS``).

Spec: ``path`` (appended to the base URL's path, so ``/v1/x`` under
``http://h/api`` is ``http://h/api/v1/x``), ``records_path`` (dotted path to the
list of records, list indexes allowed; empty or absent: the body is the list),
``params`` (fixed query parameters) and ``pagination``: none, ``page`` (``param``,
``size_param``, ``size``, ``start`` = 1), ``offset`` (``offset_param``,
``limit_param``, ``size``, ``start`` = 0) or ``next_link`` (``path`` to the next URL;
relative URLs are resolved against the current page and checked by the guard).
Paging stops on a short or empty page (page/offset) or a missing next link.

Decisions:

* Columns are the keys of the records on the *first page*, in first-seen order, and
  their types are inferred from that page (``infer``: JSON numbers and booleans keep
  their type, ISO date strings become ``date``/``timestamp``, nested values are JSON
  text). A later record with a key the first page did not have is a ReaderError
  naming the key (nothing is silently dropped); missing keys are ``None``.
* A first page without records gives an empty table only when the spec declares
  ``columns`` (ids, optional types); otherwise it is a ReaderError, since the columns
  cannot be known. (Whether an empty table may replace published data is the
  pipeline's decision: ``allow_empty``.)
"""
from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, ClassVar
from urllib.parse import urljoin, urlsplit

from .base import COLUMN_TYPES, Column, Reader, Table
from .infer import convert, infer_types
from . import transport
from .transport import DEFAULT_MAX_BYTES, HttpClient

__all__ = ["ApiReader"]

_PAGINATION_KEYS: dict[str, tuple[set[str], set[str]]] = {  # required, optional
    "none": (set(), set()),
    "page": ({"param", "size_param", "size"}, {"start"}),
    "offset": ({"offset_param", "limit_param", "size"}, {"start"}),
    "next_link": ({"path"}, set()),
}


def _dig(body: Any, path: str) -> tuple[Any, str | None]:
    """Follow a dotted path; return ``(value, None)`` or ``(None, problem)``."""
    current = body
    walked: list[str] = []
    for segment in [s for s in path.split(".") if s] if path else []:
        if isinstance(current, dict) and segment in current:
            current = current[segment]
        elif isinstance(current, list) and segment.isdigit() and int(segment) < len(current):
            current = current[int(segment)]
        else:
            where = f"under {'.'.join(walked)!r}" if walked else "at the top level"
            return None, f"segment {segment!r} is missing {where}"
        walked.append(segment)
    return current, None


class ApiReader(Reader):
    """Rows from a paginated JSON API."""

    name = "smartcity_api"
    spec_keys: ClassVar[set[str]] = {"path", "records_path", "pagination", "params"}
    source_keys: ClassVar[set[str]] = {"token_env", "timeout_s", "max_retries", "backoff_s", "max_pages",
                   "max_bytes", "headers"}

    def validate_source(self) -> dict[str, str]:
        """Check URL scheme and the numeric/header config keys (no I/O)."""
        errors = super().validate_source()
        if urlsplit(self.url).scheme not in ("http", "https"):
            errors["url"] = "must be an http:// or https:// URL"
        for key in ("timeout_s", "backoff_s"):
            value = self.config.get(key, 1)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
                errors[key] = "must be a non-negative number"
        for key in ("max_retries", "max_pages", "max_bytes"):
            value = self.config.get(key, 1)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                errors[key] = "must be a non-negative integer"
        problem = transport.check_headers(self.config.get("headers", {}))
        if problem:
            errors["headers"] = problem
        return errors

    def validate_spec(self, spec: dict[str, Any]) -> dict[str, str]:
        """Check ``path``, ``records_path``, ``params`` and ``pagination`` (no I/O)."""
        errors: dict[str, str] = {}
        path = spec.get("path")
        if not isinstance(path, str) or not path.strip():
            errors["path"] = "is required (a path relative to the source URL)"
        elif "://" in path or path.startswith("//") or "\\" in path:
            errors["path"] = "must be relative to the source URL"
        if not isinstance(spec.get("records_path", ""), str):
            errors["records_path"] = "must be a dotted path such as 'data.items'"
        params = spec.get("params", {})
        if not isinstance(params, dict) or not all(
                isinstance(v, (str, int, float)) for v in params.values()):
            errors["params"] = "must be a mapping of query parameters to scalars"
        pagination = spec.get("pagination") or {"type": "none"}
        if not isinstance(pagination, dict):
            errors["pagination"] = "must be a mapping with a 'type'"
            return errors
        kind = pagination.get("type", "none")
        if kind not in _PAGINATION_KEYS:
            errors["pagination"] = f"unknown type; use one of {', '.join(_PAGINATION_KEYS)}"
            return errors
        required, optional = _PAGINATION_KEYS[kind]
        keys = set(pagination) - {"type"}
        if missing := sorted(required - keys):
            errors["pagination"] = f"type {kind!r} needs {', '.join(missing)}"
        elif extra := sorted(keys - required - optional):
            errors["pagination"] = f"type {kind!r} does not take {', '.join(extra)}"
        else:
            for key in sorted({"size", "start"} & keys):
                value = pagination[key]
                if isinstance(value, bool) or not isinstance(value, int) or value < (
                        1 if key == "size" else 0):
                    errors["pagination"] = f"{key!r} must be a positive integer"
        return errors

    # -- reading -------------------------------------------------------------------

    def _client(self) -> HttpClient:
        return HttpClient(
            self.source, self.allowed_hosts,
            timeout_s=float(self.config.get("timeout_s", 30)),
            max_retries=int(self.config.get("max_retries", 3)),
            backoff_s=float(self.config.get("backoff_s", 1.0)),
            max_bytes=int(self.config.get("max_bytes", DEFAULT_MAX_BYTES)),
            headers=self.config.get("headers"), token=self.secret("token_env"),
            token_origin=self.url)

    def _records(self, client: HttpClient, url: str, params: dict[str, Any],
                 spec: dict[str, Any], page_no: int) -> tuple[list[Any], Any]:
        response = client.get(url, params=params)
        try:
            body = json.loads(response.body)
        except ValueError:
            kind = response.content_type.split(";")[0] or "no Content-Type"
            raise self.error(f"page {page_no}: response is not JSON ({kind})") from None
        records_path = spec.get("records_path", "") or ""
        records, problem = _dig(body, records_path)
        if problem:
            raise self.error(f"page {page_no}: records_path {records_path!r}: {problem}")
        if not isinstance(records, list):
            raise self.error(f"page {page_no}: records_path {records_path!r} is a "
                             f"{type(records).__name__}, not a list")
        return records, body

    def _pages(self, client: HttpClient, spec: dict[str, Any]
               ) -> Iterator[tuple[int, list[Any]]]:
        url = self.url.rstrip("/") + "/" + str(spec["path"]).lstrip("/")
        fixed = dict(spec.get("params") or {})
        pagination = spec.get("pagination") or {"type": "none"}
        kind = pagination.get("type", "none")
        max_pages = int(self.config.get("max_pages", 1000))
        size = int(pagination.get("size", 0))
        position = int(pagination.get("start", 1 if kind == "page" else 0))
        page_no = 0
        while True:
            page_no += 1
            if page_no > max_pages:
                raise self.error(f"more than max_pages ({max_pages}) pages; stopping")
            params = dict(fixed)
            if kind == "page":
                params.update({pagination["param"]: position, pagination["size_param"]: size})
            elif kind == "offset":
                params.update({pagination["offset_param"]: position,
                               pagination["limit_param"]: size})
            records, body = self._records(client, url, params, spec, page_no)
            yield page_no, records
            if kind == "none" or not records:
                return
            if kind in ("page", "offset"):
                if len(records) < size:
                    return
                position += 1 if kind == "page" else len(records)
                continue
            link, _ = _dig(body, pagination["path"])
            if not link:
                return
            if not isinstance(link, str):
                raise self.error(f"page {page_no}: next link at {pagination['path']!r} "
                                 "is not a string")
            url, fixed = urljoin(url, link), {}

    def read(self, spec: dict[str, Any], batch_size: int = 5000) -> Table:
        """Fetch the first page (columns, types) and stream the rest lazily.

        :raises ReaderError: on a bad spec, unset token variable or a failed first page.
        """
        self._checked_spec(spec)
        client = self._client()
        try:
            pages = self._pages(client, spec)
            page_no, first = next(pages)
            if not first:
                declared = self._declared_columns(spec)
                client.close()
                return Table(declared, iter(()))
            names: list[str] = []
            for index, record in enumerate(first, 1):
                if not isinstance(record, dict):
                    raise self.error(f"record {index} on page 1 is not a JSON object")
                names.extend(k for k in record if k not in names)
            types = infer_types([[r.get(n) for n in names] for r in first], len(names),
                                strings="dates")
        except BaseException:
            client.close()
            raise
        columns = [Column(n, t) for n, t in zip(names, types)]
        return Table(columns, self._batches(pages, page_no, first, columns, batch_size),
                     close=client.close)

    def change_signal(self, spec: dict[str, Any]) -> str | None:
        """The ``ETag`` or ``Last-Modified`` of an unpaginated answer (None when the
        API sends neither, or the spec pages: one page's tag says nothing of the rest)."""
        self._checked_spec(spec)
        if (spec.get("pagination") or {"type": "none"}).get("type", "none") != "none":
            return None
        client = self._client()
        try:
            url = self.url.rstrip("/") + "/" + str(spec["path"]).lstrip("/")
            response = client.get(url, params=dict(spec.get("params") or {}))
        finally:
            client.close()
        tags = {k.lower(): v for k, v in response.headers.items()}
        if tags.get("etag"):
            return f"etag:{tags['etag']}"
        if tags.get("last-modified"):
            return f"last-modified:{tags['last-modified']}"
        return None

    def _declared_columns(self, spec: dict[str, Any]) -> list[Column]:
        """Columns for an empty answer, from the spec's ``columns`` (else an error)."""
        declared = spec.get("columns")
        if not isinstance(declared, list) or not declared:
            raise self.error("the first page has no records, so its columns cannot be known "
                             "(declare 'columns' in the dataset spec to accept an empty answer)")
        columns = []
        for item in declared:
            item = {"id": item} if isinstance(item, str) else item
            kind = item.get("type") if isinstance(item, dict) else None
            columns.append(Column(str(item["id"]), kind if kind in COLUMN_TYPES else "text"))
        return columns

    def _row(self, record: Any, columns: list[Column], index: int, page_no: int
             ) -> tuple[Any, ...]:
        where = f"record {index} on page {page_no}"
        if not isinstance(record, dict):
            raise self.error(f"{where} is not a JSON object")
        known = {c.name for c in columns}
        for key in record:
            if key not in known:
                raise self.error(f"{where} has key {key!r} that the first page did not "
                                 "have (columns are fixed by the first page)")
        row = []
        for column in columns:
            try:
                row.append(convert(record.get(column.name), column.type))
            except ValueError:
                raise self.error(f"{where}: column {column.name!r} does not fit type "
                                 f"{column.type} inferred from the first page") from None
        return tuple(row)

    def _batches(self, pages: Iterator[tuple[int, list[Any]]], page_no: int,
                 first: list[Any], columns: list[Column], batch_size: int
                 ) -> Iterator[list[tuple[Any, ...]]]:
        batch: list[tuple[Any, ...]] = []
        records = first
        while True:
            for index, record in enumerate(records, 1):
                batch.append(self._row(record, columns, index, page_no))
                if len(batch) >= batch_size:
                    yield batch
                    batch = []
            try:
                page_no, records = next(pages)
            except StopIteration:
                break
        if batch:
            yield batch

