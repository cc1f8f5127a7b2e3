"""Pages people expect: About, Developers (live examples), the citation block, the home
page's mark and recent datasets, compact commune coverage, the commune picker, and
DataStore CSV downloads that open in Excel. Real CKAN, PostgreSQL, DataStore and Solr."""
from __future__ import annotations

import codecs
import datetime as dt
import re
from urllib.parse import unquote

import pytest

from ckan.tests import helpers

from ckanext.smartcity.reference.codelists import find_admin_units

CO_SO_CSV = "ma_xa,ten_xa,so_co_so\r\n20194,Hải Vân,12\r\n20197,Liên Chiểu,15\r\n"
CURRENT_COMMUNES = sorted(u.code for u in find_admin_units(level="commune") if u.is_current)


@pytest.fixture
def portal(build, clean_datastore, clean_index, with_plugins, linked_files):
    admin = build.sysadmin()
    user = {"user": admin["name"]}
    org = build.department(admin)
    city = build.dataset(admin, "health", "co-so-y-te-toan-thanh-pho", org,
                         title="Cơ sở y tế toàn thành phố",
                         title_en="Health facilities, whole city",
                         admin_units=CURRENT_COMMUNES)
    two = build.dataset(admin, "health", "giuong-benh", org, admin_units=["20194", "20197"])
    resource = helpers.call_action("resource_create", user, package_id=city["id"],
                                   name="Cơ sở y tế", format="CSV",
                                   url=linked_files.put("co-so.csv", CO_SO_CSV))
    helpers.call_action("datastore_create", user, resource_id=resource["id"], force=True,
                        fields=[{"id": "ma_xa", "type": "text"},
                                {"id": "ten_xa", "type": "text"},
                                {"id": "so_co_so", "type": "int"}],
                        records=[{"ma_xa": "20194", "ten_xa": "Hải Vân", "so_co_so": 12},
                                 {"ma_xa": "20197", "ten_xa": "Liên Chiểu", "so_co_so": 15}])
    return {"admin": admin, "org": org, "city": city, "two": two, "resource": resource}


@pytest.mark.usefixtures("with_plugins")
def test_about_page_in_both_languages(app):
    vi = app.get("/about").get_data(as_text=True)
    for section in ("about-what", "about-publishers", "about-licence", "about-privacy",
                    "about-contact"):
        assert f'id="{section}"' in vi
    assert "Bảo vệ dữ liệu cá nhân" in vi and "CC BY 4.0" in vi
    assert "opendata@danang.gov.vn" in vi and "CKAN is the world" not in vi
    en = app.get("/en/about").get_data(as_text=True)
    assert "How personal data is protected" in en and "Licence policy" in en


@pytest.mark.usefixtures("with_plugins")
@pytest.mark.ckan_config("ckanext.smartcity.developers.example_dataset",
                         "co-so-y-te-toan-thanh-pho")
def test_developers_page_examples_are_live(app, portal):
    body = app.get("/developers").get_data(as_text=True)
    assert f'data-example-table="{portal["resource"]["id"]}"' in body
    examples = dict(re.findall(r'data-example="([^"]+)">.*?<a href="([^"]+)"', body, re.S))
    assert {"package_search", "package_show", "datastore_search", "datastore_search_filters",
            "catalog_ttl", "dataset_rdf", "datastore_dump",
            "smartcity_admin_units"} <= set(examples)
    # SQL queries are off on this portal: no example that would answer 400
    assert "datastore_search_sql" not in examples
    for name in ("package_search", "package_show", "datastore_search",
                 "datastore_search_filters", "datastore_search_q", "smartcity_admin_units"):
        url = examples[name].replace("&amp;", "&")
        answer = app.get(url)
        assert answer.status_code == 200, (name, url)
        assert answer.json["success"] is True, name
    rows = app.get(examples["datastore_search_filters"].replace("&amp;", "&")).json["result"]
    assert [r["ma_xa"] for r in rows["records"]] == ["20194"]
    assert app.get(examples["dataset_rdf"]).status_code == 200
    assert "Developers" in app.get("/en/developers").get_data(as_text=True)


@pytest.mark.usefixtures("with_plugins")
@pytest.mark.ckan_config("ckanext.smartcity.developers.example_dataset", "khong-co-bo-nay")
def test_developers_example_without_the_pinned_dataset_is_the_first_by_name(app, portal):
    body = app.get("/developers").get_data(as_text=True)  # no harvested one here either
    assert 'data-example-dataset="co-so-y-te-toan-thanh-pho"' in body
    assert f'data-example-table="{portal["resource"]["id"]}"' in body


