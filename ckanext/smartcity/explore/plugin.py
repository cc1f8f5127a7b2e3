"""Resource view plugins ``smartcity_map`` (commune choropleth) and ``smartcity_chart``
(time or category chart) of DataStore tables.

Thin on purpose: the rules are in :mod:`.profile`, the numbers in :mod:`.aggregate`, the
automatic creation in :mod:`.auto_views`, the pages in ``templates/smartcity_explore/``
and ``assets/``.
"""
from __future__ import annotations

import logging
from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan.types import Context

from ckanext.smartcity.explore import aggregate, geo, helpers
from ckanext.smartcity.explore.profile import (TableProfile, current_communes, memo,
                                               profile_table)

log = logging.getLogger(__name__)


def _profile(resource: dict[str, Any]) -> TableProfile | None:
    if not resource.get("datastore_active") or not resource.get("id"):
        return None
    try:
        return profile_table(resource["id"])
    except Exception:  # a table that cannot be read offers no map (logged, not raised)
        log.exception("profiling DataStore table %s failed", resource.get("id"))
        return None


def _default_measure(profile: TableProfile) -> str:
    counts = [m for m in profile.measures if m in profile.counts]
    return (counts or list(profile.measures))[0]


class _ExploreView(p.SingletonPlugin):
    """What both views share: templates, assets, the boundaries file."""

    p.implements(p.IConfigurer, inherit=True)
    p.implements(p.IResourceView, inherit=True)

    view_name = ""

    # IConfigurer
    def update_config(self, config_: Any) -> None:
        tk.add_template_directory(config_, "templates")
        tk.add_public_directory(config_, "public")
        tk.add_resource("assets", "smartcity-explore")

    # IResourceView
    def form_template(self, context: Context, data_dict: dict[str, Any]) -> str:
        return "smartcity_explore/view_form.html"

    def _variables(self, data_dict: dict[str, Any], by_commune: bool) -> dict[str, Any]:
        with memo():
            return self._page_variables(data_dict, by_commune)

    def _page_variables(self, data_dict: dict[str, Any], by_commune: bool) -> dict[str, Any]:
        profile = _profile(data_dict["resource"])
        if profile is None:
            return {"explore": None}
        lang = tk.h.lang() or "vi"
        measure = _default_measure(profile)
        period = profile.periods[-1] if profile.periods else None
        if by_commune and profile.commune:
            group = profile.commune
        elif len(profile.periods) > 1 or not profile.categories:
            group = profile.period or ""
        else:
            group = profile.categories[0].column
        try:
            filters = aggregate.suggest_filters(
                profile, measure, group, None if group == profile.period else period)
        except Exception:  # defaults are a convenience; the page still works without
            log.exception("default filters for %s failed", profile.resource_id)
            filters = {}
        return {"explore": {
            "profile": profile.to_dict(lang), "lang": lang,
            "defaults": {"column": measure, "period": period, "filters": filters,
                         "by": group},
            "boundaries_url": tk.h.url_for_static("/" + geo.PUBLIC_PATH),
            "attribution": geo.boundaries().get("attribution", ""),
            "api": tk.h.url_for("api.action", ver=3,
                                logic_function="status_show")[:-len("status_show")],
            "communes": [{"value": code, "label": names[1] if lang == "en" else names[0]}
                         for code, names in sorted(current_communes().items(),
                                                   key=lambda kv: kv[1][0])],
        }}


class SmartcityMapView(_ExploreView):
    """``smartcity_map``: a choropleth of one numeric column per commune."""

    p.implements(p.ITemplateHelpers)
    view_name = "smartcity_map"

    # ITemplateHelpers: the dataset page's map and localised data-dictionary labels
    def get_helpers(self) -> dict[str, Any]:
        return helpers.get_helpers()

    def info(self) -> dict[str, Any]:
        return {"name": "smartcity_map", "title": tk._("Bản đồ xã, phường / Commune map"),
                "icon": "map", "iframed": True, "requires_datastore": True,
                "filterable": False, "preview_enabled": False,
                "default_title": tk._("Bản đồ / Map"),
                "default_description": ""}

    def can_view(self, data_dict: dict[str, Any]) -> bool:
        profile = _profile(data_dict["resource"])
        return profile is not None and profile.has_map

    def setup_template_variables(self, context: Context,
                                 data_dict: dict[str, Any]) -> dict[str, Any]:
        return self._variables(data_dict, by_commune=True)

    def view_template(self, context: Context, data_dict: dict[str, Any]) -> str:
        return "smartcity_explore/map_view.html"


class SmartcityChartView(_ExploreView):
    """``smartcity_chart``: a line chart over time or a bar chart by category."""

    view_name = "smartcity_chart"

    def info(self) -> dict[str, Any]:
        return {"name": "smartcity_chart", "title": tk._("Biểu đồ / Chart"),
                "icon": "chart-line", "iframed": True, "requires_datastore": True,
                "filterable": False, "preview_enabled": False,
                "default_title": tk._("Biểu đồ / Chart"),
                "default_description": ""}

    def can_view(self, data_dict: dict[str, Any]) -> bool:
        profile = _profile(data_dict["resource"])
        return profile is not None and profile.has_chart

    def setup_template_variables(self, context: Context,
                                 data_dict: dict[str, Any]) -> dict[str, Any]:
        return self._variables(data_dict, by_commune=False)

    def view_template(self, context: Context, data_dict: dict[str, Any]) -> str:
        return "smartcity_explore/chart_view.html"
