"""Bulk downloads: each department's open datasets, and the whole catalogue, as ZIPs of
data packages (built by ``ckan smartcity bulk build``, nightly; served at ``/downloads``).

Only what an anonymous visitor may read goes in: datasets are listed by ``package_search``
as an anonymous user (public and active; private and shared-with-departments datasets are
not listed) and their tables read by ``datastore_search`` in that same context.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.smartcity.datapackage import archive

__all__ = ["CATALOGUE", "folder", "department_file", "build", "read_manifest"]

#: the whole catalogue's archive (without .zip)
CATALOGUE = "catalogue"


def folder() -> Path:
    """Where the archives and their manifest live: ``<ckan.storage_path>/smartcity/bulk``."""
    storage = tk.config.get("ckan.storage_path") or ""
    if not storage:
        raise RuntimeError("ckan.storage_path is not set: bulk downloads need a folder")
    return Path(storage) / "smartcity" / "bulk"


def department_file(name: str) -> str:
    """The archive name (without .zip) of a department's open datasets."""
    return f"department-{name}"


def _anonymous() -> dict[str, Any]:
    return {"user": "", "ignore_auth": False}


def _search(data: dict[str, Any]) -> dict[str, Any]:
    return tk.get_action("datastore_search")(_anonymous(), data)


def _open_datasets() -> list[dict[str, Any]]:
    found, start = [], 0
    while True:
        page = tk.get_action("package_search")(_anonymous(), {
            "q": "*:*", "fq": "-dataset_type:harvest", "include_private": False,
            "sort": "name asc", "rows": 500, "start": start})
        found.extend(page["results"])
        start += 500
        if start >= page["count"]:
            return [d for d in found if not d.get("private")]


def _tables(dataset: dict[str, Any]) -> list[archive.Table]:
    tables = []
    for resource in dataset.get("resources") or []:
        if resource.get("datastore_active"):
            info = _search({"resource_id": resource["id"], "limit": 0})
            tables.append((resource, [f for f in info["fields"] if f["id"] != "_id"]))
    return tables


def build() -> dict[str, Any]:
    """Write the catalogue's and each department's archive; the manifest."""
    with_tables = [(d, t) for d in _open_datasets() if (t := _tables(d))]
    groups: dict[str, list[tuple[dict[str, Any], list[archive.Table]]]] = {
        CATALOGUE: with_tables}
    for dataset, tables in with_tables:
        owner = (dataset.get("organization") or {}).get("name")
        if owner:
            groups.setdefault(department_file(owner), []).append((dataset, tables))
    return archive.write_bulk(
        folder(), groups, _search,
        lambda d: tk.url_for("dataset.read", id=d["name"], _external=True))


def read_manifest() -> dict[str, Any] | None:
    """The last build's manifest (None before the first build)."""
    return archive.read_manifest(folder())
