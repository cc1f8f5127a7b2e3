"""Where a dataset's quality report and link checks live: the package's ``plugin_data``
column (CKAN's JSONB field for extensions), under ``smartcity_quality`` and
``smartcity_links`` ({url: LinkStatus fields}).

Decisions: plugin_data travels with the dataset (deleted with it, never shown in the
form, not touched by a ``package_update`` that does not send it) and writing it creates
no activity and does not change ``metadata_modified``: a score or a link check is not an
edit of the dataset.
"""
from __future__ import annotations

from typing import Any

import ckan.model as model

QUALITY_KEY = "smartcity_quality"
LINKS_KEY = "smartcity_links"


def _package(package_id: str) -> model.Package | None:
    return model.Package.get(package_id)


def quality(package_id: str) -> dict[str, Any] | None:
    """The stored quality report (its ``to_dict()``), None if never scored."""
    pkg = _package(package_id)
    data = (pkg.plugin_data or {}) if pkg is not None else {}
    value = data.get(QUALITY_KEY)
    return dict(value) if isinstance(value, dict) else None


def links(package_id: str) -> dict[str, Any]:
    """The last check of each of the dataset's URLs ({url: LinkStatus fields})."""
    pkg = _package(package_id)
    data = (pkg.plugin_data or {}) if pkg is not None else {}
    value = data.get(LINKS_KEY)
    return dict(value) if isinstance(value, dict) else {}


def _write(package_id: str, key: str, value: Any) -> None:
    pkg = _package(package_id)
    if pkg is None:
        return
    # a new dict, so SQLAlchemy sees the JSONB column change
    pkg.plugin_data = dict(pkg.plugin_data or {}, **{key: value})
    model.Session.add(pkg)


def save_quality(package_id: str, report: dict[str, Any]) -> None:
    """Store a quality report in the session (committed with the caller's transaction)."""
    _write(package_id, QUALITY_KEY, report)


def save_links(package_id: str, checks: dict[str, Any]) -> None:
    """Store the link checks of a dataset in the session."""
    _write(package_id, LINKS_KEY, checks)
