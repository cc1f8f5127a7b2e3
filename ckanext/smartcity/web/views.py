"""The department harvest report page (the other blueprints: web/registry.py)."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, redirect

import ckan.plugins.toolkit as tk

from ckanext.smartcity.harvesters.notify import OLD_REPORT_PATH, REPORT_PATH
from ckanext.smartcity.reference.labels import local_time

__all__ = ["report"]

report = Blueprint("smartcity_report", __name__)


def department_report(id: str) -> Any:  # noqa: A002 - CKAN's route argument name
    """The department's harvest report: what ran, changed, was refused and is overdue."""
    context: Any = {"user": tk.current_user.name if tk.current_user else None}
    try:
        data = tk.get_action("smartcity_department_report")(context, {"id": id})
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Không tìm thấy đơn vị / Department not found"))
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Chỉ biên tập viên của đơn vị xem được báo cáo này / "
                                  "Only the department's editors can see this report"))
    group_dict = tk.get_action("organization_show")(
        dict(context, ignore_auth=True), {"id": data["department"]["id"],
                                          "include_datasets": False})
    return tk.render("smartcity/department_report.html", extra_vars={
        "report": data, "group_dict": group_dict, "group_type": "organization",
        "local_time": local_time})


report.add_url_rule(REPORT_PATH.format(id="<id>"), view_func=department_report,
                    endpoint="department_report")


def old_department_report(id: str) -> Any:  # noqa: A002 - CKAN's route argument name
    """The report's former address: moved permanently to :data:`REPORT_PATH`."""
    return redirect(tk.h.url_for("smartcity_report.department_report", id=id), code=301)


report.add_url_rule(OLD_REPORT_PATH.format(id="<id>"), view_func=old_department_report,
                    endpoint="old_department_report")

