"""``ckan smartcity init`` creates the pillars and departments once, whatever the reruns."""
from __future__ import annotations

from typing import Any

import pytest

from ckan.cli.cli import ckan as ckan_cli
from ckan.tests import helpers

from ckanext.smartcity.reference.departments import DEPARTMENTS, PILLARS

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


def run(cli: Any) -> str:
    result = cli.invoke(ckan_cli, ["smartcity", "init"])
    assert result.exit_code == 0, result.output
    return result.output


def test_init_twice_gives_six_pillars_and_the_departments_once(cli: Any) -> None:
    first = run(cli)
    assert "đã tạo / created" in first
    second = run(cli)
    assert "created" not in second and "updated" not in second

    groups = helpers.call_action("group_list", all_fields=True, include_extras=True)
    assert len(groups) == 6 == len(PILLARS)
    orgs = helpers.call_action("organization_list", all_fields=True, include_extras=True)
    assert len(orgs) == len(DEPARTMENTS) == 10

    health = helpers.call_action("organization_show", id="so-y-te")
    assert (health["title"], health["title_en"], health["department_code"], health["level"]) == (
        "Sở Y tế", "Department of Health", "SYT", "city")
    economy = helpers.call_action("group_show", id="kinh-te-thong-minh")
    assert (economy["title"], economy["title_en"], economy["pillar_code"]) == (
        "Kinh tế thông minh", "Smart economy", "economy")


def test_init_restores_edited_reference_data_without_duplicates(cli: Any) -> None:
    run(cli)
    sysadmin = helpers.call_action("get_site_user", {"ignore_auth": True})
    helpers.call_action("group_patch", {"user": sysadmin["name"]}, id="kinh-te-thong-minh",
                        title="Sai tên")
    output = run(cli)
    assert "kinh-te-thong-minh — đã cập nhật / updated" in output
    assert helpers.call_action("group_show", id="kinh-te-thong-minh")["title"] == (
        "Kinh tế thông minh")
    assert len(helpers.call_action("group_list")) == 6
