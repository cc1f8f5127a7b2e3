"""Template helpers of the portal's own pages (registered by name in web/registry.py).

Codes as words: domain and facet labels, choice labels from the scheming schemas,
administrative-unit names from the shipped code list; the privacy-guard report and
harvest provenance of a dataset page; the dataset counts of the home page. Helpers owned
by another room (citation, translated text, the search sidebar, code-list choices,
licences, CSP) are registered from their own modules, not re-exported here.
"""
from __future__ import annotations

import logging
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.smartcity.privacy.record import PrivacyReport
from ckanext.smartcity.reference import domains, labels
from ckanext.smartcity.search import index as search

log = logging.getLogger(__name__)

__all__ = [
    "smartcity_lang",
    "smartcity_text",
    "smartcity_domains",
    "smartcity_domain_label",
    "smartcity_facet_label",
    "smartcity_choice_label",
    "smartcity_admin_unit_name",
    "smartcity_admin_unit_names",
    "smartcity_privacy_report",
    "smartcity_harvest_provenance",
    "smartcity_job_outcomes",
    "smartcity_home_domains",
    "smartcity_home_pillars",
    "smartcity_recent_datasets",
    "smartcity_follower_count",
    "humanize_entity_type",
]

#: The six pillars of the smart-city programme (one definition: domains.py).
PILLARS = domains.PILLARS


def smartcity_lang() -> str:
    """Two-letter language of the request (``vi`` or ``en``)."""
    return labels.current_lang()


def smartcity_text(vi: str, en: str) -> str:
    """Pick the Vietnamese or English text for the current language."""
    return labels.pick((vi, en))


def smartcity_domains() -> list[str]:
    """The five dataset types, in portal order."""
    return list(domains.DATASET_TYPES)


def smartcity_domain_label(dataset_type: str, lang: str | None = None) -> str:
    """``Y tế`` / ``Health`` for ``health``; the type itself if unknown."""
    return labels.domain_label(dataset_type, lang)


#: Wording of CKAN's per-type labels for the five domains: purpose -> (vi, en);
#: {vi}/{en} is the domain name ("y tế" / "health").
_TYPE_WORDING: dict[str, tuple[str, str]] = {
    "add link": ("Thêm bộ dữ liệu {vi}", "Add {en} dataset"),
    "breadcrumb": ("Dữ liệu {vi}", "{En} datasets"),
    "content tab": ("Dữ liệu {vi}", "{En} datasets"),
    "create label": ("Tạo bộ dữ liệu {vi}", "Create {en} dataset"),
    "create title": ("Tạo bộ dữ liệu {vi}", "Create {en} dataset"),
    "delete confirmation": ("Bạn có chắc muốn xóa bộ dữ liệu {vi} này?",
                            "Are you sure you want to delete this {en} dataset?"),
    "edit label": ("Sửa bộ dữ liệu {vi}", "Edit {en} dataset"),
    "facet label": ("Dữ liệu {vi}", "{En} datasets"),
    "form label": ("Biểu mẫu dữ liệu {vi}", "{En} dataset form"),
    "main nav": ("Dữ liệu {vi}", "{En} datasets"),
    "my label": ("Dữ liệu {vi} của tôi", "My {en} datasets"),
    "name placeholder": ("Bộ dữ liệu {vi}", "{En} dataset"),
    "no any objects": ("Chưa có bộ dữ liệu {vi} nào.", "There are no {en} datasets yet."),
    "page title": ("Dữ liệu {vi}", "{En} datasets"),
    "save label": ("Lưu bộ dữ liệu {vi}", "Save {en} dataset"),
    "search placeholder": ("Tìm dữ liệu {vi}...", "Search {en} datasets..."),
    "update label": ("Cập nhật bộ dữ liệu {vi}", "Update {en} dataset"),
    "view label": ("Xem bộ dữ liệu {vi}", "View {en} dataset"),
}


@tk.chained_helper
def humanize_entity_type(next_helper: Any, entity_type: str, object_type: str,
                         purpose: str) -> str | None:
    """CKAN's per-type labels, worded for the five domains (``Tìm dữ liệu y tế...``)."""
    pair = domains.DOMAIN_LABELS.get(object_type)
    if entity_type != "package" or pair is None:
        return next_helper(entity_type, object_type, purpose)
    vi_text, en_text = _TYPE_WORDING.get(purpose, ("Bộ dữ liệu {vi}", "{En} dataset"))
    vi, en = pair[0].lower(), pair[1].lower()
    return labels.pick((vi_text, en_text)).format(vi=vi, en=en, En=pair[1])


def smartcity_facet_label(field: str) -> str:
    """Facet title in the current language."""
    return search.facet_label(field)


def smartcity_choice_label(field_name: str, value: Any, dataset_type: str | None = None,
                           lang: str | None = None) -> str:
    """Label of a choice of a schema field (``monthly`` → ``Hằng tháng``); see
    :func:`ckanext.smartcity.reference.labels.choice_label`."""
    return labels.choice_label(field_name, value, dataset_type, lang)


def smartcity_admin_unit_name(code: Any, at: Any = None, lang: str | None = None) -> str:
    """Name of an administrative unit for a period (``20194`` → ``Phường Hải Vân``); see
    :func:`ckanext.smartcity.reference.labels.admin_unit_name`."""
    return labels.admin_unit_name(code, at, lang)


def smartcity_admin_unit_names(pkg_or_codes: Any, lang: str | None = None
                               ) -> list[dict[str, str]]:
    """``[{code, name}]`` for a dataset dict or a list of codes; see
    :func:`ckanext.smartcity.reference.labels.admin_unit_names`."""
    return labels.admin_unit_names(pkg_or_codes, lang)


