"""What harvest jobs did: the one read model of job results.

Read from ckanext-harvest's own records (harvest objects, their ``report_status``, errors
and the privacy findings kept with them); nothing is stored twice. Per dataset
(:func:`job_outcomes`: the job page ``source/job/read.html``), and per job: counts,
errors, success, problems (:func:`job_counts`, :func:`job_errors`, :func:`job_details`,
:func:`job_succeeded`, :func:`job_summary`, :func:`job_problems`), which the actions
``smartcity_harvest_summary`` and ``smartcity_department_report`` and the department mail
(:mod:`.notify`) read.
Messages are the importer's, which name the source by title and the dataset, the column
and the detector — never a URL, a connection string or a row value.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

import ckan.model as model

__all__ = ["Outcome", "OUTCOME_LABELS", "OUTCOME_BADGES", "job_outcomes", "classify", "as_dicts",
           "STATUSES", "MAX_ERRORS", "iso_utc", "job_counts", "job_errors", "job_details",
           "job_succeeded", "job_summary", "job_problems", "last_success"]

#: outcome -> (Vietnamese, English)
OUTCOME_LABELS: dict[str, tuple[str, str]] = {
    "published": ("Đã công bố mới", "Published"),
    "updated": ("Đã cập nhật", "Updated"),
    "unchanged": ("Không thay đổi", "Unchanged"),
    "refused": ("Bị từ chối (dữ liệu cá nhân)", "Refused (personal data)"),
    "failed": ("Thất bại", "Failed"),
    "withdrawn": ("Đã rút", "Withdrawn"),
    "pending": ("Đang xử lý", "In progress"),
}

#: outcome -> Bootstrap badge classes
OUTCOME_BADGES: dict[str, str] = {
    "published": "bg-success", "updated": "bg-info text-dark", "unchanged": "bg-secondary",
    "refused": "bg-danger", "failed": "bg-warning text-dark", "withdrawn": "bg-dark",
    "pending": "bg-light text-dark",
}


@dataclass
class Outcome:
    """One dataset spec in one job."""

    dataset: str
    outcome: str
    messages: list[str]
    package_name: str | None
    #: a privacy refusal's findings: ``[{"column", "detector"}]`` (never a value)
    reasons: list[dict[str, str]]

    def label(self, lang: str) -> str:
        vi, en = OUTCOME_LABELS[self.outcome]
        return en if lang == "en" else vi


def classify(report_status: str | None, messages: list[str],
             reasons: list[dict[str, str]] | None = None) -> str:
    """The outcome of a harvest object from its report status, its error messages and
    the privacy findings the harvester kept with it."""
    if reasons:
        return "refused"
    if messages:
        return "failed"
    return {"added": "published", "updated": "updated", "not modified": "unchanged",
            "deleted": "withdrawn", "errored": "failed"}.get(report_status or "", "pending")


def job_outcomes(job_id: str) -> list[Outcome]:
    """One :class:`Outcome` per harvest object of ``job_id``, by dataset name."""
    from ckanext.harvest.model import HarvestObject, HarvestObjectError, HarvestObjectExtra

    from ckanext.smartcity.harvesters.base import REFUSED

    objects = (model.Session.query(HarvestObject.id, HarvestObject.guid,
                                   HarvestObject.report_status, HarvestObject.package_id)
               .filter(HarvestObject.harvest_job_id == job_id).all())
    if not objects:
        return []
    errors: dict[str, list[str]] = {}
    for object_id, message in (model.Session.query(HarvestObjectError.harvest_object_id,
                                                   HarvestObjectError.message)
                               .filter(HarvestObjectError.harvest_object_id
                                       .in_([o.id for o in objects]))
                               .order_by(HarvestObjectError.created)):
        errors.setdefault(object_id, []).append(message or "")
    reasons: dict[str, list[dict[str, str]]] = {}
    for object_id, value in (model.Session.query(HarvestObjectExtra.harvest_object_id,
                                                 HarvestObjectExtra.value)
                             .filter(HarvestObjectExtra.key == REFUSED)
                             .filter(HarvestObjectExtra.harvest_object_id
                                     .in_([o.id for o in objects]))):
        try:
            found = json.loads(value or "[]")
        except ValueError:
            found = []
        reasons[object_id] = [{"column": str(f.get("column", "")),
                               "detector": str(f.get("detector", ""))}
                              for f in found if isinstance(f, dict)]
    names: dict[str, str] = {}
    package_ids = [o.package_id for o in objects if o.package_id]
    if package_ids:
        names = dict(model.Session.query(model.Package.id, model.Package.name)
                     .filter(model.Package.id.in_(package_ids))
                     .filter(model.Package.state == "active"))
    result = [Outcome(dataset=(guid or "").rsplit("/", 1)[-1],
                      outcome=classify(status, errors.get(object_id, []),
                                       reasons.get(object_id)),
                      messages=errors.get(object_id, []),
                      package_name=names.get(package_id or ""),
                      reasons=reasons.get(object_id, []))
              for object_id, guid, status, package_id in objects]
    return sorted(result, key=lambda o: o.dataset)


def as_dicts(outcomes: list[Outcome], lang: str) -> list[dict[str, Any]]:
    """Template-friendly dicts with the label in ``lang``."""
    return [{"dataset": o.dataset, "outcome": o.outcome, "label": o.label(lang),
             "badge": OUTCOME_BADGES[o.outcome], "messages": o.messages,
             "reasons": o.reasons, "package_name": o.package_name} for o in outcomes]


# ------------------------------------------------------------- the job as a whole
#: how many error messages of one job the summary action returns
MAX_ERRORS = 50
#: ckanext-harvest's report statuses, counted per job
STATUSES = ("added", "updated", "not modified", "deleted", "errored")


def iso_utc(value: dt.datetime | None) -> str | None:
    """A stored (naive, UTC) time as ISO 8601 in UTC, to the second."""
    if value is None:
        return None
    return value.replace(tzinfo=dt.timezone.utc, microsecond=0).isoformat()


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def job_counts(job: Any) -> dict[str, int]:
    """``{"added", "updated", "not modified", "deleted", "errored"}`` of one job; a table
    with an error or a gather error counts as errored."""
    from ckanext.harvest.model import HarvestGatherError, HarvestObject, HarvestObjectError

    counts = dict.fromkeys(STATUSES, 0)
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


def job_errors(job: Any) -> list[dict[str, Any]]:
    """``[{"stage", "guid", "message", "created"}]``: the job's gather errors, then its
    tables' errors (at most :data:`MAX_ERRORS` of each), oldest first."""
    from ckanext.harvest.model import HarvestGatherError, HarvestObject, HarvestObjectError

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


