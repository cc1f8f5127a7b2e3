"""Actions of the `smartcity` plugin (registered through tk.blanket.actions)."""
from __future__ import annotations

from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk

from ckanext.smartcity.logic.action import exposure, gated_writes, purge, sources
from ckanext.smartcity.logic.action.codelists import smartcity_admin_units
from ckanext.smartcity.logic.action.explore import smartcity_chart_data, smartcity_map_data
from ckanext.smartcity.logic.action.harvest import smartcity_harvest_summary
from ckanext.smartcity.logic.action.quality import smartcity_quality_report
from ckanext.smartcity.logic.action.uploads import smartcity_upload_status


def get_actions() -> dict[str, Any]:
    """The plugin's actions; the guards on ckanext-harvest's actions only when it is loaded
    (a chained action needs the action it wraps)."""
    actions: dict[str, Any] = {
        "smartcity_admin_units": smartcity_admin_units,
        "smartcity_harvest_summary": smartcity_harvest_summary,
        "smartcity_map_data": smartcity_map_data,
        "smartcity_chart_data": smartcity_chart_data,
        "smartcity_quality_report": smartcity_quality_report,
        "smartcity_upload_status": smartcity_upload_status,
    }
    # what anyone without update rights must not learn (logic/action/exposure.py), and
    # a purge that removes DataStore tables and files (logic/action/purge.py)
    actions.update({name: getattr(exposure, name) for name in ("tag_list", "member_list")})
    if p.plugin_loaded("activity"):
        actions.update({name: getattr(exposure, name) for name in exposure.ACTIVITY})
    actions["dataset_purge"] = purge.dataset_purge
    if p.plugin_loaded("datastore"):
        actions["datastore_search"] = exposure.datastore_search
        if tk.asbool(tk.config.get("ckan.datastore.sqlsearch.enabled")):
            actions["datastore_search_sql"] = exposure.datastore_search_sql
        # automatic table/map/chart views after every way data arrives (explore/auto_views.py)
        from ckanext.smartcity.explore import auto_views
        actions.update(auto_views.chained_actions())
    # the privacy gate runs before everything else chained here (logic/action/gated_writes.py)
    gated = list(gated_writes.__all__) + (gated_writes.DATASTORE_ACTIONS
                                          if p.plugin_loaded("datastore") else [])
    for name in gated:
        actions[name] = gated_writes.before(getattr(gated_writes, name), actions.get(name))
    if p.plugin_loaded("harvest"):
        actions.update({name: getattr(sources, name) for name in sources.__all__})
        # no clear/delete of a source while its job runs (logic/action/busy_source.py)
        from ckanext.smartcity.logic.action import busy_source
        actions.update({name: getattr(busy_source, name) for name in busy_source.__all__})
        actions.update({name: getattr(exposure, name) for name in exposure.HARVEST})
        from ckanext.smartcity.logic.action import jobs, report
        actions["smartcity_department_report"] = report.smartcity_department_report
        actions["harvest_jobs_run"] = jobs.harvest_jobs_run
    return actions
