"""``smartcity_department_report``: what the harvests of one department did.

Per source: its last job (status, times, counts), when it last succeeded, whether it is
overdue for its frequency, which tables the privacy guard refused (column and detector,
never a value), which failed (the harvest error message, which never carries a secret
or a row value) and the counts of its last ten jobs.

Decisions:

* A job *succeeded* when it finished, its gather stage had no error and not every
  table failed: a source with one refused table among ten published ones still runs.
* ``stale``: no successful job within the source's frequency (``MANUAL`` sources are
  never stale: nobody promised a schedule).
* Times are ISO 8601 in UTC (``…+00:00``); the page shows them in Asia/Ho_Chi_Minh.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.types import Context, DataDict, Schema
from ckanext.harvest.model import HarvestJob, HarvestSource

from ckanext.smartcity.harvesters.outcomes import (iso_utc, job_problems, job_summary,
                                                   last_success)

__all__ = ["smartcity_department_report", "department_report_schema", "FREQUENCY_DAYS",
           "source_report"]

HISTORY = 10
#: how long a source may go without a successful job, by harvest frequency
FREQUENCY_DAYS: dict[str, int] = {"ALWAYS": 1, "DAILY": 1, "WEEKLY": 7, "BIWEEKLY": 14,
                                  "MONTHLY": 31}


def department_report_schema() -> Schema:
    """``{"id": department id or name}``."""
    not_empty = tk.get_validator("not_empty")
    unicode_safe = tk.get_validator("unicode_safe")
    return {"id": [not_empty, unicode_safe]}


def _stale(frequency: str | None, success: HarvestJob | None, now: dt.datetime) -> bool:
    days = FREQUENCY_DAYS.get((frequency or "MANUAL").upper())
    if days is None:
        return False
    if success is None or success.finished is None:
        return True
    return now - success.finished > dt.timedelta(days=days)


def source_report(source: HarvestSource, package: model.Package,
                  now: dt.datetime) -> dict[str, Any]:
    """The report of one harvest source (see :func:`smartcity_department_report`)."""
    jobs = (model.Session.query(HarvestJob).filter(HarvestJob.source_id == source.id)
            .order_by(HarvestJob.created.desc()).limit(HISTORY).all())
    last = jobs[0] if jobs else None
    refused, failed = job_problems(source.id, last) if last is not None else ([], [])
    success = last_success(source.id)
    return {"name": package.name, "title": source.title, "source_type": source.type,
            "frequency": source.frequency,
            "last_job": job_summary(last) if last is not None else None,
            "last_success": iso_utc(success.finished) if success is not None else None,
            "stale": _stale(source.frequency, success, now),
            "refused": refused, "failed": failed,
            "history": [job_summary(job) for job in jobs]}


@tk.side_effect_free
def smartcity_department_report(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """What the harvests of one department ran, changed, refused and missed.

    Department editors and admins see their own department; sysadmins every one.

    :param id: the department (organization) id or name
    :type id: string
    :returns: ``{"department": {"id", "name", "title"}, "sources": [{"name", "title",
        "source_type", "frequency", "last_job": {"status", "started", "finished",
        "stats": {"added", "updated", "not modified", "errored", "deleted"}} | None,
        "last_success", "stale", "refused": [{"dataset", "reasons": [{"column",
        "detector"}]}], "failed": [{"dataset", "message"}], "history": [last 10 jobs
        as in "last_job"]}], "datasets": number of active datasets}``
    :rtype: dictionary
    """
    data, errors = tk.navl_validate(data_dict, department_report_schema(), context)
    if errors:
        raise tk.ValidationError(errors)
    group = model.Group.get(data["id"])
    if group is None or not group.is_organization or group.state != "active":
        raise tk.ObjectNotFound(f"department {data['id']} not found")
    tk.check_access("smartcity_department_report", context, {"id": group.id})
    now = dt.datetime.utcnow()
    pairs = (model.Session.query(HarvestSource, model.Package)
             .join(model.Package, model.Package.id == HarvestSource.id)
             .filter(model.Package.state == "active")
             .filter(model.Package.owner_org == group.id)
             .order_by(model.Package.name).all())
    datasets = (model.Session.query(sa.func.count(model.Package.id))
                .filter(model.Package.owner_org == group.id)
                .filter(model.Package.state == "active")
                .filter(model.Package.type != "harvest").scalar() or 0)
    return {"department": {"id": group.id, "name": group.name, "title": group.title},
            "sources": [source_report(source, package, now) for source, package in pairs],
            "datasets": datasets}
