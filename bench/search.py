"""Search benchmark: the portal under gunicorn (config/gunicorn.conf.py, 2 workers) with 10,000
datasets in the index, 16 concurrent clients, a mix of text + facet + fq queries through
``package_search`` over HTTP and dataset pages; the baseline of the same run is raw Solr
``select`` with exactly the parameters CKAN sent to Solr for the same queries, by the
same 16 clients.

The datasets: a few harvested for real (in the database, with pages), the rest their
variants (new id, name, title, communes, VSIC sections) indexed in bulk through CKAN's
own indexer (``index_package``, the plugin's ``before_dataset_index`` included) — search
results come from the index alone, so these answer ``package_search`` like real ones.

The portal phase runs twice: as configured (anonymous API searches answered from the
search cache when the same query was answered since the last index change,
ckanext/smartcity/search/cache.py) and with the cache off (``uncached``); on the
configured portal the same searches are then sent again without the dataset pages
(``search_only``, context: what the pages' share of the two workers costs the searches).

Bounded: every phase stops after its request count or its time limit, loopback only.

    make bench
    python bench/search.py --datasets 10000 --requests 2000   # inside `make bench`'s env
"""
from __future__ import annotations

import argparse
import copy
import http.client
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import uuid
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402

CLIENTS = 16
WORKERS = 2
PHASE_LIMIT_S = 300.0
REAL_DATASETS = 20
FACETS = ["dataset_type", "organization", "groups", "update_frequency", "admin_units",
          "years", "vsic_sections"]
COMMUNES = ("20194", "20197", "20200", "20209", "20242", "20257", "20260", "20263")
SECTIONS = tuple("ABCDEFGHIJKLMNOPQRS")
WORDS = ("doanh nghiệp", "lao động", "xã", "Enterprises", "vốn", "ngành", "đăng ký",
         "Hải Châu", "Sơn Trà", "commune")


def queries() -> list[dict[str, Any]]:
    """The mix: text, facet-only, fq, and text + fq + facets (package_search params)."""
    mix: list[dict[str, Any]] = []
    for word in WORDS:
        mix.append({"q": word, "rows": 20})
        mix.append({"q": word, "rows": 20, "facet.field": json.dumps(FACETS)})
    for commune in COMMUNES[:4]:
        mix.append({"fq": f"admin_units:{commune}", "rows": 20,
                    "facet.field": json.dumps(FACETS)})
    for section in SECTIONS[:4]:
        mix.append({"q": "doanh nghiệp", "fq": f"vsic_sections:{section}", "rows": 20,
                    "facet.field": json.dumps(FACETS)})
    mix.append({"q": "*:*", "rows": 20, "facet.field": json.dumps(FACETS),
                "sort": "metadata_modified desc"})
    mix.append({"fq": "organization:so-tai-chinh", "q": "bảng", "rows": 20})
    return mix


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _variant(pkg: dict[str, Any], number: int, package_id: str) -> dict[str, Any]:
    pkg = copy.deepcopy(pkg)
    pkg["id"] = package_id
    pkg["name"] = f"{pkg['name'][:60]}-v{number:05d}"
    pkg["title"] = f"{pkg['title']} — {WORDS[number % len(WORDS)]} {number}"
    pkg["admin_units"] = [COMMUNES[number % len(COMMUNES)],
                          COMMUNES[(number * 3) % len(COMMUNES)]]
    pkg["vsic_sections"] = [SECTIONS[number % len(SECTIONS)]]
    for resource in pkg.get("resources", []):
        resource["id"] = str(uuid.uuid5(uuid.NAMESPACE_URL, package_id + resource["id"]))
        resource["package_id"] = package_id
    return pkg


class _Collector:
    """Stands in for the Solr connection of ``index_package`` so the documents it
    builds are sent in bulk (500 a request) rather than one HTTP request each."""

    def __init__(self) -> None:
        self.docs: list[dict[str, Any]] = []

    def add(self, docs: list[dict[str, Any]], commit: bool = False, **_: Any) -> None:
        self.docs.extend(docs)


