"""A source can file its datasets under smart-city pillars (groups) through `defaults`,
and researchers then find them by pillar in search."""
from __future__ import annotations

import json

import pytest

from ckan.tests import factories, helpers

from .conftest import DEFAULTS, PASSWORD_ENV, PLUGINS, make_source, object_errors, run_job, spec

pytestmark = [pytest.mark.ckan_config("ckan.plugins", PLUGINS),
              pytest.mark.usefixtures("harvest_env")]


def test_datasets_are_filed_under_the_declared_pillar(sysadmin, org, department):
    factories.Group(name="cuoc-song-thong-minh", title="Cuộc sống thông minh")
    config = json.dumps({"password_env": PASSWORD_ENV,
                         "defaults": {**DEFAULTS, "groups": [{"name": "cuoc-song-thong-minh"}]},
                         "datasets": [spec("co-so-y-te-theo-xa", "co_so_y_te")]})
    source = make_source(sysadmin, org, department.url, config)
    job = run_job(source["id"])
    assert job["stats"]["added"] == 1, object_errors(job["id"])

    found = helpers.call_action("package_search", fq="groups:cuoc-song-thong-minh")
    assert [d["name"] for d in found["results"]] == ["co-so-y-te-theo-xa"]
    again = run_job(source["id"])
    assert again["stats"]["not modified"] == 1, object_errors(again["id"])
