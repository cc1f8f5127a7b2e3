"""The plugin's options are read in one place, typed as declared (ckanext/smartcity/config.py).

* every option of ``config_declaration.yaml`` has its reader in ``config.py``, and no other
  module of the package names an option's key (so none reads it around the reader);
* a value set as text after start-up (as ``ckan_config`` and ``tk.config[...] = "0"`` do)
  comes back in the declared type; a value not of its type gives the declared default.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest
import yaml

import ckan.plugins.toolkit as tk

from ckanext.smartcity import config as options

ROOT = Path(__file__).resolve().parents[2] / "ckanext" / "smartcity"


def _declared() -> dict[str, dict]:
    data = yaml.safe_load((ROOT / "config_declaration.yaml").read_text(encoding="utf-8"))
    return {o["key"]: o for group in data["groups"] for o in group["options"]}


def _strings(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {node.value for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)}


def test_every_declared_option_is_read_by_config_py_and_nowhere_else():
    keys = set(_declared())
    strings = _strings(ROOT / "config.py")
    # config.py names keys as PREFIX + "harvest.batch_size" (uploads, proxy: a loop)
    named = ({options.PREFIX + s for s in strings}
             | {f"{options.PREFIX}uploads.{s}" for s in options._LIMIT_FIELDS}
             | {f"{options.PREFIX}proxy.{s}" for s in options._PROXY_INTS})
    assert keys <= named, f"declared but not read in config.py: {sorted(keys - named)}"
    elsewhere = {str(path.relative_to(ROOT)): sorted(_strings(path) & keys)
                 for path in ROOT.rglob("*.py") if path.name != "config.py"
                 and _strings(path) & keys}
    assert not elsewhere, f"options read around config.py: {elsewhere}"


def test_declared_types_and_defaults():
    declared = options.declared()
    for key, option in _declared().items():
        kind = {"int": int, "bool": bool}.get(option.get("type", ""), str)
        assert type(declared[key]) is kind, key


def test_text_values_come_back_typed(monkeypatch):
    monkeypatch.setitem(tk.config, "ckanext.smartcity.harvest.batch_size", "250")
    monkeypatch.setitem(tk.config, "ckanext.smartcity.notify.enabled", "false")
    monkeypatch.setitem(tk.config, "ckanext.smartcity.search_cache.ttl", "0")
    monkeypatch.setitem(tk.config, "ckanext.smartcity.links.timeout", "3")
    monkeypatch.setitem(tk.config, "ckanext.smartcity.uploads.max_columns", "12")
    assert options.batch_size() == 250
    assert options.notify_enabled() is False
    assert options.search_cache_ttl() == 0
    assert options.link_timeout() == 3
    assert options.upload_limits().max_columns == 12


@pytest.mark.parametrize("key, reader, default", [
    ("ckanext.smartcity.harvest.batch_size", options.batch_size, 5000),
    ("ckanext.smartcity.harvest.lock_timeout_seconds", options.lock_timeout_seconds, 600),
    ("ckanext.smartcity.privacy.fetch_max_bytes", options.fetch_max_bytes, 104857600),
])
def test_a_value_not_of_its_type_gives_the_declared_default(monkeypatch, key, reader, default):
    monkeypatch.setitem(tk.config, key, "beaucoup")
    assert reader() == default
    monkeypatch.setitem(tk.config, key, "")
    assert reader() == default