def _variants(names: list[str], count: int) -> None:
    """Index ``count`` variants of the harvested datasets: documents built by CKAN's
    indexer (both schema views, as CKAN's own index update passes them, and the
    plugins' ``before_dataset_index``), sent to Solr in bulk."""
    from ckan.lib.search import commit, common as search_common
    from ckan.lib.search import index as search_index
    from ckan.logic import package_show_default_and_custom_schemas

    base = [package_show_default_and_custom_schemas({"ignore_auth": True}, name)
            for name in names]
    index = search_index.PackageSearchIndex()
    collector = _Collector()
    real = search_index.make_connection
    search_index.make_connection = lambda *a, **k: collector
    try:
        for number in range(count):
            default, custom = base[number % len(base)]
            package_id = str(uuid.uuid4())
            pkg = _variant(default, number, package_id)
            pkg["with_custom_schema"] = _variant(custom, number, package_id)
            index.index_package(pkg, defer_commit=True)
    finally:
        search_index.make_connection = real
    solr = search_common.make_connection()
    for start in range(0, len(collector.docs), 500):
        solr.add(docs=collector.docs[start:start + 500], commit=False)
    commit()


def _solr_params(mix: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], dict[str, float]]:
    """What CKAN sends to Solr for each query of the mix (recorded from pysolr's call),
    and where the time of one in-process ``package_search`` goes (one client, median
    over the mix, ms): the action in all, Solr's answer, the smartcity plugin's
    ``before_dataset_search``/``after_dataset_search`` (facet labelling)."""
    import pysolr
    from ckan.tests import helpers
    from ckanext.smartcity.search import index as plugin_search

    sent: list[dict[str, Any]] = []
    spent: dict[str, float] = {}
    real = (pysolr.Solr.search, plugin_search.before_dataset_search,
            plugin_search.after_dataset_search)

    def timed(label: str, function: Any) -> Any:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent[label] = spent.get(label, 0.0) + time.perf_counter() - started
        return wrapper

    def recording(self: Any, q: str, search_handler: str | None = None, **kwargs: Any) -> Any:
        sent.append(dict(kwargs, q=q))
        return real[0](self, q, search_handler=search_handler, **kwargs)

    pysolr.Solr.search = timed("solr_ms", recording)
    plugin_search.before_dataset_search = timed("plugin_before_ms", real[1])
    plugin_search.after_dataset_search = timed("plugin_after_ms", real[2])
    samples: dict[str, list[float]] = {}
    try:
        for rounds in range(2):  # the first round warms caches; the second is kept
            sent.clear()
            for params in mix:
                spent.clear()
                started = time.perf_counter()
                helpers.call_action("package_search", {"ignore_auth": True}, **params)
                spent["action_ms"] = time.perf_counter() - started
                if rounds:
                    for label, seconds in spent.items():
                        samples.setdefault(label, []).append(seconds * 1000)
    finally:
        (pysolr.Solr.search, plugin_search.before_dataset_search,
         plugin_search.after_dataset_search) = real
    if len(sent) != len(mix):
        raise SystemExit(f"recorded {len(sent)} Solr queries for {len(mix)} searches")
    profile = {label: round(statistics.median(values), 1) for label, values in samples.items()}
    return sent, profile


