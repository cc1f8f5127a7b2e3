"""Options of the form's commune picker (templates/scheming/form_snippets/
smartcity_admin_units.html): one per code, marked current or pre-2025, with the text
the picker's search matches (names with and without diacritics, the code)."""
from __future__ import annotations

from typing import Any

from ckanext.smartcity.reference import labels
from ckanext.smartcity.reference.codelists import admin_units, fold, smartcity_admin_unit_choices

__all__ = ["smartcity_admin_unit_picker"]


def smartcity_admin_unit_picker(field: dict[str, Any] | None = None,
                                lang: str | None = None) -> list[dict[str, Any]]:
    """``[{value, label, current, level, search}]``: current units first (the city, then
    its communes and wards), then the units of the structure before 01/07/2025."""
    lang = lang or labels.current_lang()
    periods: dict[str, list[Any]] = {}
    for unit in admin_units():
        periods.setdefault(unit.code, []).append(unit)
    options = []
    for choice in smartcity_admin_unit_choices(field):
        units = periods.get(choice["value"], [])
        current = next((u for u in units if u.is_current), None)
        label = choice["label"]
        text = label.get(lang) or label.get("vi") if isinstance(label, dict) else str(label)
        if current is not None:  # a current unit by its current name only (the names
            # its code had before 01/07/2025 are still found by the search: `words`)
            text = f"{current.code} — " + (current.name_en if lang == "en"
                                           else current.full_name_vi)
        words = " ".join({fold(u.full_name_vi) for u in units} | {fold(u.name_en) for u in units})
        options.append({
            "value": choice["value"],
            "label": text,
            "current": current is not None,
            "level": (current or (units[0] if units else None)).level if units else "",
            "search": f"{choice['value']} {words}",
        })
    return options
