"""A researcher finds the harvested tables by facets, opens each one, downloads its CSV,
queries the same rows through the DataStore API and reads its DCAT description."""
from __future__ import annotations

import csv
import io
import json

import pytest
import rdflib
import requests

from . import declared

DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
DCT = rdflib.Namespace("http://purl.org/dc/terms/")
FACETS = ["dataset_type", "organization", "groups", "admin_units", "years"]


def _search(portal, **params):
    params = {k: json.dumps(v) if isinstance(v, list) else v for k, v in params.items()}
    return portal.action("package_search", params, token=None, method="GET")


def test_search_facets_narrow_to_what_they_count(portal):
    found = _search(portal, q="*:*", rows=0, **{"facet.field": FACETS, "facet.limit": 50})
    facets = found["search_facets"]
    types = {item["name"] for item in facets["dataset_type"]["items"]}
    assert {"population", "land", "enterprise", "health", "education"} <= types
    departments = {item["name"] for item in facets["organization"]["items"]}
    assert {s.department for s in declared.sources().values()} <= departments
    assert facets["admin_units"]["items"] and facets["years"]["items"]
    for field in FACETS:
        for item in facets[field]["items"][:5]:  # a facet's count is what selecting it finds
            narrowed = _search(portal, q="*:*", rows=0, fq=f'{field}:"{item["name"]}"')
            assert narrowed["count"] == item["count"], (field, item)
    # the search page with a facet selected, as a browser asks for it
    page = requests.get(f"{portal.url}/dataset/", params={"organization": "so-y-te"},
                        timeout=60)
    assert page.status_code == 200
    for name in declared.sources()["so-y-te-api"].published:
        assert f"/{name}" in page.text


def _csv_resource(package):
    [resource] = [r for r in package["resources"] if (r.get("format") or "").upper() == "CSV"]
    return resource


@pytest.mark.parametrize("name", sorted(declared.published()))
def test_csv_download_matches_the_datastore_and_dcat(portal, name):
    package = portal.action("package_show", {"id": name}, token=None, method="GET")
    resource = _csv_resource(package)
    download = requests.get(resource["url"], timeout=120)
    assert download.status_code == 200, resource["url"]
    rows = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig"))))
    header, body = rows[0], rows[1:]
    assert body, f"{name}: the CSV has no rows"

    table = portal.action("datastore_search", {"resource_id": resource["id"], "limit": 5},
                          token=None)
    assert table["total"] == len(body)
    assert [f["id"] for f in table["fields"] if f["id"] != "_id"] == header

    rdf = requests.get(f"{portal.url}/dataset/{package['id']}.rdf", timeout=60)
    assert rdf.status_code == 200
    graph = rdflib.Graph().parse(data=rdf.text, format="xml")
    [dataset] = list(graph.subjects(rdflib.RDF.type, DCAT.Dataset))
    titles = {str(t) for t in graph.objects(dataset, DCT.title)}
    assert package["title"] in titles
    links = {str(u) for d in graph.objects(dataset, DCAT.distribution)
             for link in (DCAT.downloadURL, DCAT.accessURL) for u in graph.objects(d, link)}
    assert resource["url"] in links


def test_each_harvested_dataset_page_opens_in_both_languages(portal):
    failed = []
    for name in sorted(declared.published()):
        package = portal.action("package_show", {"id": name}, token=None, method="GET")
        for lang in ("", "/en"):
            page = requests.get(f"{portal.url}{lang}/{package['type']}/{name}", timeout=60)
            if page.status_code != 200 or package["title"] not in page.text:
                failed.append(f"{lang}/{package['type']}/{name}: {page.status_code}")
    assert not failed, failed


def test_api_gives_the_privacy_report_as_an_object_and_row_count_as_an_integer(portal):
    for name in sorted(declared.published()):
        package = portal.action("package_show", {"id": name}, token=None, method="GET")
        assert isinstance(package.get("privacy_report"), dict), name
        assert isinstance(package.get("row_count"), int), name