def _serve(port: int, ini: Path) -> subprocess.Popen:
    """The portal as served in production: gunicorn with config/gunicorn.conf.py."""
    log = open(common.ROOT / "bench" / "results" / "gunicorn.log", "w")
    env = dict(os.environ, CKAN_INI=str(ini),
               SMARTCITY_WEB_WORKERS=str(WORKERS))
    proc = subprocess.Popen(
        [str(Path(sys.executable).with_name("gunicorn")), "-c",
         str(common.ROOT / "config" / "gunicorn.conf.py"), "--bind", f"127.0.0.1:{port}"],
        stdout=log, stderr=log, env=env, start_new_session=True)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit("gunicorn exited; see bench/results/gunicorn.log")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/api/3/action/status_show")
            answer = conn.getresponse()
            answer.read()
            if answer.status == 200:
                # every worker boots CKAN on its own; warm both before measuring
                for _ in range(4 * WORKERS):
                    conn.request("GET", "/api/3/action/package_search?rows=1")
                    conn.getresponse().read()
                return proc
        except OSError:
            pass
        time.sleep(1)
    raise SystemExit("gunicorn did not answer within 180 s")


def _stop(proc: subprocess.Popen) -> None:
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def _load(port: int, requests: list[tuple[str, str, str, bytes | None]], limit_s: float,
          clients: int = CLIENTS) -> tuple[dict[str, list[float]], float, int]:
    """Send ``requests`` (kind, method, path, body) from ``clients`` threads, keep-alive,
    each once, stopping at ``limit_s``; latencies in ms by kind, seconds, errors.
    ``latencies["cache_hit"]`` holds those of the answers the search cache sent."""
    lock = threading.Lock()
    position = 0
    latencies: dict[str, list[float]] = {}
    errors = 0
    from ckanext.smartcity.search.cache import HEADER
    deadline = time.monotonic() + limit_s

    def client() -> None:
        nonlocal position, errors
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while time.monotonic() < deadline:
            with lock:
                if position >= len(requests):
                    return
                kind, method, path, body = requests[position]
                position += 1
            headers = {"Content-Type": "application/x-www-form-urlencoded"} if body else {}
            started = time.perf_counter()
            try:
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
                response.read()
                ok = response.status == 200
                hit = response.getheader(HEADER) == "hit"
            except OSError:
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                ok = False
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                if ok:
                    latencies.setdefault(kind, []).append(elapsed)
                    if hit:
                        latencies.setdefault("cache_hit", []).append(elapsed)
                else:
                    errors += 1

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, time.perf_counter() - started, errors


def _percentiles(values: list[float]) -> dict[str, float]:
    if len(values) < 2:
        return {"n": len(values)}
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return {"n": len(values), "p50_ms": round(cuts[49], 1), "p95_ms": round(cuts[94], 1),
            "p99_ms": round(cuts[98], 1)}


