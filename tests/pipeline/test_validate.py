"""validate_config rejections: each names the key, never a secret value."""
from __future__ import annotations

import json

import pytest

from ckanext.smartcity.pipeline.validate import (ConfigError, check_config,
                                                 inline_secret_keys, url_password_error)
from ckanext.smartcity.readers import ApiReader, FileReader, SqlReader

SPEC = {"name": "co-so-y-te", "dataset_type": "health", "title": "Cơ sở y tế",
        "query": "SELECT ma_xa, so_co_so FROM co_so"}


def sql(**config):
    return SqlReader("", config)


def check(config, reader=None):
    return check_config(json.dumps(config), reader or sql(**config))


def test_a_good_config_passes():
    config = {"password_env": "DN_SYT_DB_PASSWORD", "delete_missing": True,
              "defaults": {"update_frequency": "monthly"}, "datasets": [SPEC]}
    assert check(config)["datasets"][0]["name"] == "co-so-y-te"


def test_invalid_json_is_refused():
    with pytest.raises(ValueError, match="config: invalid JSON"):
        check_config("{not json", sql())


@pytest.mark.parametrize("config, key", [
    ({}, "datasets"),
    ({"datasets": []}, "datasets"),
    ({"datasets": [dict(SPEC, name=None)]}, "datasets[0].name"),
    ({"datasets": [{k: v for k, v in SPEC.items() if k != "name"}]}, "datasets[0].name"),
    ({"datasets": [dict(SPEC, dataset_type="weather")]}, "datasets[0].dataset_type"),
    ({"datasets": [SPEC, SPEC]}, "datasets[1].name"),
    ({"datasets": [dict(SPEC, path="/api")]}, "datasets[0].path"),
    ({"datasets": [dict(SPEC, query="DELETE FROM co_so")]}, "datasets[0].query"),
    ({"datasets": [{k: v for k, v in SPEC.items() if k != "query"}]}, "datasets[0].query"),
    ({"datasets": [dict(SPEC, allow_empty="yes")]}, "datasets[0].allow_empty"),
    ({"datasets": [dict(SPEC, columns=[{"id": "a", "type": "money"}])]},
     "datasets[0].columns[0].type"),
    ({"datasets": [dict(SPEC, privacy={"k": 3})]}, "datasets[0].privacy"),
    ({"token_env": "X", "datasets": [SPEC]}, "token_env"),
    ({"delete_missing": "yes", "datasets": [SPEC]}, "delete_missing"),
])
def test_rejections_name_the_key(config, key):
    with pytest.raises(ConfigError) as err:
        check(config)
    assert err.value.key == key
    assert str(err.value).startswith(key + ":")


def test_bad_pagination_is_refused_for_api_sources():
    spec = {"name": "api-ds", "dataset_type": "health", "path": "/x",
            "pagination": {"type": "cursor"}}
    config = {"datasets": [spec]}
    with pytest.raises(ConfigError) as err:
        check(config, ApiReader("", config))
    assert err.value.key.startswith("datasets[0].pagination")


def test_file_outside_the_roots_is_refused(tmp_path):
    spec = {"name": "file-ds", "dataset_type": "health", "file": "../../etc/passwd"}
    config = {"datasets": [spec]}
    with pytest.raises(ConfigError) as err:
        check_config(json.dumps(config), FileReader("", config, file_roots=str(tmp_path)))
    assert err.value.key.startswith("datasets[0].file")


@pytest.mark.parametrize("where, key", [
    ({"password": "hunter2-SECRET"}, "password"),
    ({"db": {"Api-Key": "hunter2-SECRET"}}, "db.Api-Key"),
    ({"datasets": [dict(SPEC, fields={"access_token": "hunter2-SECRET"})]},
     "datasets[0].fields.access_token"),
    ({"credentials": {"u": "x"}}, "credentials"),
    ({"pwd": "hunter2-SECRET"}, "pwd"),
    ({"private_key": "hunter2-SECRET"}, "private_key"),
])
def test_inline_secrets_are_refused_without_echoing_them(where, key):
    config = {"datasets": [SPEC], **where}
    with pytest.raises(ConfigError) as err:
        check(config)
    assert err.value.key == key
    assert "hunter2" not in str(err.value)


def test_env_names_are_not_secrets():
    assert list(inline_secret_keys({"password_env": "A", "token_env": "B"})) == []


def test_url_with_password_is_refused_without_echoing_it():
    message = url_password_error("postgresql://u:hunter2@127.0.0.1/db")
    assert message and message.startswith("url:") and "hunter2" not in message
    assert url_password_error("postgresql://u@127.0.0.1/db") is None
