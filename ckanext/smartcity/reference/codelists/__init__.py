"""Code lists shipped with the extension (``schemas/codelists/*.csv``).

* Da Nang administrative units, each row valid for a period: a code alone is
  not unique over time (see ``schemas/codelists/README.md``);
* flat code lists with Vietnamese and English names: land-use codes, VSIC 2018
  sections, ICD-10 chapters.

Also the scheming ``choices_helper`` functions that turn them into form choices.
Everything here is pure Python (no database) and cached per process.
"""
from __future__ import annotations

import csv
import datetime as dt
import functools
import os
import unicodedata
from dataclasses import dataclass
from typing import Any

__all__ = [
    "AdminUnit",
    "CodeItem",
    "REFORM_DATE",
    "CODELISTS",
    "admin_units",
    "find_admin_units",
    "fold",
    "codelist",
    "codelist_codes",
    "parse_date",
    "smartcity_admin_unit_choices",
    "smartcity_codelist_choices",
]

CODELIST_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(__file__))),
                            "schemas", "codelists")

#: Day the district level was abolished (Resolution 202/2025/QH15, 1 July 2025).
REFORM_DATE = dt.date(2025, 7, 1)

#: Flat code lists: name -> CSV file (columns code, name_vi, name_en, ...).
CODELISTS: dict[str, str] = {
    "land_use_codes": "land_use_codes.csv",
    "vsic_sections": "vsic_sections.csv",
    "icd10_chapters": "icd10_chapters.csv",
}

# English words for the kinds of unit; the CSV gives only the Vietnamese kind.
_KIND_EN = {
    "Thành phố": "City",
    "Tỉnh": "Province",
    "Quận": "Urban District",
    "Huyện": "Rural District",
    "Thị xã": "Town",
    "Phường": "Ward",
    "Xã": "Commune",
    "Thị trấn": "Township",
    "Đặc khu": "Special Zone",
}


def fold(text: str) -> str:
    """Lower-case ``text`` and strip Vietnamese diacritics (``Hòa`` -> ``hoa``)."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn").casefold()


def parse_date(value: Any) -> dt.date | None:
    """Return a date from ``YYYY-MM-DD`` text or a date/datetime; None if it is none of these."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()[:10]) if len(value.strip()) >= 10 else None
        except ValueError:
            return None
    return None


@dataclass(frozen=True)
class AdminUnit:
    """One administrative unit during one validity period."""

    code: str
    name_vi: str
    name_ascii: str
    level: str
    kind: str
    parent_code: str | None
    valid_from: dt.date | None
    valid_to: dt.date | None

    @property
    def name_en(self) -> str:
        """English name: the ASCII name followed by the English kind ("Hai Chau Ward")."""
        return f"{self.name_ascii} {_KIND_EN.get(self.kind, '')}".strip()

    @property
    def full_name_vi(self) -> str:
        """Vietnamese name with its kind ("Phường Hải Châu")."""
        if fold(self.name_vi).startswith(fold(self.kind)):
            return self.name_vi  # the source spells the city with its kind already
        return f"{self.kind} {self.name_vi}"

    @property
    def is_current(self) -> bool:
        """True for the units of the structure in force today (open-ended validity)."""
        return self.valid_to is None

    def valid_on(self, day: dt.date) -> bool:
        """True if the unit existed with this code on ``day``."""
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )

    def overlaps(self, start: dt.date | None, end: dt.date | None) -> bool:
        """True if the validity period meets the closed interval [start, end] (None = open)."""
        if start is not None and self.valid_to is not None and self.valid_to < start:
            return False
        if end is not None and self.valid_from is not None and end < self.valid_from:
            return False
        return True

    def period_label(self, lang: str = "vi") -> str:
        """The validity period in words, e.g. ``đến 30/06/2025`` / ``until 30/06/2025``."""
        fmt = "%d/%m/%Y"
        words = {"vi": ("từ", "đến"), "en": ("from", "until")}.get(lang, ("từ", "đến"))
        parts = []
        if self.valid_from:
            parts.append(f"{words[0]} {self.valid_from.strftime(fmt)}")
        if self.valid_to:
            parts.append(f"{words[1]} {self.valid_to.strftime(fmt)}")
        return " ".join(parts)

    def as_dict(self) -> dict[str, Any]:
        """JSON-able form used by the ``smartcity_admin_units`` action."""
        return {
            "code": self.code,
            "name_vi": self.name_vi,
            "name_en": self.name_en,
            "name_ascii": self.name_ascii,
            "level": self.level,
            "kind": self.kind,
            "parent_code": self.parent_code,
            "valid_from": self.valid_from.isoformat() if self.valid_from else None,
            "valid_to": self.valid_to.isoformat() if self.valid_to else None,
        }


