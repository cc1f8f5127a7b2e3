"""Pages of the `smartcity` plugin (registered through tk.blanket.blueprints)."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, redirect

import ckan.plugins.toolkit as tk

from ckanext.smartcity.notify import local_time
from ckanext.smartcity.pages import pages  # /developers and DataStore dumps (pages.py)
from ckanext.smartcity.http_errors import http_errors  # 4xx, not 500 (http_errors.py)

from ckanext.smartcity.dcat.views import dcat  # type-named DCAT URLs
from ckanext.smartcity.datapackage.views import datapackage  # Frictionless Data Packages
from ckanext.smartcity.quality.views import quality  # department and city quality pages
from ckanext.smartcity.web_security import harvest_posts  # POST-only harvest actions

# tk.blanket.blueprints registers what __all__ names: the blueprints only
__all__ = ["report", "pages", "dcat", "quality", "harvest_posts", "http_errors",
           "datapackage"]

#: the department harvest report page (one definition: the mail links to it too), beside
#: the department's other pages (/organization/<id>, /organization/<id>/quality)
REPORT_PATH = "/organization/{id}/harvest-report"
#: where it was until issue 22 (links in mails already sent): a permanent redirect
OLD_REPORT_PATH = "/department/{id}/harvest-report"

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

