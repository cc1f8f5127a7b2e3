"""Files uploaded to a city dataset through the web form (or resource_create with an
upload) pass the privacy guard: a table with identifiers is refused, naming the column."""
from __future__ import annotations

import io

import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import factories, helpers
from werkzeug.datastructures import FileStorage

LEAKY = ("ma_xa,ho_ten,so_cccd,so_ca\r\n"
         "20194,Nguyễn Văn An,048095001234,12\r\n"
         "20197,Trần Thị Bình,048196004321,15\r\n")
CLEAN = "ma_xa,nam,so_co_so\r\n20194,2025,12\r\n20197,2025,15\r\n"


def _health_dataset(org: dict) -> dict:
    return helpers.call_action(
        "package_create", {"ignore_auth": True, "user": factories.Sysadmin()["name"]},
        type="health", name="co-so-y-te-upload", title="Cơ sở y tế", owner_org=org["id"],
        update_frequency="annual", admin_units=["20194"], data_classification="open",
        personal_data="none", temporal_start="2025-07-01", temporal_end="2025-12-31")


def _upload(text: str, name: str) -> FileStorage:
    return FileStorage(io.BytesIO(text.encode("utf-8-sig")), filename=name)


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_upload_with_identifiers_is_refused_and_a_clean_one_is_stored(tmp_path,
                                                                     monkeypatch):
    monkeypatch.setitem(tk.config, "ckan.storage_path", str(tmp_path))
    org = factories.Organization()
    dataset = _health_dataset(org)
    user = {"user": factories.Sysadmin()["name"]}
    with pytest.raises(tk.ValidationError) as err:
        helpers.call_action("resource_create", user, package_id=dataset["id"],
                            name="danh sách", upload=_upload(LEAKY, "benh_nhan.csv"))
    message = err.value.error_dict["upload"][0]
    assert "so_cccd" in message and "ho_ten" in message
    for value in ("048095001234", "Nguyễn Văn An", "Trần"):
        assert value not in message
    assert helpers.call_action("package_show", id=dataset["id"])["resources"] == []

    resource = helpers.call_action("resource_create", user, package_id=dataset["id"],
                                   name="cơ sở", upload=_upload(CLEAN, "co_so.csv"))
    assert resource["url_type"] == "upload"
    assert len(helpers.call_action("package_show", id=dataset["id"])["resources"]) == 1
