"""The write checks: the privacy gate wired into CKAN — every write of tabular content
passes here.

The chained actions of :mod:`ckanext.smartcity.logic.action.gated_writes` call
:func:`check_package_write` (``package_create/update/patch`` — and so
``resource_create/update/patch``, which CKAN runs through ``package_update``, including an
``id`` + ``upload`` update) and :func:`check_datastore_write` (``datastore_create`` /
``datastore_upsert`` records) **before** the action they wrap, so a refused write changes
nothing: no file in storage, no DataStore row, no metadata. The decision itself is
:mod:`ckanext.smartcity.privacy.checkpoint` (pure Python), which the harvest importer and the
background upload loader call too:

* :func:`check_file` ``(path, dataset_dict, filename) -> Checked`` — a file on disk;
* :func:`check_rows` ``(columns, rows, dataset_dict) -> Checked`` — rows in memory
  (``checked.rows`` are the rows with small counts suppressed).

Resources **linked by URL** (no upload) whose format or extension says they are a table
(:func:`~ckanext.smartcity.privacy.checkpoint.is_table`) are fetched through the network guard
(:mod:`ckanext.smartcity.privacy.fetch`, bounded by ``ckanext.smartcity.privacy.fetch_*``)
and checked like an upload when the write adds the URL or changes it (or its format makes it
a table for the first time); an unchanged URL is not fetched again. A link that cannot be
fetched is refused (fails closed), naming the URL's host only.

Errors are ``ValidationError`` keyed by the field to correct (``upload`` or ``url`` of the
resource, ``records``), naming the column and the detector, never a value.
"""
from __future__ import annotations

import logging
import os
import tempfile
from typing import Any, Mapping
from urllib.parse import urlsplit

import ckan.plugins.toolkit as tk
from werkzeug.datastructures import FileStorage

from ckanext.smartcity.reference.domains import DATASET_TYPES
from ckanext.smartcity import config as options
from ckanext.smartcity.config import upload_limits
from ckanext.smartcity.privacy.content import check_content
from ckanext.smartcity.privacy.fetch import FetchError, FetchLimits, fetched, url_name
from ckanext.smartcity.privacy.checkpoint import (Checked, Verdict, check_file, check_rows,
                                            is_table)
from ckanext.smartcity.readers.limits import Limits, size
from ckanext.smartcity.readers.published_csv import CsvWriter

__all__ = ["check_file", "check_rows", "check_package_write", "check_datastore_write",
           "dataset_for_write", "fetch_limits", "Checked", "Verdict", "CHECKED"]

log = logging.getLogger(__name__)

#: Context flag of writers whose rows already passed the gate row by row (the harvest
#: importer): their stored CSV is not scanned a second time.
CHECKED = "smartcity_privacy_checked"
_DATASET_KEYS = ("type", "min_cell_size", "count_columns", "quasi_identifiers")
#: ``url_type`` of resources whose content lives in the portal (checked when written)
_INTERNAL_URL_TYPES = frozenset({"upload", "datastore"})
_CHUNK = 1024 * 1024


def dataset_for_write(context: Any, data_dict: Mapping[str, Any]) -> dict[str, Any]:
    """What the gate needs of the dataset being written: type, ``min_cell_size``,
    ``count_columns`` — from the write itself, else from the stored dataset."""
    out = {k: data_dict.get(k) for k in _DATASET_KEYS if data_dict.get(k) not in (None, "")}
    if len(out) < len(_DATASET_KEYS):
        ref = data_dict.get("id") or data_dict.get("name")
        stored = None
        if ref:
            try:
                stored = tk.get_action("package_show")(
                    {"ignore_auth": True, "for_view": False}, {"id": ref})
            except tk.ObjectNotFound:
                stored = None
        for key in _DATASET_KEYS:
            if key not in out and stored and stored.get(key) not in (None, ""):
                out[key] = stored[key]
    out.setdefault("type", "dataset")
    return out


def _copy(upload: Any, target: str, limit: int) -> bool:
    """Copy the upload's stream to ``target``, at most ``limit`` + 1 bytes; False when the
    upload is larger than ``limit`` (the rest is never read)."""
    stream = upload.stream
    stream.seek(0)
    copied = 0
    with open(target, "wb") as out:
        while chunk := stream.read(_CHUNK):
            copied += len(chunk)
            if copied > limit:
                stream.seek(0)
                return False
            out.write(chunk)
    stream.seek(0)
    return True


