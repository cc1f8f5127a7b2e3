"""Proxy benchmark: anonymous visitors through nginx (config/nginx/, page cache) against
gunicorn alone (config/gunicorn.conf.py, 2 workers), the same request mix, same run.

The portal: the search benchmark's datasets (search.populate). The mix, in turn: the home
page, a dataset search page, a dataset page, an API ``package_search`` and an API
``package_show`` — a few dozen distinct URLs, as the anonymous public asks them. 50
concurrent clients (keep-alive), each phase bounded by its request count and 60 s,
loopback only. gunicorn alone runs first (it warms Solr and the OS caches for both), then
the same gunicorn behind nginx with the rate limits raised out of the way (one address
sends everything here).

    python bench/proxied.py --datasets 2000 --requests 3000   # inside `make bench`'s env
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402
import search  # noqa: E402


def _scripts_proxy() -> Any:
    """scripts/proxy.py (nginx's config and command)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "smartcity_scripts_proxy", common.ROOT / "scripts" / "proxy.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module

CLIENTS = 50
LIMIT_S = 60.0
UNLIMITED = {f"ckanext.smartcity.proxy.{kind}_{what}": "100000"
             for kind in ("api", "search", "login") for what in ("rate", "burst")}


def mix(names: list[str], count: int) -> list[tuple[str, str, str, bytes | None]]:
    queries = search.queries()
    out: list[tuple[str, str, str, bytes | None]] = []
    for number in range(count):
        name = names[number % len(names)]
        query = queries[number % len(queries)]
        kind = ("home", "search_page", "dataset_page", "api_search", "api_show")[number % 5]
        path = {"home": "/",
                "search_page": "/dataset?" + urllib.parse.urlencode({"q": query.get("q", "")}),
                "dataset_page": f"/dataset/{name}",
                "api_search": "/api/3/action/package_search?" + urllib.parse.urlencode(query),
                "api_show": f"/api/3/action/package_show?id={name}"}[kind]
        out.append((kind, "GET", path, None))
    return out


def _figures(latencies: dict[str, list[float]], seconds: float, errors: int) -> dict[str, Any]:
    done = sum(len(v) for k, v in latencies.items() if k != "cache_hit")
    return {"requests": done, "errors": errors, "seconds": round(seconds, 1),
            "requests_per_s": round(done / seconds, 1),
            **{kind: search._percentiles(values) for kind, values in latencies.items()
               if kind != "cache_hit"}}


def _wait(port: int) -> None:
    import http.client
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/api/3/action/status_show")
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit("nginx did not answer within 60 s")


def run(datasets: int = 2000, requests: int = 3000) -> dict[str, Any]:
    names, _, _ = search.populate(datasets)
    load = mix(names, requests)
    ini = common.bench_ini("bench-proxy", **UNLIMITED)
    port = search._free_port()
    web = search._serve(port, ini)
    nginx = None
    try:
        alone = _figures(*search._load(port, load, LIMIT_S, clients=CLIENTS))
        proxy_port = search._free_port()
        prefix = common.ROOT / "bench" / "results" / "nginx"
        subprocess.run(["rm", "-rf", str(prefix / "cache")], check=True)
        argv = _scripts_proxy().prepare(prefix, ini, dict(os.environ),
                                        f"127.0.0.1:{proxy_port}", f"127.0.0.1:{port}",
                                        ckan=Path(sys.executable).with_name("ckan"))
        nginx = subprocess.Popen(argv, start_new_session=True, stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL)
        _wait(proxy_port)
        proxied = _figures(*search._load(proxy_port, load, LIMIT_S, clients=CLIENTS))
    finally:
        if nginx is not None:
            nginx.terminate()
            nginx.wait(timeout=30)
        search._stop(web)
    if alone["errors"] or proxied["errors"]:
        raise SystemExit(f"errors: gunicorn alone {alone['errors']}, "
                         f"proxy {proxied['errors']}")
    return {"clients": CLIENTS, "datasets": datasets, "gunicorn_alone": alone,
            "proxy": proxied,
            "proxy_throughput_ratio": round(proxied["requests_per_s"]
                                            / alone["requests_per_s"], 2),
            "dataset_page_p95_ms": proxied["dataset_page"].get("p95_ms")}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--datasets", type=int, default=2000)
    parser.add_argument("--requests", type=int, default=3000)
    args = parser.parse_args()
    print(json.dumps(run(args.datasets, args.requests), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
