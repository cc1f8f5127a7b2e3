"""Auth functions of the `smartcity` plugin."""
from __future__ import annotations

from typing import Any

from ckan import authz

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan.types import AuthResult, Context, DataDict

__all__: list[str] = ["smartcity_admin_units", "smartcity_department_report",
                      "smartcity_quality_report", "task_status_show",
                      "package_collaborator_list"]
#: chained ckanext-harvest auth functions, registered only when it is loaded
HARVEST_AUTH = ("harvest_object_show", "harvest_object_list", "harvest_log_list")
#: task types whose value holds an upload's privacy report: only for the resource's editors
PRIVATE_TASKS = ("smartcity_upload",)


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


def _as(context: Context) -> dict[str, Any]:
    import ckan.model as model

    return {"user": context.get("user"), "auth_user_obj": context.get("auth_user_obj"),
            "model": model, "session": model.Session}


@tk.chained_auth_function
@tk.auth_allow_anonymous_access
def task_status_show(next_auth: Any, context: Context,
                     data_dict: DataDict | None) -> AuthResult:
    """CKAN lets anyone read any task status (an upload's message and privacy report
    included). Here: only who may read the resource or dataset it is about, and for the
    upload/privacy task (``smartcity_upload``) only who may update it. Fails closed: a
    task of another kind of entity, or none found, is for sysadmins only."""
    import ckan.model as model

    data = data_dict or {}
    task = model.TaskStatus.get(data["id"]) if data.get("id") else None
    entity_id = task.entity_id if task is not None else data.get("entity_id")
    task_type = task.task_type if task is not None else data.get("task_type")
    refused = {"success": False,
               "msg": "Không có quyền xem trạng thái xử lý này / not authorized to read "
                      "this task status"}
    if not entity_id:
        return refused
    update = task_type in PRIVATE_TASKS
    if model.Resource.get(entity_id) is not None:
        action, key = ("resource_update" if update else "resource_show"), "id"
    elif model.Package.get(entity_id) is not None:
        action, key = ("package_update" if update else "package_show"), "id"
    else:
        return refused
    try:
        tk.check_access(action, _as(context), {key: entity_id})
    except (tk.NotAuthorized, tk.ObjectNotFound):
        return refused
    return next_auth(context, data_dict)


@tk.chained_auth_function
def package_collaborator_list(next_auth: Any, context: Context,
                              data_dict: DataDict | None) -> AuthResult:
    """CKAN's check asserts a logged-in user (a 500 for anonymous callers): refused
    cleanly (403) instead."""
    if not context.get("user") or not authz.get_user_id_for_username(
            context.get("user"), allow_none=True):
        return {"success": False, "msg": "Cần đăng nhập / login required"}
    return next_auth(context, data_dict)


@tk.chained_auth_function
def harvest_log_list(next_auth: Any, context: Context, data_dict: DataDict | None
                     ) -> AuthResult:
    """The harvesters' own log (every source's messages, internal details included):
    sysadmins only (who pass every auth check). ckanext-harvest registers its *action*
    functions as auth functions too (a shared mutable default in its plugin's
    ``_get_logic_functions``), so its "auth" for this name ran the action itself: a 500.
    ``next_auth`` is never called."""
    return {"success": False,
            "msg": "Chỉ quản trị hệ thống xem được nhật ký thu thập / only sysadmins can "
                   "read the harvest log"}
