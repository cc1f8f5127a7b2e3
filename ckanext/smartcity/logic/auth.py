"""Auth functions of the `smartcity` plugin."""
from __future__ import annotations

from ckan import authz
import ckan.plugins.toolkit as tk
from ckan.types import AuthResult, Context, DataDict

__all__: list[str] = ["smartcity_admin_units", "smartcity_department_report"]


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
