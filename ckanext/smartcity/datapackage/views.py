"""``/dataset/<id>/datapackage.json`` and ``/dataset/<id>/datapackage.zip``.

Both answer what the visitor may read (``package_show`` and ``datastore_search`` with the
visitor's own context: a private dataset is a 404 to others). The JSON links each table
to its DataStore dump (CSV without a byte-order mark); the ZIP holds ``datapackage.json``
and ``data/<table>.csv`` for every table, written from the DataStore page by page, so a
large table is never held in memory whole.
"""
from __future__ import annotations

import csv
import io
import json
import tempfile
import zipfile
from collections.abc import Mapping
from typing import Any

from flask import Blueprint, Response, send_file

import ckan.plugins.toolkit as tk

from ckanext.smartcity.datapackage.descriptor import descriptor

__all__ = ["datapackage", "PAGE_ROWS"]

datapackage = Blueprint("smartcity_datapackage", __name__)
#: rows asked of the DataStore per page when writing a table into the ZIP
PAGE_ROWS = 10000


def _context() -> dict[str, Any]:
    return {"user": tk.current_user.name if tk.current_user else None}


def _tables(dataset: Mapping[str, Any]) -> list[tuple[dict[str, Any], list[dict[str, Any]]]]:
    tables = []
    for resource in dataset.get("resources") or []:
        if not resource.get("datastore_active"):
            continue
        info = tk.get_action("datastore_search")(
            _context(), {"resource_id": resource["id"], "limit": 0, "include_total": False})
        tables.append((resource, [f for f in info["fields"] if f["id"] != "_id"]))
    return tables


def _dataset(id: str) -> dict[str, Any]:  # noqa: A002 - CKAN's route argument name
    try:
        return tk.get_action("package_show")(_context(), {"id": id})
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return tk.abort(404, tk._("Không tìm thấy bộ dữ liệu / Dataset not found"))


def _no_tables() -> Any:
    return tk.abort(404, tk._("Bộ dữ liệu này không có bảng dữ liệu / "
                              "This dataset has no data tables"))


def package_json(id: str) -> Response:  # noqa: A002
    """The descriptor, each table's ``path`` its DataStore CSV dump (without ``_id``)."""
    dataset = _dataset(id)
    tables = _tables(dataset)
    if not tables:
        return _no_tables()

    columns = {resource["id"]: ",".join(str(f["id"]) for f in fields)
               for resource, fields in tables}

    def dump_url(_name: str, resource: Mapping[str, Any]) -> str:
        # the dump's own _id column is not part of the table
        return tk.url_for("datastore.dump", resource_id=resource["id"], format="csv",
                          bom="false", fields=columns[resource["id"]], _external=True)

    body = descriptor(dataset, tables, dump_url, homepage=tk.url_for(
        "dataset.read", id=dataset["name"], _external=True))
    response = Response(json.dumps(body, ensure_ascii=False, indent=2),
                        mimetype="application/json")
    response.headers["Content-Disposition"] = (
        f'inline; filename="{dataset["name"]}-datapackage.json"')
    return response


def _write_table(archive: zipfile.ZipFile, path: str, resource_id: str,
                 fields: list[dict[str, Any]]) -> None:
    ids = [str(f["id"]) for f in fields]
    with archive.open(path, "w") as raw, io.TextIOWrapper(raw, encoding="utf-8",
                                                            newline="") as out:
        csv.writer(out).writerow(ids)
        offset = 0
        while True:
            page = tk.get_action("datastore_search")(_context(), {
                "resource_id": resource_id, "fields": ids, "sort": "_id",
                "limit": PAGE_ROWS, "offset": offset, "records_format": "csv",
                "include_total": False})
            text = page.get("records") or ""
            out.write(text)
            rows = text.count("\n") if text else 0
            if rows < PAGE_ROWS:
                return
            offset += PAGE_ROWS


def package_zip(id: str) -> Response:  # noqa: A002
    """``datapackage.json`` and ``data/<table>.csv`` for each table, as one ZIP."""
    dataset = _dataset(id)
    tables = _tables(dataset)
    if not tables:
        return _no_tables()
    paths: dict[str, str] = {}

    def data_path(name: str, resource: Mapping[str, Any]) -> str:
        paths[resource["id"]] = f"data/{name}.csv"
        return paths[resource["id"]]

    body = descriptor(dataset, tables, data_path, homepage=tk.url_for(
        "dataset.read", id=dataset["name"], _external=True))
    spool = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)
    with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("datapackage.json", json.dumps(body, ensure_ascii=False, indent=2))
        for resource, fields in tables:
            _write_table(archive, paths[resource["id"]], resource["id"], fields)
    spool.seek(0)
    return send_file(spool, mimetype="application/zip", as_attachment=True,
                     download_name=f"{dataset['name']}-datapackage.zip")


datapackage.add_url_rule("/dataset/<id>/datapackage.json", view_func=package_json,
                         endpoint="json")
datapackage.add_url_rule("/dataset/<id>/datapackage.zip", view_func=package_zip,
                         endpoint="zip")
