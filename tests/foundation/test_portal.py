"""The portal runs on real services: plugins load, Solr indexes and facets, the DataStore
round-trips through its read-only role."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

import ckan.plugins.toolkit as tk
from ckan.tests import factories, helpers

PLUGINS = ("smartcity scheming_datasets scheming_organizations scheming_groups harvest dcat "
           "datastore activity")


@pytest.mark.usefixtures("with_plugins")
def test_status_show_lists_the_portal_plugins():
    status = helpers.call_action("status_show")
    for name in PLUGINS.split():
        assert name in status["extensions"], name
    assert status["locale_default"] == "vi"


# Core dataset type only: this checks Solr itself, independent of the city's schemas.
@pytest.mark.ckan_config("ckan.plugins", "smartcity datastore")
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_solr_indexes_searches_facets_and_forgets():
    org = factories.Organization()
    helpers.call_action("package_create", name="ho-so-nuoc-sach", title="Nước sạch nông thôn",
                        notes="Tỷ lệ hộ dùng nước sạch theo xã", owner_org=org["id"],
                        tags=[{"name": "nuoc-sach"}])
    helpers.call_action("package_create", name="khac", title="Khác", owner_org=org["id"])

    found = helpers.call_action("package_search", q="nước sạch", facet="true",
                                **{"facet.field": ["tags", "organization"]})
    assert [d["name"] for d in found["results"]] == ["ho-so-nuoc-sach"]
    assert found["facets"]["tags"] == {"nuoc-sach": 1}

    everything = helpers.call_action("package_search", facet="true",
                                     **{"facet.field": ["organization"]})
    assert everything["count"] == 2
    assert everything["facets"]["organization"] == {org["name"]: 2}

    helpers.call_action("package_delete", id="ho-so-nuoc-sach")
    assert helpers.call_action("package_search", q="nước sạch")["count"] == 0


@pytest.mark.ckan_config("ckan.plugins", "smartcity datastore")
@pytest.mark.usefixtures("with_plugins", "clean_datastore", "clean_index")
def test_datastore_round_trip_through_the_read_only_role():
    dataset = factories.Dataset(owner_org=factories.Organization()["id"])
    resource = factories.Resource(package_id=dataset["id"])
    records = [{"ma_xa": "20194", "so_truong": 7}, {"ma_xa": "20197", "so_truong": 11}]
    helpers.call_action("datastore_create", resource_id=resource["id"], force=True,
                        fields=[{"id": "ma_xa", "type": "text"},
                                {"id": "so_truong", "type": "int"}],
                        records=records)

    result = helpers.call_action("datastore_search", resource_id=resource["id"], sort="ma_xa")
    assert [{k: r[k] for k in ("ma_xa", "so_truong")} for r in result["records"]] == records

    # The read URL really is a different, read-only role: it can read but not write.
    read_url = tk.config["ckan.datastore.read_url"]
    assert read_url != tk.config["ckan.datastore.write_url"]
    engine = sa.create_engine(read_url)
    try:
        with engine.connect() as conn:
            count = conn.execute(sa.text(f'SELECT count(*) FROM "{resource["id"]}"')).scalar()
            assert count == 2
            with pytest.raises(sa.exc.ProgrammingError, match="permission denied"):
                conn.execute(sa.text(
                    f'INSERT INTO "{resource["id"]}" (ma_xa, so_truong) VALUES (\'x\', 1)'))
    finally:
        engine.dispose()
