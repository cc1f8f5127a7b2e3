"""Template helpers of the explore views (registered by the ``smartcity_map`` plugin)."""
from __future__ import annotations

from typing import Any, Callable, Optional

import ckan.model as model
import ckan.plugins.toolkit as tk

__all__ = ["get_helpers"]


@tk.chained_helper
def datastore_dictionary(next_helper: Callable[..., list[dict[str, Any]]], resource_id: str,
                         include_columns: Optional[list[str]] = None
                         ) -> list[dict[str, Any]]:
    """The DataStore's data dictionary with labels in the page's language: on ``/en/``
    pages ``label``/``notes`` are the dictionary's ``label_en``/``notes_en`` where present
    (the table preview's headers and the resource page's dictionary read this helper)."""
    fields = next_helper(resource_id, include_columns)
    lang = tk.h.lang()
    if not lang or lang == "vi":
        return fields
    localised = []
    for f in fields:
        info = dict(f.get("info") or {})
        for key in ("label", "notes"):
            if info.get(f"{key}_{lang}"):
                info[key] = info[f"{key}_{lang}"]
        localised.append(dict(f, info=info))
    return localised


def smartcity_explore_dataset_map(pkg: dict[str, Any]) -> dict[str, Any] | None:
    """The first commune-map view of the dataset's resources, with its resource, for the
    dataset page (``{"view": …, "resource": …}``), or None."""
    for resource in pkg.get("resources") or []:
        view = (model.Session.query(model.ResourceView)
                .filter(model.ResourceView.resource_id == resource["id"],
                        model.ResourceView.view_type == "smartcity_map")
                .order_by(model.ResourceView.order).first())
        if view is not None:
            return {"view": {"id": view.id, "title": view.title}, "resource": resource}
    return None


def get_helpers() -> dict[str, Any]:
    return {"datastore_dictionary": datastore_dictionary,
            "smartcity_explore_dataset_map": smartcity_explore_dataset_map}
