"""Tables linked by URL (no upload) pass the privacy gate: the portal fetches a newly linked
CSV/XLSX/XLSM through the network guard and checks it like an upload. A table with an
identifier, or a link that cannot be fetched (outside the allow-list, too large, too slow,
HTTP error), is refused on `url` and the dataset is left exactly as before; an unchanged
URL is not fetched again. Real CKAN, PostgreSQL, Solr and real HTTP servers on loopback."""
from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

import ckan.plugins.toolkit as tk
from ckan.tests import factories, helpers

from file_server import FileServer  # tests/file_server.py

PLUGINS = "smartcity scheming_datasets scheming_organizations scheming_groups datastore"
pytestmark = [pytest.mark.ckan_config("ckan.plugins", PLUGINS),
              pytest.mark.usefixtures("with_plugins", "clean_datastore", "clean_index")]

LEAKY = ("ma_xa,ghi_chu,so_ca\r\n"
         "20194,Liên hệ anh Nam 0905 123 456,12\r\n"
         "20197,,15\r\n")
CLEAN = "ma_xa,nam,so_ca\r\n20194,2025,12\r\n20197,2025,30\r\n"
VALUES = ("0905 123 456", "0905123456", "anh Nam")


@pytest.fixture
def files():
    with FileServer() as server:
        yield server


@pytest.fixture
def dataset(user) -> dict:
    org = factories.Organization()
    return helpers.call_action(
        "package_create", dict(user), type="health", name="ca-benh-lien-ket",
        title="Ca bệnh", owner_org=org["id"], update_frequency="annual",
        admin_units=["20194"], data_classification="open", personal_data="aggregated",
        min_cell_size=10, temporal_start="2025-07-01", temporal_end="2025-12-31")


def _show(dataset_id: str) -> dict:
    return helpers.call_action("package_show", id=dataset_id)


def _refused(call, *parts: str) -> str:
    with pytest.raises(tk.ValidationError) as err:
        call()
    errors = err.value.error_dict
    assert set(errors) == {"url"}, errors
    text = str(errors)
    for part in parts:
        assert part in text, (part, text)
    for value in VALUES:
        assert value not in text
    return text


