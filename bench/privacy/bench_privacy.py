"""Throughput of the privacy guard (scan + apply) on realistic aggregate data.

    .venv/bin/python bench/privacy/bench_privacy.py --rows 1000000

Rows are generated deterministically and streamed in batches (never all in memory):
commune code, commune name (text that is not personal), year, sex, age group, four counts
(with many small cells so suppression has work to do), a rate. The same generator is iterated
once on its own as the baseline, so the guard's cost shows as a ratio. ``run(rows)`` is
importable so the DataStore ingest benchmark can report the guard relative to ingest.
Times are CPU seconds of this process (``time.process_time``; the guard is single-threaded),
so that other work on a shared machine does not distort the ratios; wall-clock seconds are
reported alongside. Writes ``bench/results/privacy.json``.

``microdata``: the guard on ``rows`` rows of one-row-per-person microdata (the k-anonymity
count over age, sex, commune, occupation and ethnicity on top of every other detector),
beside the same rows with the microdata check off (same run).
"""
from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import time
from pathlib import Path
from typing import Iterator

from ckanext.smartcity.privacy import Guard, Policy

ROOT = Path(__file__).resolve().parents[2]
RESULT = ROOT / "bench" / "results" / "privacy.json"
COLUMNS = ["ma_xa", "ten_xa", "nam", "gioi_tinh", "nhom_tuoi", "so_dan", "so_ho", "so_sinh",
           "so_tu", "ty_le"]
COMMUNES = [(str(20194 + 3 * i), name) for i, name in enumerate(
    ["Hải Vân", "Liên Chiểu", "Hòa Khánh", "Thanh Khê", "An Khê", "Hải Châu", "Hòa Cường",
     "Sơn Trà", "An Hải", "Ngũ Hành Sơn", "Hòa Xuân", "Cẩm Lệ", "Bà Nà", "Hòa Vang",
     "Tam Kỳ", "Hội An", "Điện Bàn", "Núi Thành", "Thăng Bình", "Duy Xuyên"] * 5)][:94]
AGE_GROUPS = [f"{a}-{a + 4}" for a in range(0, 85, 5)] + ["85+"]
SEED = 20250701


