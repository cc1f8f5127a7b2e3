"""Harvest sources behave as ckanext-harvest defines them after real harvest jobs, and
their configuration is shown only to those who may edit them (issue 8, items 2 and 3)."""
from __future__ import annotations

import datetime as dt
import json
import re
from zoneinfo import ZoneInfo

import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import factories, helpers

from .conftest import (PLUGINS, dataset, make_source, object_errors, run_job, spec,
                       sql_config)

pytestmark = [pytest.mark.ckan_config("ckan.plugins", PLUGINS),
              pytest.mark.usefixtures("harvest_env")]


def _source(sysadmin, org, department):
    config = sql_config(spec("co-so-y-te-theo-xa", "co_so_y_te"))
    source = make_source(sysadmin, org, department.url, config)
    helpers.call_action("harvest_source_patch", {"user": sysadmin["name"]},
                        id=source["id"], frequency="MONTHLY")
    return source, config


def test_source_show_keeps_its_shape_after_jobs(sysadmin, org, department):
    source, config = _source(sysadmin, org, department)
    for _ in range(2):  # each finished job reindexes the source (harvest_source_reindex)
        job = run_job(source["id"])
        assert job["status"] == "Finished", object_errors(job["id"])
    shown = helpers.call_action("harvest_source_show", {"user": sysadmin["name"]},
                                id=source["name"])
    assert shown["source_type"] == "smartcity_sql"
    assert shown["frequency"] == "MONTHLY"
    assert shown["config"] == config
    assert shown["url"] == department.url
    assert "config" not in {e["key"] for e in shown.get("extras", [])}


def test_harvested_dataset_is_linked_to_its_source_from_the_first_harvest(
        sysadmin, org, department):
    source, _config = _source(sysadmin, org, department)
    job = run_job(source["id"])
    assert job["stats"]["added"] == 1, object_errors(job["id"])
    found = helpers.call_action("package_search", {"ignore_auth": True},
                                fq=f'harvest_source_id:"{source["id"]}"')
    assert [d["name"] for d in found["results"]] == ["co-so-y-te-theo-xa"]
    extras = {e["key"]: e["value"] for e in found["results"][0].get("extras", [])}
    shown = dataset("co-so-y-te-theo-xa")
    obj = helpers.call_action("harvest_object_show", {"ignore_auth": True},
                              dataset_id=shown["id"])
    assert extras.get("harvest_object_id", found["results"][0].get("harvest_object_id")) \
        == obj["id"]


def test_config_is_hidden_from_anonymous_and_other_departments(sysadmin, org, department):
    source, config = _source(sysadmin, org, department)
    run_job(source["id"])
    other_org = factories.Organization(name="so-giao-duc", title="Sở Giáo dục")
    outsider = factories.User()
    helpers.call_action("organization_member_create", {"ignore_auth": True},
                        id=other_org["id"], username=outsider["name"], role="editor")
    editor = factories.User()
    helpers.call_action("organization_member_create", {"ignore_auth": True},
                        id=org["id"], username=editor["name"], role="editor")
    private = ("config", "url", "datasets", "password_env")

    for user in ("", outsider["name"]):
        context = {"user": user, "ignore_auth": False}
        shown = helpers.call_action("harvest_source_show", context, id=source["id"])
        assert shown["title"] == "CSDL Sở Y tế" and shown["source_type"] == "smartcity_sql"
        assert shown["frequency"] == "MONTHLY" and shown["owner_org"] == org["id"]
        assert "status" in shown
        for key in private:
            assert key not in shown, (user, key)
        assert "SELECT" not in json.dumps(shown, ensure_ascii=False)
        listed = helpers.call_action("harvest_source_list", context)
        # ckanext-harvest lists every source to anonymous users, none to other users
        assert bool(listed) is (user == "")
        assert all("config" not in s and "url" not in s for s in listed)
        with pytest.raises(tk.NotAuthorized):
            helpers.call_action("harvest_object_show", context, dataset_id="co-so-y-te-theo-xa")
        searched = helpers.call_action("package_search", context,
                                       fq="+dataset_type:harvest")
        assert "SELECT" not in json.dumps(searched, ensure_ascii=False)

    shown = helpers.call_action("harvest_source_show", {"user": editor["name"],
                                                         "ignore_auth": False},
                                id=source["id"])
    assert shown["config"] == config and shown["url"] == department.url


def test_dataset_names_its_source_by_title_with_a_link(app, sysadmin, org, department):
    source, _config = _source(sysadmin, org, department)
    run_job(source["id"])
    pkg = dataset("co-so-y-te-theo-xa")
    with app.flask_app.test_request_context("/"):
        provenance = tk.render_snippet("smartcity/snippets/harvest_provenance.html",
                                       {"pkg": pkg})
    assert f'href="/harvest/{source["name"]}">CSDL Sở Y tế</a>' in provenance
    assert source["id"] not in provenance


def test_job_page_tells_per_dataset_what_happened(app, sysadmin, org, department):
    config = sql_config(spec("co-so-y-te-theo-xa", "co_so_y_te"),
                        spec("benh-nhan", "benh_nhan"))
    source = make_source(sysadmin, org, department.url, config)
    job = run_job(source["id"])
    page = app.get(f"/harvest/{source['name']}/job/{job['id']}",
                   extra_environ={"REMOTE_USER": sysadmin["name"]},
                   headers={"Authorization": helpers.call_action(
                       "api_token_create", {"user": sysadmin["name"]},
                       user=sysadmin["name"], name="t")["token"]})
    body = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'data-dataset="co-so-y-te-theo-xa" data-outcome="published"' in body
    assert 'data-dataset="benh-nhan" data-outcome="refused"' in body
    assert "Đã công bố mới" in body and "Bị từ chối" in body
    # the refusal names column and detector (kept by the harvester), never a value
    assert 'data-column="ho_ten"' in body and "Nguyễn Văn Bình" not in body
    # times rendered on the server in Asia/Ho_Chi_Minh, not left to the browser's zone
    finished = helpers.call_action("harvest_job_show", {"ignore_auth": True},
                                   id=job["id"])["finished"]
    local = dt.datetime.fromisoformat(finished).replace(tzinfo=dt.timezone.utc).astimezone(
        ZoneInfo("Asia/Ho_Chi_Minh"))
    assert f'data-key="finished">{local:%H:%M %d/%m/%Y}<' in body, body
    assert "automatic-local-datetime" not in body
    at = body.find(department.url)
    assert at < 0, body[at - 400:at + 100]
    assert "127.0.0.1:" not in body.replace(tk.config["ckan.site_url"], "")
