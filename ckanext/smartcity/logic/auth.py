"""Auth functions of the `smartcity` plugin."""
from __future__ import annotations

from typing import Any

from ckan import authz

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan.types import AuthResult, Context, DataDict

__all__: list[str] = ["smartcity_admin_units", "smartcity_department_report",
                      "smartcity_quality_report"]
#: chained ckanext-harvest auth functions, registered only when it is loaded
HARVEST_AUTH = ("harvest_object_show", "harvest_object_list")


def get_auth_functions() -> dict[str, Any]:
    """The plugin's auth functions (``__all__``), plus the chained harvest ones when
    ckanext-harvest is loaded (a chained function needs the one it wraps)."""
    functions = {name: globals()[name] for name in __all__}
    if p.plugin_loaded("harvest"):
        functions.update({name: globals()[name] for name in HARVEST_AUTH})
    return functions


@tk.auth_allow_anonymous_access
def smartcity_admin_units(context: Context, data_dict: DataDict | None) -> AuthResult:
    """The administrative-unit code list is public reference data: anyone may read it."""
    return {"success": True}


def smartcity_department_report(context: Context, data_dict: DataDict | None
                                ) -> AuthResult:
    """A department's harvest report: its editors and admins, and sysadmins (fails
    closed: no user, no department, or a member without editing rights is refused)."""
    department = (data_dict or {}).get("id")
    user = context.get("user")
    if department and user and authz.has_user_permission_for_group_or_org(
            department, user, "create_dataset"):
        return {"success": True}
    return {"success": False,
            "msg": "Chỉ biên tập viên của đơn vị xem được báo cáo này / only the "
                   "department's editors can see this report"}


def _object_source_id(data_dict: DataDict) -> str | None:
    import ckan.model as model
    from ckanext.harvest.model import HarvestObject

    if data_dict.get("id"):
        obj = model.Session.query(HarvestObject).get(data_dict["id"])
        return obj.harvest_source_id if obj is not None else None
    if data_dict.get("dataset_id"):
        package = model.Package.get(data_dict["dataset_id"])
        if package is None:
            return None
        obj = (model.Session.query(HarvestObject)
               .filter(HarvestObject.package_id == package.id)
               .filter(HarvestObject.current == True)  # noqa: E712
               .first())
        return obj.harvest_source_id if obj is not None else None
    return data_dict.get("source_id") or data_dict.get("harvest_source_id")


@tk.chained_auth_function
@tk.auth_allow_anonymous_access
def harvest_object_show(next_auth: Any, context: Context,
                        data_dict: DataDict | None) -> AuthResult:
    """A harvest object's content is its dataset spec (with the SQL query or API path of
    a departmental system): only the source's editors and sysadmins may read it."""
    source_id = _object_source_id(data_dict or {})
    if source_id is None:
        return {"success": False, "msg": "harvest object not found"}
    try:
        tk.check_access("harvest_source_update", context, {"id": source_id})
    except tk.NotAuthorized:
        return {"success": False,
                "msg": "Chỉ cán bộ của sở quản lý nguồn mới xem được / only the source's "
                       "department editors may read harvest objects"}
    return next_auth(context, data_dict)


@tk.chained_auth_function
def harvest_object_list(next_auth: Any, context: Context,
                        data_dict: DataDict | None) -> AuthResult:
    """Listing harvest objects: only for the source's editors and sysadmins."""
    source_id = (data_dict or {}).get("source_id")
    if not source_id:
        return {"success": False, "msg": "source_id is required"}
    try:
        tk.check_access("harvest_source_update", context, {"id": source_id})
    except tk.NotAuthorized:
        return {"success": False, "msg": "not authorized for this harvest source"}
    return next_auth(context, data_dict)


@tk.auth_allow_anonymous_access
def smartcity_quality_report(context: Context, data_dict: DataDict | None) -> AuthResult:
    """Quality scores are public; the report counts only datasets the caller may see."""
    return {"success": True}
