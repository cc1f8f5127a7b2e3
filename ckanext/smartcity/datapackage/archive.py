"""Data packages written into ZIP archives: one dataset, a department's, the catalogue's.

The rows come from a ``search`` callable (``datastore_search`` with the caller's context),
page by page, so no table is held in memory whole. Bulk archives hold one folder per
dataset (``<dataset>/datapackage.json`` and ``<dataset>/data/<table>.csv``); they are
built by ``ckan smartcity bulk build`` (nightly) from *public* datasets only, and
described by ``manifest.json`` beside them (file, size, SHA-256, datasets, time built).
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ckanext.smartcity.datapackage.descriptor import descriptor

__all__ = ["PAGE_ROWS", "MANIFEST", "Search", "Table", "add_dataset", "write_bulk",
           "read_manifest"]

#: rows asked of the DataStore per page
PAGE_ROWS = 10000
#: the bulk archives' manifest, beside them
MANIFEST = "manifest.json"
Search = Callable[[dict[str, Any]], dict[str, Any]]
Table = tuple[Mapping[str, Any], Sequence[Mapping[str, Any]]]


def _write_table(archive: zipfile.ZipFile, path: str, search: Search, resource_id: str,
                 fields: Sequence[Mapping[str, Any]]) -> None:
    ids = [str(f["id"]) for f in fields]
    with archive.open(path, "w") as raw, io.TextIOWrapper(raw, encoding="utf-8",
                                                            newline="") as out:
        csv.writer(out).writerow(ids)
        offset = 0
        while True:
            page = search({"resource_id": resource_id, "fields": ids, "sort": "_id",
                           "limit": PAGE_ROWS, "offset": offset, "records_format": "csv",
                           "include_total": False})
            text = page.get("records") or ""
            out.write(text)
            # a quoted value may hold a line break: counting more rows only asks once more
            if (text.count("\n") if text else 0) < PAGE_ROWS:
                return
            offset += PAGE_ROWS


def add_dataset(archive: zipfile.ZipFile, dataset: Mapping[str, Any],
                tables: Sequence[Table], search: Search, *, prefix: str = "",
                homepage: str = "") -> dict[str, Any]:
    """Write the dataset's ``datapackage.json`` and tables under ``prefix``; its descriptor."""
    paths: dict[str, str] = {}

    def data_path(name: str, resource: Mapping[str, Any]) -> str:
        paths[str(resource["id"])] = f"data/{name}.csv"
        return paths[str(resource["id"])]

    body = descriptor(dataset, tables, data_path, homepage=homepage)
    archive.writestr(f"{prefix}datapackage.json", json.dumps(body, ensure_ascii=False,
                                                             indent=2))
    for resource, fields in tables:
        _write_table(archive, prefix + paths[str(resource["id"])], search,
                     str(resource["id"]), fields)
    return body


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_bulk(folder: Path, groups: Mapping[str, Iterable[tuple[Mapping[str, Any],
                                                                 Sequence[Table]]]],
               search: Search, homepage_of: Callable[[Mapping[str, Any]], str]
               ) -> dict[str, Any]:
    """Write ``<file>.zip`` for each group (file name → its datasets with their tables)
    into ``folder``, each replaced atomically, then the manifest; returns the manifest."""
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for name, datasets in groups.items():
        target = folder / f"{name}.zip"
        partial = folder / f".{name}.zip.part"
        listed = []
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for dataset, tables in datasets:
                add_dataset(archive, dataset, tables, search, prefix=f"{dataset['name']}/",
                            homepage=homepage_of(dataset))
                listed.append(str(dataset["name"]))
        os.replace(partial, target)
        files.append({"file": target.name, "bytes": target.stat().st_size,
                      "sha256": _sha256(target), "datasets": listed})
    manifest = {"built": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                "files": files}
    partial = folder / f".{MANIFEST}.part"
    partial.write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    os.replace(partial, folder / MANIFEST)
    return manifest


def read_manifest(folder: Path) -> dict[str, Any] | None:
    """The manifest of the last build, or None when nothing was built yet."""
    try:
        return json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
