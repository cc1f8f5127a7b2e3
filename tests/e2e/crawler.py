"""A bounded crawler: follow every same-site link breadth-first, record each answer.

Destructive links (delete, clear, abort, purge, logout, reharvest, …) are never followed,
so a crawl as a sysadmin changes nothing. Bounds: pages, seconds, and at most
`max_variants` query strings per path (facet and sort links multiply without end; the
pages they lead to are the same template).
"""
from __future__ import annotations

import concurrent.futures
import re
import time
import urllib.parse
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser

import requests

DESTRUCTIVE = re.compile(
    r"/[^/?]*(delete|clear|abort|purge|trash|logout|refresh|reharvest|reset|revoke|"
    r"regenerate|follow|bulk_process)[^/?]*(/|$|\?)|/job/new|[?&]action=", re.I)
# Whole-table downloads are checked by the researcher journey (CSV = DataStore), not here.
DOWNLOADS = re.compile(r"/download/|^/datastore/dump/")
STATIC = re.compile(r"^/(webassets|base)/|\.(css|js|png|jpe?g|svg|ico"
                    r"|woff2?|ttf|map)$", re.I)


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def language(path: str) -> str:
    """``en`` for pages under /en/, ``vi`` (the default locale) otherwise."""
    return "en" if path == "/en" or path.startswith("/en/") else "vi"


@dataclass
class Crawl:
    """What one crawl saw: status per visited path (with query), and where links came from."""

    role: str
    status: dict[str, int] = field(default_factory=dict)
    referrer: dict[str, str] = field(default_factory=dict)
    skipped_destructive: set[str] = field(default_factory=set)
    seconds: float = 0.0
    truncated: bool = False

    def paths(self) -> set[str]:
        """Visited paths without query strings."""
        return {urllib.parse.urlsplit(p).path for p in self.status}

    def server_errors(self) -> dict[str, int]:
        return {p: s for p, s in self.status.items() if s >= 500}

    def figures(self) -> dict[str, object]:
        """Pages per language, status counts, every non-200 answer with its referrer."""
        per_lang: Counter[str] = Counter(language(urllib.parse.urlsplit(p).path)
                                         for p in self.status)
        return {"role": self.role, "pages": len(self.status), "per_language": dict(per_lang),
                "statuses": dict(Counter(str(s) for s in self.status.values())),
                "non_200": {p: {"status": s, "from": self.referrer.get(p, "")}
                            for p, s in sorted(self.status.items()) if s != 200},
                "skipped_destructive": len(self.skipped_destructive),
                "seconds": round(self.seconds, 1), "truncated": self.truncated}


def crawl(session: requests.Session, base: str, seeds: list[str], role: str, *,
          max_pages: int = 2500, max_seconds: float = 420, max_variants: int = 1,
          workers: int = 3, skip: re.Pattern[str] | None = None) -> Crawl:
    """Breadth-first from ``seeds`` (paths), same host only, GET without redirects;
    paths matching ``skip`` are not visited."""
    site = urllib.parse.urlsplit(base).netloc
    result = Crawl(role)
    variants: dict[str, set[str]] = defaultdict(set)
    seen: set[str] = set()
    frontier: list[str] = []

    def admit(target: str, source: str) -> None:
        parts = urllib.parse.urlsplit(urllib.parse.urljoin(base + source, target))
        if parts.scheme not in ("http", "https") or parts.netloc != site:
            return
        path = parts.path or "/"
        key = path + ("?" + parts.query if parts.query else "")
        if key in seen or STATIC.search(path) or DOWNLOADS.search(path):
            return
        if skip is not None and skip.search(path):
            return
        if DESTRUCTIVE.search(key):
            result.skipped_destructive.add(key)
            return
        if parts.query:
            if len(variants[path]) >= max_variants:
                return
            variants[path].add(parts.query)
        seen.add(key)
        result.referrer[key] = source
        frontier.append(key)

    def fetch(key: str) -> tuple[str, int, list[str]]:
        try:
            answer = session.get(base + key, timeout=120, allow_redirects=False, stream=True)
        except requests.RequestException:
            return key, 599, []  # no answer at all counts as a server failure
        links: list[str] = []
        if answer.status_code in (301, 302, 303, 307, 308) and answer.headers.get("Location"):
            links = [answer.headers["Location"]]
        elif "text/html" in answer.headers.get("Content-Type", ""):
            parser = _Links()
            parser.feed(answer.text)
            links = parser.hrefs
        answer.close()
        return key, answer.status_code, links

    started = time.monotonic()
    for seed in seeds:
        admit(seed, "/")
    with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as pool:
        while frontier:
            if len(result.status) >= max_pages or time.monotonic() - started > max_seconds:
                result.truncated = True
                break
            batch = frontier[: min(60, max_pages - len(result.status))]
            del frontier[: len(batch)]
            for key, status, links in pool.map(fetch, batch):
                result.status[key] = status
                for link in links:
                    admit(link, key)
    result.seconds = time.monotonic() - started
    return result
