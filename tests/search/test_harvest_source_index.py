"""A departmental system with many tables has a large source config; it must still be
created (Solr refuses indexed string terms over 32 KB) and stay complete in the database."""
from __future__ import annotations

import json

import pytest

from ckan.tests import factories, helpers


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_a_source_with_a_large_config_is_indexed_and_kept_whole():
    org = factories.Organization()
    user = {"user": factories.Sysadmin()["name"]}
    config = json.dumps({"datasets": [
        {"name": f"bang-thong-ke-{i:04d}", "dataset_type": "enterprise",
         "title": f"Bảng thống kê doanh nghiệp số {i}", "path": f"/api/v1/bang/{i}",
         "records_path": "data.items"} for i in range(400)]}, ensure_ascii=False)
    assert len(config.encode()) > 32766
    source = helpers.call_action("harvest_source_create", user, name="stc-api",
                                 title="Sở Tài chính", url="http://127.0.0.1:8080/",
                                 source_type="smartcity_api", owner_org=org["id"],
                                 config=config)
    shown = helpers.call_action("harvest_source_show", user, id=source["id"])
    assert len(json.loads(shown["config"])["datasets"]) == 400
    found = helpers.call_action("package_search", user, fq="+dataset_type:harvest",
                                include_private=True)
    assert [d["name"] for d in found["results"]] == ["stc-api"]