def job_details(job: Any | None) -> dict[str, Any] | None:
    """The job as ``smartcity_harvest_summary`` returns it: status, times (as stored),
    counts and error messages."""
    if job is None:
        return None
    return {"id": job.id, "status": job.status, "created": _iso(job.created),
            "gather_started": _iso(job.gather_started),
            "gather_finished": _iso(job.gather_finished), "finished": _iso(job.finished),
            "stats": job_counts(job), "errors": job_errors(job)}


def job_succeeded(job: Any) -> bool:
    """Finished, no gather error, and not every table failed: a source with one refused
    table among ten published ones still runs."""
    from ckanext.harvest.model import HarvestGatherError, HarvestObject, HarvestObjectError

    if job.status != "Finished":
        return False
    gather = (model.Session.query(sa.func.count(HarvestGatherError.id))
              .filter(HarvestGatherError.harvest_job_id == job.id).scalar() or 0)
    if gather:
        return False
    total = (model.Session.query(sa.func.count(HarvestObject.id))
             .filter(HarvestObject.harvest_job_id == job.id).scalar() or 0)
    failed = (model.Session.query(sa.func.count(sa.distinct(HarvestObject.id)))
              .outerjoin(HarvestObjectError,
                         HarvestObjectError.harvest_object_id == HarvestObject.id)
              .filter(HarvestObject.harvest_job_id == job.id)
              .filter(sa.or_(HarvestObjectError.id.isnot(None),
                             HarvestObject.report_status == "errored"))
              .scalar() or 0)
    return total == 0 or failed < total


def job_summary(job: Any) -> dict[str, Any]:
    """``{"status", "started", "finished", "stats"}`` of one job (times in UTC)."""
    return {"status": job.status, "started": iso_utc(job.gather_started or job.created),
            "finished": iso_utc(job.finished), "stats": job_counts(job)}


def _dataset_name(source_id: str, guid: str | None) -> str | None:
    if not guid:
        return None
    prefix = f"{source_id}/"
    return guid[len(prefix):] if guid.startswith(prefix) else guid


def job_problems(source_id: str, job: Any) -> tuple[list[dict[str, Any]],
                                                   list[dict[str, Any]]]:
    """``(refused, failed)`` of one job: refusals carry the guard's findings, failures
    the latest error message of each table (gather errors with ``dataset`` None)."""
    from ckanext.harvest.model import (HarvestGatherError, HarvestObject,
                                       HarvestObjectError, HarvestObjectExtra)

    from ckanext.smartcity.harvesters.base import REFUSED

    refused: list[dict[str, Any]] = []
    failed: list[dict[str, Any]] = [
        {"dataset": None, "message": e.message}
        for e in (model.Session.query(HarvestGatherError)
                  .filter(HarvestGatherError.harvest_job_id == job.id)
                  .order_by(HarvestGatherError.created))]
    findings = dict(model.Session.query(HarvestObjectExtra.harvest_object_id,
                                        HarvestObjectExtra.value)
                    .join(HarvestObject,
                          HarvestObject.id == HarvestObjectExtra.harvest_object_id)
                    .filter(HarvestObject.harvest_job_id == job.id)
                    .filter(HarvestObjectExtra.key == REFUSED))
    latest: dict[str, tuple[str | None, str]] = {}
    rows = (model.Session.query(HarvestObjectError.harvest_object_id, HarvestObject.guid,
                                HarvestObjectError.message)
            .join(HarvestObject, HarvestObject.id == HarvestObjectError.harvest_object_id)
            .filter(HarvestObject.harvest_job_id == job.id)
            .order_by(HarvestObjectError.created))
    for object_id, guid, message in rows:
        latest[object_id] = (guid, message)
    for object_id, (guid, message) in sorted(latest.items(), key=lambda i: i[1][0] or ""):
        name = _dataset_name(source_id, guid)
        if object_id in findings:
            reasons = [{"column": str(f["column"]), "detector": str(f["detector"])}
                       for f in json.loads(findings[object_id])]
            refused.append({"dataset": name, "reasons": reasons})
        else:
            failed.append({"dataset": name, "message": message})
    return refused, failed


def last_success(source_id: str) -> Any | None:
    """The latest of the source's last 50 finished jobs that :func:`job_succeeded`."""
    from ckanext.harvest.model import HarvestJob

    finished = (model.Session.query(HarvestJob)
                .filter(HarvestJob.source_id == source_id)
                .filter(HarvestJob.status == "Finished")
                .order_by(HarvestJob.finished.desc().nullslast()).limit(50))
    return next((job for job in finished if job_succeeded(job)), None)
