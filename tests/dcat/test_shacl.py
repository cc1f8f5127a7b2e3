"""DCAT-AP 3 conformance on datasets the real harvest produced: pySHACL with the SEMIC shapes
on each dataset type and on every /catalog.ttl page, the EU vocabulary mappings, the
type-named URLs, and a round trip through ckanext-dcat's own parser."""
from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from dcat_harvest import SHARED_SHAPES, SPECS, harvest_all_types
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import FOAF, RDF, RDFS, SKOS, XSD

from ckan.tests import helpers

from ckanext.smartcity.dcat import shacl

DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCT = Namespace("http://purl.org/dc/terms/")
SPDX = Namespace("http://spdx.org/rdf/terms#")
HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
EU = "http://publications.europa.eu/resource/authority/"

pytestmark = pytest.mark.usefixtures("harvest_env")


def _graph(response) -> Graph:
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return Graph().parse(data=response.get_data(as_text=True), format="turtle")


def _catalog_pages(app) -> list[Graph]:
    """Every page of /catalog.ttl, following hydra:next."""
    pages, url = [], "/catalog.ttl"
    while url and len(pages) < 20:
        graph = _graph(app.get(url))
        pages.append(graph)
        following = next(iter(graph.objects(None, HYDRA.next)), None)
        url = (urlsplit(str(following)).path + "?" + urlsplit(str(following)).query
               if following else None)
    return pages


@pytest.fixture
def harvested(sysadmin, org, department):
    helpers.call_action("organization_patch", {"user": sysadmin["name"]}, id=org["id"],
                        title_en="Department of Health", contact_email="syt@danang.gov.vn")
    return harvest_all_types(sysadmin, org, department)


def test_the_shipped_shapes_are_semics_release():
    if not SHARED_SHAPES.exists():
        pytest.skip(f"{SHARED_SHAPES} is not beside this checkout (shared/ is not copied)")
    assert shacl.SHAPES_FILE.read_bytes() == SHARED_SHAPES.read_bytes()


@pytest.mark.ckan_config("ckanext.dcat.datasets_per_page", "2")
def test_every_dataset_type_and_every_catalog_page_has_no_shacl_violation(
        app, harvested, shapes):
    assert sorted(harvested) == sorted(kind for _n, kind, *_ in SPECS)
    for kind, pkg in harvested.items():
        for url in (f"/dataset/{pkg['id']}.ttl", f"/{kind}/{pkg['name']}.ttl",
                    f"/{kind}/{pkg['name']}.rdf", f"/{kind}/{pkg['name']}.jsonld"):
            response = app.get(url)
            assert response.status_code == 200, url
            graph = Graph().parse(data=response.get_data(as_text=True),
                                  format={"ttl": "turtle", "rdf": "xml",
                                          "jsonld": "json-ld"}[url.rsplit(".", 1)[1]])
            found = shacl.violations(graph, shapes)
            assert found == [], (url, [str(v) for v in found])

    pages = _catalog_pages(app)
    assert len(pages) == 3  # 5 datasets, 2 per page
    seen = set()
    for number, graph in enumerate(pages, 1):
        found = shacl.violations(graph, shapes)
        assert found == [], (number, [str(v) for v in found])
        seen |= {str(o) for s in graph.subjects(RDF.type, DCAT.Dataset)
                 for o in graph.objects(s, DCT.identifier)}
    assert seen == {pkg["id"] for pkg in harvested.values()}


def test_a_violation_is_found_and_named(app, sysadmin, harvested, shapes):
    """The check can fail: a language written as a plain literal on a distribution."""
    pkg = harvested["health"]
    resource = dict(pkg["resources"][0], language="vi")
    helpers.call_action("resource_update", {"user": sysadmin["name"]}, **resource)
    found = shacl.violations(_graph(app.get(f"/health/{pkg['name']}.ttl")), shapes)
    assert found and {v.path for v in found} == {"language"}, [str(v) for v in found]