def generate(rows: int, batch_size: int = 5000) -> Iterator[list[tuple]]:
    """Yield ``rows`` rows in batches; the same ``rows`` always gives the same data."""
    rng = random.Random(SEED)
    pool = 8191  # prime-sized pools of pre-drawn values keep generation cheap
    population = [rng.randint(0, 5000) for _ in range(pool)]
    households = [rng.randint(0, 1500) for _ in range(pool)]
    births = [rng.choice([0, 0, 1, 2, 3, 5, 8, 12, 20, 35]) for _ in range(pool)]
    deaths = [rng.choice([0, 0, 0, 1, 2, 4, 6, 9, 15]) for _ in range(pool)]
    rates = [round(rng.random(), 4) for _ in range(pool)]
    batch: list[tuple] = []
    n_age = len(AGE_GROUPS)
    for i in range(rows):
        age = i % n_age
        sex = (i // n_age) % 2
        commune = (i // (2 * n_age)) % len(COMMUNES)
        year = 2000 + (i // (2 * n_age * len(COMMUNES))) % 26
        code, name = COMMUNES[commune]
        j = (i * 2654435761) % pool
        batch.append((code, name, year, "Nữ" if sex else "Nam", AGE_GROUPS[age],
                      population[j], households[j - 1], births[j - 2], deaths[j - 3],
                      rates[j - 4]))
        if len(batch) == batch_size:
            yield batch
            batch = []
    if batch:
        yield batch


MICRO_COLUMNS = ["tuoi", "gioi_tinh", "ma_xa", "nghe_nghiep", "dan_toc", "ket_qua",
                 "ghi_chu"]
JOBS = ["Nông dân", "Giáo viên", "Công nhân", "Buôn bán", "Nội trợ", "Học sinh", "Tài xế",
        "Kỹ sư", "Bác sĩ", "Hưu trí", "Sinh viên", "Thợ may"]
ETHNIC = ["Kinh", "Cơ Tu", "Hoa", "Tày", "Xơ Đăng"]


def generate_microdata(rows: int, batch_size: int = 5000) -> Iterator[list[tuple]]:
    """One row per person (exact age, sex, commune, occupation, ethnicity, a test result and
    a short note): ``rows`` rows in batches, deterministic."""
    rng = random.Random(SEED + 1)
    pool = 8191
    ages = [str(rng.randint(0, 99)) for _ in range(pool)]
    jobs = [rng.choice(JOBS) for _ in range(pool)]
    ethnic = [rng.choice(ETHNIC[:1] * 20 + ETHNIC) for _ in range(pool)]
    notes = [rng.choice(["", "tái khám", "chuyển tuyến", "theo dõi tại nhà"])
             for _ in range(pool)]
    batch: list[tuple] = []
    for i in range(rows):
        j = (i * 2654435761) % pool
        batch.append((ages[j], "Nữ" if (i * 7) % 3 else "Nam", COMMUNES[(i * 31) % 94][0],
                      jobs[j - 1], ethnic[j - 2], "Dương tính" if i % 11 == 0 else "Âm tính",
                      notes[j - 3]))
        if len(batch) == batch_size:
            yield batch
            batch = []
    if batch:
        yield batch


def run_microdata(rows: int) -> dict:
    """The guard (every detector and the k-anonymity count) on ``rows`` rows of microdata;
    the same rows with the microdata check off (a dataset that declares a count column the
    table has — the same guard otherwise) as the same-run baseline."""
    clock = time.process_time
    policy = Policy.from_spec({}, dataset_type="health")
    start = clock()
    guard = Guard(MICRO_COLUMNS, policy)
    for batch in generate_microdata(rows):
        guard.scan(batch)
    report = guard.finish()
    with_s = clock() - start
    md = report.microdata
    assert md is not None and md.checked and report.blocking
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    # baseline: nothing counted (count_columns make it an aggregate for the check)
    columns = MICRO_COLUMNS[:-1] + ["so_luot"]
    start = clock()
    base = Guard(columns, Policy.from_spec({"count_columns": ["so_luot"]},
                                           dataset_type="health"))
    for batch in generate_microdata(rows):
        base.scan([r[:-1] + (1,) for r in batch])
    base.finish()
    without_s = clock() - start
    return {"rows": rows, "rows_per_s": round(rows / with_s),
            "baseline_rows_per_s": round(rows / without_s),
            "cost_ratio": round(with_s / without_s, 3),
            "classes": md.classes, "smallest_class": md.smallest_class,
            "share_below_k": md.share_below_k, "quasi_identifiers": list(md.quasi_identifiers),
            "peak_rss_mb_after": round(peak, 1)}


def run(rows: int) -> dict:
    """Benchmark the guard on ``rows`` rows; return the figures (also written as JSON).

    ``rows_per_s`` counts both guard passes (scan, then apply on re-generated rows) including
    producing the rows, as the pipeline sees it; ``guard_only_rows_per_s`` subtracts the
    baseline generation time of the two passes; ``iterate_rows_per_s`` is the baseline.
    """
    clock = time.process_time
    wall = time.perf_counter()
    start = clock()
    seen = 0
    for batch in generate(rows):
        for row in batch:
            seen += 1
    iterate_s = clock() - start

    policy = Policy.from_spec({"count_columns": ["so_dan", "so_ho", "so_sinh", "so_tu"],
                               "group_by": ["ma_xa", "nam"]}, dataset_type="population")
    wall_iterate = time.perf_counter() - wall
    wall = time.perf_counter()
    start = clock()
    guard = Guard(COLUMNS, policy)
    for batch in generate(rows):
        guard.scan(batch)
    report = guard.finish()
    scan_s = clock() - start

    start = clock()
    index = 0
    apply = report.apply
    for batch in generate(rows):
        for row in batch:
            apply(index, row)
            index += 1
    apply_s = clock() - start
    wall_guard = time.perf_counter() - wall

    assert seen == rows == index and not report.blocking
    guard_s = scan_s + apply_s
    meta = report.to_metadata()
    result = {
        "rows": rows,
        "columns": len(COLUMNS),
        "rows_per_s": round(rows / guard_s),
        "scan_rows_per_s": round(rows / scan_s),
        "apply_rows_per_s": round(rows / apply_s),
        "guard_only_rows_per_s": round(rows / max(guard_s - 2 * iterate_s, 1e-9)),
        "iterate_rows_per_s": round(rows / iterate_s),
        "guard_cost_ratio": round(guard_s / (2 * iterate_s), 2),
        "cpu_seconds": {"iterate": round(iterate_s, 3), "scan": round(scan_s, 3),
                        "apply": round(apply_s, 3)},
        "wall_seconds": {"iterate": round(wall_iterate, 3), "guard": round(wall_guard, 3)},
        "wall_rows_per_s": round(rows / wall_guard),
        "cells_suppressed": meta["cells_suppressed"]["total"],
        "groups": meta["groups"],
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "python": sys.version.split()[0],
    }
    result["microdata"] = run_microdata(rows)
    RESULT.parent.mkdir(parents=True, exist_ok=True)
    RESULT.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    print(json.dumps(run(args.rows), indent=2))


if __name__ == "__main__":
    main()
