"""``smartcity_harvest_summary``: what the last harvest of each source did."""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.types import Context, DataDict
from ckanext.harvest.model import (HarvestGatherError, HarvestJob, HarvestObject,
                                   HarvestObjectError, HarvestSource)

__all__ = ["smartcity_harvest_summary"]

MAX_ERRORS = 50
_STATUSES = ("added", "updated", "not modified", "deleted", "errored")


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _sources(data_dict: DataDict) -> list[HarvestSource]:
    query = (model.Session.query(HarvestSource)
             .join(model.Package, model.Package.id == HarvestSource.id)
             .filter(model.Package.state == "active"))
    if data_dict.get("id"):
        ref = data_dict["id"]
        query = query.filter(sa.or_(HarvestSource.id == ref, model.Package.name == ref))
        sources = query.all()
        if not sources:
            raise tk.ObjectNotFound(f"harvest source {ref} not found")
        return sources
    if data_dict.get("owner_org"):
        group = model.Group.get(data_dict["owner_org"])
        if group is None:
            raise tk.ObjectNotFound(f"organization {data_dict['owner_org']} not found")
        query = query.filter(model.Package.owner_org == group.id)
    return query.order_by(model.Package.name).all()


def _counts(job: HarvestJob) -> dict[str, int]:
    counts = dict.fromkeys(_STATUSES, 0)
    rows = (model.Session.query(HarvestObject.report_status, sa.func.count(HarvestObject.id))
            .filter(HarvestObject.harvest_job_id == job.id)
            .group_by(HarvestObject.report_status))
    for status, count in rows:
        if status in counts:
            counts[status] = count
    with_errors = (model.Session.query(sa.func.count(sa.distinct(
        HarvestObjectError.harvest_object_id)))
        .join(HarvestObject, HarvestObject.id == HarvestObjectError.harvest_object_id)
        .filter(HarvestObject.harvest_job_id == job.id).scalar() or 0)
    gather = (model.Session.query(sa.func.count(HarvestGatherError.id))
              .filter(HarvestGatherError.harvest_job_id == job.id).scalar() or 0)
    counts["errored"] = max(counts["errored"], with_errors) + gather
    return counts


def _errors(job: HarvestJob) -> list[dict[str, Any]]:
    errors: list[dict[str, Any]] = [
        {"stage": "Gather", "guid": None, "message": e.message, "created": _iso(e.created)}
        for e in (model.Session.query(HarvestGatherError)
                  .filter(HarvestGatherError.harvest_job_id == job.id)
                  .order_by(HarvestGatherError.created).limit(MAX_ERRORS))]
    rows = (model.Session.query(HarvestObjectError, HarvestObject.guid)
            .join(HarvestObject, HarvestObject.id == HarvestObjectError.harvest_object_id)
            .filter(HarvestObject.harvest_job_id == job.id)
            .order_by(HarvestObjectError.created).limit(MAX_ERRORS))
    errors.extend({"stage": e.stage, "guid": guid, "message": e.message,
                   "created": _iso(e.created)} for e, guid in rows)
    return errors


def _job(job: HarvestJob | None) -> dict[str, Any] | None:
    if job is None:
        return None
    return {"id": job.id, "status": job.status, "created": _iso(job.created),
            "gather_started": _iso(job.gather_started),
            "gather_finished": _iso(job.gather_finished), "finished": _iso(job.finished),
            "stats": _counts(job), "errors": _errors(job)}


@tk.side_effect_free
def smartcity_harvest_summary(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """The last harvest job of each source: status, times, counts and error messages.

    Sources the caller may not see (``harvest_source_show`` auth) are left out; asking
    for one by ``id`` that the caller may not see raises NotAuthorized.

    :param id: a harvest source id or name (optional)
    :type id: string
    :param owner_org: an organization id or name: all its sources (optional)
    :type owner_org: string
    :returns: ``[{"id", "name", "title", "source_type", "owner_org", "frequency",
        "last_job": {"id", "status", "created", "gather_started", "gather_finished",
        "finished", "stats": {"added", "updated", "not modified", "deleted",
        "errored"}, "errors": [{"stage", "guid", "message", "created"}]} | None}]``
    :rtype: list of dictionaries
    """
    out = []
    for source in _sources(data_dict):
        try:
            tk.check_access("harvest_source_show", dict(context), {"id": source.id})
        except tk.NotAuthorized:
            if data_dict.get("id"):
                raise
            continue
        package = model.Package.get(source.id)
        job = (model.Session.query(HarvestJob).filter(HarvestJob.source_id == source.id)
               .order_by(HarvestJob.created.desc()).first())
        out.append({"id": source.id, "name": package.name if package else None,
                    "title": source.title, "source_type": source.type,
                    "owner_org": package.owner_org if package else None,
                    "frequency": source.frequency, "last_job": _job(job)})
    return out
