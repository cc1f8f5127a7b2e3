"""The smartcity_harvest_summary action."""
from __future__ import annotations

from typing import Any

import pytest

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.smartcity.logic.action.harvest import smartcity_harvest_summary

from .conftest import PLUGINS, make_source, run_job, spec, sql_config

pytestmark = [pytest.mark.ckan_config("ckan.plugins", PLUGINS),
              pytest.mark.usefixtures("harvest_env")]


def summary(**data: Any) -> list[dict[str, Any]]:
    """As an anonymous caller, through the action if registered."""
    context: Any = {"model": model, "session": model.Session, "user": ""}
    try:
        action = tk.get_action("smartcity_harvest_summary")
    except KeyError:  # registration line not yet in logic/action/__init__.py
        return smartcity_harvest_summary(context, data)
    return action(context, data)


def test_summary_reports_the_last_job_with_counts_and_errors(sysadmin, org, department):
    source = make_source(sysadmin, org, department.url, sql_config(
        spec("co-so-y-te-theo-xa", "co_so_y_te"), spec("benh-nhan", "benh_nhan")))
    assert summary(id=source["id"])[0]["last_job"] is None
    run_job(source["id"])
    job = run_job(source["id"])

    (entry,) = summary(id=source["name"])
    assert entry["id"] == source["id"] and entry["source_type"] == "smartcity_sql"
    last = entry["last_job"]
    assert last["id"] == job["id"] and last["status"] == "Finished"
    assert last["created"] and last["gather_started"] and last["finished"]
    assert last["stats"] == {"added": 0, "updated": 0, "not modified": 1, "deleted": 0,
                             "errored": 1}
    (error,) = last["errors"]
    assert error["stage"] == "Import" and error["guid"].endswith("/benh-nhan")
    assert "ho_ten" in error["message"] and "Nguyễn" not in error["message"]

    assert [s["id"] for s in summary(owner_org=org["name"])] == [source["id"]]
    with pytest.raises(tk.ObjectNotFound):
        summary(id="no-such-source")
