"""A harvest source URL with a password is refused before ckanext-harvest stores it, and a
source's secret-free config comes back from harvest_source_show as it was given."""
from __future__ import annotations

import json

import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import factories, helpers

CONFIG = json.dumps({"password_env": "DN_SYT_DB_PASSWORD", "datasets": [
    {"name": "co-so-y-te", "dataset_type": "health", "title": "Cơ sở y tế",
     "query": "SELECT ma_xa, so_co_so FROM co_so"}]})


@pytest.mark.usefixtures("with_plugins", "clean_db")
@pytest.mark.ckan_config("ckanext.smartcity.harvest.secret_scopes",
                         "DN_SYT_DB_PASSWORD so-y-te 127.0.0.1:5432")
def test_password_in_source_url_is_refused_on_create_and_update():
    org = factories.Organization(name="so-y-te")
    user = {"user": factories.Sysadmin()["name"]}
    with pytest.raises(tk.ValidationError) as err:
        helpers.call_action("harvest_source_create", user, name="syt", title="Sở Y tế",
                            url="postgresql://syt_reader:hunter2-secret@127.0.0.1:5432/syt",
                            source_type="smartcity_sql", owner_org=org["id"], config=CONFIG)
    assert "url" in err.value.error_dict
    assert "hunter2-secret" not in str(err.value)
    assert helpers.call_action("harvest_source_list", user) == []

    source = helpers.call_action("harvest_source_create", user, name="syt", title="Sở Y tế",
                                 url="postgresql://syt_reader@127.0.0.1:5432/syt",
                                 source_type="smartcity_sql", owner_org=org["id"],
                                 config=CONFIG)
    with pytest.raises(tk.ValidationError) as err:
        helpers.call_action("harvest_source_update", user, id=source["id"], name="syt",
                            title="Sở Y tế", source_type="smartcity_sql", owner_org=org["id"],
                            url="postgresql://syt_reader:hunter2-secret@127.0.0.1/syt",
                            config=CONFIG)
    assert "hunter2-secret" not in str(err.value)
    shown = helpers.call_action("harvest_source_show", user, id=source["id"])
    assert shown["url"] == "postgresql://syt_reader@127.0.0.1:5432/syt"
    assert "hunter2" not in json.dumps(shown)
