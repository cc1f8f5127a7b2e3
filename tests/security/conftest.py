"""Attacker's tests against the running e2e portal: the fixtures of tests/e2e/conftest.py
(`portal`, started once per session and shared with tests/e2e/, and `browser`), and the
people of an attack, created through the API by the sysadmin."""
from __future__ import annotations

import io
import time
import uuid
from dataclasses import dataclass

import pytest

from e2e.conftest import browser, portal  # noqa: F401 - the shared session fixtures


@dataclass
class Person:
    """A user of the e2e portal: its name, password and an API token."""

    name: str
    password: str
    token: str


def make_user(portal, *, department: str | None = None, role: str = "editor") -> Person:
    """A new user (with an API token), ``role`` of ``department`` when given."""
    name = f"secd-{uuid.uuid4().hex[:10]}"
    password = uuid.uuid4().hex + "Aa1!"
    portal.action("user_create", {"name": name, "email": f"{name}@e2e.invalid",
                                  "password": password})
    if department:
        portal.action("organization_member_create", {"id": department, "username": name,
                                                     "role": role})
    token = portal.action("api_token_create", {"user": name, "name": "secd"})["token"]
    return Person(name, password, token)


def source_department(portal, source: str) -> str:
    """The department (organization id) owning a harvest source."""
    return portal.action("harvest_source_show", {"id": source})["owner_org"]


KEEP = ("title", "title_en", "notes", "notes_en", "owner_org", "license_id",
        "source_system", "update_frequency", "temporal_start", "temporal_end",
        "spatial_level", "admin_units", "data_classification", "personal_data",
        "min_cell_size", "contact_name", "contact_email", "legal_basis",
        "education_levels", "school_year", "ownership", "education_indicators")


def city_dataset(portal, **fields) -> dict:
    """A new education dataset (the type the upload loader loads), its metadata copied
    from one the harvest published (so it is valid for the portal's schema)."""
    found = portal.action("package_search", {"fq": "dataset_type:education", "rows": 1})
    model = found["results"][0]
    data = {key: model[key] for key in KEEP if key in model}
    data.update({"type": "education", "name": f"secd-{uuid.uuid4().hex[:10]}"}, **fields)
    return data


@pytest.fixture(scope="session")
def outsider(portal) -> Person:
    """An editor of a department that owns none of the harvest sources' datasets
    under attack: the first department that owns no harvest source."""
    owners = {source_department(portal, name) for name in portal.sources}
    departments = portal.action("organization_list", {"all_fields": True})
    other = next(d["id"] for d in departments if d["id"] not in owners)
    return make_user(portal, department=other)


@pytest.fixture(scope="session")
def private_table(portal) -> dict:
    """A private dataset of a source-owning department with an uploaded CSV table,
    loaded into the DataStore by the portal's jobs worker, and a tag of its own."""
    tag = f"secd-private-{uuid.uuid4().hex[:8]}"
    dataset = portal.action("package_create", city_dataset(
        portal, private=True, tags=[{"name": tag}], title="Bảng riêng tư (secd)"))
    department = dataset["owner_org"]
    csv = "ma_xa,so_ca\r\n20194,12\r\n20197,7\r\n".encode()
    resource = portal.action("resource_create", {"package_id": dataset["id"],
                                                 "name": "bang.csv", "format": "CSV"},
                             files={"upload": ("bang.csv", io.BytesIO(csv), "text/csv")})
    deadline = time.monotonic() + 180
    status: dict = {}
    while time.monotonic() < deadline:
        status = portal.action("smartcity_upload_status", {"id": resource["id"]})
        if status.get("state") in ("loaded", "refused", "failed"):
            break
        time.sleep(1)
    assert status.get("state") == "loaded", status
    return {"dataset": dataset, "resource": resource, "tag": tag, "department": department}