def test_fields_map_to_the_eu_vocabularies(app, harvested):
    pkg = harvested["health"]
    graph = _graph(app.get(f"/health/{pkg['name']}.ttl"))
    ds = URIRef(f"http://127.0.0.1:5001/dataset/{pkg['id']}")
    assert (ds, RDF.type, DCAT.Dataset) in graph

    assert set(graph.objects(ds, DCT.language)) == {URIRef(EU + "language/VIE"),
                                                    URIRef(EU + "language/ENG")}
    assert (URIRef(EU + "language/VIE"), RDF.type, DCT.LinguisticSystem) in graph
    assert set(graph.objects(ds, DCAT.theme)) == {URIRef(EU + "data-theme/HEAL")}
    assert Literal("Y tế", lang="vi") in set(graph.objects(URIRef(EU + "data-theme/HEAL"),
                                                            SKOS.prefLabel))
    assert set(graph.objects(ds, DCT.accrualPeriodicity)) == {URIRef(EU + "frequency/ANNUAL")}
    assert set(graph.objects(ds, DCT.accessRights)) == {URIRef(EU + "access-right/PUBLIC")}
    assert set(graph.objects(ds, DCAT.landingPage)) == {
        URIRef(f"http://127.0.0.1:5001/health/{pkg['name']}")}
    assert {Literal("Health facilities by commune", lang="en"),
            Literal("Bảng co_so_y_te_xa", lang="vi")} == set(graph.objects(ds, DCT.title))
    keywords = set(graph.objects(ds, DCAT.keyword))
    assert Literal("thống kê", lang="vi") in keywords and Literal("Health", lang="en") in keywords

    (publisher,) = graph.objects(ds, DCT.publisher)
    assert (publisher, RDF.type, FOAF.Agent) in graph
    assert set(graph.objects(publisher, FOAF.name)) == {
        Literal("Sở Y tế", lang="vi"), Literal("Department of Health", lang="en")}
    (contact,) = graph.objects(ds, DCAT.contactPoint)
    assert {VCARD.Organization, VCARD.Kind} <= set(graph.objects(contact, RDF.type))
    assert graph.value(contact, VCARD.hasEmail) == URIRef("mailto:thongke@danang.gov.vn")

    places = {str(graph.value(p, SKOS.notation)): p for p in graph.objects(ds, DCT.spatial)}
    assert set(places) == {"20194", "20197"}
    assert isinstance(places["20194"], URIRef) and str(places["20194"]).endswith("code=20194")
    assert Literal("Phường Hải Vân", lang="vi") in set(graph.objects(places["20194"],
                                                                     SKOS.prefLabel))

    resource = pkg["resources"][0]
    (dist,) = graph.objects(ds, DCAT.distribution)
    assert set(graph.objects(dist, DCT["format"])) == {URIRef(EU + "file-type/CSV")}
    assert set(graph.objects(dist, DCAT.mediaType)) == {
        URIRef("http://www.iana.org/assignments/media-types/text/csv")}
    assert set(graph.objects(dist, DCAT.downloadURL)) == {URIRef(resource["url"])}
    assert set(graph.objects(dist, DCAT.accessURL)) == {
        URIRef(f"http://127.0.0.1:5001/health/{pkg['name']}/resource/{resource['id']}")}
    (licence,) = graph.objects(dist, DCT.license)
    assert licence == URIRef("https://creativecommons.org/licenses/by/4.0/")
    assert graph.value(licence, SKOS.exactMatch) == URIRef(EU + "licence/CC_BY_4_0")
    assert (licence, RDF.type, DCT.LicenseDocument) in graph
    assert graph.value(dist, DCT.rights) is not None
    (checksum,) = graph.objects(dist, SPDX.checksum)
    assert graph.value(checksum, SPDX.algorithm) == SPDX.checksumAlgorithm_sha256
    assert graph.value(checksum, SPDX.checksumValue) == Literal(
        resource["hash"].split(":", 1)[1], datatype=XSD.hexBinary)
    assert graph.value(licence, RDFS.label, any=True) is not None


def test_type_named_urls_answer_for_their_own_type_only(app, harvested):
    pkg = harvested["health"]
    assert app.get(f"/health/{pkg['name']}.ttl").status_code == 200
    assert app.get(f"/health/{pkg['id']}.ttl").status_code == 200
    assert app.get(f"/land/{pkg['name']}.ttl").status_code == 404
    assert app.get(f"/health/{pkg['name']}.exe").status_code == 404
    assert app.get("/health/khong-co-bo-du-lieu-nay.ttl").status_code == 404


def test_dataset_uris_are_stable_across_reharvests(app, sysadmin, harvested, department):
    from harvesters.conftest import run_job
    from ckanext.harvest.model import HarvestSource

    before = _graph(app.get("/catalog.ttl"))
    department.execute("UPDATE co_so_y_te_xa SET so_co_so = so_co_so + 1")
    (source,) = HarvestSource.filter().all()
    job = run_job(source.id)
    assert job["stats"]["updated"] == 1
    after = _graph(app.get("/catalog.ttl"))
    assert set(before.subjects(RDF.type, DCAT.Dataset)) == set(
        after.subjects(RDF.type, DCAT.Dataset))


def test_round_trip_through_ckanext_dcat_parser(app, harvested, monkeypatch):
    import ckan.plugins.toolkit as tk
    from ckanext.dcat.processors import RDFParser

    text = app.get("/catalog.ttl").get_data(as_text=True)

    def parse() -> dict[str, dict]:
        parser = RDFParser(profiles=["euro_dcat_ap_3"])
        parser.parse(text, _format="turtle")
        return {extra(d, "identifier"): d for d in parser.datasets()}

    def extra(dataset: dict, key: str):
        return dataset.get(key) or {e["key"]: e["value"] for e in dataset.get("extras", [])
                                    }.get(key)

    in_vi = parse()
    monkeypatch.setitem(tk.config, "ckan.locale_default", "en")
    in_en = parse()
    assert set(in_vi) == {pkg["id"] for pkg in harvested.values()}
    for kind, pkg in harvested.items():
        vi, en = in_vi[pkg["id"]], in_en[pkg["id"]]
        assert vi["title"] == pkg["title"] and en["title"] == pkg["title_en"]
        assert vi["notes"] == pkg["notes"] and en["notes"] == pkg["notes_en"]
        assert extra(vi, "issued") and extra(vi, "modified")
        assert vi["license_id"] == "cc-by-4.0"
        (resource,) = vi["resources"]
        path = urlsplit(resource["url"]).path
        download = app.get(path)
        assert download.status_code == 200, path
        assert download.get_data()[:3] == b"\xef\xbb\xbf"  # the harvested CSV, UTF-8 BOM
