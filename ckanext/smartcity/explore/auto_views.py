"""The one place that creates the automatic views of DataStore tables.

Every DataStore table gets CKAN's table preview (``datatables_view``), a commune map
(``smartcity_map``) when its profile has a commune column, and a chart
(``smartcity_chart``) when it has a time or category column: the view types listed in
``ckan.views.default_views`` that need the DataStore, each deciding through its plugin's
``can_view`` (which reads :mod:`ckanext.smartcity.explore.profile`).

How every path reaches it: chained actions run :func:`ensure_views` after
``datastore_create`` (API tables, uploads loaded into the DataStore), after
``package_create`` / ``package_update`` (the harvest publish step writes the table and then
the dataset) and after ``resource_create`` / ``resource_update``, i.e. after the wrapped
action has committed. A view whose rule no longer holds (a re-harvest dropped the commune
column) is removed again; views people added by hand are never touched.

Decision: a failure here is logged and does not fail the action that stored the data —
the table is published either way, and ``ckan smartcity views`` creates missing views later.
"""
from __future__ import annotations

import logging
from typing import Any, Callable

import ckan.lib.datapreview as datapreview
import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.types import Context, DataDict

from ckanext.smartcity.explore import profile

__all__ = ["ensure_views", "ensure_dataset_views", "AUTOMATIC_VIEWS", "chained_actions"]

log = logging.getLogger(__name__)

#: view types this module manages (created when their rule holds, removed when not)
AUTOMATIC_VIEWS = ("datatables_view", "smartcity_map", "smartcity_chart")


def _context() -> Context:
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    return {"user": site_user["name"], "ignore_auth": True}  # type: ignore[typeddict-item]


def ensure_views(resource_id: str) -> list[str]:
    """Create the missing automatic views of one resource and remove stale ones.

    :returns: the view types of the resource afterwards (automatic ones only).
    """
    with profile.memo():  # the map's and the chart's can_view read one profile
        return _ensure_views(resource_id)


def _ensure_views(resource_id: str) -> list[str]:
    view_types = [v for v in tk.config.get("ckan.views.default_views")
                  if v in AUTOMATIC_VIEWS and datapreview.get_view_plugin(v) is not None]
    resource_obj = model.Resource.get(resource_id)
    if not view_types or resource_obj is None or resource_obj.state != "active":
        return []
    context = _context()
    resource = tk.get_action("resource_show")(context, {"id": resource_id})
    if not resource.get("datastore_active"):
        return []
    package = tk.get_action("package_show")(context, {"id": resource["package_id"]})
    datapreview.add_views_to_resource(dict(context), resource, package,
                                      view_types=view_types)
    kept = []
    for view in tk.get_action("resource_view_list")(context, {"id": resource_id}):
        if view["view_type"] not in AUTOMATIC_VIEWS:
            continue
        plugin = datapreview.get_view_plugin(view["view_type"])
        if plugin is not None and not plugin.can_view({"resource": resource,
                                                       "package": package}):
            tk.get_action("resource_view_delete")(context, {"id": view["id"]})
        else:
            kept.append(view["view_type"])
    return kept


def ensure_dataset_views(package_id: str) -> None:
    """:func:`ensure_views` for every DataStore resource of a dataset."""
    package = model.Package.get(package_id)
    if package is None:
        return
    for resource in package.resources:
        if (resource.extras or {}).get("datastore_active"):
            ensure_views(resource.id)


def _safely(what: str, func: Callable[[str], Any], ident: str | None) -> None:
    if not ident:
        return
    try:
        func(ident)
    except Exception:  # the data is stored; views can be made later (module docstring)
        model.Session.rollback()
        log.exception("automatic views for %s %s failed", what, ident)


def _after(action: str, of: str) -> Callable[..., Any]:
    @tk.chained_action
    def chained(up_func: Callable[..., Any], context: Context, data_dict: DataDict) -> Any:
        result = up_func(context, data_dict)
        if not context.get("defer_commit"):
            if of == "resource":
                ident = (data_dict.get("resource_id") if action == "datastore_create"
                         else None) or (result or {}).get("resource_id") or (
                    result or {}).get("id")
                _safely("resource", ensure_views, ident)
            else:
                ident = result if isinstance(result, str) else (result or {}).get("id")
                _safely("dataset", ensure_dataset_views, ident)
        return result
    chained.__name__ = action
    chained.__doc__ = f"{action}, then the automatic views (ckanext.smartcity.explore)."
    return chained


def chained_actions() -> dict[str, Any]:
    """The chained actions that reach :func:`ensure_views` from every way data arrives."""
    return {"datastore_create": _after("datastore_create", "resource"),
            "resource_create": _after("resource_create", "resource"),
            "resource_update": _after("resource_update", "resource"),
            "package_create": _after("package_create", "dataset"),
            "package_update": _after("package_update", "dataset")}
