"""``ckan smartcity sources ...``: declare departmental systems from ``harvesters/*.yaml``.

* ``sync [PATH]`` creates or updates one harvest source per YAML file, idempotently;
* ``check NAME`` connects, reads the first rows of every dataset spec, runs the privacy
  guard and prints what would be published — writing nothing;
* ``run NAME`` harvests one source now, in this process, printing progress.
"""
from __future__ import annotations

import json
import os
import re
import time
from pathlib import Path
from typing import Any

import click
import yaml

import ckan.model as model
import ckan.plugins.toolkit as tk

__all__ = ["sources"]

KEYS = {"name", "title", "source_type", "url", "department", "frequency", "config",
        "description"}


def _site_user() -> str:
    return tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]


def _files(path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    return sorted(p for p in path.iterdir() if p.suffix in (".yaml", ".yml"))


def _expand(path: Path, url: str) -> str:
    """``${NAME}`` in a URL from the environment (ports of local services)."""
    def value(match: re.Match[str]) -> str:
        if match.group(1) not in os.environ:
            raise click.ClickException(f"{path.name}: url: environment variable "
                                       f"{match.group(1)} is not set")
        return os.environ[match.group(1)]
    return re.sub(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}", value, url)


def load_declaration(path: Path) -> dict[str, Any]:
    """One source declaration as ``harvest_source_create`` data.

    :raises click.ClickException: naming the file and the key.
    """
    from ckanext.smartcity.pipeline.validate import url_password_error

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as err:
        raise click.ClickException(f"{path.name}: cannot read ({type(err).__name__})")
    if not isinstance(data, dict):
        raise click.ClickException(f"{path.name}: must be a mapping")
    missing = sorted({"name", "source_type", "url", "department", "config"} - set(data))
    extra = sorted(set(data) - KEYS)
    if missing or extra:
        key = (missing or extra)[0]
        raise click.ClickException(f"{path.name}: {key}: "
                                   f"{'is required' if missing else 'unknown key'}")
    url = _expand(path, str(data["url"]))
    problem = url_password_error(url)
    if problem:
        raise click.ClickException(f"{path.name}: {problem}")
    config = data["config"]
    return {"name": data["name"], "title": data.get("title") or data["name"],
            "notes": data.get("description", ""), "url": url,
            "source_type": data["source_type"], "owner_org": data["department"],
            "frequency": str(data.get("frequency") or "MANUAL").upper(),
            "config": config if isinstance(config, str)
            else json.dumps(config, ensure_ascii=False, sort_keys=True)}


def _same(existing: dict[str, Any], wanted: dict[str, Any], org_id: str) -> bool:
    from ckanext.harvest.model import HarvestSource

    source = HarvestSource.get(existing["id"])
    if source is None:
        return False
    try:
        same_config = json.loads(source.config or "null") == json.loads(wanted["config"])
    except ValueError:
        same_config = False
    return (same_config and source.url == wanted["url"] and source.type ==
            wanted["source_type"] and (source.frequency or "MANUAL") == wanted["frequency"]
            and (source.title or "") == wanted["title"] and existing["owner_org"] == org_id)


def sync_one(declaration: dict[str, Any], user: str) -> str:
    """Create or update one source; ``"created"``, ``"updated"`` or ``"unchanged"``."""
    context: Any = {"user": user, "ignore_auth": True}
    org = tk.get_action("organization_show")(dict(context),
                                             {"id": declaration["owner_org"]})
    try:
        existing = tk.get_action("harvest_source_show")(dict(context),
                                                        {"id": declaration["name"]})
    except tk.ObjectNotFound:
        existing = None
    if existing is None:
        tk.get_action("harvest_source_create")(dict(context), dict(declaration))
        return "created"
    if existing.get("state") == "active" and _same(existing, declaration, org["id"]):
        return "unchanged"
    tk.get_action("harvest_source_update")(dict(context),
                                           dict(declaration, id=existing["id"]))
    return "updated"


@click.group(short_help="Harvest sources of departmental systems / Nguồn thu thập")
def sources() -> None:
    """Manage the harvest sources declared under harvesters/."""


@sources.command("sync")
@click.argument("path", required=False, type=click.Path(exists=True, path_type=Path))
def sync(path: Path | None) -> None:
    """Create/update a harvest source for every YAML file in PATH (idempotent)."""
    from ckanext.smartcity import config as options

    path = path or options.sources_dir()
    if not path.exists():
        raise click.ClickException(f"{path}: no such folder")
    user, failed = _site_user(), 0
    for file in _files(path):
        try:
            outcome = sync_one(load_declaration(file), user)
        except click.ClickException as err:  # its message starts with the file name
            outcome, failed = "error: " + err.message.split(": ", 1)[-1], failed + 1
        except tk.ValidationError as err:
            model.Session.rollback()
            keys = "; ".join(f"{k}: {v}" for k, v in err.error_dict.items())
            outcome, failed = f"error: {keys}", failed + 1
        except tk.ObjectNotFound as err:
            model.Session.rollback()
            outcome, failed = f"error: not found ({err.message or 'department'})", failed + 1
        click.echo(f"{file.name}: {outcome}")
    if failed:
        raise click.ClickException(f"{failed} source(s) not synced")


def _source(name: str) -> Any:
    from ckanext.harvest.model import HarvestSource

    package = model.Package.get(name)
    source = HarvestSource.get(package.id) if package is not None else None
    if source is None:
        raise click.ClickException(f"harvest source {name}: not found")
    return source


def _table(header: list[str], rows: list[tuple[Any, ...]]) -> str:
    cells = [[str(h) for h in header]] + [["" if v is None else str(v) for v in r]
                                         for r in rows]
    widths = [min(30, max(len(r[i]) for r in cells)) for i in range(len(header))]
    lines = [" | ".join(c[:30].ljust(w) for c, w in zip(row, widths)) for row in cells]
    lines.insert(1, "-+-".join("-" * w for w in widths))
    return "\n".join(lines)


@sources.command("check")
@click.argument("name")
@click.option("--rows", "limit", default=5, show_default=True, help="rows to preview")
def check(name: str, limit: int) -> None:
    """Dry run: read the first rows of each dataset spec, guard them, write nothing."""
    from ckanext.smartcity.harvesters.base import make_reader, source_department
    from ckanext.smartcity.pipeline.mapping import ColumnPlan, PlanError
    from ckanext.smartcity.pipeline.validate import ConfigError, check_config, parse_config
    from ckanext.smartcity.privacy import Guard, Policy, PrivacyError
    from ckanext.smartcity.privacy.resolve import resolve_policy
    from ckanext.smartcity.readers import ReaderError

    source = _source(name)
    try:
        config = parse_config(source.config)
        reader = make_reader(source.type, source.url, config,
                             department=source_department(source.id))
        check_config(source.config, reader)
    except (ConfigError, KeyError) as err:
        raise click.ClickException(f"{name}: invalid configuration: {err}")
    refused = 0
    for spec in config["datasets"]:
        click.echo(f"\n== {spec['name']} ({spec['dataset_type']}) from {reader.source}")
        try:
            with reader.read(spec, batch_size=max(1, limit)) as table:
                first = next(iter(table.batches()), [])[:limit]
                plan = ColumnPlan.build(spec, table.columns)
            policy = Policy.from_spec(spec.get("privacy", {}),
                                      dataset_type=spec["dataset_type"])
            policy = resolve_policy(policy, plan.privacy_columns(), prefix="privacy.")
            guard = Guard(plan.source_names, policy)
            selected = [plan.select(r) for r in first]
            guard.scan(selected)
            report = guard.finish()
        except (ReaderError, PlanError, PrivacyError) as err:
            refused += 1
            click.echo(f"   ERROR: {err}")
            continue
        click.echo("   columns: " + ", ".join(f"{c.name} ({c.type})" for c in plan.columns))
        if report.blocking:
            refused += 1
            click.echo("   WOULD BE REFUSED by the privacy guard (no values shown):")
            for finding in report.blocking:
                click.echo(f"   - {finding}")
            continue
        click.echo(f"   would publish; first {len(selected)} rows after the guard:")
        click.echo(_table(plan.names, [report.apply(i, r) for i, r in enumerate(selected)]))
    if refused:
        raise click.ClickException(f"{refused} dataset(s) would not be published")


@sources.command("run")
@click.argument("name")
def run(name: str) -> None:
    """Harvest one source now, in this process, with progress output."""
    from ckanext.harvest import queue
    from ckanext.harvest.model import HarvestJob, HarvestObject
    from ckanext.smartcity.logic.action.harvest import smartcity_harvest_summary

    source = _source(name)
    context: Any = {"user": _site_user(), "ignore_auth": True}
    job_dict = tk.get_action("harvest_job_create")(dict(context),
                                                   {"source_id": source.id, "run": False})
    job = HarvestJob.get(job_dict["id"])
    job.status = "Running"
    job.save()
    harvester = queue.get_harvester(source.type)
    ids = queue.gather_stage(harvester, job) or []
    started = time.monotonic()
    for done, object_id in enumerate(ids, start=1):
        obj = HarvestObject.get(object_id)
        queue.fetch_and_import_stages(harvester, obj)
        click.echo(f"[{done}/{len(ids)}] {obj.guid.rsplit('/', 1)[-1]}: "
                   f"{obj.report_status} ({time.monotonic() - started:.1f}s)")
    tk.get_action("harvest_jobs_run")(dict(context), {"source_id": source.id})
    shown = smartcity_harvest_summary(dict(context, model=model), {"id": source.id})
    last = shown[0]["last_job"] or {}
    click.echo(json.dumps(last.get("stats", {}), ensure_ascii=False))
    for error in last.get("errors", []):
        click.echo(f"error: {error['message']}")
