"""How to cite a dataset, and how its commune coverage reads on its page.

Both are template helpers (registered in web/registry.py): ``smartcity_citation`` gives
the "Trích dẫn / Cite" block its text and BibTeX, ``smartcity_coverage`` gives the
coverage field its one-line summary ("Toàn thành phố (94 xã, phường)" or
"12 xã, phường") with the units behind it.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.smartcity.reference import labels
from ckanext.smartcity.reference.lists import as_list

__all__ = ["smartcity_citation", "smartcity_coverage"]

#: The city as a whole in the admin-unit code list.
CITY_CODE = "48"


def _year(pkg: dict[str, Any]) -> str:
    for key in ("metadata_modified", "metadata_created"):
        match = re.match(r"(\d{4})", str(pkg.get(key) or ""))
        if match:
            return match.group(1)
    return str(dt.datetime.now(labels.TIMEZONE).year)


def _bibtex_escape(text: str) -> str:
    return re.sub(r"([{}&%$#_])", r"\\\1", text)


def smartcity_citation(pkg: dict[str, Any], today: dt.date | None = None,
                       lang: str | None = None) -> dict[str, str]:
    """``{text, bibtex, department, year, title, portal, url, accessed}`` for `pkg`.

    The department is the publishing organization (English title on English pages when
    it has one), the year that of the last metadata change, the URL the dataset's
    permanent page, the access date today in Asia/Ho_Chi_Minh.
    """
    lang = lang or labels.current_lang()
    org = pkg.get("organization") or {}
    if lang == "en" and org.get("id") and "title_en" not in org:
        # the dataset dict carries the department's core fields only
        try:
            org = tk.get_action("organization_show")(
                {"ignore_auth": True}, {"id": org["id"], "include_datasets": False})
        except tk.ObjectNotFound:
            pass
    department = ((org.get("title_en") if lang == "en" else None) or org.get("title")
                  or org.get("name") or "")
    title = ((pkg.get("title_en") if lang == "en" else None) or pkg.get("title")
             or pkg["name"])
    portal = tk.config.get("ckan.site_title") or "CKAN"
    # the permanent address, without the page's language prefix
    url = tk.h.url_for(f"{pkg.get('type') or 'dataset'}.read", id=pkg["name"],
                       qualified=True, locale="default")
    today = today or dt.datetime.now(labels.TIMEZONE).date()
    year = _year(pkg)
    if lang == "en":
        accessed = today.strftime("%-d %B %Y")
        text = (f"{department} ({year}). {title} [Dataset]. {portal}. {url} "
                f"(accessed {accessed}).")
        note = f"Accessed {accessed}"
    else:
        accessed = today.strftime("%d/%m/%Y")
        text = (f"{department} ({year}). {title} [Bộ dữ liệu]. {portal}. {url} "
                f"(truy cập ngày {accessed}).")
        note = f"Truy cập ngày {accessed}"
    key = re.sub(r"[^a-z0-9]+", "_", pkg["name"].lower()).strip("_") + f"_{year}"
    bibtex = "\n".join([
        f"@misc{{{key},",
        f"  author = {{{{{_bibtex_escape(department)}}}}},",
        f"  title = {{{{{_bibtex_escape(title)}}}}},",
        f"  year = {{{year}}},",
        f"  publisher = {{{_bibtex_escape(portal)}}},",
        f"  howpublished = {{\\url{{{url}}}}},",
        f"  urldate = {{{today.isoformat()}}},",
        f"  note = {{{note}}}",
        "}",
    ])
    return {"text": text, "bibtex": bibtex, "department": department, "year": year,
            "title": title, "portal": portal, "url": url, "accessed": accessed}


def smartcity_coverage(pkg: dict[str, Any], lang: str | None = None) -> dict[str, Any]:
    """The dataset's commune coverage in one line, with the units behind it.

    ``{summary, whole_city, count, units: [{code, name}]}``: "Toàn thành phố (94 xã,
    phường)" / "Whole city (94 communes and wards)" when the city code or every current
    commune-level unit is listed, else "12 xã, phường" / "12 communes and wards".
    """
    from ckanext.smartcity.reference.codelists import find_admin_units

    lang = lang or labels.current_lang()
    units = [u for u in labels.admin_unit_names(pkg, lang) if u["code"] != CITY_CODE]
    current = {u.code for u in find_admin_units(level="commune") if u.is_current}
    codes = {u["code"] for u in units}
    whole_city = CITY_CODE in as_list(pkg.get("admin_units")) or (
        bool(current) and current <= codes)
    total = len(current) if whole_city and not units else len(units)
    if whole_city:
        summary = labels.pick((f"Toàn thành phố ({total} xã, phường)",
                               f"Whole city ({total} communes and wards)"), lang)
    else:
        summary = labels.pick((f"{len(units)} xã, phường",
                               f"{len(units)} communes and wards"
                               if len(units) != 1 else "1 commune or ward"), lang)
    return {"summary": summary, "whole_city": whole_city, "count": len(units),
            "units": units}
