"""The portal's five domains (dataset types) and six pillars, defined once.

The domains are read from the smartcity scheming schemas shipped in
``ckanext/smartcity/schemas/`` (each type file's ``dataset_type`` and its ``domain:
{order, label}``), so adding a domain is adding a schema file. The pillars are the
programme's list in :mod:`ckanext.smartcity.reference.departments` (which ``ckan smartcity init``
creates as groups). No CKAN imports: the privacy CLI and the config checks use it too.
"""
from __future__ import annotations

from functools import lru_cache
from importlib import resources

import yaml

from ckanext.smartcity.reference.departments import PILLARS as _PILLARS

__all__ = ["DATASET_TYPES", "DOMAIN_LABELS", "PILLARS", "dataset_types", "domain_labels"]


@lru_cache(maxsize=1)
def _domains() -> tuple[tuple[str, int, str, str], ...]:
    found = []
    for ref in resources.files("ckanext.smartcity").joinpath("schemas").iterdir():
        if not ref.name.endswith(".yaml"):
            continue
        data = yaml.safe_load(ref.read_text(encoding="utf-8")) or {}
        if "dataset_type" in data and isinstance(data.get("domain"), dict):
            label = data["domain"]["label"]
            found.append((data["dataset_type"], int(data["domain"]["order"]),
                          str(label["vi"]), str(label["en"])))
    return tuple(sorted(found, key=lambda d: d[1]))


def dataset_types() -> tuple[str, ...]:
    """The dataset types of the smartcity schemas, in portal order."""
    return tuple(d[0] for d in _domains())


def domain_labels() -> dict[str, tuple[str, str]]:
    """Dataset type → (Vietnamese, English) short name, in portal order."""
    return {d[0]: (d[2], d[3]) for d in _domains()}


DATASET_TYPES: tuple[str, ...] = dataset_types()
DOMAIN_LABELS: dict[str, tuple[str, str]] = domain_labels()
#: (pillar_code, usual group name, Vietnamese, English), in programme order.
PILLARS: tuple[tuple[str, str, str, str], ...] = tuple(
    (p.code, p.name, p.title_vi, p.title_en) for p in _PILLARS)