def populate(datasets: int) -> tuple[list[str], float, int]:
    """An empty portal with REAL_DATASETS harvested datasets and their indexed variants up
    to ``datasets``: (the real datasets' names, seconds to index the variants, count)."""
    common.boot()
    common.reset_portal()
    import metadata
    from ckan.tests import helpers

    server = ThreadingHTTPServer(("127.0.0.1", 0), metadata.Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        admin, org = common.department()
        source = common.make_source(
            admin, org, name="bench-search", source_type="smartcity_api",
            url=f"http://127.0.0.1:{server.server_address[1]}/",
            config=json.dumps(metadata.config_for(REAL_DATASETS, "doanh-nghiep-tim")))
        job, _ = common.run_job(source["id"])
        if job["stats"].get("added") != REAL_DATASETS:
            raise SystemExit(f"search bench harvest: {job['stats']}")
    finally:
        server.shutdown()
    names = [f"doanh-nghiep-tim-{i:04d}" for i in range(REAL_DATASETS)]
    started = time.perf_counter()
    _variants(names, datasets - REAL_DATASETS)
    index_s = time.perf_counter() - started
    count = helpers.call_action("package_search", {"ignore_auth": True}, rows=0)["count"]
    if count < datasets:
        raise SystemExit(f"{count} datasets searchable, expected {datasets}")
    return names, index_s, count


def run(datasets: int = 10_000, requests: int = 2000) -> dict[str, Any]:
    """Boot CKAN, fill the index, measure both phases; returns the figures."""
    from ckan.plugins import toolkit as tk

    names, index_s, count = populate(datasets)
    mix = queries()
    solr = urllib.parse.urlsplit(tk.config["solr_url"])
    solr_params, profile = _solr_params(mix)
    portal: list[tuple[str, str, str, bytes | None]] = []
    raw: list[tuple[str, str, str, bytes | None]] = []
    for number in range(requests):
        params = mix[number % len(mix)]
        portal.append(("package_search", "GET", "/api/3/action/package_search?"
                       + urllib.parse.urlencode(params), None))
        if number % 4 == 3:  # a dataset page for every four searches, under the same load
            portal.append(("dataset_page", "GET", f"/dataset/{names[number % len(names)]}",
                           None))
        body = dict(solr_params[number % len(mix)], wt="json")
        raw.append(("solr_select", "POST", f"{solr.path}/select",
                    urllib.parse.urlencode(body, doseq=True).encode()))

    raw_lat, raw_s, raw_errors = _load(solr.port or 80, raw, PHASE_LIMIT_S)
    # the portal as configured (search cache on), then the same load with the cache off
    phases = {}
    for name, ini in (("portal", common.bench_ini()),
                      ("uncached", common.bench_ini("bench-uncached", **{
                          "ckanext.smartcity.search_cache.ttl": "0"}))):
        port = _free_port()
        proc = _serve(port, ini)
        try:
            phases[name] = _load(port, portal, PHASE_LIMIT_S)
            if name == "portal":  # context: the same searches without the dataset pages
                phases["search_only"] = _load(
                    port, [r for r in portal if r[0] == "package_search"], PHASE_LIMIT_S)
        finally:
            _stop(proc)
    portal_lat, portal_s, portal_errors = phases["portal"]
    uncached_lat, uncached_s, uncached_errors = phases["uncached"]
    only_lat, only_s, only_errors = phases["search_only"]
    if portal_errors or raw_errors or uncached_errors or only_errors:
        raise SystemExit(f"errors: portal {portal_errors}, uncached {uncached_errors}, "
                         f"solr {raw_errors}; see bench/results/gunicorn.log")
    search = _percentiles(portal_lat.get("package_search", []))
    page = _percentiles(portal_lat.get("dataset_page", []))
    select = _percentiles(raw_lat.get("solr_select", []))
    uncached = _percentiles(uncached_lat.get("package_search", []))
    only = _percentiles(only_lat.get("package_search", []))
    done = sum(len(v) for k, v in portal_lat.items() if k != "cache_hit")
    return {
        "datasets": count, "clients": CLIENTS, "gunicorn_workers": WORKERS,
        "index_variants_s": round(index_s, 1),
        "package_search": search, "dataset_page": page, "solr_select": select,
        "requests_per_s": round(done / portal_s, 1),
        "solr_requests_per_s": round(sum(len(v) for v in raw_lat.values()) / raw_s, 1),
        "p95_ratio_to_solr": round(search["p95_ms"] / select["p95_ms"], 2),
        "cache_hit_share": round(len(portal_lat.get("cache_hit", [])) / search["n"], 3),
        "uncached": {
            "package_search": uncached,
            "dataset_page": _percentiles(uncached_lat.get("dataset_page", [])),
            "requests_per_s": round(sum(len(v) for v in uncached_lat.values())
                                    / uncached_s, 1),
            "p95_ratio_to_solr": round(uncached["p95_ms"] / select["p95_ms"], 2)},
        "search_only": {
            "package_search": only,
            "requests_per_s": round(len(only_lat.get("package_search", [])) / only_s, 1),
            "p95_ratio_to_solr": round(only["p95_ms"] / select["p95_ms"], 2)},
        "page_p95_ms": page.get("p95_ms"),
        "one_request_in_process_ms": profile,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--datasets", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=2000)
    args = parser.parse_args()
    print(json.dumps(run(args.datasets, args.requests), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
