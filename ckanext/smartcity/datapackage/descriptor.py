"""``datapackage.json`` of a dataset (Frictionless Data Package v1; no CKAN imports).

One *tabular data resource* per DataStore table of the dataset. Its Table Schema comes
from the DataStore data dictionary the department curated:

* ``name`` — the column id (what the CSV header and the API use);
* ``type`` — from the DataStore type (``text`` → ``string``, ``int8`` → ``integer`` …);
* ``title`` / ``description`` — the Vietnamese label and notes; ``title_en`` and
  ``unit`` when the dictionary has them (extra properties, as the spec allows);
* ``missingValues: [""]`` — a suppressed small cell is published empty, and is *missing*,
  not zero (see the dataset's privacy note).

Tables are named after their resource (``[a-z0-9._-]``, unique in the package); their
``path`` is what the caller gives (a dump URL, or ``data/<name>.csv`` inside the ZIP).
"""
from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

__all__ = ["FIELD_TYPES", "MISSING_VALUES", "descriptor", "field_type", "resource_name"]

#: DataStore (PostgreSQL) type → Table Schema type
FIELD_TYPES = {
    "text": "string", "varchar": "string", "char": "string", "name": "string",
    "int": "integer", "int2": "integer", "int4": "integer", "int8": "integer",
    "integer": "integer", "bigint": "integer", "smallint": "integer",
    "numeric": "number", "float4": "number", "float8": "number", "real": "number",
    "double precision": "number",
    "bool": "boolean", "boolean": "boolean",
    "date": "date", "time": "time", "timestamp": "datetime", "timestamptz": "datetime",
    "json": "object", "jsonb": "object",
}
#: how a missing (suppressed or empty) cell is written in the CSV
MISSING_VALUES = [""]
_NAME_CHARS = re.compile(r"[^a-z0-9._-]+")


def field_type(datastore_type: str) -> str:
    """The Table Schema type of a DataStore column (``array`` for ``_text`` & co.,
    ``any`` for a type the spec has no name for)."""
    kind = (datastore_type or "text").lower()
    if kind.startswith("_"):
        return "array"
    return FIELD_TYPES.get(kind, "any")


def resource_name(resource: Mapping[str, Any], taken: set[str]) -> str:
    """A package-unique name for the resource: its name as ``[a-z0-9._-]``, else its id."""
    base = _NAME_CHARS.sub("-", str(resource.get("name") or "").lower()).strip("-._")
    base = base or str(resource["id"])
    name, n = base, 1
    while name in taken:
        n += 1
        name = f"{base}-{n}"
    taken.add(name)
    return name


def _schema(fields: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    out = []
    for field in fields:
        if str(field["id"]).startswith("_"):
            continue  # the DataStore's own _id
        info = field.get("info") or {}
        entry: dict[str, Any] = {"name": field["id"], "type": field_type(field.get("type"))}
        for key, target in (("label", "title"), ("notes", "description"),
                            ("label_en", "title_en"), ("unit", "unit")):
            if info.get(key):
                entry[target] = str(info[key])
        out.append(entry)
    return {"fields": out, "missingValues": list(MISSING_VALUES)}


def descriptor(dataset: Mapping[str, Any],
               tables: Sequence[tuple[Mapping[str, Any], Sequence[Mapping[str, Any]]]],
               path_of: Callable[[str, Mapping[str, Any]], str],
               homepage: str = "") -> dict[str, Any]:
    """The Data Package of ``dataset`` (a ``package_show`` dict).

    :param tables: (resource dict, its DataStore fields) for each table, in order.
    :param path_of: (table name, resource) → the table's ``path``.
    :param homepage: the dataset's page URL.
    """
    taken: set[str] = set()
    resources = []
    for resource, fields in tables:
        name = resource_name(resource, taken)
        entry: dict[str, Any] = {
            "name": name, "path": path_of(name, resource),
            "profile": "tabular-data-resource", "format": "csv", "mediatype": "text/csv",
            "encoding": "utf-8", "schema": _schema(fields),
        }
        if resource.get("name"):
            entry["title"] = str(resource["name"])
        if resource.get("description"):
            entry["description"] = str(resource["description"])
        resources.append(entry)
    package: dict[str, Any] = {
        "profile": "tabular-data-package", "name": dataset["name"], "id": dataset["id"],
        "title": dataset.get("title") or dataset["name"], "resources": resources,
    }
    if dataset.get("notes"):
        package["description"] = str(dataset["notes"])
    if dataset.get("title_en"):
        package["title_en"] = str(dataset["title_en"])
    if homepage:
        package["homepage"] = homepage
    if dataset.get("license_id"):
        licence = {"name": str(dataset["license_id"])}
        if dataset.get("license_title"):
            licence["title"] = str(dataset["license_title"])
        if dataset.get("license_url"):
            licence["path"] = str(dataset["license_url"])
        package["licenses"] = [licence]
    tags = [str(tag["name"]) for tag in dataset.get("tags") or [] if tag.get("name")]
    if tags:
        package["keywords"] = tags
    organization = dataset.get("organization") or {}
    if organization.get("title"):
        package["sources"] = [{"title": str(organization["title"])}]
    created = str(dataset.get("metadata_created") or "")
    if created:  # CKAN stores UTC without a zone; the spec wants RFC 3339
        package["created"] = created if created.endswith("Z") or "+" in created else (
            created + "Z")
    return package
