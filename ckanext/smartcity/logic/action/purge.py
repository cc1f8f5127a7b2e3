"""``dataset_purge`` that leaves nothing of the dataset behind.

CKAN's own purge removes the database rows and the index entry only: the DataStore
tables of its resources (and their aliases) and the uploaded files stayed, readable by
anyone with database or disk access, and the DataStore table ids stayed listed in
``_table_metadata``. Here, after CKAN's purge succeeded, each of its resources' DataStore
table is dropped (``CASCADE``: aliases go too) and each uploaded file is removed, with
its storage folders when they are left empty.
"""
from __future__ import annotations

import contextlib
import logging
import os
import re
from typing import Any

import sqlalchemy as sa

import ckan.model as model
import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan.types import Action, Context, DataDict

__all__ = ["dataset_purge"]

log = logging.getLogger(__name__)
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def _resources(package_id: str) -> list[dict[str, Any]]:
    """Every resource of the dataset, deleted ones included (their tables stay too)."""
    rows = (model.Session.query(model.Resource.id, model.Resource.url_type,
                                model.Resource.url)
            .filter(model.Resource.package_id == package_id).all())
    return [{"id": rid, "url_type": url_type, "url": url} for rid, url_type, url in rows]


def _upload_path(resource: dict[str, Any]) -> Any:
    from ckan.lib import uploader

    if resource.get("url_type") != "upload":
        return None
    try:
        upload = uploader.get_resource_uploader(dict(resource))
        return upload, upload.get_path(resource["id"])
    except Exception as err:  # noqa: BLE001 - nothing stored, or no storage configured
        log.warning("purge: no stored upload for resource %s (%s)", resource["id"],
                    type(err).__name__)
        return None


def _drop_tables(resource_ids: list[str]) -> int:
    if not p.plugin_loaded("datastore"):
        return 0
    from ckanext.datastore.backend import DatastoreBackend

    engine = DatastoreBackend.get_active_backend()._get_write_engine()  # type: ignore
    dropped = 0
    with engine.begin() as conn:
        for rid in resource_ids:
            if not _UUID.match(rid):
                continue
            exists = conn.execute(sa.text("SELECT to_regclass(:name)"),
                                  {"name": f'public."{rid}"'}).scalar()
            if exists:
                conn.execute(sa.text(f'DROP TABLE IF EXISTS "{rid}" CASCADE'))
                dropped += 1
    return dropped


def _remove_file(upload: Any, location: Any) -> bool:
    if hasattr(upload, "storage"):  # CKAN's file storages
        from ckan.lib import files
        with contextlib.suppress(Exception):
            upload.storage.remove(files.FileData(location))
            return True
        return False
    path = str(location)
    try:
        os.remove(path)
    except FileNotFoundError:
        return False
    folder = os.path.dirname(path)
    for _ in range(2):  # <storage>/resources/abc/def/: the two id folders if now empty
        try:
            os.rmdir(folder)
        except OSError:
            break
        folder = os.path.dirname(folder)
    return True


@tk.chained_action
def dataset_purge(up_func: Action, context: Context, data_dict: DataDict) -> Any:
    """CKAN's ``dataset_purge``, then the DataStore tables and uploaded files of its
    resources are removed too.

    :param id: the name or id of the dataset to purge
    """
    package = model.Package.get(tk.get_or_bust(data_dict, "id"))
    if package is None:
        raise tk.ObjectNotFound("Dataset was not found")
    tk.check_access("dataset_purge", context, data_dict)
    package_id = package.id
    resources = _resources(package_id)
    uploads = [found for found in map(_upload_path, resources) if found]
    result = up_func(context, data_dict)
    dropped = _drop_tables([r["id"] for r in resources])
    removed = sum(_remove_file(upload, location) for upload, location in uploads)
    log.info("purge %s: %d DataStore tables dropped, %d uploaded files removed",
             package_id, dropped, removed)
    return result
