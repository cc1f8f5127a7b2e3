"""The quality report action and pages, the CLI table, and the reachability job against a
loopback server that answers 200, then 404, then not at all."""
from __future__ import annotations

import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import helpers

from ckanext.smartcity.quality import reachability


#: helpers.call_action ignores auth unless told otherwise
ANONYMOUS = {"user": "", "ignore_auth": False}


def _show(name: str) -> dict:
    return helpers.call_action("package_show", {"ignore_auth": True}, id=name)


@pytest.fixture
def scored(build, city, link_server):
    admin = city["admin"]
    build.dataset(admin, "health", "y-te-tot", city["health"], tag_string="y tế",
                  resources=[{"url": link_server.url("a.csv"), "format": "CSV"}])
    build.dataset(admin, "health", "y-te-kem", city["health"], license_id="")
    build.dataset(admin, "health", "y-te-rieng", city["health"], private=True)
    build.dataset(admin, "education", "giao-duc", city["education"])
    return city


def test_department_report_lists_its_datasets_best_first(scored):
    report = helpers.call_action("smartcity_quality_report", ANONYMOUS, id="so-y-te")
    assert report["department"]["name"] == "so-y-te"
    assert report["department"]["title_en"] == "Department of Health"
    names = [d["name"] for d in report["datasets"]]
    assert names == ["y-te-tot", "y-te-kem"]  # the private one is not shown to anonymous
    scores = [_show(n)["quality"]["score"] for n in names]
    assert [d["score"] for d in report["datasets"]] == scores
    assert report["average"] == pytest.approx(sum(scores) / 2, abs=0.05)
    dims = [_show(n)["quality"]["dimensions"] for n in names]
    assert report["by_dimension"]["reusability"] == pytest.approx(
        sum(d["reusability"]["score"] for d in dims) / 2, abs=0.05)
    assert all(len(d["top_fixes"]) <= 3 for d in report["datasets"])
    assert report["datasets"][1]["top_fixes"][0]["fix"]["vi"]

    as_admin = helpers.call_action("smartcity_quality_report",
                                   {"user": scored["admin"]["name"]}, id="so-y-te")
    assert "y-te-rieng" in [d["name"] for d in as_admin["datasets"]]


def test_city_report_covers_every_department(scored):
    report = helpers.call_action("smartcity_quality_report", ANONYMOUS)
    assert report["department"] is None
    assert {d["name"] for d in report["datasets"]} == {"y-te-tot", "y-te-kem", "giao-duc"}
    assert sum(report["ratings"].values()) == 3
    with pytest.raises(tk.ObjectNotFound):
        helpers.call_action("smartcity_quality_report", {}, id="khong-co-so-nay")


def test_pages_show_scores_in_both_languages(app, scored):
    department = app.get("/organization/so-y-te")
    assert 'id="department-quality-link"' in department.get_data(as_text=True)
    page = app.get("/organization/so-y-te/quality")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    tot = _show("y-te-tot")["quality"]
    assert 'data-name="y-te-tot"' in html and f'<td data-key="score">{tot["score"]}</td>' in html
    assert "Chất lượng dữ liệu" in html and "y-te-rieng" not in html
    english = app.get("/en/organization/so-y-te/quality").get_data(as_text=True)
    assert "Data quality" in english
    assert tot["top_fixes"][0]["fix"]["en"] in english

    city = app.get("/quality").get_data(as_text=True)
    assert "giao-duc" in city and "/organization/so-giao-duc-dao-tao/quality" in city

    dataset = app.get("/health/y-te-kem").get_data(as_text=True)
    kem = _show("y-te-kem")["quality"]
    assert f'data-score="{kem["score"]}"' in dataset
    for fix in kem["top_fixes"]:
        assert fix["fix"]["vi"] in dataset
    assert "Liên kết chưa được kiểm tra." in dataset or "Kiểm tra liên kết" in dataset
    assert kem["top_fixes"][0]["fix"]["en"] in app.get("/en/health/y-te-kem").get_data(
        as_text=True)


def test_cli_prints_the_table_per_department(cli, scored):
    from ckan.cli.cli import ckan

    result = cli.invoke(ckan, ["smartcity", "quality-report"])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if line.startswith("|")]
    assert lines[0].startswith("| department | datasets | average /405 |")
    health = next(line for line in lines if line.startswith("| Sở Y tế |"))
    report = helpers.call_action("smartcity_quality_report", {"ignore_auth": True},
                                 id="so-y-te")
    assert health.startswith(f"| Sở Y tế | {report['count']} | {report['average']:.1f} |")
    assert report["count"] == 3  # the command sees private datasets too
    city_line = next(line for line in lines if "whole city" in line)
    assert city_line.split(" | ")[1] == "4"


@pytest.mark.ckan_config("ckanext.smartcity.links.timeout", "1")
def test_reachability_follows_the_server_200_then_404_then_silence(build, city, link_server):
    build.dataset(city["admin"], "health", "lien-ket", city["health"],
                  resources=[{"url": link_server.url("co_so.csv"), "format": "CSV"}])
    pkg = _show("lien-ket")
    url = pkg["resources"][0]["url"]

    first = reachability.check_dataset(pkg["id"])[url]
    assert first["ok"] is True and first["status"] == 200 and first["last_ok_at"]
    working = _show("lien-ket")["quality"]
    assert working["indicators"]["access_url_reachable"]["points"] == 50
    assert working["indicators"]["download_url_reachable"]["points"] == 30

    link_server.mode = "missing"
    second = reachability.check_dataset(pkg["id"])[url]
    assert second["ok"] is False and second["status"] == 404 and second["error"] == "HTTP 404"
    assert second["last_ok_at"] == first["last_ok_at"]
    broken = _show("lien-ket")["quality"]
    assert broken["score"] == working["score"] - 80
    assert broken["top_fixes"][0]["indicator"] == "access_url_reachable"
    assert broken["top_fixes"][0]["fix"]["en"].startswith("Fix access URLs")  # checked: failed

    link_server.mode = "slow"
    third = reachability.check_dataset(pkg["id"])[url]
    assert third["ok"] is False and third["status"] is None
    assert "no answer within 1 s" in third["error"]
    assert third["last_ok_at"] == first["last_ok_at"]

    page = helpers.call_action("package_search", {}, fq="name:lien-ket")["results"][0]
    assert page["quality"]["score"] == broken["score"]  # re-indexed after each check


@pytest.mark.ckan_config("ckanext.smartcity.links.allowed_hosts", "localhost")
def test_a_link_outside_the_allow_list_is_refused_without_connecting(build, city,
                                                                     link_server):
    # the privacy gate fetched the table when it was linked (its own allow-list lists
    # 127.0.0.1); the link check's allow-list names only localhost
    url = link_server.url("data.csv")
    build.dataset(city["admin"], "health", "ngoai-danh-sach", city["health"],
                  resources=[{"url": url, "format": "CSV"}])
    pkg = _show("ngoai-danh-sach")
    hits = link_server.hits
    check = reachability.check_dataset(pkg["id"])[url]
    assert check["ok"] is False and check["error"].startswith("refused:")
    assert link_server.hits == hits
