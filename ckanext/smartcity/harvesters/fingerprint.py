"""Gather-time skip of unchanged tables.

A table's *fingerprint* is a hash of everything its published dataset is made from:

* the source (type, URL, department) and its config without the list of datasets
  (defaults, reader options, ``delete_missing``, ``notify``);
* the dataset spec itself (fields, columns, privacy block, query/path/file);
* the effective privacy policy (the guard's k for the dataset type and spec);
* the dataset type's scheming schema;
* the code that turns rows into a published dataset (readers, mapping, privacy guard,
  publishing: a hash of their source files, so an upgrade re-imports);
* the source's own *content signal* (``Reader.change_signal``: ETag/Last-Modified of
  an unpaginated API, name + size + mtime + ctime of a dropped file, the rows of a
  declared ``change_query`` for SQL).

A table is skipped only when it has a content signal, its fingerprint equals the one of
the **latest completed** harvest object of the same guid, and that object's dataset is
still active with its DataStore table. Anything else — no signal, a signal that could not
be read, a different fingerprint, a failed or withdrawn last object, a dataset deleted or
without its table — reads the table again (and the content hash still decides whether
anything is written).
"""
from __future__ import annotations

import functools
import hashlib
import json
import logging
from pathlib import Path
from typing import Any

import sqlalchemy as sa

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckanext.harvest.model import HarvestObject, HarvestObjectExtra

from ckanext.smartcity.readers import Reader

__all__ = ["FINGERPRINT", "fingerprint", "previous_fingerprints", "still_published"]

log = logging.getLogger(__name__)
#: harvest object extra: the fingerprint computed at gather time
FINGERPRINT = "smartcity_fingerprint"
_PACKAGE = Path(__file__).resolve().parents[1]
_CODE = ("readers", "pipeline", "privacy", "harvesters/table_source.py", "schemas")


@functools.lru_cache(maxsize=1)
def _code_hash() -> str:
    digest = hashlib.sha256()
    for name in _CODE:
        path = _PACKAGE / name
        files = sorted(path.rglob("*")) if path.is_dir() else [path]
        for file in files:
            if file.is_file() and file.suffix in (".py", ".yaml", ".yml", ".json"):
                digest.update(str(file.relative_to(_PACKAGE)).encode())
                digest.update(file.read_bytes())
    return digest.hexdigest()


def _schema(dataset_type: str) -> Any:
    try:
        return tk.get_action("scheming_dataset_schema_show")(
            {"ignore_auth": True}, {"type": dataset_type})
    except (KeyError, tk.ObjectNotFound):
        return None


def _policy(spec: dict[str, Any], defaults: dict[str, Any]) -> str:
    from ckanext.smartcity.privacy import Policy, PrivacyError
    declared = {**defaults, **(spec.get("fields") or {})}
    try:
        return repr(Policy.from_spec(spec.get("privacy", {}),
                                     dataset_type=spec.get("dataset_type"),
                                     dataset_min_cell_size=declared.get("min_cell_size")))
    except PrivacyError as err:
        return f"invalid: {err}"


def fingerprint(source_obj: Any, config: dict[str, Any], spec: dict[str, Any],
                reader: Reader, schemas: dict[str, Any]) -> str | None:
    """The fingerprint of ``spec`` (see module), or None when the source gives no content
    signal (or it could not be read): then the table is read again."""
    try:
        signal = reader.change_signal(spec)
    except Exception as err:  # noqa: BLE001 - the import reports the source's failure
        log.info("%s: no change signal (%s)", spec.get("name"), type(err).__name__)
        return None
    if not signal:
        return None
    dataset_type = spec.get("dataset_type", "")
    if dataset_type not in schemas:
        schemas[dataset_type] = _schema(dataset_type)
    package = model.Package.get(source_obj.id)
    whole = {
        "source": [source_obj.type, source_obj.url,
                   package.owner_org if package is not None else None],
        "config": {k: v for k, v in config.items() if k != "datasets"},
        "spec": spec,
        "policy": _policy(spec, config.get("defaults") or {}),
        "schema": schemas[dataset_type],
        "code": _code_hash(),
        "signal": signal,
    }
    text = json.dumps(whole, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def previous_fingerprints(source_id: str) -> dict[str, tuple[str | None, str | None]]:
    """Per guid of the source: (fingerprint, package id) of its latest COMPLETE object
    (fingerprint None when that object carries none, e.g. a withdrawal)."""
    latest = (model.Session.query(HarvestObject.id, HarvestObject.guid,
                                  HarvestObject.package_id)
              .filter(HarvestObject.harvest_source_id == source_id)
              .filter(HarvestObject.state == "COMPLETE")
              .distinct(HarvestObject.guid)
              .order_by(HarvestObject.guid, HarvestObject.gathered.desc(),
                        HarvestObject.id.desc())
              .subquery())
    rows = (model.Session.query(latest.c.guid, latest.c.package_id, HarvestObjectExtra.value)
            .outerjoin(HarvestObjectExtra,
                       sa.and_(HarvestObjectExtra.harvest_object_id == latest.c.id,
                               HarvestObjectExtra.key == FINGERPRINT))
            .all())
    return {guid: (value, package_id) for guid, package_id, value in rows}


def still_published(package_ids: set[str]) -> set[str]:
    """Those of ``package_ids`` whose dataset is active with an active rows resource
    whose DataStore table is active (as :func:`publish.is_complete` asks)."""
    from ckanext.smartcity.pipeline.publish import ROWS_RESOURCE_KEY
    if not package_ids:
        return set()
    found: set[str] = set()
    resources = (model.Session.query(model.Resource)
                 .join(model.Package, model.Package.id == model.Resource.package_id)
                 .filter(model.Package.id.in_(package_ids))
                 .filter(model.Package.state == "active")
                 .filter(model.Resource.state == "active"))
    for resource in resources:
        extras = resource.extras or {}
        if (str(extras.get(ROWS_RESOURCE_KEY, "")).lower() == "true"
                and extras.get("datastore_active") is True):
            found.add(resource.package_id)
    return found
