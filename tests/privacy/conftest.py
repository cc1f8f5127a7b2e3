"""Fixtures for the privacy-guard tests: the committed corpus under tests/data/privacy/.

These tests need neither CKAN nor a database: run them with
``.venv/bin/python -m pytest -p no:ckan tests/privacy``.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable

import pytest

from ckanext.smartcity.privacy import Guard, Policy, Report
from ckanext.smartcity.privacy.files import open_table

CORPUS = Path(__file__).resolve().parents[1] / "data" / "privacy"


def run_file(path: Path, privacy: dict[str, Any], dataset_type: str | None,
             batch_size: int = 37, sheet: str | None = None) -> Report:
    """Scan one corpus file (one sheet of a workbook) with the guard, in small batches to
    exercise streaming."""
    table = open_table(path, sheet=sheet)
    guard = Guard(table.columns, Policy.from_spec(privacy, dataset_type=dataset_type))
    for batch in table.batches(batch_size):
        guard.scan(batch)
    return guard.finish()


def verdicts(report: Report) -> dict[str, str]:
    """Column label → "block" / "allowed" / "pass" as decided by the guard's column
    detectors. The microdata (k-anonymity) verdict is about the table, not a column: it is
    measured per table (``tests/privacy/test_microdata*.py``, heldout2's microdata tables)."""
    out: dict[str, str] = {}
    for f in report.findings:
        if f.detector.startswith("microdata:"):
            continue
        if f.action == "block":
            out[f.column] = "block"
        elif f.action == "allowed" and out.get(f.column) != "block":
            out[f.column] = "allowed"
    return out


@pytest.fixture(scope="session")
def corpus_cases() -> list[dict[str, Any]]:
    return json.loads((CORPUS / "manifest.json").read_text(encoding="utf-8"))["cases"]


@pytest.fixture(scope="session")
def corpus_reports(corpus_cases) -> dict[str, Report]:
    return {case_key(c): run_file(CORPUS / c["file"], c["privacy"], c["dataset_type"],
                                  sheet=c.get("sheet"))
            for c in corpus_cases}


def case_key(case: dict[str, Any]) -> str:
    """``file`` or ``file[sheet]``: one corpus case."""
    return f"{case['file']}[{case['sheet']}]" if case.get("sheet") else case["file"]


def per_class(cases: list[dict[str, Any]], reports: dict[str, Report]
              ) -> dict[str, dict[str, int]]:
    """Per labelled class: ``tp`` (a block-labelled column of the class blocked), ``fn``
    (not blocked), ``fp`` (a pass-labelled column blocked, counted under the class of the
    blocking detector), ``tn`` (a pass-labelled column of the class not blocked)."""
    out: dict[str, dict[str, int]] = {}

    def bump(cls: str, key: str) -> None:
        out.setdefault(cls, {"tp": 0, "fn": 0, "fp": 0, "tn": 0})[key] += 1

    for case in cases:
        report = reports[case_key(case)]
        got = verdicts(report)
        classes = case.get("classes") or {}
        for column, expected in case["expect"].items():
            decided = got.get(column, "pass")
            cls = classes.get(column, "unlabelled")
            if expected == "block":
                bump(cls, "tp" if decided == "block" else "fn")
            elif expected == "pass":
                if decided == "block":
                    detector = next(f.detector for f in report.findings
                                    if f.column == column and f.action == "block")
                    bump(detector.split(":", 1)[1], "fp")
                if decided != "block":
                    bump(cls, "tn")
    return out


@pytest.fixture(scope="session")
def identifier_values(corpus_cases) -> set[str]:
    """Every cell of a column the manifest marks block/allowed, long enough to be telling
    (≥ 6 characters), plus the digits-only form of each — the strings that must never leak."""
    values: set[str] = set()
    for case in corpus_cases:
        table = open_table(CORPUS / case["file"], sheet=case.get("sheet"))
        sensitive = [i for i, c in enumerate(table.columns)
                     if case["expect"].get(c) in ("block", "allowed")]
        for batch in table.batches():
            for row in batch:
                for i in sensitive:
                    text = str(row[i]).strip()
                    if len(text) >= 6:
                        values.add(text)
                        digits = "".join(ch for ch in text if ch.isdigit())
                        if len(digits) >= 9:
                            values.add(digits)
    assert len(values) > 1000
    return values


@pytest.fixture
def assert_no_leak(identifier_values) -> Callable[[str], None]:
    def check(text: str) -> None:
        leaked = [v for v in identifier_values if v in text]
        # Report how many, never which: a failing test must not print identifiers either.
        assert not leaked, f"{len(leaked)} corpus identifier value(s) found in the output"
    return check


@pytest.fixture(scope="session", name="case_key")
def case_key_fixture() -> Callable[[dict[str, Any]], str]:
    """:func:`case_key` as a fixture."""
    return case_key


@pytest.fixture(scope="session")
def corpus_per_class() -> Callable[..., dict[str, dict[str, int]]]:
    """:func:`per_class` as a fixture."""
    return per_class


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    return CORPUS


@pytest.fixture(scope="session")
def scan_file() -> Callable[..., Report]:
    """:func:`run_file` as a fixture (test modules do not import conftest by name)."""
    return run_file


@pytest.fixture(scope="session")
def column_verdicts() -> Callable[[Report], dict[str, str]]:
    """:func:`verdicts` as a fixture."""
    return verdicts