def _suppressed_csv(path: str, filename: str, checked: Checked) -> FileStorage | None:
    """The upload rewritten with its small counts hidden (the portal's one CSV writer),
    or None when the dataset declares no count column that the table has."""
    from ckanext.smartcity.privacy.files import open_table

    reports = [r for r in checked.reports if r.count_index]
    if not reports:
        return None
    report = reports[0]
    table = open_table(path, sheet=None, limits=upload_limits())
    writer = CsvWriter([str(c) for c in table.columns])
    try:
        first = 0
        for batch in table.batches():
            writer.write(report.apply_batch(first, batch))
            first += len(batch)
    except BaseException:
        writer.discard()
        raise
    written = writer.finish()
    out = open(written.path, "rb")  # noqa: SIM115 - the FileStorage's stream
    written.close()  # unlinked now; the open stream keeps the bytes until it is closed
    base = os.path.splitext(filename)[0]
    return FileStorage(stream=out, filename=f"{base}.csv", content_type="text/csv")


def _too_large(filename: str, limits: Limits) -> str:
    return (f"{filename}: tệp lớn hơn giới hạn {size(limits.max_upload_bytes)} / {filename}: "
            f"the file is larger than the limit of {size(limits.max_upload_bytes)} "
            f"(max_upload_bytes); split it or ask the portal's administrators")


def _check_upload(resource: dict[str, Any], dataset: Mapping[str, Any]) -> str | None:
    """Check one resource's upload by its content (:func:`check_content`); return the
    refusal message, or None (upload replaced by its suppressed copy when the dataset has
    count columns)."""
    upload = resource.get("upload")
    filename = os.path.basename(str(getattr(upload, "filename", None) or "")) or "tep"
    limits = upload_limits()
    with tempfile.TemporaryDirectory(prefix="smartcity-gate-") as folder:
        copy = os.path.join(folder, "upload.bin")
        if not _copy(upload, copy, limits.max_upload_bytes):
            return _too_large(filename, limits)
        work = os.path.join(folder, "work")
        os.mkdir(work)
        checked = check_content(copy, dataset, filename, work, limits,
                                city=dataset.get("type") in DATASET_TYPES)
        if checked.verdict.refused:
            return checked.verdict.message
        if checked.table is None:
            return None  # an allow-listed file (PDF, image), stored as it is
        if len(checked.reports) > 1 and any(r.count_index for r in checked.reports):
            return (f"{filename}: tệp có nhiều trang tính và cột đếm cần ẩn ô nhỏ; hãy tải "
                    f"mỗi bảng thành một tệp / the workbook has several sheets and count "
                    f"columns to suppress; upload one table per file")
        replacement = _suppressed_csv(str(checked.table), filename, checked)
    if replacement is not None:
        resource["upload"] = replacement
        resource["format"] = "CSV"
        report = checked.reports[0].record()
        log.info("privacy gate: %s stored with %d cells suppressed", filename,
                 report.cells_suppressed)
    return None


def fetch_limits() -> FetchLimits:
    """Where and how much the gate may fetch a linked table (``ckanext.smartcity.privacy.
    fetch_*``; the allow-list defaults to the harvest allow-list plus the portal's host)."""
    hosts = options.fetch_allowed_hosts()
    if not hosts.strip():
        hosts = " ".join(part for part in (options.harvest_allowed_hosts(),
                                           options.site_host()) if part)
    # a link to the portal's own database, Solr, Redis or SMTP is never fetched
    hosts = " ".join([hosts, *options.portal_endpoints(with_site=False)])
    return FetchLimits(allowed_hosts=hosts, max_bytes=options.fetch_max_bytes(),
                       timeout_s=options.fetch_timeout())


#: declared formats (or, with none, URL extensions) of links that are pages or documents,
#: not files of data: a city dataset's other links are fetched and checked by content
_LINK_PAGES = frozenset({"HTML", "HTM", "PDF", "PNG", "JPG", "JPEG", "GIF", "WEBP", "API",
                         "WMS", "WFS", "WMTS", "ARCGIS", "SPARQL", "ESRI REST"})


