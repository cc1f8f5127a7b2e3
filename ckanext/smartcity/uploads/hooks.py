"""Queue the upload loader when a write stores a new table file (see :mod:`.loader`).

Every path that stores an upload ends in ``package_create`` / ``package_update``
(``resource_create/update/patch`` run through them), whose ``after_dataset_create`` /
``after_dataset_update`` call :func:`after_write` *before* the transaction commits. For
each loadable upload whose file is not the one last queued (:func:`.status.signature`), it
writes the ``queued`` status in that same transaction and remembers the resource; the job
is put on CKAN's jobs queue only once the transaction has committed (SQLAlchemy's
``after_commit`` of the outermost transaction), so the worker never looks for a file or a
resource that a rollback took back, and a rolled-back write queues nothing.

Writes of the harvest and of the loader itself carry the gate's ``CHECKED`` flag: their
tables are loaded by their writers.
"""
from __future__ import annotations

import logging
from typing import Any

import sqlalchemy as sa

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.smartcity.uploads import loader, status

__all__ = ["after_write"]

log = logging.getLogger(__name__)
_PENDING = "smartcity_upload_pending"


def _as_dict(resource: model.Resource) -> dict[str, Any]:
    return {"url": resource.url, "url_type": resource.url_type,
            loader.ROWS_RESOURCE_KEY: (resource.extras or {}).get(loader.ROWS_RESOURCE_KEY)}


def after_write(context: Any, pkg_dict: dict[str, Any]) -> None:
    """``after_dataset_create/update``: queue the loads of the new uploads."""
    from ckanext.smartcity.logic.write_checks import CHECKED
    if context.get(CHECKED) or not pkg_dict.get("id"):
        return
    package = model.Package.get(pkg_dict["id"])
    if package is None:
        return
    dataset = {"type": package.type}
    for resource in package.resources:
        if resource.state != "active" or not loader.eligible(dataset, _as_dict(resource)):
            continue
        upload = status.signature(resource)
        record = status.get(resource.id)
        if record is not None and record.signature == upload:
            continue  # this file is queued, loading or loaded already
        status.put(status.LoadStatus(resource.id, status.QUEUED, upload,
                                     times={"queued_at": status.now()}), commit=False)
        model.Session().info.setdefault(_PENDING, {})[resource.id] = upload


def _enqueue(resource_id: str, upload: str) -> None:
    try:
        tk.enqueue_job(loader.load_upload, [resource_id, upload],
                       title=f"smartcity upload load {resource_id}",
                       rq_kwargs={"timeout": loader.JOB_TIMEOUT_S})
    except Exception as err:  # noqa: BLE001 - the write is committed; the status says queued
        log.error("upload load of resource %s could not be queued (%s); run "
                  "`ckan smartcity uploads load %s`", resource_id, type(err).__name__,
                  resource_id)


@sa.event.listens_for(model.Session, "after_commit")
def _after_commit(session: Any) -> None:
    if session.in_nested_transaction():
        return  # a SAVEPOINT released: the outer transaction may still roll back
    pending = session.info.pop(_PENDING, None)
    for resource_id, upload in (pending or {}).items():
        _enqueue(resource_id, upload)


@sa.event.listens_for(model.Session, "after_soft_rollback")
def _after_rollback(session: Any, previous_transaction: Any) -> None:
    if previous_transaction.parent is None:
        session.info.pop(_PENDING, None)
