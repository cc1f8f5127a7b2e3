"""Run every benchmark in one go and print the figures as ratios to baselines measured in
the same run (the machines are shared and noisy; absolute numbers mean little).

    make bench                                   # full size
    make bench BENCH_ARGS="--rows 100000 --datasets 30 --search-datasets 2000"  # quicker

Each benchmark runs in its own process, so peak RSS is that benchmark's alone.
Results: bench/results/summary.json (not committed).
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def in_child(code: str) -> dict:
    done = subprocess.run([sys.executable, "-c", code], cwd=HERE.parent,
                          capture_output=True, text=True)
    if done.returncode != 0:
        sys.stderr.write(done.stderr[-4000:])
        raise SystemExit(f"benchmark failed: {code.rsplit(';', 1)[-1].strip()}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _row(name: str, value: Any, baseline: str, target: str) -> str:
    return f"| {name} | {value} | {baseline} | {target} |"


def table(summary: dict[str, Any], rows: int, datasets: int, search_datasets: int) -> str:
    """The README's performance table, every figure beside its same-run baseline."""
    ingest, metadata, search = summary["ingest"], summary["metadata"], summary["search"]
    privacy = summary["privacy"]
    ps, page, solr = search["package_search"], search["dataset_page"], search["solr_select"]
    uc = search["uncached"]["package_search"]
    so = search["search_only"]["package_search"]
    lines = [
        f"| measure ({rows:,} rows × 10 columns; {datasets} datasets; "
        f"{search_datasets:,} indexed) | value | same-run baseline | target |",
        "|---|---|---|---|",
        _row("ingest ÷ DataStore floor [`ingest.ratio_to_lower_bound`]",
             ingest["ratio_to_lower_bound"],
             f"harvest {ingest['harvest_s']} s ({ingest['harvest_rows_per_s']:,} rows/s); "
             f"floor {ingest['lower_bound_s']} s ({ingest['lower_bound_rows_per_s']:,} rows/s)",
             "≥ 0.8"),
        _row("ingest ÷ ckanext-xloader [`ingest.ratio_to_xloader`]",
             ingest["ratio_to_xloader"],
             f"xloader {ingest['xloader_s']} s ({ingest['xloader_rows_per_s']:,} rows/s)",
             "≥ 2.0"),
        _row("ingest ÷ plain COPY (context) [`ingest.ratio_to_copy`]", ingest["ratio_to_copy"],
             f"COPY {ingest['copy_s']} s ({ingest['copy_rows_per_s']:,} rows/s)", "—"),
        _row("ingest peak RSS [`ingest.peak_rss_mb`]", f"{ingest['peak_rss_mb']} MB",
             f"after CKAN boot {ingest['rss_after_boot_mb']} MB", "≤ 300 MB"),
        _row("metadata harvest ÷ action API one by one [`metadata.ratio_to_action_api`]",
             metadata["ratio_to_action_api"],
             f"harvest {metadata['datasets_per_s']} datasets/s ({metadata['first_s']} s); "
             f"action API {metadata['action_api_datasets_per_s']} datasets/s "
             f"({metadata['action_api_s']} s)", "≥ 2.0"),
        _row("unchanged re-harvest ÷ first [`metadata.reharvest_share_of_first`]",
             metadata["reharvest_share_of_first"],
             f"re-harvest {metadata['reharvest_s']} s; first {metadata['first_s']} s",
             "≤ 0.05"),
        _row("two fetch consumers ÷ one [`metadata.two_consumer_speedup`]",
             metadata["two_consumer_speedup"],
             f"one {metadata['one_consumer_s']} s; two {metadata['two_consumers_s']} s",
             "≥ 1.5"),
        _row("privacy guard ÷ ingest [`privacy_to_ingest_ratio`]",
             summary["privacy_to_ingest_ratio"],
             f"guard {privacy['rows_per_s']:,} rows/s; ingest "
             f"{ingest['harvest_rows_per_s']:,} rows/s", "≥ 5"),
        _row("privacy guard on microdata ÷ ingest [`microdata_to_ingest_ratio`]",
             summary["microdata_to_ingest_ratio"],
             f"guard with the k-anonymity check {privacy['microdata']['rows_per_s']:,} rows/s "
             f"(same rows, check off: {privacy['microdata']['baseline_rows_per_s']:,} rows/s; "
             f"{privacy['microdata']['classes']:,} classes); ingest "
             f"{ingest['harvest_rows_per_s']:,} rows/s", "≥ 5"),
        _row("package_search p95 ÷ raw Solr select p95 [`search.p95_ratio_to_solr`]",
             search["p95_ratio_to_solr"],
             f"package_search p50/p95/p99 {ps['p50_ms']}/{ps['p95_ms']}/{ps['p99_ms']} ms, "
             f"{search['requests_per_s']} req/s (gunicorn ×{search['gunicorn_workers']}, "
             f"{search['clients']} clients); Solr {solr['p50_ms']}/{solr['p95_ms']}/"
             f"{solr['p99_ms']} ms, {search['solr_requests_per_s']} req/s; "
             f"{search['cache_hit_share']:.0%} answered by the search cache", "≤ 3.0"),
        _row("the same with the search cache off [`search.uncached.p95_ratio_to_solr`]",
             search["uncached"]["p95_ratio_to_solr"],
             f"package_search p50/p95/p99 {uc['p50_ms']}/{uc['p95_ms']}/{uc['p99_ms']} ms, "
             f"{search['uncached']['requests_per_s']} req/s", "context"),
        _row("the same searches without the dataset pages [`search.search_only.p95_ratio_to_solr`]",
             search["search_only"]["p95_ratio_to_solr"],
             f"package_search p50/p95/p99 {so['p50_ms']}/{so['p95_ms']}/{so['p99_ms']} ms, "
             f"{search['search_only']['requests_per_s']} req/s", "context"),
        _row("dataset page p95 under the same load [`search.page_p95_ms`]",
             f"{search['page_p95_ms']} ms",
             f"p50/p99 {page.get('p50_ms')}/{page.get('p99_ms')} ms", "report"),
    ]
    if "proxy" in search:
        pr = search["proxy"]
        lines.append(_row("anonymous throughput through nginx ÷ gunicorn alone "
                          "[`search.proxy_throughput_ratio`]", search["proxy_throughput_ratio"],
                          f"nginx {pr['proxy']['requests_per_s']} req/s; gunicorn alone "
                          f"{pr['gunicorn_alone']['requests_per_s']} req/s ({pr['clients']} "
                          "clients: home, search page, dataset page, API search, API show)",
                          "≥ 5"))
        lines.append(_row("dataset page p95 through nginx [`search.proxy.dataset_page_p95_ms`]",
                          f"{pr['dataset_page_p95_ms']} ms", "gunicorn alone "
                          f"{pr['gunicorn_alone']['dataset_page'].get('p95_ms')} ms", "≤ 50 ms"))
    if "reload_read_pause_ms" in ingest:
        lines.append(_row("longest datastore_search pause during a reload "
                          "[`ingest.reload_read_pause_ms`]",
                          f"{ingest['reload_read_pause_ms']} ms", "—", "report (< 1,000)"))
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--datasets", type=int, default=500)
    parser.add_argument("--search-datasets", type=int, default=10_000)
    parser.add_argument("--search-requests", type=int, default=2000)
    args = parser.parse_args()
    prelude = f"import json, sys; sys.path.insert(0, {str(HERE)!r}); "
    ingest = in_child(prelude + f"import ingest; print(json.dumps(ingest.run({args.rows})))")
    privacy = in_child(prelude + "sys.path.insert(0, 'bench/privacy'); import bench_privacy; "
                       f"print(json.dumps(bench_privacy.run({args.rows})))")
    metadata = in_child(prelude + f"import metadata; "
                        f"print(json.dumps(metadata.run({args.datasets})))")
    search = in_child(prelude + "import search; print(json.dumps(search.run("
                      f"{args.search_datasets}, {args.search_requests})))")
    # anonymous visitors through nginx vs gunicorn alone (bench/proxied.py)
    search["proxy"] = in_child(prelude + "import proxied; print(json.dumps(proxied.run("
                               f"{min(args.search_datasets, 2000)}, 3000)))")
    search["proxy_throughput_ratio"] = search["proxy"]["proxy_throughput_ratio"]
    summary = {
        "ingest": ingest, "privacy": privacy, "metadata": metadata, "search": search,
        "privacy_to_ingest_ratio": round(privacy["rows_per_s"] / ingest["harvest_rows_per_s"], 2),
        "microdata_to_ingest_ratio": round(privacy["microdata"]["rows_per_s"]
                                           / ingest["harvest_rows_per_s"], 2),
    }
    results = HERE / "results"
    results.mkdir(exist_ok=True)
    (results / "summary.json").write_text(json.dumps(summary, indent=2))
    print(table(summary, args.rows, args.datasets, args.search_datasets))
    print("\nper-stage ingest seconds:", json.dumps(ingest["harvest_stages"]))
    print("floor stages:", json.dumps(ingest["lower_bound_stages"]),
          "with SET LOCAL maintenance_work_mem = 512MB:",
          json.dumps(ingest["lower_bound_maintenance_work_mem_512mb"]))
    print("xloader stages:", json.dumps(ingest["xloader_stages"]))
    print("EXPLAIN (ANALYZE, BUFFERS, WAL) of the floor's INSERT … SELECT:\n"
          + ingest["explain_insert_full_text"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
