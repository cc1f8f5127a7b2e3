"""Reachability of every distribution's access and download URL: a periodic job on CKAN's
jobs worker (``ckan smartcity links check`` enqueues one job per dataset; the demo's
scheduler and ``config/systemd/ckan-links-check.timer`` run it like the harvests).

Each URL goes through the network guard (``netguard.session``: allow-list, every redirect
hop re-checked, no proxies): a HEAD request, or a GET that reads at most
``ckanext.smartcity.links.max_bytes`` when the server refuses HEAD. 2xx and 3xx-after-
redirects count as reachable. The result (status, time, last time seen working) is stored
with the dataset and the dataset is scored and re-indexed, so the accessibility points
follow the links.

Decisions: the allow-list is ``ckanext.smartcity.links.allowed_hosts`` when set, else the
harvest allow-list plus the portal's own host (uploads live there); a refused URL is
reported as unreachable with the guard's reason, it is never fetched.
"""
from __future__ import annotations

import datetime as dt
import logging
from dataclasses import asdict
from typing import Any

import requests

from ckanext.smartcity import config as options
from ckanext.smartcity.readers import netguard
from ckanext.smartcity.quality.indicators import LinkStatus

log = logging.getLogger(__name__)


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def allowed_hosts() -> str:
    """The hosts link checks may reach (see the module's decisions)."""
    configured = options.link_allowed_hosts()
    if configured.strip():
        return configured
    return " ".join(part for part in (options.harvest_allowed_hosts(), options.site_host())
                    if part)


def check_url(url: str, hosts: str, *, timeout: float, max_bytes: int,
              previous: LinkStatus | None = None) -> LinkStatus:
    """Check one URL through the guard; never raises."""
    last_ok = previous.last_ok_at if previous else None
    checked = _now()
    try:
        netguard.check_url(url, hosts, schemes=frozenset({"http", "https"}))
        with netguard.session(hosts) as http:
            response = http.head(url, timeout=timeout, allow_redirects=True)
            if response.status_code in (405, 501):
                response = http.get(url, timeout=timeout, allow_redirects=True, stream=True)
                try:
                    read = 0
                    for chunk in response.iter_content(8192):
                        read += len(chunk)
                        if read >= max_bytes:
                            break
                finally:
                    response.close()
    except netguard.Refused as exc:
        return LinkStatus(False, None, checked, last_ok, f"refused: {exc.reason}")
    except requests.Timeout:
        return LinkStatus(False, None, checked, last_ok, f"no answer within {timeout:g} s")
    except requests.RequestException as exc:
        return LinkStatus(False, None, checked, last_ok,
                          f"connection failed: {type(exc).__name__}")
    ok = 200 <= response.status_code < 400
    return LinkStatus(ok, response.status_code, checked, checked if ok else last_ok,
                      "" if ok else f"HTTP {response.status_code}")


def _options() -> tuple[float, int]:
    return options.link_timeout(), options.link_max_bytes()


def check_dataset(package_id: str) -> dict[str, Any]:
    """Check every distribution URL of a dataset, store the results, re-score, re-index.

    The job function run by the worker; returns {url: LinkStatus fields}.
    """
    import ckan.model as model
    import ckan.plugins.toolkit as tk
    from ckan.lib.search import rebuild

    from ckanext.smartcity import quality
    from ckanext.smartcity.dcat.profile import distribution_urls
    from ckanext.smartcity.quality import store

    pkg = tk.get_action("package_show")({"ignore_auth": True}, {"id": package_id})
    hosts = allowed_hosts()
    timeout, max_bytes = _options()
    old = store.links(pkg["id"])
    checks: dict[str, Any] = {}
    for resource in pkg.get("resources") or []:
        for url in distribution_urls(pkg, resource):
            if url and url not in checks:
                previous = LinkStatus(**old[url]) if isinstance(old.get(url), dict) else None
                checks[url] = asdict(check_url(url, hosts, timeout=timeout,
                                               max_bytes=max_bytes, previous=previous))
    store.save_links(pkg["id"], checks)
    quality.refresh(pkg["id"])
    model.Session.commit()
    rebuild(pkg["id"])
    failing = [u for u, c in checks.items() if not c["ok"]]
    log.info("link check of %s: %d URLs, %d failing", pkg["name"], len(checks), len(failing))
    return checks


def datasets_to_check() -> list[str]:
    """Ids of every active dataset that is not a harvest source."""
    import ckan.model as model

    query = (model.Session.query(model.Package.id)
             .filter(model.Package.state == "active")
             .filter(model.Package.type != "harvest"))
    return [row[0] for row in query]


def enqueue_all() -> int:
    """Put one link-check job per dataset on CKAN's jobs queue; how many were queued."""
    import ckan.plugins.toolkit as tk

    ids = datasets_to_check()
    for package_id in ids:
        tk.enqueue_job(check_dataset, [package_id], title=f"smartcity link check {package_id}",
                       rq_kwargs={"timeout": 600})
    return len(ids)
