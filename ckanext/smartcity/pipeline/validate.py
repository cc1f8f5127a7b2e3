"""Validation of a harvest source config (no CKAN imports, no I/O).

``check_config`` is what every smartcity harvester's ``validate_config`` runs. Each
problem is a :class:`ConfigError` (a ``ValueError``) whose message names the key
(``datasets[2].query``) and the cause, never a value that could be a secret.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

from ckanext.smartcity.reference.domains import DATASET_TYPES  # the scheming schemas' types
from ckanext.smartcity.readers.base import COLUMN_TYPES, Reader

__all__ = ["DATASET_TYPES", "SOURCE_KEYS", "SPEC_KEYS", "ConfigError", "check_config",
           "inline_secret_keys", "url_password_error", "parse_config"]

#: top-level keys every smartcity source config may have (plus the reader's own)
SOURCE_KEYS = frozenset({"defaults", "delete_missing", "datasets", "notify"})
#: keys every dataset spec may have (plus the reader's ``spec_keys``)
SPEC_KEYS = frozenset({"name", "dataset_type", "title", "fields", "privacy", "columns",
                       "allow_empty"})
COLUMN_KEYS = frozenset({"id", "name", "type", "label", "label_en", "notes"})

_SECRET = re.compile(
    r"(password|passwd|pwd|token|secret|api_?key|access_?key|private_?key|credentials)")
_NAME = re.compile(r"^[a-z0-9_-]{2,100}$")


class ConfigError(ValueError):
    """A harvest source config was refused; ``key`` is where, the message says why."""

    def __init__(self, key: str, cause: str) -> None:
        super().__init__(f"{key}: {cause}")
        self.key = key
        self.cause = cause


def inline_secret_keys(value: Any, path: str = "") -> Iterator[str]:
    """Yield the path of every key that looks like an inline secret.

    ``*_env`` keys name an environment variable and are fine.
    """
    if isinstance(value, dict):
        for key, item in value.items():
            where = f"{path}.{key}" if path else str(key)
            normal = str(key).lower().replace("-", "_")
            if _SECRET.search(normal) and not normal.endswith("_env"):
                yield where
            yield from inline_secret_keys(item, where)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from inline_secret_keys(item, f"{path}[{index}]")


def url_password_error(url: str) -> str | None:
    """A message if ``url`` carries a password (it must come from ``password_env``)."""
    try:
        parts = urlsplit(url)
        has_password = parts.password is not None
    except ValueError:
        return "url: cannot be parsed"
    if has_password:
        return "url: contains a password; name it with 'password_env' instead"
    return None


def parse_config(text: str | None) -> dict[str, Any]:
    """The config as a dict; ``ConfigError`` if it is not a JSON object."""
    if not text or not text.strip():
        raise ConfigError("config", "is empty; 'datasets' is required")
    try:
        config = json.loads(text)
    except json.JSONDecodeError as err:
        raise ConfigError("config", f"invalid JSON ({err.msg} at line {err.lineno} "
                                    f"column {err.colno})") from None
    if not isinstance(config, dict):
        raise ConfigError("config", "must be a JSON object")
    return config


def _check_columns(where: str, columns: Any) -> None:
    if not isinstance(columns, list) or not columns:
        raise ConfigError(where, "must be a non-empty list")
    seen: set[str] = set()
    for index, column in enumerate(columns):
        here = f"{where}[{index}]"
        if isinstance(column, str):
            column = {"id": column}
        if not isinstance(column, dict) or not isinstance(column.get("id"), str):
            raise ConfigError(here, "must be a column name or an object with 'id'")
        extra = sorted(set(column) - COLUMN_KEYS)
        if extra:
            raise ConfigError(f"{here}.{extra[0]}", "unknown key")
        if column.get("type", "text") not in COLUMN_TYPES:
            raise ConfigError(f"{here}.type", f"must be one of {', '.join(COLUMN_TYPES)}")
        out = str(column.get("name") or column["id"])
        if out.startswith("_") or len(out) > 63:
            raise ConfigError(f"{here}.name", "must not start with '_' nor exceed 63 "
                                              "characters")
        if out in seen:
            raise ConfigError(f"{here}.name", "duplicate column name")
        seen.add(out)


def _check_spec(index: int, spec: Any, reader: Reader, names: set[str]) -> None:
    where = f"datasets[{index}]"
    if not isinstance(spec, dict):
        raise ConfigError(where, "must be an object")
    name = spec.get("name")
    if not name:
        raise ConfigError(f"{where}.name", "is required")
    if not isinstance(name, str) or not _NAME.match(name):
        raise ConfigError(f"{where}.name", "must be 2-100 lowercase letters, digits, "
                                           "'-' or '_'")
    if name in names:
        raise ConfigError(f"{where}.name", "duplicate dataset name")
    names.add(name)
    if spec.get("dataset_type") not in DATASET_TYPES:
        raise ConfigError(f"{where}.dataset_type",
                          f"must be one of {', '.join(DATASET_TYPES)}")
    extra = sorted(set(spec) - SPEC_KEYS - set(reader.spec_keys))
    if extra:
        raise ConfigError(f"{where}.{extra[0]}",
                          f"unknown key for {reader.name} (allowed: "
                          f"{', '.join(sorted(SPEC_KEYS | set(reader.spec_keys)))})")
    for key in ("fields", "privacy"):
        if key in spec and not isinstance(spec[key], dict):
            raise ConfigError(f"{where}.{key}", "must be an object")
    if "allow_empty" in spec and not isinstance(spec["allow_empty"], bool):
        raise ConfigError(f"{where}.allow_empty", "must be true or false")
    if "columns" in spec:
        _check_columns(f"{where}.columns", spec["columns"])
    if "title" in spec and not isinstance(spec["title"], str):
        raise ConfigError(f"{where}.title", "must be a string")
    problems = reader.validate_spec(spec)
    if problems:
        key, cause = next(iter(problems.items()))
        raise ConfigError(f"{where}.{key}", cause)
    try:
        from ckanext.smartcity.privacy import Policy
        Policy.from_spec(spec.get("privacy", {}), dataset_type=spec["dataset_type"])
    except ImportError:  # the guard is built alongside; it is checked again at harvest
        pass
    except (ValueError, TypeError) as err:
        raise ConfigError(f"{where}.privacy", str(err)) from None


def check_config(text: str | None, reader: Reader) -> dict[str, Any]:
    """Parse and check a source config for ``reader``; return it as a dict.

    :raises ConfigError: naming the first offending key.
    """
    config = parse_config(text)
    for key in inline_secret_keys(config):
        raise ConfigError(key, "looks like an inline secret; put the secret in an "
                               "environment variable and name it with '*_env'")
    extra = sorted(set(config) - SOURCE_KEYS - set(reader.source_keys))
    if extra:
        raise ConfigError(extra[0], f"unknown key for {reader.name}")
    if "defaults" in config and not isinstance(config["defaults"], dict):
        raise ConfigError("defaults", "must be an object")
    if "delete_missing" in config and not isinstance(config["delete_missing"], bool):
        raise ConfigError("delete_missing", "must be true or false")
    notify = config.get("notify", [])
    if not isinstance(notify, list) or not all(
            isinstance(a, str) and re.fullmatch(r"[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>]+", a)
            for a in notify):
        raise ConfigError("notify", "must be a list of e-mail addresses")
    datasets = config.get("datasets")
    if not isinstance(datasets, list) or not datasets:
        raise ConfigError("datasets", "is required: a non-empty list of dataset specs")
    problems = {k: v for k, v in reader.validate_source().items() if k != "url"}
    if problems:
        key, cause = next(iter(problems.items()))
        raise ConfigError(key, cause)
    names: set[str] = set()
    for index, spec in enumerate(datasets):
        _check_spec(index, spec, reader, names)
    return config
