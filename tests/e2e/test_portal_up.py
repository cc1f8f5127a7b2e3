"""The e2e portal itself: served by gunicorn with several workers, every demo dataset
harvested by the real consumers, nothing refused that should pass."""
from __future__ import annotations

import requests

from . import declared


def test_gunicorn_serves_the_portal_with_two_workers(portal):
    import psutil

    for _ in range(12):  # requests land on whichever worker is free; several show up
        answer = requests.get(f"{portal.url}/api/3/action/status_show", timeout=30)
        assert answer.ok and answer.json()["result"]["site_url"] == portal.url
    bind = "127.0.0.1:" + portal.url.rsplit(":", 1)[1]
    served = [p for p in psutil.process_iter(["cmdline", "ppid"])
              if "gunicorn" in " ".join(p.info["cmdline"] or [])
              and bind in (p.info["cmdline"] or [])]
    pids = {p.pid for p in served}
    masters = [p for p in served if p.info["ppid"] not in pids]
    assert len(masters) == 1, "one gunicorn master bound to the portal's port"
    workers = [p for p in served if p.info["ppid"] == masters[0].pid]
    assert len(workers) >= 2, "gunicorn runs at least two workers"


def test_the_demo_harvest_published_every_declared_table(portal):
    found = portal.action("package_search", {"q": "*:*", "rows": 1000}, token=None,
                          method="GET")
    names = {p["name"] for p in found["results"]}
    assert declared.published() <= names, sorted(declared.published() - names)
    assert not names & declared.MUST_REFUSE
    for name in declared.published():
        package = portal.action("package_show", {"id": name}, token=None, method="GET")
        assert any(r.get("datastore_active") for r in package["resources"]), name
