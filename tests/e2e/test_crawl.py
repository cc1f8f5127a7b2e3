"""Every page a visitor or a sysadmin can reach by following links answers below 500, in
Vietnamese and English: every dataset, resource, harvest source, department and pillar.

Figures (pages per role and language, every non-200 answer and where its link was) are
written to .test/e2e/crawl-<role>.json and printed at the end of the test run.
"""
from __future__ import annotations

import json
import re
import urllib.parse

import pytest

from . import declared
from .crawler import Crawl, crawl
from .server import STATE

START = ["/", "/dataset/", "/organization/", "/group/", "/harvest/"]
SEEDS = START + ["/en" + p for p in START]
ROLES = ("anonymous", "sysadmin")


class _Crawls(dict):
    """One crawl per role, made on first use (so each test's setup stays short) and kept."""

    def __init__(self, portal) -> None:
        super().__init__()
        self.portal = portal

    def __missing__(self, role: str) -> Crawl:
        session = self.portal.login() if role == "sysadmin" else self.portal.session()
        # API links: checked by the anonymous crawl and the journeys (saves a third of the time)
        skip = re.compile(r"^(/en)?/api/") if role == "sysadmin" else None
        result = self[role] = crawl(session, self.portal.url, SEEDS, role, skip=skip)
        (STATE / f"crawl-{role}.json").write_text(
            json.dumps(result.figures(), ensure_ascii=False, indent=1))
        return result


@pytest.fixture(scope="module")
def crawls(portal) -> _Crawls:
    """Crawls by role (the sysadmin logged in through the login form)."""
    return _Crawls(portal)


def _dataset_pages(portal) -> set[str]:
    """Path prefixes of every dataset's own pages (`/<type>/<name>` and `/dataset/<name>`)."""
    found = portal.action("package_search", {"q": "*:*", "rows": 1000,
                                             "include_private": True})["results"]
    return {f"/{t}/{p['name']}" for p in found for t in (p["type"], "dataset")}


def _on_dataset_page(path: str, prefixes: set[str]) -> bool:
    bare = urllib.parse.urlsplit(path).path
    bare = bare[3:] if bare.startswith("/en/") else bare
    return any(bare == p or bare.startswith(p + "/") or bare.startswith(p + ".")
               for p in prefixes)


@pytest.mark.parametrize("role", ROLES)
def test_no_server_error_outside_dataset_pages(portal, crawls, role):
    prefixes = _dataset_pages(portal)
    errors = {p: s for p, s in crawls[role].server_errors().items()
              if not _on_dataset_page(p, prefixes)}
    assert not errors, {p: (s, crawls[role].referrer.get(p)) for p, s in errors.items()}


@pytest.mark.parametrize("role", ROLES)
def test_no_server_error_on_dataset_pages(portal, crawls, role):
    prefixes = _dataset_pages(portal)
    errors = {p: s for p, s in crawls[role].server_errors().items()
              if _on_dataset_page(p, prefixes)}
    assert not errors, errors


def _missing(visited: set[str], pages: set[str]) -> list[str]:
    return sorted(lang + p for p in pages for lang in ("", "/en") if lang + p not in visited)


@pytest.mark.parametrize("role", ROLES)
def test_crawl_reaches_every_dataset_department_pillar_and_source_in_both_languages(
        portal, crawls, role):
    result = crawls[role]
    assert not result.truncated, f"crawl bounds hit: {result.figures()['pages']} pages"
    pages = set()
    for name in declared.published():
        pages.add(f"/{portal.action('package_show', {'id': name})['type']}/{name}")
    pages |= {f"/organization/{n}" for n in portal.action("organization_list", {})}
    pages |= {f"/group/{n}" for n in portal.action("group_list", {})}
    pages |= {f"/harvest/{n}" for n in portal.sources}
    assert not _missing(result.paths(), pages)


@pytest.mark.parametrize("role", ROLES)
def test_crawl_reaches_every_resource_page_in_both_languages(portal, crawls, role):
    pages = set()
    for name in declared.published():
        package = portal.action("package_show", {"id": name})
        pages |= {f"/{package['type']}/{name}/resource/{r['id']}" for r in package["resources"]}
    assert not _missing(crawls[role].paths(), pages)
