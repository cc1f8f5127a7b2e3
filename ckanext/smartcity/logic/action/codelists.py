"""Code-list actions: ``smartcity_admin_units``."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan.types import Context, DataDict

from ckanext.smartcity.reference import codelists
from ckanext.smartcity.logic.validators import message

__all__ = ["smartcity_admin_units"]

_LEVELS = ("province", "district", "commune")


@tk.side_effect_free
def smartcity_admin_units(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """List Da Nang administrative units, each row one code during one validity period.

    Current units come first, then historical ones. A code is unique only
    together with its period (20194 was Phường Hòa Hiệp Bắc until 2025-06-30
    and is Phường Hải Vân since 2025-07-01).

    :param q: part of the name, Vietnamese or without diacritics, any case (optional)
    :type q: string
    :param level: ``province``, ``district`` or ``commune`` (optional)
    :type level: string
    :param at: a date ``YYYY-MM-DD``; only units valid on that day (optional)
    :type at: string
    :param code: a code; returns every period of that code (optional)
    :type code: string
    :returns: dicts with ``code, name_vi, name_en, name_ascii, level, kind,
        parent_code, valid_from, valid_to`` (dates as ``YYYY-MM-DD`` or null)
    :rtype: list of dictionaries
    """
    tk.check_access("smartcity_admin_units", context, data_dict)
    errors: dict[str, list[str]] = {}

    level = (data_dict.get("level") or "").strip() or None
    if level is not None and level not in _LEVELS:
        errors["level"] = [message("bad_level", value=level)]

    at = None
    at_text = (data_dict.get("at") or "").strip()
    if at_text:
        at = codelists.parse_date(at_text)
        if at is None or len(at_text) != 10:
            errors["at"] = [message("bad_date", value=at_text)]
    if errors:
        raise tk.ValidationError(errors)

    code = (str(data_dict.get("code") or "")).strip() or None
    q = str(data_dict.get("q") or "").strip() or None
    units = codelists.find_admin_units(q=q, level=level, at=at, code=code)
    return [unit.as_dict() for unit in units]