@pytest.mark.usefixtures("with_plugins")
def test_every_dataset_page_says_how_to_cite_it(app, portal):
    body = app.get("/health/giuong-benh").get_data(as_text=True)
    today = dt.datetime.now(dt.timezone(dt.timedelta(hours=7))).date()
    text = re.search(r'id="cite-text"[^>]*>([^<]+)<', body).group(1)
    year = str(dt.date.today().year)
    assert text.startswith(f"Sở Y tế ({year}). Bộ dữ liệu giuong-benh [Bộ dữ liệu].")
    assert "/health/giuong-benh" in text and today.strftime("%d/%m/%Y") in text
    assert 'data-smartcity-copy="cite-text"' in body and "/smartcity/copy.js" in body
    bibtex = re.search(r'id="cite-bibtex"[^>]*>([^<]+)<', body, re.S).group(1)
    assert bibtex.startswith("@misc{giuong_benh_" + year)
    assert "author = {{Sở Y tế}}" in bibtex and f"urldate = {{{today.isoformat()}}}" in bibtex
    english = app.get("/en/health/co-so-y-te-toan-thanh-pho").get_data(as_text=True)
    cite_en = re.search(r'id="cite-text"[^>]*>([^<]+)<', english).group(1)
    assert cite_en.startswith(f"Department of Health ({year}). Health facilities, whole city")
    assert "accessed" in cite_en and "/en/" not in cite_en


@pytest.mark.usefixtures("with_plugins")
def test_commune_coverage_is_compact(app, portal):
    city = app.get("/health/co-so-y-te-toan-thanh-pho").get_data(as_text=True)
    assert re.search(r'smartcity-coverage-summary">\s*Toàn thành phố \(94 xã, phường\)', city)
    assert city.count("<li data-code=") == 94  # behind a <details>, not 94 bare bullets
    two = app.get("/health/giuong-benh").get_data(as_text=True)
    assert re.search(r'smartcity-coverage-summary">\s*2 xã, phường', two)
    assert "Phường Hải Vân" in two
    english = app.get("/en/health/giuong-benh").get_data(as_text=True)
    assert "2 communes and wards" in english


@pytest.mark.usefixtures("with_plugins")
def test_home_page_has_the_portal_mark_recent_datasets_and_favicon(app, portal):
    body = app.get("/").get_data(as_text=True)
    assert "/smartcity/logo.svg" in body and "/smartcity/favicon.svg" in body
    assert "/base/images/ckan-logo" not in body
    recent = re.findall(r'<li data-dataset="([^"]+)"', body)
    # newest first: the resource added last changed the whole-city dataset
    assert recent[:2] == ["co-so-y-te-toan-thanh-pho", "giuong-benh"]
    logo = app.get("/smartcity/logo.svg")
    assert logo.status_code == 200 and b"<svg" in logo.data
    assert 'href="/developers"' in body


@pytest.mark.usefixtures("with_plugins")
def test_datastore_csv_opens_in_excel_and_is_named_after_the_dataset(app, portal):
    rid = portal["resource"]["id"]
    answer = app.get(f"/datastore/dump/{rid}")
    assert answer.status_code == 200
    assert answer.data.startswith(codecs.BOM_UTF8)
    assert answer.data.decode("utf-8-sig").splitlines()[1].startswith("1,20194,Hải Vân")
    assert unquote(answer.headers["Content-Disposition"]) == (
        'attachment; filename="co-so-y-te-toan-thanh-pho.csv"')
    assert not app.get(f"/datastore/dump/{rid}?bom=false").data.startswith(codecs.BOM_UTF8)
    explicit = app.get(f"/datastore/dump/{rid}?bom=true").data
    assert explicit.startswith(codecs.BOM_UTF8) and not explicit[3:].startswith(codecs.BOM_UTF8)
    tsv = app.get(f"/datastore/dump/{rid}?format=tsv")
    assert tsv.data.startswith(codecs.BOM_UTF8)
    assert 'co-so-y-te-toan-thanh-pho.tsv' in tsv.headers["Content-Disposition"]


@pytest.mark.usefixtures("with_plugins")
def test_commune_picker_offers_current_units_and_the_old_ones_on_request(app, portal):
    body = app.get("/health/new", headers={"Authorization": portal["admin"]["token"]}
                   ).get_data(as_text=True)
    options = re.findall(r'<option id="field-admin_units-(\w+)" value="\w+"\s+'
                         r'data-current="(true|false)" data-level="(\w*)"', body)
    current = [code for code, cur, level in options if cur == "true" and level == "commune"]
    assert sorted(current) == CURRENT_COMMUNES and len(current) == 94
    assert any(cur == "false" for _code, cur, _level in options)  # pre-2025, marked
    assert 'class="form-check-input smartcity-unit-whole-city"' in body
    assert 'class="form-check-input smartcity-unit-historical"' in body
    assert "/smartcity/unit-picker.js" in body
    assert re.search(r'data-search="20194 [^"]*hai van', body)
