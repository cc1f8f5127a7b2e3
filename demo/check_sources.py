"""Dry-run every harvest source declared under ``harvesters/`` against the running demo
systems: read each dataset spec with the real reader, pass it through the privacy
guard, and print rows, suppressed cells and refusals. Publishes nothing; no CKAN.

    python demo/check_sources.py [--state-dir .demo] [--env-file FILE ...] [NAME ...]

``${VAR}`` in source URLs is expanded from the environment plus the env files
(default: ``<state>/systems.env``, ``<state>/secrets.env`` and ``<state>/services.env``
when present). Exit status 1 if a spec that should publish does not, or the refusal
example (``danh-sach-cong-dan-mau``) is not refused.
"""
from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from departments.secrets_env import read_env  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
MUST_REFUSE = {"danh-sach-cong-dan-mau"}
_VAR = re.compile(r"\$\{([A-Z0-9_]+)\}")


def expand(text: str, env: dict[str, str]) -> str:
    """``${VAR}`` → its value (KeyError naming the variable if unset)."""
    def sub(match: re.Match[str]) -> str:
        if match.group(1) not in env:
            raise KeyError(f"${{{match.group(1)}}} is not set")
        return env[match.group(1)]
    return _VAR.sub(sub, text)


def check_spec(reader: Any, spec: dict[str, Any]) -> tuple[bool, str]:
    """(published?, one-line summary) for one dataset spec."""
    from ckanext.smartcity.pipeline.mapping import ColumnPlan
    from ckanext.smartcity.privacy import Guard, Policy
    from ckanext.smartcity.privacy.resolve import resolve_policy
    policy = Policy.from_spec(spec.get("privacy", {}), dataset_type=spec["dataset_type"])
    rows = 0
    with reader.read(spec) as table:
        plan = ColumnPlan.build(spec, table.columns)
        policy = resolve_policy(policy, plan.privacy_columns(), prefix="privacy.")
        guard = Guard(plan.source_names, policy)
        for batch in table.batches():
            guard.scan([plan.select(r) for r in batch])
            rows += len(batch)
    report = guard.finish()
    if report.blocking:
        return False, "REFUSED: " + "; ".join(sorted({str(f) for f in report.blocking}))
    return True, f"{rows} rows, {report.cells_suppressed} cells suppressed"


def check_source(source: dict[str, Any], env: dict[str, str], names: list[str] | None = None,
                 rewrite: Callable[[str], str] | None = None) -> list[tuple[str, bool, str]]:
    """(dataset name, published?, summary) for the specs of one declared source.

    :raises KeyError: when a ``${VAR}`` in the URL is not set.
    """
    from ckanext.smartcity.readers import get_reader
    url = expand(source["url"], env)
    url = rewrite(url) if rewrite else url
    roots = url.removeprefix("file://") if url.startswith("file://") else ""
    reader = get_reader(source["source_type"])(
        url, source["config"], env=env, allowed_hosts="127.0.0.1", file_roots=roots)
    results = []
    for spec in source["config"]["datasets"]:
        if names and spec["name"] not in names:
            continue
        try:
            published, summary = check_spec(reader, spec)
        except Exception as err:  # noqa: BLE001 (report and go on with the next spec)
            published, summary = False, f"ERROR {type(err).__name__}: {err}"
        results.append((spec["name"], published, summary))
    return results


def main(argv: list[str] | None = None) -> int:
    """CLI entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="only these dataset names")
    parser.add_argument("--state-dir", type=Path, default=REPO / ".demo")
    parser.add_argument("--env-file", type=Path, action="append", default=[])
    parser.add_argument("--harvesters", type=Path, default=REPO / "harvesters")
    args = parser.parse_args(argv)
    env = dict(os.environ)
    for name in ("services.env", "systems.env", "secrets.env"):
        env.update(read_env(args.state_dir / name))
    for path in args.env_file:
        env.update(read_env(path))
    failures = 0
    for path in sorted(args.harvesters.glob("*.yaml")):
        source = yaml.safe_load(path.read_text(encoding="utf-8"))
        try:
            results = check_source(source, env, args.names)
        except KeyError as err:
            print(f"{path.name}: skipped ({err.args[0]})")
            continue
        for name, published, summary in results:
            expected = name not in MUST_REFUSE
            failures += published != expected
            mark = "ok " if published == expected else "BAD"
            print(f"{mark} {source['name']}/{name}: {summary}")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