def _xlsx(rows: list[tuple]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_linked_table_with_an_identifier_is_refused_and_changes_nothing(user, dataset,
                                                                          files):
    url = files.put("phan-anh.csv", LEAKY)
    before = _show(dataset["id"])
    _refused(lambda: helpers.call_action("resource_create", dict(user),
                                         package_id=dataset["id"], name="Phản ánh",
                                         url=url, format="CSV"),
             "phan-anh.csv", "ghi_chu", "value:phone")
    assert files.requests == ["/files/phan-anh.csv"]
    assert _show(dataset["id"]) == before


def test_a_clean_linked_table_is_accepted_and_an_unchanged_url_not_fetched_again(
        user, dataset, files):
    url = files.put("ca-benh.csv", CLEAN)
    resource = helpers.call_action("resource_create", dict(user), package_id=dataset["id"],
                                   name="Ca bệnh", url=url, format="CSV")
    assert resource["url"] == url and files.requests == ["/files/ca-benh.csv"]
    # metadata edits keep the URL: nothing is fetched (the server now holds a leaky file)
    files.put("ca-benh.csv", LEAKY)
    helpers.call_action("resource_patch", dict(user), id=resource["id"],
                        description="Số ca theo xã")
    pkg = _show(dataset["id"])
    helpers.call_action("package_update", dict(user), **dict(pkg, notes="Cập nhật"))
    assert files.requests == ["/files/ca-benh.csv"]
    # a new URL is fetched and checked again
    before = _show(dataset["id"])
    leaky = files.put("ca-benh-moi.csv", LEAKY)
    _refused(lambda: helpers.call_action("resource_patch", dict(user), id=resource["id"],
                                         url=leaky), "ghi_chu", "value:phone")
    assert _show(dataset["id"]) == before
    # a link that was not a table becomes one by its format: checked then
    page = helpers.call_action("resource_create", dict(user), package_id=dataset["id"],
                               name="Trang", url=files.url("trang"), format="HTML")
    files.put("trang", LEAKY)
    _refused(lambda: helpers.call_action("resource_patch", dict(user), id=page["id"],
                                         format="CSV"), "value:phone")


def test_linked_tables_in_package_create_update_and_patch_are_gated(user, dataset, files):
    org = factories.Organization()
    leaky = files.put("a.csv", LEAKY)
    clean = files.put("b.xlsx", _xlsx([("ma_xa", "so_ca"), ("20194", 12)]))
    with pytest.raises(tk.ValidationError) as err:
        helpers.call_action("package_create", dict(user), name="khac", type="dataset",
                            owner_org=org["id"],
                            resources=[{"name": "b", "url": clean, "format": "XLSX"},
                                       {"name": "a", "url": leaky, "format": "CSV"}])
    assert err.value.error_dict["resources"][0] == {}
    assert "value:phone" in str(err.value.error_dict["resources"][1]["url"])
    with pytest.raises(tk.ObjectNotFound):
        helpers.call_action("package_show", id="khac")
    before = _show(dataset["id"])
    with pytest.raises(tk.ValidationError):
        helpers.call_action("package_update", dict(user),
                            **dict(before, resources=[{"name": "a", "url": leaky}]))
    with pytest.raises(tk.ValidationError):
        helpers.call_action("package_patch", dict(user), id=dataset["id"],
                            resources=[{"name": "a", "url": leaky, "format": "csv"}])
    assert _show(dataset["id"]) == before
    pkg = helpers.call_action("package_patch", dict(user), id=dataset["id"],
                              resources=[{"name": "b", "url": clean, "format": "XLSX"}])
    assert [r["url"] for r in pkg["resources"]] == [clean]


def test_a_linked_xlsm_is_checked_on_every_sheet(user, dataset, files):
    book = Workbook()
    book.active.append(["ma_xa", "so_ca"])
    book.active.append(["20194", 12])
    hidden = book.create_sheet("Danh sách")
    hidden.append(["stt", "email_lien_he"])
    hidden.append([1, "an.nguyen@gmail.com"])
    out = io.BytesIO()
    book.save(out)
    url = files.put("bang.xlsm", out.getvalue())
    text = _refused(lambda: helpers.call_action("resource_create", dict(user),
                                                package_id=dataset["id"], name="x", url=url),
                    "Danh sách", "email_lien_he")
    assert "an.nguyen" not in text


def test_a_loopback_address_outside_the_allow_list_is_never_contacted(user, dataset):
    # test.ini allows 127.0.0.1 and localhost; 127.0.0.2 is loopback too, but not listed
    with FileServer(host="127.0.0.2") as other:
        url = other.put("ca-benh.csv", CLEAN) + "?token=s3cret-Value"
        url = url.replace("http://", "http://officer:hunter2@")
        before = _show(dataset["id"])
        text = _refused(lambda: helpers.call_action("resource_create", dict(user),
                                                    package_id=dataset["id"], name="x",
                                                    url=url, format="CSV"),
                        f"127.0.0.2:{other.httpd.server_port}", "loopback", "allow-list")
        assert other.requests == []
    assert _show(dataset["id"]) == before
    for secret in ("s3cret-Value", "hunter2", "officer", "token=", "/files/"):
        assert secret not in text


@pytest.mark.ckan_config("ckanext.smartcity.privacy.fetch_allowed_hosts", "localhost")
def test_the_fetch_allow_list_is_its_own_option(user, dataset, files):
    url = files.put("ca-benh.csv", CLEAN)
    _refused(lambda: helpers.call_action("resource_create", dict(user),
                                         package_id=dataset["id"], name="x", url=url,
                                         format="CSV"), "127.0.0.1", "allow-list")
    assert files.requests == []
    local = url.replace("127.0.0.1", "localhost")
    resource = helpers.call_action("resource_create", dict(user), package_id=dataset["id"],
                                   name="x", url=local, format="CSV")
    assert resource["url"] == local and files.requests == ["/files/ca-benh.csv"]


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
@pytest.mark.ckan_config("ckanext.smartcity.privacy.fetch_max_bytes", "2000")
def test_a_table_larger_than_the_cap_is_refused(user, dataset, files, chunked):
    files.chunked = chunked
    body = CLEAN + "".join(f"2{i:04d},2025,{i}\r\n" for i in range(400))
    url = files.put("lon.csv", body)
    before = _show(dataset["id"])
    _refused(lambda: helpers.call_action("resource_create", dict(user),
                                         package_id=dataset["id"], name="x", url=url,
                                         format="CSV"),
             "127.0.0.1", "larger than 2000 bytes", "lớn hơn 2000 byte")
    assert _show(dataset["id"]) == before
    small = files.put("nho.csv", CLEAN)
    helpers.call_action("resource_create", dict(user), package_id=dataset["id"], name="x",
                        url=small, format="CSV")


@pytest.mark.ckan_config("ckanext.smartcity.privacy.fetch_timeout", "1")
def test_a_slow_server_and_an_http_error_fail_closed(user, dataset, files):
    files.put("cham.csv", CLEAN)
    files.delay = 3.0
    before = _show(dataset["id"])
    _refused(lambda: helpers.call_action("resource_create", dict(user),
                                         package_id=dataset["id"], name="x",
                                         url=files.url("cham.csv"), format="CSV"),
             "127.0.0.1", "within 1 s")
    files.delay = 0.0
    _refused(lambda: helpers.call_action("resource_create", dict(user),
                                         package_id=dataset["id"], name="x",
                                         url=files.url("khong-co.csv"), format="CSV"),
             "127.0.0.1", "HTTP 404")
    assert _show(dataset["id"]) == before


def test_a_linked_table_with_small_counts_to_hide_is_refused(user, dataset, files):
    # the portal cannot rewrite a file it links to: the officer must upload it instead
    helpers.call_action("package_patch", dict(user), id=dataset["id"], count_columns="so_ca")
    before = _show(dataset["id"])
    url = files.put("ca-benh.csv", CLEAN.replace(",12\r\n", ",4\r\n"))
    _refused(lambda: helpers.call_action("resource_create", dict(user),
                                         package_id=dataset["id"], name="x", url=url,
                                         format="CSV"),
             "ca-benh.csv", "small counts to hide", "upload the file")
    assert _show(dataset["id"]) == before
    big = files.put("ca-benh-lon.csv", CLEAN)
    helpers.call_action("resource_create", dict(user), package_id=dataset["id"], name="x",
                        url=big, format="CSV")


def test_a_linked_xlsx_names_its_count_columns_by_generated_id(user, dataset, files):
    # issue 20: "Số ca mắc" declared as so_ca_mac was dropped and the small counts linked
    helpers.call_action("package_patch", dict(user), id=dataset["id"],
                        count_columns="so_ca_mac, so_ca_tu_vong")
    before = _show(dataset["id"])
    book = Workbook()
    for row in (("Mã xã", "Số ca mắc", "Số ca tử vong"), ("20194", 4, 1), ("20197", 40, 12)):
        book.active.append(list(row))
    data = io.BytesIO()
    book.save(data)
    url = files.put("ca-benh.xlsx", data.getvalue())
    _refused(lambda: helpers.call_action("resource_create", dict(user),
                                         package_id=dataset["id"], name="x", url=url,
                                         format="XLSX"),
             "ca-benh.xlsx", "small counts to hide")
    assert _show(dataset["id"]) == before
    helpers.call_action("package_patch", dict(user), id=dataset["id"],
                        count_columns="so_ca_mac, so_ca_chet")
    before = _show(dataset["id"])
    big = files.put("ca-benh-lon.csv", "Mã xã,Số ca mắc\r\n20194,40\r\n")
    _refused(lambda: helpers.call_action("resource_create", dict(user),
                                         package_id=dataset["id"], name="x", url=big,
                                         format="CSV"),
             "so_ca_chet", "count_columns")
    assert _show(dataset["id"]) == before
