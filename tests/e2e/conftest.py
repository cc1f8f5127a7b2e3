"""End-to-end fixtures: the portal as a separate server, driven only over HTTP and Chromium.

``portal`` (session scope) — started once, on first use, and shared by every test under
tests/e2e/: gunicorn serving config/wsgi.py (2 workers) on a free loopback port, the real
gather/fetch consumers and jobs worker, the demo's departmental systems (seeded PostgreSQL
registries, the health API, the land and education file drops), the sources of
harvesters/*.yaml synced and harvested once. It yields a `tests.e2e.portal.Portal`:

    def test_something(portal):
        portal.url                                   # http://127.0.0.1:PORT
        portal.admin, portal.password                # the sysadmin (log in through the form)
        portal.login()                               # requests.Session logged in as admin
        portal.login("officer", "…")                 # … or as any user
        portal.action("package_search", {"q": "*:*"}, token=None)   # anonymous API call
        portal.action("harvest_source_show", {"id": "so-y-te-api"}) # as the sysadmin (token)
        portal.cli("harvester", "run-test", "so-y-te-api")          # ckan -c <e2e ini> …
        portal.sources                               # harvest source names
        portal.mail                                  # folder of every mail sent (.eml)

``browser`` (function scope) — headless Chromium (Debian's chromium + chromedriver through
Selenium), loopback only, fresh profile; skipped with the reason where Chromium is missing.

Isolation from the in-process tests (which wipe the test database, index and Redis between
tests) and what is rebuilt each session: see tests/e2e/server.py. Logs of every portal
process: .test/e2e/logs/. Tests here must not use CKAN in-process (no `app`, no
`call_action`): only HTTP, the browser and the CLI.
"""
from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterator

import pytest

from .portal import Portal
from .server import PortalError, running_portal

import chromium  # noqa: E402 - tests/chromium.py
from chromium import CHROMEDRIVER, CHROMIUM  # noqa: E402
_STARTED = time.time()


#: the one running portal of this pytest session: tests/security/ imports these fixtures
#: too, and two portals would share (and drop) the same e2e databases
_RUNNING: list[Portal] = []


@pytest.fixture(scope="session")
def portal(request) -> Iterator[Portal]:
    """The running e2e portal (see the module docstring)."""
    if not _RUNNING:
        if not os.environ.get("CKAN_SQLALCHEMY_URL"):
            pytest.fail("the test services' environment is not set: run the tests with "
                        "`make test`")
        stack = contextlib.ExitStack()
        try:
            _RUNNING.append(stack.enter_context(running_portal(dict(os.environ))))
        except PortalError as err:
            stack.close()
            pytest.fail(f"the e2e portal did not start: {err}")
        request.config.add_cleanup(stack.close)  # stopped once, at the session's end
    yield _RUNNING[0]


@pytest.fixture
def browser(tmp_path) -> Iterator[object]:
    """Headless Chromium with a fresh profile (a Selenium WebDriver)."""
    if not chromium.installed():
        pytest.skip(f"{CHROMIUM} / {CHROMEDRIVER} not installed (scripts/services.py "
                    "installs them when run as root)")
    with chromium.headless_chromium(tmp_path / "chromium-profile") as driver:
        yield driver


def pytest_terminal_summary(terminalreporter):
    """Print the crawl figures of this session (tests/e2e/test_crawl.py) after the run."""
    import json

    from .server import STATE

    for path in sorted(STATE.glob("crawl-*.json")):
        if path.stat().st_mtime < _STARTED:
            continue  # written by an earlier session
        figures = json.loads(path.read_text())
        terminalreporter.write_line(
            f"e2e crawl as {figures['role']}: {figures['pages']} pages "
            f"{figures['per_language']} in {figures['seconds']} s; statuses "
            f"{figures['statuses']}; {figures['skipped_destructive']} destructive links skipped")
        shown = sorted(figures["non_200"].items(), key=lambda kv: -kv[1]["status"])
        for page, seen in shown[:25]:
            terminalreporter.write_line(f"    {seen['status']} {page}  (linked from {seen['from']})")
        if len(shown) > 25:
            terminalreporter.write_line(f"    … {len(shown) - 25} more in {path}")
