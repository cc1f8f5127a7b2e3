"""nginx in front of the running portal (config/nginx/, scripts/proxy.py): anonymous
pages and API answers come from its cache and are never stale — a dataset edited or made
private is served fresh to everyone at once (the cache key holds the write generation of
the search cache) — a logged-in visitor is never answered from it, and per-address rate
limits stop a burst while a normal visitor goes on.

Each kind of client below uses its own loopback source address (127.0.0.x): nginx limits
per address, so the burst of one test never limits another."""
from __future__ import annotations

import concurrent.futures
import re
import time
import uuid

import requests
from requests.adapters import HTTPAdapter

from . import declared

CACHE = "X-Cache-Status"


class _From(HTTPAdapter):
    """Connections from one loopback source address."""

    def __init__(self, address: str) -> None:
        self.address = address
        super().__init__(pool_maxsize=32)

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (self.address, 0)
        return super().init_poolmanager(*args, **kwargs)


def client(address: str = "127.0.0.1") -> requests.Session:
    """A cookie-less anonymous client connecting from ``address``."""
    session = requests.Session()
    session.mount("http://", _From(address))
    return session


def anonymous_get(portal, path: str, address: str = "127.0.0.1") -> requests.Response:
    """A GET through nginx by a new anonymous visitor (no cookie)."""
    return client(address).get(f"{portal.proxy_url}{path}", timeout=60)


def _dataset() -> str:
    return declared.sources()["so-y-te-api"].published[0]


def test_an_anonymous_repeat_is_a_hit_per_language_without_another_visitors_cookie(portal):
    name = _dataset()
    path = f"/dataset/{name}?e2e={uuid.uuid4().hex}"  # a key no earlier test stored
    first = anonymous_get(portal, path)
    assert first.status_code == 200 and first.headers[CACHE] == "MISS"
    second = anonymous_get(portal, path)
    assert second.headers[CACHE] == "HIT"
    assert second.text == first.text
    assert "Set-Cookie" not in second.headers  # the first visitor's session stays theirs
    english = anonymous_get(portal, "/en" + path)
    assert english.headers[CACHE] == "MISS" and english.text != first.text
    assert anonymous_get(portal, "/en" + path).headers[CACHE] == "HIT"
    api = f"/api/3/action/package_show?id={name}&e2e={uuid.uuid4().hex}"
    assert anonymous_get(portal, api).headers[CACHE] == "MISS"
    assert anonymous_get(portal, api).headers[CACHE] == "HIT"
    # the language switch of a cached page works for a visitor without a session
    switch = client().post(f"{portal.proxy_url}/util/redirect", data={"url": "/en/dataset"},
                           allow_redirects=False, timeout=60)
    assert switch.status_code == 302 and switch.headers["Location"].endswith("/en/dataset")


def test_a_dataset_edited_or_made_private_is_never_served_stale(portal):
    name = _dataset()
    page, api = f"/dataset/{name}", f"/api/3/action/package_show?id={name}"
    search = f"/api/3/action/package_search?fq=name:{name}"
    title = portal.action("package_show", {"id": name})["title"]
    for path in (page, api, search):
        anonymous_get(portal, path)
        assert anonymous_get(portal, path).headers[CACHE] == "HIT", path
    new_title = f"{title} (sửa {uuid.uuid4().hex[:6]})"
    portal.action("package_patch", {"id": name, "title": new_title})
    try:
        edited = anonymous_get(portal, page)
        assert edited.status_code == 200 and edited.headers[CACHE] == "MISS"
        assert new_title in edited.text
        assert anonymous_get(portal, api).json()["result"]["title"] == new_title
        portal.action("package_patch", {"id": name, "private": True})
        for _ in range(2):  # the second one would be a HIT if a 404 were stored
            assert anonymous_get(portal, page).status_code == 404
            assert anonymous_get(portal, api).status_code == 403
            assert anonymous_get(portal, search).json()["result"]["count"] == 0
    finally:
        portal.action("package_patch", {"id": name, "private": False, "title": title})
    back = anonymous_get(portal, page)
    assert back.status_code == 200 and new_title not in back.text and title in back.text


def test_a_logged_in_visitor_is_never_served_or_stored_in_the_cache(portal):
    name = _dataset()
    path = f"/dataset/{name}?e2e={uuid.uuid4().hex}"
    signed_in = portal.login()  # the session cookie is sent to the proxy too (same host)
    for _ in range(2):
        mine = signed_in.get(f"{portal.proxy_url}{path}", timeout=60)
        assert mine.status_code == 200 and mine.headers[CACHE] == "BYPASS"
        assert "/user/_logout" in mine.text
    # the page made for the admin was not stored for anyone else
    anonymous = anonymous_get(portal, path)
    assert anonymous.headers[CACHE] == "MISS" and "/user/_logout" not in anonymous.text
    # nor is an answer to a token
    api = f"/api/3/action/package_show?id={name}&e2e={uuid.uuid4().hex}"
    for _ in range(2):
        with_token = client().get(f"{portal.proxy_url}{api}",
                                  headers={"Authorization": portal.token}, timeout=60)
        assert with_token.headers[CACHE] == "BYPASS"


def _burst(address: str, path: str, count: int, threads: int = 24) -> list[requests.Response]:
    session = client(address)
    with concurrent.futures.ThreadPoolExecutor(threads) as pool:
        return list(pool.map(lambda _: session.get(path, timeout=60), range(count)))


def test_a_burst_from_one_address_is_limited_while_a_normal_visitor_is_not(portal):
    answers = _burst("127.0.0.2", f"{portal.proxy_url}/api/3/action/status_show", 150)
    limited = [a for a in answers if a.status_code == 429]
    assert limited, "150 API requests at once were all admitted"
    assert all(a.status_code in (200, 429) for a in answers)
    assert len(answers) - len(limited) >= 40  # the configured burst passes
    refusal = limited[0]
    assert int(refusal.headers["Retry-After"]) > 0
    assert "Quá nhiều yêu cầu" in refusal.text and "Too many requests" in refusal.text
    # searches and logins have zones of their own, limited too
    searches = _burst("127.0.0.3", f"{portal.proxy_url}/dataset?q=y+te", 60)
    assert any(a.status_code == 429 for a in searches)
    logins = _burst("127.0.0.4", f"{portal.proxy_url}/user/login", 12, threads=12)
    assert any(a.status_code == 429 for a in logins)
    # meanwhile a visitor reading a page now and then is never refused
    visitor = client("127.0.0.5")
    for path in ("/", "/dataset", f"/dataset/{_dataset()}", "/api/3/action/status_show",
                 "/user/login", "/dataset?q=y+te"):
        assert visitor.get(f"{portal.proxy_url}{path}", timeout=60).status_code == 200, path
        time.sleep(0.2)
    # and the address that burst is admitted again once its rate allows
    time.sleep(1.0)
    assert client("127.0.0.2").get(f"{portal.proxy_url}/api/3/action/status_show",
                                   timeout=60).status_code == 200


def test_web_assets_come_from_disk_compressed(portal):
    home = anonymous_get(portal, "/").text
    asset = re.search(r'(/webassets/[^"\']+\.css)', home)
    assert asset, "the home page links no web asset"
    answer = client().get(f"{portal.proxy_url}{asset.group(1)}",
                          headers={"Accept-Encoding": "gzip"}, timeout=60)
    assert answer.status_code == 200
    assert answer.headers.get("Content-Encoding") == "gzip"
    assert CACHE not in answer.headers  # served by nginx itself, not proxied
