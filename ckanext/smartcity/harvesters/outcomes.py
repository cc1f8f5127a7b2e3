"""What one harvest job did to each dataset, in the department's words.

Read from ckanext-harvest's own records (harvest objects, their ``report_status`` and
errors); nothing is stored twice. The job page (``source/job/read.html``) shows it.
Messages are the importer's, which name the source by title and the dataset, the column
and the detector — never a URL, a connection string or a row value.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import ckan.model as model

__all__ = ["Outcome", "OUTCOME_LABELS", "OUTCOME_BADGES", "job_outcomes", "classify", "as_dicts"]

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
