"""Pages people expect on an open-data portal, and DataStore downloads that open in Excel.

- ``/developers``: the action API, DataStore queries and DCAT endpoints, each with a
  live example built from a real dataset and table of this portal.
- DataStore dumps (``/datastore/dump/<id>``, CKAN's own view): a BOM on CSV/TSV only,
  ``labels=vi|en`` headers, XLSX, and the dataset's name as file name (downloads.py).

(The About page is CKAN's ``/about`` with the portal's own ``home/about.html``.)
"""
from __future__ import annotations

import json
import logging
from typing import Any
from urllib.parse import urlencode, urlsplit

from flask import Blueprint, Response, request

import ckan.plugins.toolkit as tk

from ckanext.smartcity.web.downloads import finish_dump
from ckanext.smartcity import config as portal_config

log = logging.getLogger(__name__)

__all__ = ["pages"]

pages = Blueprint("smartcity_pages", __name__)

# ------------------------------------------------------------------ developers

def _api(action: str, **params: Any) -> str:
    """An action API URL (no language prefix: the API is the same in every language)."""
    query = urlencode({k: v if isinstance(v, str) else json.dumps(v, ensure_ascii=False)
                       for k, v in params.items()})
    return tk.h.url_for("api.action", ver=3, logic_function=action, locale="default") + (
        f"?{query}" if query else "")


def _with_table(context: Any, dataset: dict[str, Any]) -> tuple[dict | None, list[dict]]:
    """The dataset's first readable DataStore table (with its first record) and fields."""
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
            return dict(resource, first_record=(info.get("records") or [{}])[0]), fields
    return None, []


def _example_table() -> tuple[dict[str, Any] | None, dict[str, Any] | None, list[dict]]:
    """The pinned example dataset (config), else the first harvested department dataset
    with a table by name; its table and fields (or Nones)."""
    context: Any = {"user": None}
    try:
        pinned = tk.get_action("package_show")(
            dict(context), {"id": portal_config.developers_example_dataset()})
        table, fields = _with_table(context, pinned)
        if table:
            return pinned, table, fields
    except (tk.ObjectNotFound, tk.NotAuthorized):
        pass
    found: dict[str, Any] = {"results": []}
    # harvested department datasets first, then any public one; by name, never "newest"
    for fq in ("+harvest_source_id:[* TO *]", ""):
        try:
            found = tk.get_action("package_search")(
                context, {"q": "*:*", "rows": 50, "sort": "name asc",
                          "fq": f"-dataset_type:harvest {fq}".strip()})
        except Exception:  # the page must render even if Solr is down
            log.warning("no datasets for the developers page", exc_info=True)
            return None, None, []
        for dataset in found["results"]:
            table, fields = _with_table(context, dataset)
            if table:
                return dataset, table, fields
    return (found["results"][0] if found["results"] else None), None, []


def developer_examples() -> dict[str, Any]:
    """Live example URLs for the developers page (relative to the site)."""
    dataset, table, fields = _example_table()
    examples: dict[str, Any] = {"dataset": dataset, "table": table, "fields": fields}
    examples["search"] = _api("package_search", q="y tế", rows=5)
    examples["facets"] = _api("package_search", rows=0,
                              **{"facet.field": ["dataset_type", "admin_units", "years"]})
    examples["admin_units"] = _api("smartcity_admin_units", level="commune")
    examples["catalog_ttl"] = tk.h.url_for("dcat.read_catalog", _format="ttl",
                                           locale="default")
    if dataset:
        examples["show"] = _api("package_show", id=dataset["name"])
        examples["by_domain"] = _api("package_search", fq=f"dataset_type:{dataset['type']}")
        examples["dataset_rdf"] = tk.h.url_for("dcat.read_dataset", _id=dataset["name"],
                                               _format="rdf", locale="default")
        examples["dataset_ttl"] = tk.h.url_for("dcat.read_dataset", _id=dataset["name"],
                                               _format="ttl", locale="default")
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
        examples["dump"] = tk.h.url_for("datastore.dump", resource_id=rid, locale="default")
        examples["dump_xlsx"] = tk.h.url_for("datastore.dump", resource_id=rid, format="xlsx",
                                             labels="vi", locale="default")
    # the site's scheme and host: the URLs above already hold its path (and no language)
    site = urlsplit(tk.config.get("ckan.site_url") or request.host_url)
    examples["site"] = f"{site.scheme}://{site.netloc}"
    # CKAN's documentation of the version this portal runs (e.g. 2.12)
    examples["ckan_docs"] = "https://docs.ckan.org/en/{}/".format(
        ".".join(tk.h.ckan_version().split(".")[:2]))
    return examples


def developers() -> str:
    """The developers page."""
    return tk.render("smartcity/developers.html",
                     extra_vars={"examples": developer_examples()})


pages.add_url_rule("/developers", view_func=developers, endpoint="developers")


# ---------------------------------------------------------------- dumps

@pages.after_app_request
def excel_friendly_dump(response: Response) -> Response:
    """BOM only on CSV/TSV, ``labels=vi|en`` headers, ``<dataset-name>.<ext>`` (downloads.py)."""
    if request.endpoint != "datastore.dump" or response.status_code != 200:
        return response
    fmt = (request.args.get("format") or "csv").lower()
    return finish_dump(response, fmt, (request.view_args or {}).get("resource_id", ""))
