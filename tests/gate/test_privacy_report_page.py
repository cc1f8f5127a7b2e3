"""The privacy report of a harvested dataset, end to end: produced by a real SQL harvest
(the guard on a real departmental table with small counts), shown on the dataset page in
Vietnamese with English alongside, returned by the API as an object, in the DCAT output."""
from __future__ import annotations

import re

import pytest
from harvesters.conftest import (  # noqa: F401 - fixtures
    department, department_db, harvest_env, make_source, object_errors, org,
    run_job, spec, sql_config, sysadmin)
from rdflib import Graph, Literal, Namespace

from ckanext.smartcity.privacy.record import PrivacyReport

# the portal's own plugin list and DCAT profiles (config/ckan-common.ini)
pytestmark = [pytest.mark.usefixtures("harvest_env")]

CASES = """
DROP TABLE IF EXISTS ca_benh;
CREATE TABLE ca_benh (ma_xa text, nhom_benh text, so_ca int);
INSERT INTO ca_benh VALUES ('20194', 'A', 3), ('20194', 'B', 40), ('20194', 'C', 25),
    ('20197', 'A', 12), ('20197', 'B', 7), ('20197', 'C', 2), ('20200', 'A', 0),
    ('20200', 'B', 55), ('20200', 'C', 31);
GRANT SELECT ON ca_benh TO {role};
"""
RAW_KEYS = ("cells_suppressed", "per_column", "complementary_unavailable", "rows_checked",
            "guard_version", "value:", "name:")


@pytest.fixture
def harvested(sysadmin, org, department):  # noqa: F811
    role = department.url.split("://", 1)[1].split("@", 1)[0]
    department.execute(CASES.replace("{role}", role))
    source = make_source(sysadmin, org, department.url, sql_config(spec(
        "ca-benh-theo-xa", "ca_benh",
        privacy={"count_columns": ["so_ca"], "group_by": ["ma_xa"]})))
    job = run_job(source["id"])
    assert job["stats"]["added"] == 1, object_errors(job["id"])
    return source


def test_the_api_returns_the_report_as_an_object_and_counts_as_integers(app, harvested):
    result = app.get("/api/3/action/package_show?id=ca-benh-theo-xa").json["result"]
    assert result["row_count"] == 9
    stored = result["privacy_report"]
    assert isinstance(stored, dict)
    report = PrivacyReport.from_dict(stored)
    assert report.to_dict() == stored
    # 20194: 3 hidden → 25 hidden too; 20197: 7 and 2 hidden (two in the group: no more)
    assert (report.primary, report.complementary) == (3, 1)
    assert report.min_cell_size == 10 and report.verdict == "passed"


@pytest.mark.parametrize("prefix, first, second", [
    ("", "3 ô có giá trị từ 1 đến 9 đã được ẩn", "3 cells with values from 1 to 9 were hidden"),
    ("/en", "3 cells with values from 1 to 9 were hidden", "3 ô có giá trị từ 1 đến 9 đã được ẩn"),
])
def test_the_dataset_page_explains_the_suppression_in_both_languages(app, harvested, prefix,
                                                                       first, second):
    response = app.get(f"{prefix}/health/ca-benh-theo-xa")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    section = body[body.index('id="privacy-report"'):]
    section = section[:section.index("</section>")]
    assert first in section and second in section
    assert section.index(first) < section.index(second)
    assert "1 ô ẩn bổ sung" in section or "1 more cells" in section
    assert re.search(r'data-column="so_ca">\s*<th[^>]*><code>so_ca</code></th>\s*'
                     r'<td data-kind="primary">3</td>\s*<td data-kind="complementary">1</td>',
                     section)
    for key in RAW_KEYS:
        assert key not in section, key


def test_the_generic_dataset_url_answers_too(app, harvested):
    assert app.get("/dataset/ca-benh-theo-xa").status_code == 200


def test_dcat_carries_the_summary_as_a_provenance_statement(app, harvested):
    response = app.get("/dataset/ca-benh-theo-xa.ttl")
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    graph = Graph().parse(data=response.get_data(as_text=True), format="turtle")
    dct = Namespace("http://purl.org/dc/terms/")
    rdfs = Namespace("http://www.w3.org/2000/01/rdf-schema#")
    labels = {o for s in graph.objects(None, dct.provenance) for o in graph.objects(s, rdfs.label)}
    langs = {lit.language for lit in labels if isinstance(lit, Literal)}
    assert langs == {"vi", "en"}
    assert any("3 ô có giá trị từ 1 đến 9 đã được ẩn" in str(lit) for lit in labels)
