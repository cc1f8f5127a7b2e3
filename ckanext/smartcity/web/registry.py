"""What the `smartcity` plugin registers with CKAN's web layer: the template helpers by
name, each mapped to the function in the room that owns it, and the blueprints.

``plugin.py`` hands these two functions to ``tk.blanket.helpers`` and
``tk.blanket.blueprints``; templates keep calling ``h.<name>``.
"""
from __future__ import annotations

from typing import Any, Callable


def helpers() -> dict[str, Callable[..., Any]]:
    """``{h.name: function}`` for every template helper of the portal."""
    from ckanext.smartcity.reference import codelists, dates, licenses
    from ckanext.smartcity.search import facet_helpers
    from ckanext.smartcity.web import (admin_pages, citation, helpers as pages_helpers,
                                       security, translated, unit_picker, upload_status)

    owners = [
        pages_helpers,   # labels, provenance, privacy report, home page counts
        translated,      # text in the page's language
        citation,        # citation and coverage of a dataset page
        unit_picker,     # the administrative-unit picker of the dataset form
        facet_helpers,   # the search sidebar
        upload_status,   # the DataStore load of an uploaded table on its resource page
        admin_pages,     # ckanext-harvest's admin pages
    ]
    found: dict[str, Callable[..., Any]] = {}
    for module in owners:
        found.update({name: getattr(module, name) for name in module.__all__
                      if callable(getattr(module, name))})
    found.update({
        # CSP-safe DataTables and stripped inline handlers
        "smartcity_csp_datatables": security.smartcity_csp_datatables,
        "smartcity_csp_strip_handlers": security.smartcity_csp_strip_handlers,
        # scheming choices_helper functions of the code lists, the form's licence choices
        "smartcity_admin_unit_choices": codelists.smartcity_admin_unit_choices,
        "smartcity_codelist_choices": codelists.smartcity_codelist_choices,
        "smartcity_license_options": licenses.smartcity_license_options,
        # dates as dd/mm/yyyy in Asia/Ho_Chi_Minh
        "render_datetime": dates.render_datetime,
    })
    return found


def blueprints() -> list[Any]:
    """The portal's Flask blueprints."""
    from ckanext.smartcity.datapackage.views import datapackage  # Frictionless Data Packages
    from ckanext.smartcity.dcat.views import dcat  # type-named DCAT URLs
    from ckanext.smartcity.quality.views import quality  # department and city quality
    from ckanext.smartcity.web.http_errors import http_errors  # 4xx, not 500
    from ckanext.smartcity.web.pages import pages  # /developers and DataStore dumps
    from ckanext.smartcity.web.security import harvest_posts  # POST-only harvest actions
    from ckanext.smartcity.web.views import report  # the department harvest report

    return [report, pages, dcat, quality, harvest_posts, http_errors, datapackage]
