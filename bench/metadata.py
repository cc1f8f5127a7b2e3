"""Metadata benchmark: N small datasets through `smartcity_api` end to end (dataset + CSV
upload + DataStore table + Solr), then the same harvest again with nothing changed; the
baselines of the same run: CKAN's action API one by one (bench/peer_actions.py) and the
same harvest through one and then two real fetch consumers (bench/consumers.py).

    make bench
    python bench/metadata.py --datasets 500    # inside the `make bench` environment
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402

COMMUNES = ("20194", "20197", "20200", "20209", "20242", "20257", "20260", "20263")
ROWS_PER_DATASET = 20


def records(index: int) -> list[dict[str, Any]]:
    """The rows of table `index`: enterprises by commune and year (deterministic)."""
    return [{"ma_xa": COMMUNES[r % len(COMMUNES)], "nam": 2024 + r % 2,
             "so_doanh_nghiep": 10 + (index * 7 + r * 13) % 400,
             "so_lao_dong": 100 + (index * 11 + r * 17) % 9000}
            for r in range(ROWS_PER_DATASET)]


class Handler(BaseHTTPRequestHandler):
    """A departmental statistics API: GET /t/<index> → {"items": [...]}, tagged with an
    ETag (a hash of the body), as HTTP caches and most API gateways send it."""

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        try:
            index = int(self.path.rsplit("/", 1)[1].split("?")[0])
        except ValueError:
            self.send_error(404)
            return
        body = json.dumps({"items": records(index)}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("ETag", '"' + hashlib.sha256(body).hexdigest()[:20] + '"')
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


def config_for(datasets: int, prefix: str) -> dict[str, Any]:
    return {
        "defaults": {"update_frequency": "annual", "data_classification": "open",
                     "license_id": "cc-by-4.0", "spatial_level": "commune"},
        "datasets": [{
            "name": f"{prefix}-{i:04d}", "dataset_type": "enterprise",
            "title": f"Doanh nghiệp theo xã, bảng {i}", "path": f"/t/{i}",
            "records_path": "items",
            "fields": {"title_en": f"Enterprises by commune, table {i}"},
        } for i in range(datasets)],
    }


def run(datasets: int = 500) -> dict[str, Any]:
    """Boot CKAN, harvest `datasets` tables twice, then the baselines; returns the figures."""
    common.boot()
    common.reset_portal()
    import consumers
    import peer_actions

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        admin, org = common.department()
        url = f"http://127.0.0.1:{server.server_address[1]}/"
        config = config_for(datasets, "doanh-nghiep-bench")
        source = common.make_source(admin, org, name="bench-api", url=url,
                                    source_type="smartcity_api", config=json.dumps(config))
        first, first_s = common.run_job(source["id"])
        if first["stats"].get("added") != datasets:
            raise SystemExit(f"first harvest: {first['stats']} "
                             f"{common.job_errors(first['id'])[:5]}")
        again, again_s = common.run_job(source["id"])
        if again["stats"].get("not modified") != datasets:
            raise SystemExit(f"unchanged re-harvest: {again['stats']}")
        peer = peer_actions.run(admin, [d["name"] for d in config["datasets"]])
        spans = {}
        for count in (1, 2):
            other = common.make_source(
                admin, org, name=f"bench-api-{count}", url=url, source_type="smartcity_api",
                config=json.dumps(config_for(datasets, f"doanh-nghiep-c{count}")))
            spans[count] = consumers.run_job(other["id"], count, datasets)
    finally:
        server.shutdown()
    return {
        "datasets": datasets,
        "first_s": round(first_s, 2),
        "datasets_per_s": round(datasets / first_s, 2),
        "reharvest_s": round(again_s, 2),
        "reharvest_share_of_first": round(again_s / first_s, 3),
        "action_api_s": peer["seconds"],
        "action_api_datasets_per_s": round(datasets / peer["seconds"], 2),
        "ratio_to_action_api": round(peer["seconds"] / first_s, 3),
        "one_consumer_s": spans[1],
        "two_consumers_s": spans[2],
        "two_consumer_speedup": round(spans[1] / spans[2], 3),
        "peak_rss_mb": round(common.peak_rss_mb(), 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--datasets", type=int, default=500)
    args = parser.parse_args()
    print(json.dumps(run(args.datasets), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
