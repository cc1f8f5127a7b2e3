"""Dataset and data-dictionary text in the page's language.

CKAN shows titles, descriptions and column labels through two helpers,
``h.get_translated(dict, field)`` and ``h.dataset_display_name(pkg)``. The
city's datasets carry their English text beside the Vietnamese one
(``title_en``, ``notes_en``; ``label_en`` in a DataStore field's ``info``), so
on an ``/en/`` page the English text is shown where present and the
Vietnamese one otherwise. Chaining the two helpers covers every place CKAN's
templates use them: headings, the page title, search results, the data
dictionary.
"""
from __future__ import annotations

import re
from typing import Any, Callable

import ckan.plugins.toolkit as tk

from ckanext.smartcity.reference import labels

__all__ = ["get_translated", "dataset_display_name", "smartcity_translated"]


def smartcity_translated(data: dict[str, Any] | None, field: str,
                         lang: str | None = None) -> Any:
    """`data[field]` in `lang` (default: the request's): ``<field>_en`` on
    English pages when it is not empty, else `data[field]`."""
    if not isinstance(data, dict):
        return ""
    if (lang or labels.current_lang()) == "en":
        english = data.get(f"{field}_en")
        if isinstance(english, str) and english.strip():
            return english
    return data.get(field, "")


#: a harvested table's description before issue 22 ("930 rows / dòng"): one language a page
_ROWS_BOTH = re.compile(r"^\s*([\d.,]+) rows / dòng\s*$")


@tk.chained_helper
def get_translated(next_helper: Callable[..., Any], data_dict: dict[str, Any],
                   field: str) -> Any:
    """CKAN's ``<field>_translated`` first, then our ``<field>_en``, then `field`."""
    value = next_helper(data_dict, field)
    both = _ROWS_BOTH.match(value) if isinstance(value, str) else None
    if both:
        return f"{both.group(1)} rows" if labels.current_lang() == "en" \
            else f"{both.group(1)} dòng"
    if labels.current_lang() == "en" and isinstance(data_dict, dict) \
            and not (data_dict.get(f"{field}_translated") or {}).get("en"):
        return smartcity_translated(data_dict, field, "en") or value
    return value


@tk.chained_helper
def dataset_display_name(next_helper: Callable[..., Any], package: Any) -> str:
    """The dataset's English title on English pages, when it has one."""
    if isinstance(package, dict) and labels.current_lang() == "en":
        english = package.get("title_en")
        if isinstance(english, str) and english.strip():
            return english
    return next_helper(package)


#: Resource fields CKAN lists by their key ("Has views", "Id"): key -> (vi, en);
#: None hides a bookkeeping field that means nothing to a reader.
RESOURCE_FIELD_LABELS: dict[str, tuple[str, str] | None] = {
    "id": ("Mã tài nguyên", "Resource ID"),
    "package id": ("Mã bộ dữ liệu", "Dataset ID"),
    "state": ("Trạng thái", "State"),
    "size": ("Kích thước", "Size"),
    "mimetype": ("Kiểu MIME", "MIME type"),
    "mimetype inner": ("Kiểu MIME bên trong", "Inner MIME type"),
    "hash": ("Mã băm", "Hash"),
    "datastore active": ("Có trong DataStore", "In the DataStore"),
    "resource type": ("Loại tài nguyên", "Resource type"),
    "has views": None,
    "position": None,
    "url type": None,
    "cache url": None,
    "cache last updated": None,
    "datastore contains all records of source": None,
}

#: Activity types offered by the activity filter: type -> (vi, en).
ACTIVITY_TYPE_LABELS: dict[str, tuple[str, str]] = {
    "new package": ("Tạo bộ dữ liệu", "New dataset"),
    "changed package": ("Sửa bộ dữ liệu", "Changed dataset"),
    "deleted package": ("Xóa bộ dữ liệu", "Deleted dataset"),
    "follow dataset": ("Theo dõi bộ dữ liệu", "Followed dataset"),
    "new user": ("Người dùng mới", "New user"),
    "changed user": ("Sửa người dùng", "Changed user"),
    "follow user": ("Theo dõi người dùng", "Followed user"),
    "new group": ("Tạo nhóm", "New group"),
    "changed group": ("Sửa nhóm", "Changed group"),
    "deleted group": ("Xóa nhóm", "Deleted group"),
    "follow group": ("Theo dõi nhóm", "Followed group"),
    "new organization": ("Tạo sở, ngành", "New organization"),
    "changed organization": ("Sửa sở, ngành", "Changed organization"),
    "deleted organization": ("Xóa sở, ngành", "Deleted organization"),
    "new resource": ("Thêm tài nguyên", "New resource"),
    "changed resource": ("Sửa tài nguyên", "Changed resource"),
    "deleted resource": ("Xóa tài nguyên", "Deleted resource"),
    "new resource view": ("Thêm chế độ xem", "New resource view"),
    "changed resource view": ("Sửa chế độ xem", "Changed resource view"),
    "deleted resource view": ("Xóa chế độ xem", "Deleted resource view"),
}

__all__ += ["format_resource_items", "smartcity_activity_type_label"]


@tk.chained_helper
def format_resource_items(next_helper: Callable[..., Any], items: Any) -> list[Any]:
    """CKAN's resource field list with the keys in words and bookkeeping fields hidden."""
    result = []
    for key, value in next_helper(items):
        normalised = str(key).strip().lower()
        if normalised in RESOURCE_FIELD_LABELS:
            label = RESOURCE_FIELD_LABELS[normalised]
            if label is None:
                continue
            # already capitalised: the template's `capitalize` keeps it as it is
            key = labels.pick(label)
        result.append((key, value))
    return result


def smartcity_activity_type_label(activity_type: str) -> str:
    """``Sửa bộ dữ liệu`` for ``changed package``; the type itself if unknown."""
    pair = ACTIVITY_TYPE_LABELS.get(activity_type)
    return labels.pick(pair) if pair else activity_type
