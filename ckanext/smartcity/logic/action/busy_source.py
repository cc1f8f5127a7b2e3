"""No clear or delete of a harvest source while one of its jobs is queued or running.

ckanext-harvest's ``harvest_source_clear`` deletes the source's jobs, objects and datasets
with raw SQL; a consumer still working on one of those objects then fails on its next
write (``StaleDataError``) and exits. ``harvest_source_clear``, ``harvest_source_delete``
and ``package_delete`` of a harvest source are therefore refused (409, a ValidationError
naming the source and the job) while the source has a job ``New`` (queued) or
``Running``; the editor retries once the job is finished (the source page shows it).
"""
from __future__ import annotations

from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.types import Action, Context, DataDict

from ckanext.smartcity.harvesters import sources as harvest_sources

__all__ = ["harvest_job_create", "harvest_source_clear", "harvest_source_delete",
           "package_delete"]

BUSY = ("Nguồn thu thập “{name}” đang có công việc {status_vi} (công việc {job}): chưa thể "
        "{what_vi} cho đến khi công việc kết thúc / the harvest source “{name}” has a "
        "{status_en} job ({job}): it cannot be {what_en} until the job is finished")
_STATUS = {"New": ("đang chờ", "queued"), "Running": ("đang chạy", "running")}


def refuse_if_busy(source_ref: str | None, what_vi: str, what_en: str) -> None:
    """:raises tk.ValidationError: when the harvest source ``source_ref`` (id or name) has
    a queued or running job."""
    from ckanext.harvest.model import HarvestJob

    package = model.Package.get(source_ref) if source_ref else None
    if package is None or package.type != harvest_sources.SOURCE_TYPE:
        return
    job = (model.Session.query(HarvestJob)
           .filter(HarvestJob.source_id == package.id)
           .filter(HarvestJob.status.in_(tuple(_STATUS)))
           .order_by(HarvestJob.created.desc()).first())
    if job is None:
        return
    status_vi, status_en = _STATUS[job.status]
    raise tk.ValidationError({"id": [BUSY.format(
        name=package.title or package.name, job=job.id, status_vi=status_vi,
        status_en=status_en, what_vi=what_vi, what_en=what_en)]})


@tk.chained_action
def harvest_source_clear(up_func: Action, context: Context, data_dict: DataDict) -> Any:
    """ckanext-harvest's ``harvest_source_clear``, refused while a job is queued/running.

    :param id: the harvest source id or name
    """
    tk.check_access("harvest_source_clear", context, data_dict)
    refuse_if_busy(data_dict.get("id"), "xoá dữ liệu đã thu thập", "cleared")
    return up_func(context, data_dict)


@tk.chained_action
def harvest_source_delete(up_func: Action, context: Context, data_dict: DataDict) -> Any:
    """ckanext-harvest's ``harvest_source_delete``, refused while a job is queued/running.

    :param id: the harvest source id or name
    """
    tk.check_access("harvest_source_delete", context, data_dict)
    refuse_if_busy(data_dict.get("id"), "xoá nguồn", "deleted")
    return up_func(context, data_dict)


@tk.chained_action
def package_delete(up_func: Action, context: Context, data_dict: DataDict) -> Any:
    """CKAN's ``package_delete``; for a harvest source, refused while a job is
    queued/running (the source page's delete button calls it directly)."""
    tk.check_access("package_delete", context, data_dict)
    refuse_if_busy(data_dict.get("id"), "xoá nguồn", "deleted")
    return up_func(context, data_dict)


@tk.chained_action
def harvest_job_create(up_func: Action, context: Context, data_dict: DataDict) -> Any:
    """ckanext-harvest's ``harvest_job_create``; a source that already has an unrun job
    answers 409 with a sentence (ckanext-harvest raises an exception the API turns into
    a 500).

    :param source_id: the harvest source id
    """
    from ckanext.harvest.logic import HarvestJobExists

    class JobExists(HarvestJobExists, tk.ValidationError):
        """Still a HarvestJobExists for ckanext-harvest's own callers (its scheduler, CLI
        and refresh view catch that), a 409 for the action API."""

    try:
        return up_func(context, data_dict)
    except HarvestJobExists:
        raise JobExists({"source_id": [
            "Nguồn này đã có một lượt thu thập chưa chạy xong / this source already has a "
            "job that has not finished"]}) from None
