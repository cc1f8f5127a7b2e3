"""Search facets and Solr indexing of the smartcity dataset types.

Plain functions that the `smartcity` plugin's IFacets and IPackageController
methods delegate to.

CKAN's Solr schema has exactly one multi-valued dynamic string field family,
``vocab_*``; the catch-all ``*`` field is single-valued. List fields
(``admin_units``, ``breakdowns``, …) and the derived ``years`` are therefore
indexed as ``vocab_<field>`` and the public names are translated both ways:
``fq=admin_units:20194`` and ``facet.field=["admin_units"]`` are rewritten to
the Solr name before the query, and facet results are renamed back after it.
So API users and the search page only ever see ``admin_units``.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import re
from collections import OrderedDict
from typing import Any, Iterable

from ckanext.smartcity.reference import labels
from ckanext.smartcity.reference.domains import DATASET_TYPES
from ckanext.smartcity.reference.lists import as_list

log = logging.getLogger(__name__)

# The five domains come from the scheming schemas (domains.py): one definition.
#: The main domain facet(s) of each dataset type.
DOMAIN_FACETS: dict[str, tuple[str, ...]] = {
    "population": ("breakdowns",),
    "land": ("land_groups",),
    "enterprise": ("vsic_sections",),
    "health": ("facility_types", "icd10_chapters"),
    "education": ("education_levels",),
}

#: Fields stored as lists (scheming multi-select) that are indexed multi-valued.
LIST_FIELDS: frozenset[str] = frozenset({
    "admin_units", "breakdowns", "land_groups", "land_use_codes", "vsic_sections",
    "enterprise_types", "facility_types", "icd10_chapters", "education_levels", "ownership",
    "population_indicators", "enterprise_indicators", "education_indicators",
})

#: Derived from temporal_start..temporal_end: every calendar year covered.
YEARS_FIELD = "years"
#: A guard against absurd ranges (a typo such as 0202-01-01).
MAX_YEARS = 200

MULTI_VALUED: frozenset[str] = LIST_FIELDS | {YEARS_FIELD}
#: Indexed text of the covered units' names (copied into Solr's `text` by CKAN's schema).
ADMIN_UNIT_NAMES_FIELD = "extras_admin_unit_names"
SOLR_PREFIX = "vocab_"

FACET_LABELS: dict[str, tuple[str, str]] = {
    "dataset_type": ("Lĩnh vực", "Domain"),
    "organization": ("Sở, ngành", "Department"),
    "groups": ("Trụ cột đô thị thông minh", "Smart-city pillar"),
    "update_frequency": ("Tần suất cập nhật", "Update frequency"),
    "admin_units": ("Đơn vị hành chính", "Administrative unit"),
    YEARS_FIELD: ("Năm", "Year"),
    "breakdowns": ("Phân tổ", "Breakdown"),
    "land_groups": ("Nhóm đất", "Land group"),
    "vsic_sections": ("Ngành kinh tế (VSIC)", "Economic section (VSIC)"),
    "facility_types": ("Loại cơ sở y tế", "Health facility type"),
    "icd10_chapters": ("Chương ICD-10", "ICD-10 chapter"),
    "education_levels": ("Cấp học", "Education level"),
    "tags": ("Từ khóa", "Tags"),
    "res_format": ("Định dạng", "Format"),
    "license_id": ("Giấy phép", "Licence"),
    # ckanext-harvest's facets of the harvest-source search page
    "frequency": ("Tần suất", "Frequency"),
    "source_type": ("Loại nguồn", "Source type"),
}

#: Facets whose items are listed in code order, not by count: field -> code list
#: (None: newest year first).
CODE_ORDERED_FACETS: dict[str, str | None] = {
    YEARS_FIELD: None,
    "icd10_chapters": "icd10_chapters",
    "vsic_sections": "vsic_sections",
}

# A public field name at the start of a Solr clause: preceded by start, space,
# "(", "+", "-" or "!" -- never by a letter, "_" or ":" (so extras_x / vocab_x stay).
_FIELD_RE = re.compile(
    r"(?<![\w:.])(" + "|".join(sorted(MULTI_VALUED, key=len, reverse=True)) + r"):"
)


# --------------------------------------------------------------------- locale

def facet_label(field: str, lang: str | None = None) -> str:
    """Facet title of `field` in the given (or current) language."""
    pair = FACET_LABELS.get(field)
    return labels.pick(pair, lang) if pair else field


# --------------------------------------------------------------------- facets

def dataset_facets(facets_dict: "OrderedDict[str, Any]",
                   package_type: str | None) -> "OrderedDict[str, Any]":
    """The smartcity facets, in order, then CKAN's remaining defaults.

    On a domain's own search page only that domain's facets are shown; on the
    generic search page a domain's facets appear once that domain is chosen.
    Other dataset types (harvest sources) are left alone.
    """
    if package_type not in (None, "dataset", *DATASET_TYPES):
        return facets_dict  # other types (harvest sources, ...) keep their own facets
    lang = labels.current_lang()
    fields: list[str] = ["dataset_type", "organization", "groups", "update_frequency",
                         "admin_units", YEARS_FIELD]
    if package_type in DOMAIN_FACETS:
        fields.remove("dataset_type")
        fields.extend(DOMAIN_FACETS[package_type])
    else:
        # a domain's own facets only once that domain is chosen (?dataset_type=health)
        for domain in chosen_domains():
            fields.extend(DOMAIN_FACETS.get(domain, ()))
    result: OrderedDict[str, Any] = OrderedDict(
        (field, facet_label(field, lang)) for field in fields
    )
    for key in facets_dict:
        if key not in result:
            result[key] = facet_label(key, lang) if key in FACET_LABELS else facets_dict[key]
    return result


def chosen_domains() -> list[str]:
    """The ``dataset_type`` values the current search filters on (none outside a request)."""
    try:
        import ckan.plugins.toolkit as tk
        values = tk.request.args.getlist("dataset_type")
    except (RuntimeError, AttributeError):  # no request: API calls from the CLI, jobs
        return []
    return [v for v in values if v in DOMAIN_FACETS]


def order_facet_items(field: str, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """`items` of a facet in the order a reader expects for `field`.

    Years newest first; ICD-10 chapters (I, II, … XXII) and VSIC sections (A … U)
    in their code list's order; other facets unchanged (CKAN: by count).
    """
    if field not in CODE_ORDERED_FACETS:
        return items
    codelist_name = CODE_ORDERED_FACETS[field]
    if codelist_name is None:
        return sorted(items, key=lambda item: str(item["name"]), reverse=True)
    from ckanext.smartcity.reference.codelists import codelist_codes

    position = {code: i for i, code in enumerate(codelist_codes(codelist_name))}
    return sorted(items, key=lambda item: (position.get(item["name"], len(position)),
                                           str(item["name"])))


def group_facets(facets_dict: "OrderedDict[str, Any]",
                 package_type: str | None) -> "OrderedDict[str, Any]":
    """Facets on an organization's or group's page (no self-facet needed)."""
    return dataset_facets(facets_dict, package_type)


# ----------------------------------------------------------------- indexing

def _year_of(value: Any) -> int | None:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.year
    match = re.match(r"\s*(\d{4})", str(value or ""))
    return int(match.group(1)) if match else None


def covered_years(start: Any, end: Any) -> list[str]:
    """Every calendar year between `start` and `end` (inclusive) as strings.

    With only one bound that year alone; an inverted or absurd range yields the
    bounds themselves rather than a huge or empty list.
    """
    first, last = _year_of(start), _year_of(end)
    if first is None and last is None:
        return []
    if first is None or last is None:
        return [str(first if first is not None else last)]
    if last < first or last - first > MAX_YEARS:
        return sorted({str(first), str(last)})
    return [str(year) for year in range(first, last + 1)]


def before_dataset_index(pkg_dict: dict[str, Any]) -> dict[str, Any]:
    """Index list fields and the covered years as multi-valued strings."""
    validated: dict[str, Any] = {}
    raw = pkg_dict.get("validated_data_dict")
    if isinstance(raw, str):
        try:
            validated = json.loads(raw)
        except ValueError:
            validated = {}

    def _value(field: str) -> Any:
        value = pkg_dict.get(field)
        if value in (None, "", []):
            value = validated.get(field)
        return value

    for field in LIST_FIELDS:
        values = as_list(_value(field))
        pkg_dict.pop(field, None)  # the single-valued "*" field cannot hold a list
        if values:
            pkg_dict[SOLR_PREFIX + field] = values
    names = admin_unit_search_text(as_list(_value("admin_units")))
    if names:
        # extras_* is copied into the searched `text` field (ASCII-folded by Solr)
        pkg_dict[ADMIN_UNIT_NAMES_FIELD] = names
    years = covered_years(_value("temporal_start"), _value("temporal_end"))
    pkg_dict.pop(YEARS_FIELD, None)
    if years:
        pkg_dict[SOLR_PREFIX + YEARS_FIELD] = years
    return pkg_dict


def admin_unit_search_text(codes: Iterable[str]) -> str:
    """The names of the covered units, Vietnamese and English, as one searchable text.

    Every name a code has had is included (``Phường Hải Châu``, ``Hai Chau Ward``),
    so a search for a commune finds the datasets covering it, with or without
    diacritics (Solr's text field folds them).
    """
    from ckanext.smartcity.reference.codelists import find_admin_units

    names: list[str] = []
    for code in codes:
        for unit in find_admin_units(code=str(code).strip()):
            for name in (unit.full_name_vi, unit.name_en):
                if name not in names:
                    names.append(name)
    return "; ".join(names)


# ------------------------------------------------------------------ querying

def to_solr_names(query: str) -> str:
    """Rewrite public multi-valued field names in a Solr query to their index names."""
    return _FIELD_RE.sub(lambda m: SOLR_PREFIX + m.group(1) + ":", query)


def before_dataset_search(search_params: dict[str, Any]) -> dict[str, Any]:
    """Translate public field names in q, fq, fq_list and facet.field."""
    for key in ("q", "fq"):
        if isinstance(search_params.get(key), str):
            search_params[key] = to_solr_names(search_params[key])
    if isinstance(search_params.get("fq_list"), list):
        search_params["fq_list"] = [
            to_solr_names(fq) if isinstance(fq, str) else fq
            for fq in search_params["fq_list"]
        ]
    facet_fields = search_params.get("facet.field")
    if isinstance(facet_fields, str):
        try:
            facet_fields = json.loads(facet_fields)
        except ValueError:
            facet_fields = [facet_fields]
    if isinstance(facet_fields, list):
        search_params["facet.field"] = [
            SOLR_PREFIX + f if f in MULTI_VALUED else f for f in facet_fields
        ]
    return search_params


def after_dataset_search(search_results: dict[str, Any],
                         search_params: dict[str, Any]) -> dict[str, Any]:
    """Rename facets back to public names and give their items readable names."""
    lang = labels.current_lang()
    for container in ("facets", "search_facets"):
        facets = search_results.get(container) or {}
        for solr_name in [k for k in facets if k.startswith(SOLR_PREFIX)]:
            public = solr_name[len(SOLR_PREFIX):]
            if public in MULTI_VALUED:
                facets[public] = facets.pop(solr_name)
                if container == "search_facets":
                    facets[public]["title"] = public
    for field, facet in (search_results.get("search_facets") or {}).items():
        for item in facet.get("items", []):
            label = labels.value_label(field, item["name"], lang, LIST_FIELDS)
            if label:
                item["display_name"] = label
    return search_results


def facet_counts(facet: dict[str, Any] | None) -> dict[str, int]:
    """{value: count} of one `search_facets` entry."""
    return {item["name"]: item["count"] for item in (facet or {}).get("items", [])}


def public_field_names(fields: Iterable[str]) -> list[str]:
    """Index names back to public names (``vocab_years`` → ``years``)."""
    return [f[len(SOLR_PREFIX):] if f.startswith(SOLR_PREFIX)
            and f[len(SOLR_PREFIX):] in MULTI_VALUED else f for f in fields]
