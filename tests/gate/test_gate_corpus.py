"""The gate on the privacy corpus and the held-out sample: the same verdict as ``ckan
smartcity privacy-scan`` on every file, and the NUMERIC cases read back from a real
PostgreSQL table (``Decimal`` values, as a departmental database hands them over)."""
from __future__ import annotations

import csv
import json
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from department_db import new_department_database

from ckanext.smartcity.privacy import checkpoint
from ckanext.smartcity.privacy.command import privacy_scan

CORPUS = Path(__file__).resolve().parents[1] / "data" / "privacy"
HELDOUT = CORPUS / "heldout"
CASES = [dict(c, folder=folder) for folder in (CORPUS, HELDOUT)
         for c in json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["cases"]]
FILES = sorted({(c["folder"] / c["file"], c["dataset_type"]) for c in CASES})


@pytest.mark.parametrize("path, dataset_type", FILES,
                         ids=[str(p.relative_to(CORPUS)) for p, _ in FILES])
def test_privacy_scan_and_the_gate_agree(path: Path, dataset_type: str) -> None:
    checked = checkpoint.check_file(path, {"type": dataset_type})
    result = CliRunner().invoke(privacy_scan, [str(path), "--dataset-type", dataset_type])
    assert result.exit_code in (0, 1), result.output
    assert checked.verdict.refused == (result.exit_code == 1), path.name
    expected = any("block" in c["expect"].values() or c["privacy"].get("allow_columns")
                   for c in CASES if c["folder"] / c["file"] == path)
    if path.parent == CORPUS:  # held-out misses are measured in tests/privacy instead
        assert checked.verdict.refused == expected, path.name


@pytest.mark.parametrize("case", [c for c in CASES if c.get("pg_types")],
                         ids=lambda c: c["file"])
def test_numeric_columns_from_postgresql(pg_admin_url: str, case: dict) -> None:
    types = case["pg_types"]
    with open(case["folder"] / case["file"], encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    with new_department_database(pg_admin_url, "sc_numeric") as db:
        engine = sa.create_engine(db.admin_url)
        try:
            with engine.begin() as conn:
                conn.exec_driver_sql("CREATE TABLE t (" + ", ".join(
                    f"{c} {t}" for c, t in types.items()) + ")")
                conn.execute(sa.text(f"INSERT INTO t VALUES ({', '.join(':' + c for c in types)})"),
                             rows)
                result = conn.exec_driver_sql("SELECT * FROM t")
                columns = list(result.keys())
                fetched = [tuple(r) for r in result]
        finally:
            engine.dispose()
    assert any(isinstance(v, Decimal) for v in fetched[0])
    check = checkpoint.TableCheck(columns, checkpoint.policy_for({"type": case["dataset_type"]}, columns))
    check.scan(fetched)
    verdict, report = check.finish()
    blocked = {f.column for f in verdict.findings}
    assert verdict.refused and "value:cccd_numeric" in verdict.message
    if case["folder"] == CORPUS:
        assert blocked == {c for c, v in case["expect"].items() if v == "block"}
    else:  # NUMERIC values from PostgreSQL get the verdicts of the same table as text
        as_text = checkpoint.check_file(case["folder"] / case["file"], case)
        assert blocked == {f.column for f in as_text.verdict.findings}
