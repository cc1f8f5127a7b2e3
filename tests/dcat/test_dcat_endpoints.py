"""DCAT-AP output of /catalog.ttl and /dataset/<name>.ttl, parsed with rdflib.

Runs with the portal's own configuration: ``ckanext.dcat.rdf.profiles = euro_dcat_ap_3
smartcity_dcat_ap`` and a scheming schema for the generic ``dataset`` type (ckanext-dcat
builds its profiles for that type and fails with 404 without one).
"""
from __future__ import annotations

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import FOAF, RDF, SKOS, XSD

from ckanext.smartcity.dcat.vocab import access_rights_uri, frequency_uri

DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCT = Namespace("http://purl.org/dc/terms/")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
FREQ = Namespace("http://publications.europa.eu/resource/authority/frequency/")
ACCESS = Namespace("http://publications.europa.eu/resource/authority/access-right/")


def _graph(response) -> Graph:
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    graph = Graph()
    graph.parse(data=response.get_data(as_text=True), format="turtle")
    return graph


def _dataset_ref(graph: Graph, identifier: str) -> URIRef:
    refs = [s for s in graph.subjects(RDF.type, DCAT.Dataset)
            if (s, DCT.identifier, Literal(identifier)) in graph]
    assert len(refs) == 1, f"dataset {identifier} appears {len(refs)} times"
    return refs[0]


@pytest.fixture
def published(build, clean_db, clean_index):
    admin = build.sysadmin()
    org = build.department(admin)
    public = build.dataset(
        admin, "health", "co-so-y-te-theo-xa", org,
        title="Cơ sở y tế theo xã, phường", title_en="Health facilities by commune",
        notes="Số cơ sở y tế phân theo loại.", notes_en="Health facilities by type.",
        update_frequency="semiannual", admin_units=["20194", "20197"],
        temporal_start="2025-07-01", temporal_end="2025-12-31",
        contact_name="Phòng Kế hoạch - Tài chính", contact_email="khtc.syt@danang.gov.vn")
    private = build.dataset(
        admin, "health", "ho-so-benh-an-noi-bo", org, title="Hồ sơ bệnh án (nội bộ)",
        data_classification="restricted", private=True, update_frequency="daily")
    return {"admin": admin, "org": org, "public": public, "private": private}


@pytest.mark.usefixtures("with_plugins")
def test_dataset_ttl_maps_the_smartcity_fields_to_dcat_ap(app, published):
    graph = _graph(app.get("/dataset/co-so-y-te-theo-xa.ttl"))
    ds = _dataset_ref(graph, published["public"]["id"])

    titles = set(graph.objects(ds, DCT.title))
    assert Literal("Cơ sở y tế theo xã, phường", lang="vi") in titles
    assert Literal("Health facilities by commune", lang="en") in titles
    assert all(t.language for t in titles), titles
    descriptions = set(graph.objects(ds, DCT.description))
    assert Literal("Health facilities by type.", lang="en") in descriptions
    assert Literal("Số cơ sở y tế phân theo loại.", lang="vi") in descriptions

    assert list(graph.objects(ds, DCT.accrualPeriodicity)) == [FREQ.ANNUAL_2]
    assert list(graph.objects(ds, DCT.accessRights)) == [ACCESS.PUBLIC]

    periods = [p for p in graph.objects(ds, DCT.temporal) if (p, DCAT.startDate, None) in graph]
    assert len(periods) == 1
    assert graph.value(periods[0], DCAT.startDate) == Literal("2025-07-01", datatype=XSD.date)
    assert graph.value(periods[0], DCAT.endDate) == Literal("2025-12-31", datatype=XSD.date)

    places = {str(graph.value(p, SKOS.notation)): p for p in graph.objects(ds, DCT.spatial)
              if graph.value(p, SKOS.notation) is not None}
    assert set(places) == {"20194", "20197"}
    assert Literal("Phường Hải Vân", lang="vi") in set(graph.objects(places["20194"], SKOS.prefLabel))
    assert Literal("Hai Van Ward", lang="en") in set(graph.objects(places["20194"], SKOS.prefLabel))
    assert (places["20197"], RDF.type, DCT.Location) in graph

    contacts = list(graph.objects(ds, DCAT.contactPoint))
    assert len(contacts) == 1
    assert graph.value(contacts[0], VCARD.fn) == Literal("Phòng Kế hoạch - Tài chính")
    assert graph.value(contacts[0], VCARD.hasEmail) == URIRef("mailto:khtc.syt@danang.gov.vn")

    publisher = graph.value(ds, DCT.publisher)
    assert (publisher, RDF.type, FOAF.Agent) in graph
    assert Literal("Sở Y tế", lang="vi") in set(graph.objects(publisher, FOAF.name))


@pytest.mark.usefixtures("with_plugins")
def test_catalog_lists_public_datasets_only(app, published):
    graph = _graph(app.get("/catalog.ttl"))
    identifiers = {str(o) for s in graph.subjects(RDF.type, DCAT.Dataset)
                   for o in graph.objects(s, DCT.identifier)}
    assert published["public"]["id"] in identifiers
    assert published["private"]["id"] not in identifiers
    assert "ho-so-benh-an-noi-bo" not in app.get("/catalog.ttl").get_data(as_text=True)
    ds = _dataset_ref(graph, published["public"]["id"])
    assert list(graph.objects(ds, DCT.accrualPeriodicity)) == [FREQ.ANNUAL_2]


@pytest.mark.usefixtures("with_plugins")
def test_private_dataset_ttl_needs_permission(app, published):
    anonymous = app.get("/dataset/ho-so-benh-an-noi-bo.ttl")
    assert anonymous.status_code in (403, 404)
    assert "Hồ sơ bệnh án" not in anonymous.get_data(as_text=True)

    as_admin = app.get("/dataset/ho-so-benh-an-noi-bo.ttl",
                       headers={"Authorization": published["admin"]["token"]})
    graph = _graph(as_admin)
    ds = _dataset_ref(graph, published["private"]["id"])
    assert list(graph.objects(ds, DCT.accessRights)) == [ACCESS.RESTRICTED]
    assert list(graph.objects(ds, DCT.accrualPeriodicity)) == [FREQ.DAILY]


def test_vocabulary_mappings_cover_every_choice():
    for value, code in {"daily": "DAILY", "weekly": "WEEKLY", "monthly": "MONTHLY",
                        "quarterly": "QUARTERLY", "semiannual": "ANNUAL_2",
                        "annual": "ANNUAL", "irregular": "IRREG", "never": "NEVER"}.items():
        assert frequency_uri(value) == FREQ[code]
    assert frequency_uri("hourly") is None
    assert access_rights_uri("open") == ACCESS.PUBLIC
    assert access_rights_uri("internal") == ACCESS.NON_PUBLIC
    assert access_rights_uri("restricted") == ACCESS.RESTRICTED