def _is_link_table(resource: Mapping[str, Any], city: bool = False) -> bool:
    """A link the gate fetches: its name or format says table, or (city datasets) it is not
    declared as a page or document (:data:`_LINK_PAGES`)."""
    url = str(resource.get("url") or "").strip()
    if not url or (resource.get("url_type") or "") in _INTERNAL_URL_TYPES:
        return False
    name, fmt = url_name(url), str(resource.get("format") or "").strip().upper().lstrip(".")
    if is_table(name, fmt):
        return True
    if not city or urlsplit(url).scheme.lower() not in ("http", "https"):
        return False
    declared = fmt or os.path.splitext(name)[1].upper().lstrip(".")
    return declared not in _LINK_PAGES


def _needs_fetch(resource: Mapping[str, Any], stored: Mapping[str, Mapping[str, Any]],
                 city: bool) -> bool:
    """A linked table whose URL this write adds or changes (or which was no table before)."""
    if getattr(resource.get("upload"), "filename", None) or not _is_link_table(resource, city):
        return False
    before = stored.get(str(resource.get("id") or ""))
    return not (before is not None and _is_link_table(before, city)
                and str(before.get("url") or "").strip() == str(resource["url"]).strip()
                and (before.get("url_type") or "") == (resource.get("url_type") or ""))


def _check_link(resource: Mapping[str, Any], dataset: Mapping[str, Any]) -> str | None:
    """Fetch one linked file and check it by content; return the refusal message, or None."""
    url = str(resource["url"]).strip()
    try:
        with fetched(url, resource.get("format"), fetch_limits()) as (path, filename), \
                tempfile.TemporaryDirectory(prefix="smartcity-gate-") as work:
            checked = check_content(path, dataset, url_name(url) or filename, work,
                                    upload_limits(),
                                    city=_is_city(dataset))
    except FetchError as err:
        return str(err)
    if checked.verdict.refused:
        return checked.verdict.message
    hidden = sum(r.record().cells_suppressed for r in checked.reports if r.count_index)
    if hidden:
        # the portal cannot rewrite a file it only links to: small counts would be published
        return (f"{filename}: bảng liên kết có {hidden} ô đếm nhỏ hơn ngưỡng cần ẩn; hãy tải "
                f"tệp lên để cổng ẩn các ô này / the linked table has {hidden} small counts "
                f"to hide; upload the file so the portal can suppress them")
    return None


def _is_city(dataset: Mapping[str, Any]) -> bool:
    return dataset.get("type") in DATASET_TYPES


def _stored_resources(context: Any, data_dict: Mapping[str, Any], creating: bool
                      ) -> dict[str, dict[str, Any]]:
    ref = None if creating else (data_dict.get("id") or data_dict.get("name"))
    if not ref:
        return {}
    try:
        stored = tk.get_action("package_show")({"ignore_auth": True, "for_view": False},
                                               {"id": ref})
    except tk.ObjectNotFound:
        return {}
    return {str(r["id"]): r for r in stored.get("resources") or [] if r.get("id")}


def check_package_write(context: Any, data_dict: dict[str, Any], *,
                        creating: bool = False) -> None:
    """Gate the uploads and the newly linked tables among ``data_dict["resources"]``
    (package_create/update/patch and the resource actions CKAN runs through them).

    :param creating: ``package_create``: every linked table is new and fetched.
    :raises ValidationError: ``{"resources": [{}, …, {"upload"|"url": [message]}]}`` at the
        refused resource's position (``resource_create/update`` re-raise it as
        ``{"upload": [message]}`` / ``{"url": [message]}``).
    """
    resources = data_dict.get("resources")
    if context.get(CHECKED) or not isinstance(resources, list):
        return
    uploads = [i for i, r in enumerate(resources)
               if isinstance(r, dict) and getattr(r.get("upload"), "filename", None)]
    linked = [i for i, r in enumerate(resources) if isinstance(r, dict) and i not in uploads
              and str(r.get("url") or "").strip()
              and (r.get("url_type") or "") not in _INTERNAL_URL_TYPES]
    if not uploads and not linked:
        return
    dataset = dataset_for_write(context, data_dict)
    city = _is_city(dataset)
    links = [i for i in linked if _is_link_table(resources[i], city)]
    if links:
        stored = _stored_resources(context, data_dict, creating)
        links = [i for i in links if _needs_fetch(resources[i], stored, city)]
    if not uploads and not links:
        return
    errors: list[dict[str, list[str]]] = [{} for _ in resources]
    refused = False
    checks = ([(i, "upload", _check_upload) for i in uploads]
              + [(i, "url", _check_link) for i in links])
    for i, field, check in checks:
        message = check(resources[i], dataset)
        if message:
            errors[i] = {field: [message]}
            refused = True
            log.warning("privacy gate refused a resource's %s: %s", field, message)
    if refused:
        raise tk.ValidationError({"resources": errors})


