"""Harvest sources as ckanext-harvest defines them, and who may read their configuration.

Why this module exists: ckanext-harvest 1.6's ``harvest_source_reindex`` (run after every
job) indexes the *unvalidated* package dict as the source's ``validated_data_dict``. CKAN's
``package_show`` returns that cached dict, so after the first job ``harvest_source_show``
gave ``config``/``source_type``/``frequency`` only inside ``extras`` — the edit form then
opened empty and saving it wiped the configuration. Here:

* the index never holds a source's configuration or URL (:func:`strip_for_index`);
* ``package_show`` of a source always completes the dict from the ``harvest_source``
  table, the one place ckanext-harvest writes them (:func:`complete_source`);
* a source's configuration, URL and queries are shown only to those who may edit the
  source (its department's editors and sysadmins); everybody else sees its title,
  department, type, frequency and last-run status (:func:`redact`).
"""
from __future__ import annotations

import json
from typing import Any, Iterable

import ckan.model as model
import ckan.plugins.toolkit as tk

__all__ = ["SOURCE_TYPE", "PRIVATE_KEYS", "can_edit", "complete_source", "redact",
           "strip_for_index", "complete_search_results", "redact_dictized",
           "request_context"]

SOURCE_TYPE = "harvest"
#: what only a source's editors see (besides the config's own top-level keys, which
#: ckanext-harvest's show schema copies onto the dict)
PRIVATE_KEYS = ("config", "url")


def _config_keys(config: str | None) -> set[str]:
    try:
        parsed = json.loads(config or "")
    except ValueError:
        return set()
    return set(parsed) if isinstance(parsed, dict) else set()


def can_edit(context: dict[str, Any], source_id: str) -> bool:
    """True when the user of ``context`` may update the source (fails closed)."""
    if context.get("ignore_auth"):
        return True
    check = {"user": context.get("user"), "auth_user_obj": context.get("auth_user_obj"),
             "model": model, "session": model.Session}
    try:
        tk.check_access("harvest_source_update", check, {"id": source_id})
    except (tk.NotAuthorized, tk.ObjectNotFound):
        return False
    except Exception:  # noqa: BLE001 - any doubt about permissions hides the config
        return False
    return True


def _harvest_source(source_id: str) -> Any:
    from ckanext.harvest.model import HarvestSource
    return model.Session.query(HarvestSource).get(source_id)


def redact(data_dict: dict[str, Any], config: str | None) -> None:
    """Remove the configuration, URL and config-derived keys from a source dict."""
    for key in (*PRIVATE_KEYS, *_config_keys(config)):
        if key not in ("id", "name", "title", "type", "owner_org", "organization",
                       "source_type", "frequency", "status", "state"):
            data_dict.pop(key, None)
    data_dict["extras"] = [e for e in data_dict.get("extras") or []
                           if e.get("key") not in ("config",)]


def complete_source(context: dict[str, Any], data_dict: dict[str, Any]) -> None:
    """``after_dataset_show`` for sources: top-level ``source_type``, ``frequency`` and,
    for editors, ``config`` and ``url`` from the ``harvest_source`` table."""
    source = _harvest_source(data_dict["id"])
    if source is None:
        return
    data_dict["source_type"] = source.type
    data_dict["frequency"] = source.frequency or "MANUAL"
    # extras carry the same values (ckanext-harvest writes both); keep them consistent
    data_dict["extras"] = [e for e in data_dict.get("extras") or []
                           if e.get("key") not in ("config", "source_type", "frequency")]
    if can_edit(context, source.id):
        data_dict["config"] = source.config or ""
        data_dict["url"] = source.url
        for key, value in _parsed(source.config).items():
            data_dict.setdefault(key, value)
    else:
        redact(data_dict, source.config)


def _parsed(config: str | None) -> dict[str, Any]:
    try:
        parsed = json.loads(config or "")
    except ValueError:
        return {}
    return parsed if isinstance(parsed, dict) else {}


def strip_for_index(pkg_dict: dict[str, Any]) -> dict[str, Any]:
    """``before_dataset_index`` for sources: no configuration or URL in Solr.

    A config is JSON (hundreds of KB for a system with many tables), not searchable
    text; Solr refuses a string term over 32 KB; and ``package_search`` would hand the
    cached dicts to anyone.
    """
    config = pkg_dict.get("config") or pkg_dict.get("extras_config")
    keys = _config_keys(config)
    for key in (*PRIVATE_KEYS, "extras_config", *keys):
        if key not in ("id", "name", "title", "type", "source_type", "frequency"):
            pkg_dict.pop(key, None)
    pkg_dict.pop("extras_url", None)
    for cached in ("data_dict", "validated_data_dict"):
        raw = pkg_dict.get(cached)
        if not isinstance(raw, str):
            continue
        try:
            data = json.loads(raw)
        except ValueError:
            continue
        redact(data, data.get("config") or config)
        pkg_dict[cached] = json.dumps(data)
    return pkg_dict


def complete_search_results(context: dict[str, Any],
                            results: Iterable[dict[str, Any]]) -> None:
    """Sources in ``package_search`` results: type and frequency for all, the
    configuration and URL for the user's editable sources only."""
    sources = [r for r in results if r.get("type") == SOURCE_TYPE]
    for result in sources:
        complete_source(context, result)


def redact_dictized(context: dict[str, Any], source: dict[str, Any]) -> dict[str, Any]:
    """A ``harvest_source_dictize`` dict (``harvest_source_list``) for this user, named
    like ``harvest_source_show`` names it (``name``, ``source_type``)."""
    package = model.Package.get(source["id"])
    if package is not None:
        source.setdefault("name", package.name)
        source.setdefault("owner_org", package.owner_org)
    source.setdefault("source_type", source.get("type"))
    if not can_edit(context, source["id"]):
        for key in PRIVATE_KEYS:
            source.pop(key, None)
    return source


def request_context() -> dict[str, Any]:
    """The current web user as an action context; anonymous outside a request."""
    try:
        from ckan.common import current_user
        user = current_user
        name = getattr(user, "name", None)
    except Exception:  # noqa: BLE001 - no request (CLI, jobs): nobody is logged in
        return {"user": ""}
    return {"user": name or "", "auth_user_obj": user}
