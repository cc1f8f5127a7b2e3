"""`ckan smartcity sources sync|check|run` against real sources."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from click.testing import CliRunner

from ckanext.smartcity.cli.sources import sources
from ckanext.harvest.model import HarvestSource

from .conftest import (DEFAULTS, PASSWORD_ENV, PLUGINS, dataset, published, spec)

pytestmark = [pytest.mark.ckan_config("ckan.plugins", PLUGINS),
              pytest.mark.usefixtures("harvest_env")]


def invoke(args: list[str]):
    """Run `ckan smartcity sources ARGS` in this CKAN app (plugins of the test)."""
    return CliRunner().invoke(sources, args, catch_exceptions=False)


def declare(folder: Path, url: str, *specs: dict, name: str = "syt-db") -> Path:
    """Write one harvesters/*.yaml declaration."""
    path = folder / f"{name}.yaml"
    path.write_text(yaml.safe_dump({
        "name": name, "title": "CSDL Sở Y tế", "source_type": "smartcity_sql", "url": url,
        "department": "so-y-te", "frequency": "monthly",
        "config": {"password_env": PASSWORD_ENV, "defaults": DEFAULTS,
                   "datasets": list(specs)}}, allow_unicode=True), encoding="utf-8")
    return path


def test_sync_is_idempotent_and_updates_changes(org, department, tmp_path):
    declare(tmp_path, department.url, spec("co-so-y-te-theo-xa", "co_so_y_te"))
    first = invoke(["sync", str(tmp_path)])
    assert first.exit_code == 0, first.output
    assert "syt-db.yaml: created" in first.output
    source = HarvestSource.get(dataset("syt-db")["id"])
    assert source.type == "smartcity_sql" and source.frequency == "MONTHLY"
    assert dataset("syt-db")["owner_org"] == org["id"]

    again = invoke(["sync", str(tmp_path)])
    assert "syt-db.yaml: unchanged" in again.output, again.output

    declare(tmp_path, department.url, spec("giuong-benh", "giuong_benh"))
    changed = invoke(["sync", str(tmp_path)])
    assert "syt-db.yaml: updated" in changed.output, changed.output
    config = json.loads(HarvestSource.get(source.id).config)
    assert [s["name"] for s in config["datasets"]] == ["giuong-benh"]


def test_sync_refuses_passwords_without_echoing_them(org, department, tmp_path):
    declare(tmp_path, department.url.replace("@", ":hunter2-url@"), spec("a-b", "co_so_y_te"))
    declare(tmp_path, department.url, dict(spec("c-d", "co_so_y_te"), token="hunter2-cfg"),
            name="second")
    result = invoke(["sync", str(tmp_path)])
    assert result.exit_code != 0
    assert "syt-db.yaml: error: url: contains a password" in result.output
    assert "second.yaml: error:" in result.output and "token" in result.output
    assert "hunter2" not in result.output
    assert published() == []


def test_check_previews_without_writing(org, department, tmp_path):
    declare(tmp_path, department.url, spec("co-so-y-te-theo-xa", "co_so_y_te"),
            spec("benh-nhan", "benh_nhan"))
    assert invoke(["sync", str(tmp_path)]).exit_code == 0
    result = invoke(["check", "syt-db", "--rows", "2"])
    assert result.exit_code != 0  # one spec would be refused
    assert "== co-so-y-te-theo-xa (health)" in result.output
    assert "Trạm y tế" in result.output and "Bệnh viện" not in result.output  # 2 rows only
    assert "WOULD BE REFUSED" in result.output and "ho_ten" in result.output
    assert "Nguyễn" not in result.output and "0905123456" not in result.output
    assert published() == []


def test_run_harvests_with_progress(org, department, tmp_path):
    declare(tmp_path, department.url, spec("co-so-y-te-theo-xa", "co_so_y_te"))
    assert invoke(["sync", str(tmp_path)]).exit_code == 0
    result = invoke(["run", "syt-db"])
    assert result.exit_code == 0, result.output
    assert "[1/1] co-so-y-te-theo-xa: added" in result.output
    assert published() == ["co-so-y-te-theo-xa"]
