"""``/dataset/<id>/datapackage.json`` and ``/dataset/<id>/datapackage.zip``.

Both answer what the visitor may read (``package_show`` and ``datastore_search`` with the
visitor's own context: a private dataset is a 404 to others). The JSON links each table
to its DataStore dump (CSV without a byte-order mark); the ZIP holds ``datapackage.json``
and ``data/<table>.csv`` for every table, written from the DataStore page by page, so a
large table is never held in memory whole.
"""
from __future__ import annotations

import json
import tempfile
import zipfile
from collections.abc import Mapping
from typing import Any

from flask import Blueprint, Response, send_file

import ckan.plugins.toolkit as tk

from ckanext.smartcity.datapackage import bulk
from ckanext.smartcity.datapackage.archive import add_dataset
from ckanext.smartcity.datapackage.descriptor import descriptor

__all__ = ["datapackage"]

datapackage = Blueprint("smartcity_datapackage", __name__)


def _search(data: dict[str, Any]) -> dict[str, Any]:
    return tk.get_action("datastore_search")(_context(), data)


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


def package_zip(id: str) -> Response:  # noqa: A002
    """``datapackage.json`` and ``data/<table>.csv`` for each table, as one ZIP."""
    dataset = _dataset(id)
    tables = _tables(dataset)
    if not tables:
        return _no_tables()
    spool = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)
    with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        add_dataset(archive, dataset, tables, _search, homepage=tk.url_for(
            "dataset.read", id=dataset["name"], _external=True))
    spool.seek(0)
    return send_file(spool, mimetype="application/zip", as_attachment=True,
                     download_name=f"{dataset['name']}-datapackage.zip")


def downloads() -> str:
    """The bulk downloads: the catalogue's and each department's ZIP, with checksums."""
    manifest = bulk.read_manifest() or {"files": []}
    titles = {d["name"]: d["title"] for d in tk.get_action("organization_list")(
        {"user": ""}, {"all_fields": True})}
    files = []
    for entry in manifest["files"]:
        stem = entry["file"].removesuffix(".zip")
        department = stem.removeprefix("department-") if stem != bulk.CATALOGUE else ""
        files.append(dict(entry, department=department,
                          title=titles.get(department, department)))
    return tk.render("smartcity/downloads.html", extra_vars={
        "built": manifest.get("built"), "files": files})


def download(name: str) -> Response:
    """One archive of the last build (only names its manifest lists)."""
    manifest = bulk.read_manifest() or {"files": []}
    if f"{name}.zip" not in {entry["file"] for entry in manifest["files"]}:
        return tk.abort(404, tk._("Không có tệp tải về này / No such download"))
    return send_file(bulk.folder() / f"{name}.zip", mimetype="application/zip",
                     as_attachment=True, download_name=f"{name}.zip")


datapackage.add_url_rule("/downloads", view_func=downloads, endpoint="downloads")
datapackage.add_url_rule("/downloads/<name>.zip", view_func=download, endpoint="download")
datapackage.add_url_rule("/dataset/<id>/datapackage.json", view_func=package_json,
                         endpoint="json")
datapackage.add_url_rule("/dataset/<id>/datapackage.zip", view_func=package_zip,
                         endpoint="zip")
