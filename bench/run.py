"""Run every benchmark in one go and print the figures as ratios to baselines measured in
the same run (the machines are shared and noisy; absolute numbers mean little).

    make bench                                   # full size
    make bench BENCH_ARGS="--rows 200000 --datasets 100"   # quicker

Each benchmark runs in its own process, so peak RSS is that benchmark's alone.
Results: bench/results/summary.json (not committed).
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def in_child(code: str) -> dict:
    done = subprocess.run([sys.executable, "-c", code], cwd=HERE.parent,
                          capture_output=True, text=True)
    if done.returncode != 0:
        sys.stderr.write(done.stderr[-4000:])
        raise SystemExit(f"benchmark failed: {code.rsplit(';', 1)[-1].strip()}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--datasets", type=int, default=500)
    args = parser.parse_args()
    prelude = f"import json, sys; sys.path.insert(0, {str(HERE)!r}); "
    ingest = in_child(prelude + f"import ingest; print(json.dumps(ingest.run({args.rows})))")
    privacy = in_child(prelude + "sys.path.insert(0, 'bench/privacy'); import bench_privacy; "
                       f"print(json.dumps(bench_privacy.run({args.rows})))")
    metadata = in_child(prelude + f"import metadata; "
                        f"print(json.dumps(metadata.run({args.datasets})))")
    summary = {
        "ingest": ingest, "privacy": privacy, "metadata": metadata,
        "privacy_to_ingest_ratio": round(privacy["rows_per_s"] / ingest["harvest_rows_per_s"], 2),
    }
    results = HERE / "results"
    results.mkdir(exist_ok=True)
    (results / "summary.json").write_text(json.dumps(summary, indent=2))
    rows = [
        ("ingest: smartcity_sql → DataStore, rows/s", ingest["harvest_rows_per_s"],
         f"{ingest['ratio_to_copy']} × plain COPY ({ingest['copy_rows_per_s']} rows/s)",
         "≥ 0.5 × COPY"),
        ("ingest: peak RSS of the harvesting process", f"{ingest['peak_rss_mb']} MB",
         f"after CKAN boot {ingest['rss_after_boot_mb']} MB", "≤ 300 MB"),
        ("privacy guard (scan + apply), rows/s", privacy["rows_per_s"],
         f"{summary['privacy_to_ingest_ratio']} × ingest rows/s", "≥ 5 × ingest"),
        ("privacy guard peak RSS", f"{privacy['peak_rss_mb']} MB", "streaming", "bounded"),
        ("metadata: first harvest, datasets/s", metadata["datasets_per_s"],
         f"{metadata['datasets']} datasets in {metadata['first_s']} s", "≥ 10 /s"),
        ("metadata: unchanged re-harvest", f"{metadata['reharvest_s']} s",
         f"{metadata['reharvest_share_of_first']} × first harvest", "≤ 0.10 × first"),
    ]
    print(f"| measure ({args.rows} rows × 10 columns; {args.datasets} datasets) | value | "
          "relative to the same-run baseline | target |")
    print("|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(str(c) for c in row) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
