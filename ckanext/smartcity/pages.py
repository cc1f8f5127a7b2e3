"""Pages people expect on an open-data portal, and DataStore downloads that open in Excel.

- ``/developers``: the action API, DataStore queries and DCAT endpoints, each with a
  live example built from a real dataset and table of this portal.
- DataStore CSV/TSV dumps (``/datastore/dump/<id>``, CKAN's own view) are answered with
  a UTF-8 byte-order mark unless the caller asks ``bom=false`` (Excel reads BOM-less
  UTF-8 as Windows-1258/1252: mojibake), and are named after the dataset
  (``<dataset-name>.csv``) instead of the resource id.

(The About page is CKAN's ``/about`` with the portal's own ``home/about.html``.)
"""
from __future__ import annotations

import codecs
import itertools
import json
import logging
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Response, request

import ckan.plugins.toolkit as tk

log = logging.getLogger(__name__)

__all__ = ["pages"]

pages = Blueprint("smartcity_pages", __name__)

#: DataStore dump formats that are text a spreadsheet opens.
_TEXT_DUMPS = {"csv": "csv", "tsv": "tsv"}


# ------------------------------------------------------------------ developers

def _api(action: str, **params: Any) -> str:
    query = urlencode({k: v if isinstance(v, str) else json.dumps(v, ensure_ascii=False)
                       for k, v in params.items()})
    return tk.h.url_for("api.action", ver=3, logic_function=action) + (
        f"?{query}" if query else "")


def _example_table() -> tuple[dict[str, Any] | None, dict[str, Any] | None, list[dict]]:
    """A public dataset with a DataStore table, that table, and its fields (or Nones)."""
    context: Any = {"user": None}
    try:
        found = tk.get_action("package_search")(
            context, {"q": "*:*", "rows": 50, "sort": "metadata_modified desc",
                      "fq": "-dataset_type:harvest"})
    except Exception:  # the page must render even if Solr is down
        log.warning("no datasets for the developers page", exc_info=True)
        return None, None, []
    for dataset in found["results"]:
        for resource in dataset.get("resources") or []:
            if not resource.get("datastore_active"):
                continue
            try:
                info = tk.get_action("datastore_search")(
                    context, {"resource_id": resource["id"], "limit": 1})
            except Exception:  # a table being replaced right now: try the next one
                continue
            fields = [f for f in info.get("fields", []) if not f["id"].startswith("_")]
            if fields:
                return dataset, dict(resource, first_record=(info.get("records") or [{}])[0]), fields
    return (found["results"][0] if found["results"] else None), None, []


def developer_examples() -> dict[str, Any]:
    """Live example URLs for the developers page (relative to the site)."""
    dataset, table, fields = _example_table()
    examples: dict[str, Any] = {"dataset": dataset, "table": table, "fields": fields}
    examples["search"] = _api("package_search", q="y tế", rows=5)
    examples["facets"] = _api("package_search", rows=0,
                              **{"facet.field": ["dataset_type", "admin_units", "years"]})
    examples["admin_units"] = _api("smartcity_admin_units", level="commune")
    examples["catalog_ttl"] = tk.h.url_for("dcat.read_catalog", _format="ttl")
    if dataset:
        examples["show"] = _api("package_show", id=dataset["name"])
        examples["by_domain"] = _api("package_search", fq=f"dataset_type:{dataset['type']}")
        examples["dataset_rdf"] = tk.h.url_for("dcat.read_dataset", _id=dataset["name"],
                                               _format="rdf")
        examples["dataset_ttl"] = tk.h.url_for("dcat.read_dataset", _id=dataset["name"],
                                               _format="ttl")
    if table:
        rid = table["id"]
        examples["rows"] = _api("datastore_search", resource_id=rid, limit=5)
        first = fields[0]["id"]
        value = table["first_record"].get(first)
        if value is not None:
            examples["filtered"] = _api("datastore_search", resource_id=rid,
                                        filters={first: value}, limit=5)
        examples["fulltext"] = _api("datastore_search", resource_id=rid, q=str(value or ""),
                                    limit=5)
        # only where the portal offers SQL queries (off by default: it answers 400)
        if tk.asbool(tk.config.get("ckan.datastore.sqlsearch.enabled")):
            examples["sql"] = _api("datastore_search_sql",
                                   sql=f'SELECT * FROM "{rid}" LIMIT 5')
        examples["dump"] = tk.h.url_for("datastore.dump", resource_id=rid)
    return examples


def developers() -> str:
    """The developers page."""
    return tk.render("smartcity/developers.html",
                     extra_vars={"examples": developer_examples()})


pages.add_url_rule("/developers", view_func=developers, endpoint="developers")


# ---------------------------------------------------------------- CSV dumps

def _dataset_name(resource_id: str) -> str | None:
    try:
        resource = tk.get_action("resource_show")({"ignore_auth": True}, {"id": resource_id})
        dataset = tk.get_action("package_show")({"ignore_auth": True},
                                                {"id": resource["package_id"]})
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return None
    return dataset["name"]


def _with_bom(response: Response) -> Response:
    body = response.response
    response.response = itertools.chain([codecs.BOM_UTF8], body)  # type: ignore[assignment]
    return response


@pages.after_app_request
def excel_friendly_dump(response: Response) -> Response:
    """UTF-8 BOM by default and ``<dataset-name>.<ext>`` for DataStore text dumps."""
    if request.endpoint != "datastore.dump" or response.status_code != 200:
        return response
    fmt = (request.args.get("format") or "csv").lower()
    resource_id = (request.view_args or {}).get("resource_id", "")
    name = _dataset_name(resource_id) if resource_id else None
    if name:
        ext = fmt if fmt in ("csv", "tsv", "json", "xml") else "csv"
        response.headers["Content-Disposition"] = f'attachment; filename="{name}.{ext}"'
    if fmt in _TEXT_DUMPS and "bom" not in request.args:
        response = _with_bom(response)
    return response
