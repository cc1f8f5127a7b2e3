"""The portal's licence list (``licenses.json`` beside this module) read through CKAN.

CKAN loads the list named by ``licenses_group_url`` (``config/ckan-common.ini`` sets
``file://%(here)s/../ckanext/smartcity/reference/licenses/licenses.json``; CKAN opens a ``file://``
path as written, so it must be absolute: ``%(here)s`` is the ini's folder). Each entry is
a CKAN licence (``id``, ``title``, ``url``, ``od_conformance``/``osd_conformance``) plus
what the portal adds: ``title_vi``/``title_en`` shown by page language and ``eu_licence``,
the licence's IRI in the EU licence vocabulary (empty when it has none, e.g. ``closed``).

Everything else (DCAT, the quality score, the form, the facet) reads licences from CKAN's
register through this module, so the JSON file is the one definition.

Decisions: CKAN's own title is kept English (CKAN passes it through gettext in the form);
pages and API answers get the title of the request's language from ``title_vi``/``title_en``.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from ckanext.smartcity.reference import labels

LICENSES_FILE = Path(__file__).with_name("licenses.json")


def _register() -> Any:
    import ckan.model as model

    return model.Package.get_license_register()


def get(license_id: str | None) -> Any | None:
    """CKAN's ``License`` of `license_id`, None when the portal's list lacks it."""
    if not license_id:
        return None
    return _register().get(license_id)


def _field(licence: Any, key: str) -> Any:
    try:
        return getattr(licence, key)
    except AttributeError:
        return None


def title(license_id: str | None, lang: str | None = None) -> str:
    """Title of a licence in `lang` (default: the request's), the raw id if unknown."""
    licence = get(license_id)
    if licence is None:
        return license_id or ""
    lang = lang or labels.current_lang()
    return str(_field(licence, f"title_{lang}") or _field(licence, "title_vi")
               or licence.title)


def url(license_id: str | None) -> str | None:
    """The canonical URL of a licence (its text), None if unknown."""
    licence = get(license_id)
    return (_field(licence, "url") or None) if licence is not None else None


def eu_uri(license_id: str | None) -> str | None:
    """The licence's IRI in the EU licence vocabulary, None if it has none."""
    licence = get(license_id)
    return (_field(licence, "eu_licence") or None) if licence is not None else None


def is_open(license_id: str | None) -> bool:
    """True when the licence is approved as open (Open Definition or OSI)."""
    licence = get(license_id)
    return bool(licence is not None and licence.isopen())


def options(lang: str | None = None) -> list[tuple[str, str]]:
    """(id, title) of every licence for the dataset form, in list order."""
    return [(key, title(key, lang)) for key in _register().keys()]


def smartcity_license_options(existing: str | None = None) -> list[tuple[str, str]]:
    """Template helper: (title, id) pairs for the form's licence select, in the page's
    language and list order; an existing id outside the list is kept (shown raw)."""
    pairs = [(label, key) for key, label in options()]
    if existing and get(existing) is None:
        pairs.insert(0, (existing, existing))
    return pairs


def localise_dataset(pkg_dict: dict[str, Any], lang: str | None = None) -> dict[str, Any]:
    """Give a package dict the licence title of `lang` (package_show, search results)."""
    if pkg_dict.get("license_id") and get(pkg_dict["license_id"]) is not None:
        pkg_dict["license_title"] = title(pkg_dict["license_id"], lang)
    return pkg_dict


def localise_search(search_results: dict[str, Any]) -> dict[str, Any]:
    """Licence titles of the request's language in results and in the licence facet."""
    lang = labels.current_lang()
    for pkg in search_results.get("results") or []:
        if isinstance(pkg, dict):
            localise_dataset(pkg, lang)
    facet = (search_results.get("search_facets") or {}).get("license_id") or {}
    for item in facet.get("items", []):
        if get(item.get("name")) is not None:
            item["display_name"] = title(item["name"], lang)
    return search_results
