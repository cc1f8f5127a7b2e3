"""The search cache on the running portal (ckanext/smartcity/search/cache.py): repeated
anonymous API searches come from Redis, and no write is ever hidden by it — a dataset
made private disappears from the next anonymous search, a renamed department shows its
new name in the facets, a signed-in user or a token is never answered from the cache."""
from __future__ import annotations

import json

import requests

from ckanext.smartcity.search.cache import HEADER

from . import declared


def _dataset() -> str:
    """A public dataset the demo's harvest published."""
    return declared.sources()["so-y-te-api"].published[0]


def _search(portal, params, headers=None, session=None):
    answer = (session or requests).get(f"{portal.url}/api/3/action/package_search",
                                       params=params, headers=headers or {}, timeout=60)
    assert answer.status_code == 200, answer.text[:500]
    return answer


def test_a_repeated_anonymous_search_is_answered_from_the_cache(portal):
    params = {"q": "*:*", "rows": 5, "facet.field": json.dumps(["organization"]),
              "fq": "-dataset_type:harvest"}
    first = _search(portal, params)
    second = _search(portal, params)
    assert second.headers.get(HEADER) == "hit"
    assert second.content == first.content
    assert second.json()["result"]["count"] > 0

    # never for a token (valid or not), a signed-in browser or a JSONP callback
    for headers in ({"Authorization": portal.token}, {"Authorization": "not-a-token"}):
        answer = _search(portal, params, headers=headers)
        assert HEADER not in answer.headers
    signed_in = portal.login()
    assert HEADER not in _search(portal, params, session=signed_in).headers
    jsonp = requests.get(f"{portal.url}/api/3/action/package_search",
                         params=dict(params, callback="f"), timeout=60)
    assert HEADER not in jsonp.headers


def test_a_dataset_made_private_leaves_the_next_anonymous_search(portal):
    name = _dataset()
    params = {"fq": f"name:{name}"}
    assert _search(portal, params).json()["result"]["count"] == 1
    assert _search(portal, params).headers.get(HEADER) == "hit"
    portal.action("package_patch", {"id": name, "private": True})
    try:
        hidden = _search(portal, params)
        assert hidden.headers.get(HEADER) == "miss"
        assert hidden.json()["result"]["count"] == 0
        assert _search(portal, params).json()["result"]["count"] == 0
        # the department still finds it with its token
        found = portal.action("package_search", dict(params, include_private=True),
                              method="GET")
        assert found["count"] == 1
    finally:
        portal.action("package_patch", {"id": name, "private": False})
    assert _search(portal, params).json()["result"]["count"] == 1


def test_a_renamed_department_shows_its_new_name_in_the_next_facets(portal):
    org = portal.action("package_show", {"id": _dataset()})["organization"]
    params = {"fq": f"organization:{org['name']}", "rows": 0,
              "facet.field": json.dumps(["organization"])}

    def facet_title() -> str:
        facets = _search(portal, params).json()["result"]["search_facets"]
        return facets["organization"]["items"][0]["display_name"]

    assert facet_title() == org["title"]
    assert facet_title() == org["title"]  # now cached
    portal.action("organization_patch", {"id": org["name"], "title": org["title"] + " (mới)"})
    try:
        assert facet_title() == org["title"] + " (mới)"
    finally:
        portal.action("organization_patch", {"id": org["name"], "title": org["title"]})
    assert facet_title() == org["title"]


def test_search_results_carry_the_quality_summary_and_the_dataset_the_whole_report(portal):
    name = _dataset()
    listed = _search(portal, {"fq": f"name:{name}"}).json()["result"]["results"][0]
    shown = portal.action("package_show", {"id": name}, token=None)
    assert listed["quality"]["score"] == shown["quality"]["score"]
    assert listed["quality"]["dimensions"] == shown["quality"]["dimensions"]
    assert listed["quality"]["top_fixes"] == shown["quality"]["top_fixes"]
    assert "indicators" not in listed["quality"] and "links" not in listed["quality"]
    assert shown["quality"]["indicators"]


def test_the_dataset_page_sidebar_shows_its_department_and_followers(portal):
    name = _dataset()
    pkg = portal.action("package_show", {"id": name}, token=None)
    page = requests.get(f"{portal.url}/dataset/{name}", timeout=60)
    assert page.status_code == 200
    sidebar = page.text[page.text.index('id="package-info"'):]
    assert "<span>0</span>" in sidebar.split('id="organization-info"')[0]
    org_box = sidebar[sidebar.index('id="organization-info"'):][:3000]
    assert pkg["organization"]["title"] in org_box
    assert f'href="/organization/{pkg["organization"]["name"]}"' in org_box
    portal.action("follow_dataset", {"id": name})
    try:
        page = requests.get(f"{portal.url}/dataset/{name}", timeout=60)
        sidebar = page.text[page.text.index('id="package-info"'):]
        assert "<span>1</span>" in sidebar.split('id="organization-info"')[0]
    finally:
        portal.action("unfollow_dataset", {"id": name})