@dataclass(frozen=True)
class CodeItem:
    """One entry of a flat code list."""

    code: str
    name_vi: str
    name_en: str
    extra: tuple[tuple[str, str], ...] = ()

    def get(self, column: str, default: str | None = None) -> str | None:
        """Value of an extra CSV column (e.g. ``land_group``)."""
        return dict(self.extra).get(column, default)


def _read_csv(file_name: str) -> list[dict[str, str]]:
    with open(os.path.join(CODELIST_DIR, file_name), encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _normalise_kind(kind: str) -> str:
    # the source list spells one township "Thị Trấn"
    kind = kind.strip()
    return kind[:1] + kind[1:].lower()


@functools.lru_cache(maxsize=1)
def admin_units() -> tuple[AdminUnit, ...]:
    """All rows of the Da Nang admin-unit list: current units first, then historical ones."""
    units = [
        AdminUnit(
            code=row["code"].strip(),
            name_vi=row["name_vi"].strip(),
            name_ascii=row["name_ascii"].strip(),
            level=row["level"].strip(),
            kind=_normalise_kind(row["kind"]),
            parent_code=row["parent_code"].strip() or None,
            valid_from=parse_date(row["valid_from"]),
            valid_to=parse_date(row["valid_to"]),
        )
        for row in _read_csv("danang_admin_units.csv")
    ]
    level_order = {"province": 0, "district": 1, "commune": 2}
    units.sort(key=lambda u: (not u.is_current, level_order.get(u.level, 9), fold(u.name_vi)))
    return tuple(units)


def find_admin_units(
    q: str | None = None,
    level: str | None = None,
    at: dt.date | None = None,
    code: str | None = None,
) -> list[AdminUnit]:
    """Filter the admin-unit list.

    :param q: text contained in the name (Vietnamese or ASCII, diacritics and case ignored)
    :param level: ``province``, ``district`` or ``commune``
    :param at: keep units valid on this day
    :param code: keep every period of this code
    """
    needle = fold(q.strip()) if q else ""
    out = []
    for unit in admin_units():
        if code is not None and unit.code != code:
            continue
        if level and unit.level != level:
            continue
        if at is not None and not unit.valid_on(at):
            continue
        if needle and needle not in fold(unit.full_name_vi) and needle not in fold(unit.name_vi):
            continue
        out.append(unit)
    return out


@functools.lru_cache(maxsize=None)
def codelist(name: str) -> tuple[CodeItem, ...]:
    """The entries of a flat code list, in file order. Raises KeyError for unknown lists."""
    rows = _read_csv(CODELISTS[name])
    base = {"code", "name_vi", "name_en"}
    return tuple(
        CodeItem(
            code=row["code"].strip(),
            name_vi=row["name_vi"].strip(),
            name_en=row["name_en"].strip(),
            extra=tuple((k, (v or "").strip()) for k, v in row.items() if k not in base),
        )
        for row in rows
    )


def codelist_codes(name: str) -> list[str]:
    """Just the codes of a flat code list, in file order."""
    return [item.code for item in codelist(name)]


def smartcity_codelist_choices(field: dict[str, Any]) -> list[dict[str, Any]]:
    """scheming ``choices_helper``: choices from the code list named by ``field['codelist']``."""
    return [
        {"value": item.code, "label": {"vi": f"{item.code} — {item.name_vi}",
                                       "en": f"{item.code} — {item.name_en}"}}
        for item in codelist(field["codelist"])
    ]


def _unit_label(periods: list[AdminUnit]) -> dict[str, str]:
    vi, en = [], []
    for unit in periods:
        if unit.is_current:
            vi.append(unit.full_name_vi)
            en.append(unit.name_en)
        else:
            vi.append(f"{unit.full_name_vi} ({unit.period_label('vi')})")
            en.append(f"{unit.name_en} ({unit.period_label('en')})")
    code = next(iter(periods)).code if periods else ""
    return {"vi": f"{code} — " + "; ".join(vi), "en": f"{code} — " + "; ".join(en)}


def smartcity_admin_unit_choices(field: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """scheming ``choices_helper`` for ``admin_units``: one choice per code.

    Current units come first; a code that also named other units in earlier
    periods shows every name with its period, so the choice is never ambiguous.
    """
    by_code: dict[str, list[AdminUnit]] = {}
    for unit in admin_units():  # already current-first
        by_code.setdefault(unit.code, []).append(unit)
    return [{"value": code, "label": _unit_label(periods)} for code, periods in by_code.items()]
