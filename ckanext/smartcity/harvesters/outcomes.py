"""What one harvest job did to each dataset, in the department's words.

Read from ckanext-harvest's own records (harvest objects, their ``report_status`` and
errors); nothing is stored twice. The job page (``source/job/read.html``) shows it.
Messages are the importer's, which name the source by title and the dataset, the column
and the detector — never a URL, a connection string or a row value.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import ckan.model as model

__all__ = ["Outcome", "OUTCOME_LABELS", "job_outcomes", "classify"]

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

#: the importer's phrase for a privacy refusal (harvesters/importer.py)
_REFUSAL_MARK = "privacy guard blocked it"


@dataclass
class Outcome:
    """One dataset spec in one job."""

    dataset: str
    outcome: str
    messages: list[str]
    package_name: str | None

    def label(self, lang: str) -> str:
        vi, en = OUTCOME_LABELS[self.outcome]
        return en if lang == "en" else vi


def classify(report_status: str | None, messages: list[str]) -> str:
    """The outcome of a harvest object from its report status and error messages."""
    if messages:
        return "refused" if any(_REFUSAL_MARK in m for m in messages) else "failed"
    return {"added": "published", "updated": "updated", "not modified": "unchanged",
            "deleted": "withdrawn", "errored": "failed"}.get(report_status or "", "pending")


def job_outcomes(job_id: str) -> list[Outcome]:
    """One :class:`Outcome` per harvest object of ``job_id``, by dataset name."""
    from ckanext.harvest.model import HarvestObject, HarvestObjectError

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
    names: dict[str, str] = {}
    package_ids = [o.package_id for o in objects if o.package_id]
    if package_ids:
        names = dict(model.Session.query(model.Package.id, model.Package.name)
                     .filter(model.Package.id.in_(package_ids))
                     .filter(model.Package.state == "active"))
    result = [Outcome(dataset=(guid or "").rsplit("/", 1)[-1],
                      outcome=classify(status, errors.get(object_id, [])),
                      messages=errors.get(object_id, []),
                      package_name=names.get(package_id or ""))
              for object_id, guid, status, package_id in objects]
    return sorted(result, key=lambda o: o.dataset)


def as_dicts(outcomes: list[Outcome], lang: str) -> list[dict[str, Any]]:
    """Template-friendly dicts with the label in ``lang``."""
    return [{"dataset": o.dataset, "outcome": o.outcome, "label": o.label(lang),
             "messages": o.messages, "package_name": o.package_name} for o in outcomes]
