"""A developer integrates over the standard API and ckanext-harvest's own CLI."""
from __future__ import annotations

import json

import pytest

from . import declared


def test_harvest_source_show_has_type_config_frequency_at_the_top(portal):
    for name, source in declared.sources().items():
        shown = portal.action("harvest_source_show", {"id": name})
        assert shown.get("source_type") == source.source_type, name
        assert shown.get("frequency") == source.frequency, name
        assert json.loads(shown.get("config") or "null") == source.config, name
    listed = {s["name"]: s for s in portal.action("harvest_source_list", {})}
    assert set(listed) == set(declared.sources())
    for name, source in declared.sources().items():
        assert listed[name].get("source_type") == source.source_type, name


def test_ckan_harvester_run_test_on_a_demo_source(portal):
    name = "so-giao-duc-dao-tao-thong-ke"
    before = {n: portal.action("package_show", {"id": n})["metadata_modified"]
              for n in declared.sources()[name].published}
    ran = portal.cli("harvester", "run-test", name)
    assert ran.returncode == 0, ran.stderr[-3000:]
    assert "Traceback" not in ran.stderr, ran.stderr[-3000:]
    for dataset, modified in before.items():  # the files did not change: nothing rewritten
        assert portal.action("package_show", {"id": dataset})["metadata_modified"] == modified


def test_search_by_harvest_source_id_finds_the_sources_datasets(portal):
    for name, source in declared.sources().items():
        source_id = portal.action("harvest_source_show", {"id": name})["id"]
        found = portal.action("package_search", {"fq": f"harvest_source_id:{source_id}",
                                                 "rows": 100}, token=None, method="GET")
        assert sorted(p["name"] for p in found["results"]) == sorted(source.published), name
