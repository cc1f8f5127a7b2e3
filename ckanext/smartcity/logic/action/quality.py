"""``smartcity_quality_report``: the quality scores of a department's datasets, or of the
whole city, as stored with each dataset and indexed in Solr."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan.types import Context, DataDict

from ckanext.smartcity.quality.report import DIMENSIONS

PAGE = 500


def _department(context: Context, id_: str) -> dict[str, Any]:
    org = tk.get_action("organization_show")(
        dict(context), {"id": id_, "include_datasets": False, "include_users": False,
                        "include_extras": True})
    return {"id": org["id"], "name": org["name"], "title": org.get("title"),
            "title_en": org.get("title_en")}


def _scored_datasets(context: Context, fq: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    start = 0
    while True:
        page = tk.get_action("package_search")(dict(context), {
            "fq": fq, "rows": PAGE, "start": start, "sort": "quality_score desc, name asc",
            "include_private": True})
        found.extend(page["results"])
        start += PAGE
        if start >= page["count"]:
            return found


@tk.side_effect_free
def smartcity_quality_report(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Quality scores (out of 405) of a department's datasets or of the whole city.

    Only datasets the caller may see are counted (public ones for anonymous users).

    :param id: the department (organization) id or name; omit it for the whole city
    :type id: string
    :returns: ``{"department": {id, name, title, title_en} or None, "datasets": [{name,
        title, title_en, type, score, rating, top_fixes}], "average": float or None,
        "by_dimension": {dimension: average points}, "max": 405, "count": int,
        "ratings": {rating: count}}``, datasets best first
    """
    tk.check_access("smartcity_quality_report", context, data_dict)
    id_ = str(data_dict.get("id") or "").strip()
    department = _department(context, id_) if id_ else None
    fq = "-dataset_type:harvest"
    if department:
        fq += f' +owner_org:"{department["id"]}"'
    rows = []
    dimensions: dict[str, list[int]] = {name: [] for name in DIMENSIONS}
    ratings: dict[str, int] = {}
    for pkg in _scored_datasets(context, fq):
        quality = pkg.get("quality")
        if not isinstance(quality, dict):
            continue
        rows.append({"name": pkg["name"], "title": pkg.get("title"),
                     "title_en": pkg.get("title_en"), "type": pkg.get("type"),
                     "department": (pkg.get("organization") or {}).get("name"),
                     "score": quality["score"], "rating": quality["rating"],
                     "top_fixes": quality.get("top_fixes") or []})
        ratings[quality["rating"]] = ratings.get(quality["rating"], 0) + 1
        for name in DIMENSIONS:
            dimensions[name].append(int((quality.get("dimensions") or {})
                                        .get(name, {}).get("score", 0)))
    rows.sort(key=lambda r: (-r["score"], r["name"]))

    def mean(values: list[int]) -> float | None:
        return round(sum(values) / len(values), 1) if values else None

    return {"department": department, "datasets": rows, "count": len(rows), "max": 405,
            "average": mean([r["score"] for r in rows]),
            "by_dimension": {name: mean(values) for name, values in dimensions.items()},
            "ratings": ratings}
