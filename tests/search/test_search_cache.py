"""The search cache (ckanext/smartcity/search/cache.py) in process, on the real Redis and
Solr of the test services: what it stores, what moves its key, and that a Redis that
refuses connections leaves searches answered by Solr. The journey on the running
portal is tests/e2e/test_search_cache.py."""
from __future__ import annotations

import pytest
import redis
from ckan.tests import helpers

from ckanext.smartcity.search import cache as search_cache

URL = "/api/3/action/package_search"


@pytest.fixture
def datasets(build, clean_db, clean_index, clean_redis):
    admin = build.sysadmin()
    org = build.department(admin)
    build.dataset(admin, "health", "cong-khai", org)
    build.dataset(admin, "health", "noi-bo", org, private=True)
    return {"admin": admin, "org": org}


def _get(app, **params):
    answer = app.get(URL, query_string=params)
    assert answer.status_code == 200, answer.body[:500]
    return answer


def _names(answer) -> list[str]:
    return sorted(d["name"] for d in answer.json["result"]["results"])


def test_anonymous_answers_are_stored_and_private_datasets_never_in_them(app, datasets):
    first = _get(app, q="*:*")
    assert first.headers[search_cache.HEADER] == "miss"
    second = _get(app, q="*:*")
    assert second.headers[search_cache.HEADER] == "hit"
    assert second.body == first.body
    assert _names(second) == ["cong-khai"]
    # another query, another key
    assert _get(app, q="*:*", rows=1).headers[search_cache.HEADER] == "miss"


def test_a_write_moves_the_key_at_once(app, datasets):
    assert _names(_get(app, q="*:*")) == ["cong-khai"]
    helpers.call_action("package_patch", {"user": datasets["admin"]["name"]},
                        id="noi-bo", private=False)
    after = _get(app, q="*:*")
    assert after.headers[search_cache.HEADER] == "miss"
    assert _names(after) == ["cong-khai", "noi-bo"]
    helpers.call_action("package_patch", {"user": datasets["admin"]["name"]},
                        id="cong-khai", private=True)
    assert _names(_get(app, q="*:*")) == ["noi-bo"]


@pytest.mark.ckan_config("ckanext.smartcity.search_cache.ttl", "0")
def test_ttl_zero_turns_the_cache_off(app, datasets):
    for _ in range(2):
        answer = _get(app, q="*:*")
        assert search_cache.HEADER not in answer.headers
        assert _names(answer) == ["cong-khai"]


def test_a_refusing_redis_leaves_searches_to_solr(app, datasets, monkeypatch):
    # a real client to a loopback port nothing listens on: every call is refused
    monkeypatch.setattr(search_cache, "_redis",
                        lambda: redis.Redis.from_url("redis://127.0.0.1:9/0"))
    for _ in range(2):
        answer = _get(app, q="*:*")
        assert search_cache.HEADER not in answer.headers
        assert _names(answer) == ["cong-khai"]
    search_cache.invalidate()  # logged, never raised
