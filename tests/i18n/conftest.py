"""A small portal for the language tests: a department, a pillar, a health dataset with
a DataStore table (data dictionary in Vietnamese and English) and a harvest source with
one job, all made through the real action API."""
from __future__ import annotations

import json
from typing import Any

import pytest

from ckan.tests import helpers

COLUMNS = [
    {"id": "ma_xa", "type": "text",
     "info": {"label": "Mã xã, phường", "label_en": "Commune code"}},
    {"id": "so_co_so", "type": "int",
     "info": {"label": "Số cơ sở y tế", "label_en": "Number of health facilities"}},
]

CO_SO_CSV = "ma_xa,so_co_so\r\n20194,12\r\n20197,15\r\n"


@pytest.fixture
def portal(build, clean_datastore, clean_index, with_plugins, linked_files
           ) -> dict[str, Any]:
    admin = build.sysadmin()
    user = {"user": admin["name"]}
    org = build.department(admin)
    pillar = build.pillar(admin, "cuoc-song-thong-minh", "Cuộc sống thông minh", "living")
    dataset = build.dataset(admin, "health", "co-so-y-te-theo-xa", org,
                            title="Cơ sở y tế theo xã, phường",
                            title_en="Health facilities by commune",
                            notes="Số cơ sở y tế đang hoạt động theo xã, phường.",
                            notes_en="Health facilities in operation by commune.",
                            groups=[{"name": pillar["name"]}])
    resource = helpers.call_action("resource_create", user, package_id=dataset["id"],
                                   name="Cơ sở y tế (CSV)", format="CSV",
                                   url=linked_files.put("co-so.csv", CO_SO_CSV))
    helpers.call_action("datastore_create", user, resource_id=resource["id"], force=True,
                        fields=COLUMNS,
                        records=[{"ma_xa": "20194", "so_co_so": 12},
                                 {"ma_xa": "20197", "so_co_so": 15}])
    source = helpers.call_action(
        "harvest_source_create", user, name="so-y-te-api", title="API Sở Y tế",
        url="http://127.0.0.1:8080/", source_type="smartcity_api", owner_org=org["id"],
        config=json.dumps({"datasets": [{"name": "co-so-y-te", "dataset_type": "health",
                                         "title": "Cơ sở y tế", "path": "/api/v1/co-so",
                                         "records_path": "data.items"}]},
                          ensure_ascii=False))
    helpers.call_action("harvest_job_create", user, source_id=source["id"], run=False)
    return {"admin": admin, "org": org, "pillar": pillar, "dataset": dataset,
            "resource": resource, "source": source}


def pages_of(portal: dict[str, Any]) -> list[str]:
    """Every page a department officer, a researcher or an administrator visits."""
    name, res = portal["dataset"]["name"], portal["resource"]["id"]
    org, pillar, source = portal["org"]["name"], portal["pillar"]["name"], portal["source"]["name"]
    return [
        "/", "/about", "/dataset/", "/dataset/?q=y+t%E1%BA%BF", "/health/",
        "/dataset/?dataset_type=health", "/dataset/?q=khongcoketqua",
        f"/health/{name}", f"/health/{name}/resource/{res}", f"/dataset/activity/{name}",
        f"/dataset/groups/{name}", f"/dataset/resources/{name}",
        f"/dataset/{name}/dictionary/{res}",
        "/organization/", f"/organization/{org}", f"/organization/about/{org}",
        "/group/", f"/group/{pillar}", f"/group/about/{pillar}",
        "/harvest/", f"/harvest/{source}", f"/harvest/about/{source}", f"/harvest/{source}/job",
        "/health/new", f"/health/edit/{name}", f"/health/{name}/resource/new",
        f"/health/{name}/resource/{res}/edit", "/organization/new", "/harvest/new",
        "/user/login",
    ]