def _columns(data_dict: Mapping[str, Any], records: list[Any]
             ) -> tuple[list[str], dict[str, list[str]]]:
    """The written table's columns and their dictionary labels (vi, en), which a dataset's
    ``count_columns`` may name."""
    given = [f for f in data_dict.get("fields") or [] if isinstance(f, dict)]
    if not given and data_dict.get("resource_id"):
        try:
            info = tk.get_action("datastore_info")({"ignore_auth": True},
                                                   {"id": data_dict["resource_id"]})
            given = [f for f in info.get("fields", []) if not str(f["id"]).startswith("_")]
        except (tk.ObjectNotFound, tk.ValidationError):
            given = []
    labels: dict[str, list[str]] = {}
    for f in given:
        info = f.get("info") if isinstance(f.get("info"), dict) else {}
        labels[str(f.get("id"))] = [str(info[k]) for k in ("label", "label_en")
                                    if info.get(k)]
    seen = dict.fromkeys(str(f.get("id")) for f in given if f.get("id"))
    for record in records:
        if isinstance(record, dict):
            seen.update(dict.fromkeys(str(k) for k in record))
    return list(seen), labels


def _dataset_of_resource(data_dict: Mapping[str, Any]) -> dict[str, Any]:
    package_id = None
    if data_dict.get("resource_id"):
        try:
            resource = tk.get_action("resource_show")({"ignore_auth": True},
                                                      {"id": data_dict["resource_id"]})
            package_id = resource.get("package_id")
        except tk.ObjectNotFound:
            package_id = None
    elif isinstance(data_dict.get("resource"), dict):
        package_id = data_dict["resource"].get("package_id")
    if not package_id:
        return {"type": "dataset"}
    return dataset_for_write({}, {"id": package_id})


def check_datastore_write(context: Any, data_dict: dict[str, Any]) -> None:
    """Gate the ``records`` of ``datastore_create`` / ``datastore_upsert`` before they reach
    PostgreSQL; on a pass, small counts in the dataset's count columns are suppressed in
    place.

    :raises ValidationError: ``{"records": [message]}``.
    """
    records = data_dict.get("records")
    if context.get(CHECKED) or not records:
        return
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        # the DataStore also takes lists of lists with `fields`; align them by position
        fields = [f.get("id") for f in data_dict.get("fields") or []]
        if not (isinstance(records, list) and fields
                and all(isinstance(r, (list, tuple)) for r in records)):
            raise tk.ValidationError({"records": [
                "Bộ lọc quyền riêng tư không đọc được các bản ghi / the privacy gate cannot "
                "read the records"]})
        records = [dict(zip(fields, r)) for r in records]
        data_dict["records"] = records
    columns, labels = _columns(data_dict, records)
    rows = [tuple(r.get(c) for c in columns) for r in records]
    checked = check_rows(columns, rows, _dataset_of_resource(data_dict),
                         where=f"datastore {data_dict.get('resource_id') or 'records'}",
                         labels=labels)
    if checked.verdict.refused:
        log.warning("privacy gate refused DataStore records: %s", checked.verdict.message)
        raise tk.ValidationError({"records": [checked.verdict.message]})
    if checked.rows is None or not any(r.count_index for r in checked.reports):
        return
    index = {c: i for i, c in enumerate(columns)}
    for record, row in zip(records, checked.rows):
        for key in record:
            record[key] = row[index[str(key)]]
