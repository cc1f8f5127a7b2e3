"""Metadata quality of each dataset (data.europa.eu's MQA scheme, 405 points).

* indicators.py — the score (pure); report.py — the one typed report class;
* facts.py — what the score needs from CKAN; store.py — where the report is kept;
* reachability.py — the periodic link check feeding the accessibility points;
* views.py — the department and city quality pages.

The score is computed in the IPackageController hooks after every create and update
(the web form, the API and the harvesters all pass through them), stored with the
dataset, returned by ``package_show`` as ``quality`` and indexed as ``quality_score``
(a zero-padded string, so that Solr's string sort orders it numerically) and
``quality_rating``.
"""
from __future__ import annotations

import json
import logging
from typing import Any

from ckanext.smartcity.quality import store
from ckanext.smartcity.quality.report import QualityReport

log = logging.getLogger(__name__)

SCORE_FIELD = "quality_score"
RATING_FIELD = "quality_rating"


def _scored_type(pkg: dict[str, Any]) -> bool:
    return pkg.get("type") not in (None, "harvest")


def refresh(package_id: str) -> QualityReport | None:
    """Score the dataset as it is now and store the report (in the current session)."""
    import ckan.plugins.toolkit as tk

    from ckanext.smartcity.quality import facts, indicators

    pkg = tk.get_action("package_show")({"ignore_auth": True, "use_cache": False},
                                        {"id": package_id})
    if not _scored_type(pkg):
        return None
    report = indicators.score(pkg, facts.gather(pkg))
    store.save_quality(package_id, report.to_dict())
    return report


def after_write(context: dict[str, Any], pkg_dict: dict[str, Any]) -> None:
    """after_dataset_create/update: score the dataset that was just written."""
    if not pkg_dict.get("id") or not _scored_type(pkg_dict):
        return
    try:
        refresh(pkg_dict["id"])
    except Exception:  # a score must never make a publication fail
        log.exception("quality score of dataset %s failed", pkg_dict.get("name"))


def after_show(pkg_dict: dict[str, Any]) -> dict[str, Any]:
    """after_dataset_show: add the stored report as ``quality``."""
    if pkg_dict.get("id") and _scored_type(pkg_dict):
        report = store.quality(pkg_dict["id"])
        if report is not None:
            pkg_dict["quality"] = dict(report, links=store.links(pkg_dict["id"]))
    return pkg_dict


#: What a search result keeps of the report: the full report (every indicator with its
#: fix, the city checks, the links) is ~6 KB of a ~11 KB dataset dict, mostly the same
#: text on every dataset, so search results carry the score, the dimensions and the three
#: fixes worth most (the quality pages list them) and ``package_show`` (which reads the
#: stored report in after_show) the whole of it.
SEARCH_SUMMARY_KEYS = ("score", "max", "rating", "computed_at", "dimensions", "top_fixes")


def summary(report: dict[str, Any]) -> dict[str, Any]:
    """The part of a report a search result carries (SEARCH_SUMMARY_KEYS)."""
    return {key: report[key] for key in SEARCH_SUMMARY_KEYS if key in report}


def before_index(pkg_dict: dict[str, Any]) -> dict[str, Any]:
    """before_dataset_index: index score (sortable) and rating (facetable); the cached
    ``validated_data_dict`` (what package_search returns) keeps the report's summary."""
    report = pkg_dict.pop("quality", None)
    raw = pkg_dict.get("validated_data_dict")
    if isinstance(raw, str) and '"quality"' in raw:
        # CKAN indexes the default-schema dict; after_dataset_show ran on the validated one
        try:
            validated = json.loads(raw)
        except ValueError:
            validated = {}
        cached = validated.get("quality")
        if isinstance(cached, dict):
            report = report if report is not None else cached
            validated["quality"] = summary(cached)
            pkg_dict["validated_data_dict"] = json.dumps(validated)
    if isinstance(report, dict) and "score" in report:
        pkg_dict[SCORE_FIELD] = f"{int(report['score']):03d}"
        pkg_dict[RATING_FIELD] = str(report.get("rating") or "")
    return pkg_dict
