"""Type-named DCAT URLs: ``/<type>/<name-or-id>.rdf|.ttl|.jsonld|.xml|.n3`` for every
scheming dataset type, next to ckanext-dcat's ``/dataset/<id>.<format>``.

A dataset's page is ``/<type>/<name>``, so its metadata is where a person would look
(``/health/co-so-y-te-theo-xa.ttl``). A dataset of another type answers 404 there: one
URL names one dataset. The RDF subject stays ``/dataset/<id>`` (ckanext-dcat's URI),
which is stable across re-harvests because a re-harvest updates the same dataset.
"""
from __future__ import annotations

from typing import Any

from flask import Blueprint

import ckan.model as model
import ckan.plugins.toolkit as tk

FORMATS = frozenset({"rdf", "xml", "ttl", "n3", "jsonld"})


def dataset_types() -> list[str]:
    """The scheming dataset types (``dataset`` itself is ckanext-dcat's own route)."""
    from ckanext.scheming.helpers import scheming_dataset_schemas

    schemas = scheming_dataset_schemas() or {}
    return sorted(t for t in schemas if t != "dataset")


def read_dataset(package_type: str, _id: str, _format: str) -> Any:
    """The DCAT serialisation of a dataset of `package_type`, else 404."""
    from ckanext.dcat.utils import read_dataset_page

    if _format not in FORMATS:
        return tk.abort(404)
    pkg = model.Package.get(_id)
    if pkg is None or pkg.type != package_type:
        return tk.abort(404)
    return read_dataset_page(pkg.id, _format)


dcat = Blueprint("smartcity_dcat", __name__)


@dcat.record_once
def _type_rules(state: Any) -> None:
    """One rule per dataset type, added when the app registers the blueprint (the
    scheming schemas are loaded by then; they are not when this module is imported)."""
    for package_type in dataset_types():
        state.add_url_rule(f"/{package_type}/<_id>.<_format>", endpoint=f"read_{package_type}",
                           view_func=read_dataset, defaults={"package_type": package_type})
