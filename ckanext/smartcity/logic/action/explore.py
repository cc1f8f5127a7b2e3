"""``smartcity_map_data``: a DataStore column by commune as GeoJSON."""
from __future__ import annotations

import json
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.lib.navl.dictization_functions import StopOnError, missing
from ckan.types import Context, DataDict, Schema

from ckanext.smartcity.explore import aggregate, geo
from ckanext.smartcity.explore.profile import current_communes, profile_table

__all__ = ["smartcity_map_data", "smartcity_chart_data", "map_data_schema",
           "chart_data_schema"]

MISSING = "Thiếu giá trị / missing value"


def _required_text(key: Any, data: dict[Any, Any], errors: dict[Any, list[str]],
                   context: Context) -> None:
    """The value as stripped text; an absent, empty or blank value is an error."""
    value = data.get(key)
    text = "" if value is missing or value is None else str(value).strip()
    if not text:
        errors[key].append(MISSING)
        raise StopOnError
    data[key] = text


def map_data_schema() -> Schema:
    """``resource_id`` required; ``column`` and ``period`` as text when given. ``filters``
    (an object or its JSON text) and ``geometry`` are read by the action itself: navl
    would flatten an object's keys away."""
    ignore_missing = tk.get_validator("ignore_missing")
    unicode_safe = tk.get_validator("unicode_safe")
    return {"resource_id": [_required_text],
            "column": [ignore_missing, unicode_safe],
            "period": [ignore_missing, unicode_safe]}


def chart_data_schema() -> Schema:
    """:func:`map_data_schema` and ``by`` as text when given."""
    return dict(map_data_schema(), by=[tk.get_validator("ignore_missing"),
                                       tk.get_validator("unicode_safe")])


def _validated(data_dict: DataDict, schema: Schema, context: Context) -> dict[str, Any]:
    data, errors = tk.navl_validate(dict(data_dict), schema, context)
    if errors:
        raise tk.ValidationError(errors)
    return data


def _filters(value: Any) -> dict[str, str]:
    if value in (None, "", {}):
        return {}
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            value = None
    if not isinstance(value, dict) or not all(isinstance(v, (str, int)) for v in value.values()):
        raise tk.ValidationError({"filters": [
            'Cần một đối tượng {"cột": "giá trị"} / expected an object {"column": "value"}']})
    return {str(k): str(v) for k, v in value.items()}


@tk.side_effect_free
def smartcity_map_data(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """A numeric column of a DataStore table aggregated per commune, as GeoJSON.

    Count columns are summed over the rows of each commune; a commune any of whose rows
    is a suppressed cell gets ``value: null`` and ``status: "suppressed"`` (never 0). A
    non-count column is not summed: ``filters`` must leave one row per commune.

    :param resource_id: a DataStore resource with a commune-code column
    :type resource_id: string
    :param column: the numeric column (default: the first count column)
    :type column: string
    :param period: a value of the table's year/month column (optional; all rows if absent)
    :type period: string
    :param filters: ``{"category column": "value"}`` (optional; object or JSON string)
    :type filters: dict
    :param geometry: include the commune boundaries (optional, default true)
    :type geometry: bool
    :returns: a FeatureCollection of the 94 current communes; each feature's
        ``properties``: ``code, name, name_en, value, status`` (``ok``, ``suppressed``,
        ``no_data``), ``rows``, ``suppressed_cells``; top level: ``column, label,
        label_en, unit, unit_en, period, filters, attribution``
    :rtype: dict
    """
    data = _validated(data_dict, map_data_schema(), context)
    resource_id = data["resource_id"]
    tk.check_access("resource_show", context, {"id": resource_id})
    resource = tk.get_action("resource_show")(context, {"id": resource_id})
    profile = profile_table(resource["id"]) if resource.get("datastore_active") else None
    if profile is None or profile.commune is None:
        raise tk.ValidationError({"resource_id": [
            "Bảng không có cột mã xã, phường theo danh mục / the table has no commune-code "
            "column of the code list"]})
    column = (data.get("column") or "").strip() or next(
        iter(sorted(profile.counts, key=profile.measures.index)), profile.measures[0]
        if profile.measures else "")
    period = data.get("period")
    period = period.strip() if period not in (None, "") else None
    filters = _filters(data_dict.get("filters"))
    with_geometry = tk.asbool(data_dict.get("geometry", True))

    cells = {c.key: c for c in aggregate.aggregate(profile, column, profile.commune,
                                                   period, filters)}
    names = current_communes()
    shapes = geo.boundaries()
    features = []
    for shape in shapes["features"]:
        code = shape["id"]
        cell = cells.get(code)
        name, name_en = names.get(code, (code, code))
        feature: dict[str, Any] = {"type": "Feature", "id": code, "properties": {
            "code": code, "name": name, "name_en": name_en,
            "value": cell.value if cell else None,
            "status": cell.status if cell else "no_data",
            "rows": cell.rows if cell else 0,
            "suppressed_cells": cell.suppressed if cell else 0}}
        feature["geometry"] = shape["geometry"] if with_geometry else None
        features.append(feature)
    col = profile.columns[column]
    return {"type": "FeatureCollection", "resource_id": resource["id"], "column": column,
            "label": col.label, "label_en": col.label_en or col.label,
            "unit": col.unit, "unit_en": col.unit_en or col.unit,
            "count": column in profile.counts, "period": period, "filters": filters,
            "attribution": shapes.get("attribution", ""), "features": features}


@tk.side_effect_free
def smartcity_chart_data(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """A numeric column of a DataStore table aggregated over time or by category (the
    chart view's data), with the same suppression rule as ``smartcity_map_data``.

    :param resource_id: a DataStore resource
    :type resource_id: string
    :param column: the numeric column
    :type column: string
    :param by: the period column or a category column
    :type by: string
    :param period: a period to keep when ``by`` is a category (optional)
    :type period: string
    :param filters: ``{"category or commune column": "value"}`` (optional)
    :type filters: dict
    :returns: ``{"column", "by", "points": [{"key", "label", "value", "status", "rows",
        "suppressed_cells"}]}`` in period or category order
    :rtype: dict
    """
    data = _validated(data_dict, chart_data_schema(), context)
    resource_id = data["resource_id"]
    tk.check_access("resource_show", context, {"id": resource_id})
    resource = tk.get_action("resource_show")(context, {"id": resource_id})
    profile = profile_table(resource["id"]) if resource.get("datastore_active") else None
    if profile is None or not profile.has_chart:
        raise tk.ValidationError({"resource_id": [
            "Bảng không có cột thời gian hay phân loại / the table has no period or "
            "category column"]})
    by = data.get("by") or profile.period or profile.categories[0].column
    category = profile.category(by)
    if by != profile.period and category is None:
        raise tk.ValidationError({"by": [
            f'"{by}" không phải cột thời gian hay phân loại / is not a period or category '
            f'column']})
    column = (data.get("column") or "").strip()
    period = data.get("period") if by != profile.period else None
    period = period.strip() if period not in (None, "") else None
    cells = {c.key: c for c in aggregate.aggregate(
        profile, column, by, period, _filters(data_dict.get("filters")))}
    order = list(profile.periods) if category is None else list(category.values)
    labels = {} if category is None else category.labels
    points = []
    for key in order:
        cell = cells.get(key)
        points.append({"key": key, "label": labels.get(key, key),
                       "value": cell.value if cell else None,
                       "status": cell.status if cell else "no_data",
                       "rows": cell.rows if cell else 0,
                       "suppressed_cells": cell.suppressed if cell else 0})
    return {"resource_id": resource["id"], "column": column, "by": by, "points": points}
