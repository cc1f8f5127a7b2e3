"""Quality pages: ``/quality`` (the whole city) and ``/organization/<id>/quality`` (one
department), both rendered from ``smartcity_quality_report``."""
from __future__ import annotations

from typing import Any

from flask import Blueprint

import ckan.plugins.toolkit as tk


def _render(id_: str | None) -> Any:
    context = {"user": tk.current_user.name if tk.current_user else ""}
    try:
        report = tk.get_action("smartcity_quality_report")(context, {"id": id_} if id_ else {})
    except tk.ObjectNotFound:
        return tk.abort(404)
    except tk.NotAuthorized:
        return tk.abort(403)
    departments = []
    if not id_:
        departments = tk.get_action("organization_list")(context, {"all_fields": True})
    return tk.render("smartcity/quality/report.html",
                     {"report": report, "departments": departments})


def city_quality() -> Any:
    """The city-wide page."""
    return _render(None)


def department_quality(id: str) -> Any:  # noqa: A002  (CKAN's URL parameter name)
    """One department's page."""
    return _render(id)


quality = Blueprint("smartcity_quality", __name__)
quality.add_url_rule("/quality", view_func=city_quality, endpoint="city")
quality.add_url_rule("/organization/<id>/quality", view_func=department_quality,
                     endpoint="department")
