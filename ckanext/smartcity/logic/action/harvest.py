"""``smartcity_harvest_summary``: what the last harvest of each source did."""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.types import Context, DataDict
from ckanext.harvest.model import HarvestJob, HarvestSource

from ckanext.smartcity.harvesters.outcomes import job_details

__all__ = ["smartcity_harvest_summary"]


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
                    "frequency": source.frequency, "last_job": job_details(job)})
    return out
