"""The declarative harvest sources under ``harvesters/``: parse, name secrets only by
``*_env`` keys, cover the five dataset types, and use values the schemas accept."""
from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
SOURCES = sorted((REPO / "harvesters").glob("*.yaml"))
ORGS = {"so-y-te", "so-giao-duc-dao-tao", "so-nong-nghiep-moi-truong", "so-tai-chinh",
        "cong-an-thanh-pho"}
URL_VARS = {"SMARTCITY_PG_PORT", "DN_SYT_API_PORT", "SMARTCITY_DEMO_DROPBOX"}
SECRET_KEY = re.compile(r"^\s*-?\s*[\w.-]*(password|passwd|token|secret|api_?key)[\w.-]*\s*:",
                        re.IGNORECASE | re.MULTILINE)
DUMMY_ENV = {"SMARTCITY_PG_PORT": "5432", "DN_SYT_API_PORT": "8765",
             "SMARTCITY_DEMO_DROPBOX": "/tmp/dropbox"}


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def expand(url: str) -> str:
    return re.sub(r"\$\{(\w+)\}", lambda m: DUMMY_ENV[m.group(1)], url)


def test_one_file_per_departmental_system():
    assert len(SOURCES) == 5
    names = [load(p)["name"] for p in SOURCES]
    assert len(set(names)) == len(names)


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_source_shape(path: Path):
    source = load(path)
    assert set(source) >= {"name", "title", "source_type", "url", "department", "config"}
    assert source["source_type"] in ("smartcity_sql", "smartcity_api", "smartcity_file")
    assert source["department"] in ORGS
    assert source["frequency"] in ("MANUAL", "MONTHLY", "WEEKLY", "BIWEEKLY", "DAILY", "ALWAYS")
    assert set(re.findall(r"\$\{(\w+)\}", source["url"])) <= URL_VARS
    assert "—" in source["title"] and "/" in source["title"]  # Vietnamese / English
    for spec in source["config"]["datasets"]:
        assert spec["dataset_type"] in ("population", "land", "enterprise", "health",
                                        "education")
        fields = {**source["config"].get("defaults", {}), **spec.get("fields", {})}
        assert fields["title_en"] and fields["notes"] and fields["notes_en"]
        assert fields["temporal_start"] <= fields["temporal_end"]
        if fields.get("personal_data") == "aggregated":
            assert int(fields["min_cell_size"]) >= 3


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_secrets_only_named_by_env_keys(path: Path):
    text = path.read_text(encoding="utf-8")
    offending = [m.group(0).strip() for m in SECRET_KEY.finditer(text)
                 if not re.search(r"_env\s*:$", m.group(0).strip())]
    assert offending == []
    source = load(path)
    assert "@" not in source["url"] or ":" not in source["url"].split("@")[0].split("//")[1]
    if source["source_type"] == "smartcity_sql":
        assert source["config"]["password_env"].endswith("_PASSWORD")
    if source["source_type"] == "smartcity_api":
        assert source["config"]["token_env"] == "DN_SYT_API_TOKEN"


def test_all_five_dataset_types_and_the_refusal_example():
    specs = [(load(p), s) for p in SOURCES for s in load(p)["config"]["datasets"]]
    kinds = {(src["source_type"], s["dataset_type"]) for src, s in specs}
    assert {("smartcity_sql", "population"), ("smartcity_sql", "enterprise"),
            ("smartcity_api", "health"), ("smartcity_file", "land"),
            ("smartcity_file", "education")} <= kinds
    refused = [s for _, s in specs if s["name"] == "danh-sach-cong-dan-mau"]
    assert len(refused) == 1 and "so_cccd" in refused[0]["query"]
    listed = [s for _, s in specs if s["name"] == "danh-sach-doanh-nghiep"]
    assert listed[0]["privacy"]["allow_columns"] == ["ma_so_thue"]


def _schema_choices() -> dict[str, dict[str, set[str]]]:
    """dataset type → field → allowed values (choices or code list), from schemas/."""
    out: dict[str, dict[str, set[str]]] = {}
    for kind in ("population", "land", "enterprise", "health", "education"):
        path = REPO / "schemas" / f"{kind}.yaml"
        if not path.exists():
            continue
        fields = {}
        for field in yaml.safe_load(path.read_text(encoding="utf-8"))["dataset_fields"]:
            if "choices" in field:
                fields[field["field_name"]] = {str(c["value"]) for c in field["choices"]}
            elif "codelist" in field:
                codes = REPO / "schemas" / "codelists" / f"{field['codelist']}.csv"
                with codes.open(encoding="utf-8") as fh:
                    fields[field["field_name"]] = {r["code"] for r in csv.DictReader(fh)}
        out[kind] = fields
    return out


def test_field_values_are_valid_for_the_schemas():
    choices = _schema_choices()
    presets = REPO / "schemas" / "presets.yaml"
    if not choices or not presets.exists():
        pytest.skip("schemas/ not present")
    for preset in yaml.safe_load(presets.read_text(encoding="utf-8"))["presets"]:
        values = preset["values"]
        if "choices" in values and preset["preset_name"].startswith("smartcity_"):
            name = preset["preset_name"].removeprefix("smartcity_")
            for kind in choices:
                choices[kind].setdefault(name, {str(c["value"]) for c in values["choices"]})
    problems = []
    for path in SOURCES:
        source = load(path)
        for spec in source["config"]["datasets"]:
            fields = {**source["config"].get("defaults", {}), **spec.get("fields", {})}
            for key, value in fields.items():
                allowed = choices.get(spec["dataset_type"], {}).get(key)
                if allowed is None:
                    continue
                for item in value if isinstance(value, list) else [value]:
                    if str(item) not in allowed:
                        problems.append(f"{spec['name']}.{key}: {item!r}")
    assert problems == []


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_configs_pass_the_harvesters_own_check(path: Path):
    validate = pytest.importorskip("ckanext.smartcity.pipeline.validate")
    readers = pytest.importorskip("ckanext.smartcity.readers")
    import json
    source = load(path)
    reader = readers.get_reader(source["source_type"])(
        expand(source["url"]), source["config"], allowed_hosts="127.0.0.1",
        file_roots=DUMMY_ENV["SMARTCITY_DEMO_DROPBOX"])
    validate.check_config(json.dumps(source["config"]), reader)


def test_the_secret_key_check_itself():
    assert SECRET_KEY.search("config:\n  password: hunter2\n")
    assert SECRET_KEY.search("  api_token: abc\n")
    found = [m.group(0).strip() for m in SECRET_KEY.finditer("  password_env: X\n")]
    assert all(re.search(r"_env\s*:$", f) for f in found)
