"""What happens after a harvest job: ckanext-harvest's ``harvest_jobs_run``, chained.

ckanext-harvest finishes jobs in ``harvest_jobs_run`` (run every few minutes by
``ckan harvester run``): a job whose objects are all done, or — with
``ckan.harvest.timeout`` — one with no progress for that many minutes. Here, for each
job that this call finished:

* a timed-out job's tables that never completed are set to ``ERROR`` with a message
  saying so (Vietnamese and English), so the department report lists them as failed;
  the job's own timeout error is rewritten in both languages. Nothing published changes:
  an import that died held its DataStore load in an open transaction (rolled back by
  PostgreSQL) and had not written the dataset;
* the department is mailed about refusals and failures (:mod:`ckanext.smartcity.harvesters.notify`).
"""
from __future__ import annotations

import logging
from typing import Any

import sqlalchemy as sa

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.types import Action, Context, DataDict
from ckanext.harvest.model import (HarvestGatherError, HarvestJob, HarvestObject,
                                   HarvestObjectError)

from ckanext.smartcity.harvesters import notify
from ckanext.smartcity import config as options

__all__ = ["harvest_jobs_run", "after_job", "TIMEOUT_MESSAGE"]

log = logging.getLogger(__name__)

TIMEOUT_MESSAGE = (
    "Quá thời gian: công việc thu thập không tiến triển trong {minutes} phút "
    "(ckan.harvest.timeout) và đã được kết thúc; dữ liệu đã xuất bản không thay đổi / "
    "timed out: the harvest job made no progress for {minutes} minutes "
    "(ckan.harvest.timeout) and was finished with this error; nothing published changed")


def _running(source_id: str | None) -> list[str]:
    query = model.Session.query(HarvestJob.id).filter(HarvestJob.status == "Running")
    if source_id:
        query = query.filter(HarvestJob.source_id == source_id)
    return [job_id for (job_id,) in query]


def _close_timed_out(job: HarvestJob) -> None:
    """Record the timeout on the job and on each table that never completed."""
    minutes = options.harvest_timeout_minutes() or 0
    message = TIMEOUT_MESSAGE.format(minutes=minutes)
    errors = (model.Session.query(HarvestGatherError)
              .filter(HarvestGatherError.harvest_job_id == job.id)
              .filter(HarvestGatherError.message.like(f"Job {job.id} timeout%")).all())
    if not errors:
        return
    for error in errors:
        error.message = message
    unfinished = (model.Session.query(HarvestObject)
                  .filter(HarvestObject.harvest_job_id == job.id)
                  .filter(sa.and_(HarvestObject.state != "COMPLETE",
                                  HarvestObject.state != "ERROR")).all())
    for obj in unfinished:
        obj.state = "ERROR"
        obj.report_status = "errored"
        model.Session.add(HarvestObjectError(object=obj, message=message, stage="Import"))
    model.Session.commit()
    log.warning("harvest job %s timed out after %s minutes; %d tables not completed",
                job.id, minutes, len(unfinished))


def after_job(job_id: str) -> None:
    """Timeout bookkeeping and notifications for a job that just finished."""
    job = HarvestJob.get(job_id)
    if job is None or job.status != "Finished":
        return
    _close_timed_out(job)
    try:
        notify.notify_job(job_id)
    except Exception as err:  # noqa: BLE001 - a mail problem never fails the run
        model.Session.rollback()
        log.error("harvest job %s: notification failed (%s)", job_id, type(err).__name__)


@tk.chained_action
def harvest_jobs_run(up_func: Action, context: Context, data_dict: DataDict) -> Any:
    """ckanext-harvest's ``harvest_jobs_run``; then, for every job it finished, the
    timeout bookkeeping and the department's notification (see module).

    :param source_id: only this source's jobs (optional)
    :type source_id: string
    """
    tk.check_access("harvest_jobs_run", context, data_dict)
    before = _running(data_dict.get("source_id"))
    result = up_func(context, data_dict)
    model.Session.expire_all()
    for job_id in before:
        after_job(job_id)
    return result