def smartcity_privacy_report(pkg: dict[str, Any]) -> PrivacyReport | None:
    """The dataset's privacy report as the typed record the guard wrote, or None.

    ``pkg["privacy_report"]`` is what :meth:`PrivacyReport.to_dict` stored (an object
    from ``package_show``, JSON text inside the index); a report of another shape is
    logged and not shown, rather than breaking the page.
    """
    stored = pkg.get("privacy_report")
    if not stored:
        return None
    try:
        return PrivacyReport.from_dict(stored)
    except ValueError as err:
        log.warning("dataset %s: privacy report not shown: %s", pkg.get("name"), err)
        return None


def smartcity_harvest_provenance(pkg: dict[str, Any]) -> dict[str, Any] | None:
    """``{source, source_title, source_url, harvested_at}`` when the dataset came from a
    harvest: the source named by its title and linked by its name, never by its id."""
    source = pkg.get("harvest_source")
    harvested_at = pkg.get("harvested_at")
    if not source and not harvested_at:
        return None
    title, source_url = None, None
    if isinstance(source, str) and source:
        import ckan.model as model
        package = model.Package.get(source)
        if package is not None and package.type == "harvest" and package.state == "active":
            title = package.title or package.name
            try:
                source_url = tk.h.url_for("harvest.read", id=package.name)
            except Exception:  # the harvest plugin is not loaded
                source_url = None
    return {"source": source, "source_title": title, "source_url": source_url,
            "harvested_at": harvested_at}


def smartcity_job_outcomes(job_id: str) -> list[dict[str, Any]]:
    """Per dataset, what harvest job ``job_id`` did (published / updated / unchanged /
    refused / failed / withdrawn), labelled in the page's language."""
    from ckanext.smartcity.harvesters.outcomes import as_dicts, job_outcomes
    return as_dicts(job_outcomes(job_id), smartcity_lang())


def _facets(fields: list[str]) -> dict[str, dict[str, int]]:
    try:
        result = tk.get_action("package_search")(
            {}, {"rows": 0, "facet.field": fields, "facet.limit": -1,
                 "include_private": False},
        )
    except Exception:  # the home page must render even if Solr is down
        log.warning("home page facets unavailable", exc_info=True)
        return {field: {} for field in fields}
    return {field: search.facet_counts(result["search_facets"].get(field))
            for field in fields}


def smartcity_home_domains() -> list[dict[str, Any]]:
    """The five domains with public dataset counts and their search URLs."""
    counts = _facets(["dataset_type"])["dataset_type"]
    return [{
        "type": type_,
        "label_vi": vi,
        "label_en": en,
        "count": counts.get(type_, 0),
        "url": tk.h.url_for(f"{type_}.search"),
    } for type_, (vi, en) in domains.DOMAIN_LABELS.items()]


def _pillar_code(group: dict[str, Any]) -> str | None:
    if group.get("pillar_code"):
        return str(group["pillar_code"])
    for extra in group.get("extras") or []:
        if extra.get("key") == "pillar_code":
            return str(extra.get("value") or "") or None
    return None


def smartcity_home_pillars() -> list[dict[str, Any]]:
    """The six pillars with public dataset counts and links to their group pages.

    A portal group is matched to a pillar by its ``pillar_code`` (else by the
    usual group name); a pillar without a group is listed without a link, and
    any other group follows, sorted by title.
    """
    counts = _facets(["groups"])["groups"]
    try:
        groups = tk.get_action("group_list")(
            {}, {"all_fields": True, "include_extras": True, "limit": 1000})
    except Exception:
        log.warning("group list unavailable", exc_info=True)
        groups = []
    by_code = {code: g for g in groups if (code := _pillar_code(g))}
    by_name = {g["name"]: g for g in groups}

    def card(group: dict[str, Any] | None, vi: str, en: str, name: str) -> dict[str, Any]:
        url = (tk.h.url_for(f"{group.get('type') or 'group'}.read", id=group["name"])
               if group else None)
        return {"name": group["name"] if group else name, "label_vi": vi, "label_en": en,
                "title": (group or {}).get("title"),
                "count": counts.get(group["name"], 0) if group else 0, "url": url}

    pillars, used = [], set()
    for code, name, vi, en in PILLARS:
        group = by_code.get(code) or by_name.get(name)
        if group:
            used.add(group["name"])
        pillars.append(card(group, vi, en, name))
    for group in sorted((g for g in groups if g["name"] not in used),
                        key=lambda g: (g.get("title") or g["name"]).casefold()):
        title = group.get("title") or group["name"]
        pillars.append(card(group, title, group.get("title_en") or title, group["name"]))
    return pillars


def smartcity_recent_datasets(limit: int = 6) -> list[dict[str, Any]]:
    """The most recently updated public datasets (package_search dicts), newest first."""
    try:
        result = tk.get_action("package_search")(
            {}, {"rows": limit, "sort": "metadata_modified desc",
                 "fq": "-dataset_type:harvest", "include_private": False})
    except Exception:  # the home page must render even if Solr is down
        log.warning("recent datasets unavailable", exc_info=True)
        return []
    return result["results"]


def smartcity_follower_count(package_id: str) -> int:
    """Followers of a dataset, counted once per request.

    CKAN's page renders its sidebar twice (once to see whether it is empty) and
    ``h.follow_count`` validates and counts through the action each time; the dataset is
    already shown (so readable) when this runs, and the count is public."""
    from flask import g
    from ckan import model

    counts = g.setdefault("smartcity_follower_counts", {})
    if package_id not in counts:
        counts[package_id] = model.UserFollowingDataset.follower_count(package_id)
    return counts[package_id]
