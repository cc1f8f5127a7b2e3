"""What a DataStore table offers to a map or a chart: its commune, period, category and
measure columns, read from the data dictionary and the rows.

One definition of the rules, read by the view plugins (``can_view``), the automatic view
creation, the ``smartcity_map_data`` action and the pages:

* **commune column**: ≥ 90 % of its non-empty values are codes of the current commune-level
  units of the code list (``schemas/codelists``); text or integer columns alike;
* **period column**: a text column whose values all look like ``YYYY``, ``YYYY-MM`` or a
  school year ``YYYY-YYYY``, or an integer column of years (1900–2100) named or labelled
  as a year (``nam…``, "Năm", "year");
* **category columns**: other text columns with 2–40 distinct values; a column in one-to-one
  correspondence with another (``chuong_icd10`` ↔ ``ten_chuong``) gives the other's labels
  instead of being a second category; one that corresponds one-to-one with the commune
  column (the commune's name) is neither;
* **measures**: numeric columns other than the period; **counts** are the integer ones
  (persons, households, cases, beds, …) and only those are summed over several rows. A
  NULL in a count column is a suppressed cell (the privacy guard publishes suppressed
  counts as empty).

Decision: which column plays which part is decided on the first 20,000 rows (the
thresholds are shares, which a prefix estimates well), so a million-row table costs one
bounded scan for that; the lists of periods and category values come from the whole table.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import sqlalchemy as sa

import ckan.plugins.toolkit as tk

from ckanext.smartcity.reference.codelists import admin_units

__all__ = ["Column", "Category", "TableProfile", "profile_table", "current_communes",
           "ident", "memo", "COMMUNE_SHARE", "SAMPLE_ROWS"]

COMMUNE_SHARE = 0.9
SAMPLE_ROWS = 20_000
MAX_CATEGORY_VALUES = 40
NUMERIC_TYPES = frozenset({"int2", "int4", "int8", "numeric", "float4", "float8"})
INTEGER_TYPES = frozenset({"int2", "int4", "int8"})
_PERIOD_TEXT = r"^[0-9]{4}(-[0-9]{2}|-[0-9]{4})?$"
_YEAR_HINT = re.compile(r"^(nam|year)(_|$)|(^|\s)(năm|year)(\s|$)", re.I)
_UNIT_IN_LABEL = re.compile(r"\(([^()]{1,30})\)\s*$")


def ident(name: str) -> str:
    """A quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


@lru_cache(maxsize=1)
def current_communes() -> dict[str, tuple[str, str]]:
    """Code → (Vietnamese full name, English name) of the current commune-level units."""
    return {u.code: (u.full_name_vi, u.name_en) for u in admin_units()
            if u.level == "commune" and u.is_current}


@dataclass(frozen=True)
class Column:
    """One column as the data dictionary describes it."""

    id: str
    type: str
    label: str
    label_en: str
    unit: str = ""
    unit_en: str = ""

    def title(self, lang: str) -> str:
        """The label in ``lang`` (English falls back to Vietnamese, then to the id)."""
        return (self.label_en if lang == "en" and self.label_en else self.label) or self.id

    def unit_in(self, lang: str) -> str:
        return self.unit_en if lang == "en" and self.unit_en else self.unit


def _unit(info: dict[str, Any], label: str, lang: str) -> str:
    # an explicit unit in the dictionary wins; else "Diện tích (ha)" → "ha"
    explicit = info.get("unit_en" if lang == "en" else "unit")
    if explicit:
        return str(explicit)
    match = _UNIT_IN_LABEL.search(label or "")
    return match.group(1) if match else ""


def column_from_field(f: dict[str, Any]) -> Column:
    """A :class:`Column` from a DataStore field (``id``, ``type``, ``info``)."""
    info = f.get("info") or {}
    label = str(info.get("label") or f["id"])
    label_en = str(info.get("label_en") or "")
    return Column(id=f["id"], type=f["type"], label=label, label_en=label_en,
                  unit=_unit(info, label, "vi"), unit_en=_unit(info, label_en, "en"))


@dataclass(frozen=True)
class Category:
    """A category column, its values in order and their display labels."""

    column: str
    values: tuple[str, ...]
    labels: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class TableProfile:
    """What a table offers to maps and charts (see the module docstring for the rules)."""

    resource_id: str
    columns: dict[str, Column]
    rows: int
    commune: str | None
    period: str | None
    periods: tuple[str, ...]
    categories: tuple[Category, ...]
    measures: tuple[str, ...]
    counts: frozenset[str]

    @property
    def has_map(self) -> bool:
        return self.commune is not None and bool(self.measures)

    @property
    def has_chart(self) -> bool:
        return bool(self.measures) and (len(self.periods) > 1 or bool(self.categories))

    def category(self, column: str) -> Category | None:
        return next((c for c in self.categories if c.column == column), None)

    def to_dict(self, lang: str) -> dict[str, Any]:
        """The profile for the page's script, labels in ``lang``."""
        def col(name: str) -> dict[str, Any]:
            c = self.columns[name]
            return {"id": name, "label": c.title(lang), "unit": c.unit_in(lang),
                    "count": name in self.counts}
        return {
            "resource_id": self.resource_id,
            "commune": col(self.commune) if self.commune else None,
            "period": col(self.period) if self.period else None,
            "periods": list(self.periods),
            "categories": [dict(col(c.column), values=[
                {"value": v, "label": c.labels.get(v, v)} for v in c.values])
                for c in self.categories],
            "measures": [col(m) for m in self.measures],
        }


def _fields(resource_id: str) -> list[dict[str, Any]]:
    info = tk.get_action("datastore_info")({"ignore_auth": True}, {
        "id": resource_id, "include_meta": False, "include_fields_schema": False})
    return [f for f in info["fields"] if not f["id"].startswith("_")]


def _sample(resource_id: str, columns: list[str]) -> str:
    cols = ", ".join(ident(c) for c in columns)
    return f"(SELECT {cols} FROM {ident(resource_id)} LIMIT {SAMPLE_ROWS}) AS s"


def _column_stats(conn: sa.engine.Connection, resource_id: str,
                  columns: list[Column]) -> tuple[int, dict[str, dict[str, int]]]:
    parts = ["count(*)"]
    keys: list[tuple[str, str]] = []
    for c in columns:
        text = f"NULLIF(btrim({ident(c.id)}::text), '')"
        # byte order ("C") for counting distinct values: the locale's collation is slow
        distinct = f'count(DISTINCT {text} COLLATE "C")' if c.type == "text" else "0"
        parts += [f"count({text})", distinct,
                  f"count(*) FILTER (WHERE {text} = ANY(:codes))"]
        keys += [(c.id, "nonempty"), (c.id, "distinct"), (c.id, "communes")]
        if c.type == "text":
            parts.append(f"count(*) FILTER (WHERE {text} ~ '{_PERIOD_TEXT}')")
            keys.append((c.id, "periodlike"))
        elif c.type in INTEGER_TYPES:
            parts.append(f"count(*) FILTER (WHERE {ident(c.id)} BETWEEN 1900 AND 2100)")
            keys.append((c.id, "periodlike"))
    row = conn.execute(sa.text(f"SELECT {', '.join(parts)} FROM "
                               f"{_sample(resource_id, [c.id for c in columns])}"),
                       {"codes": list(current_communes())}).one()
    stats: dict[str, dict[str, int]] = {c.id: {} for c in columns}
    for (name, key), value in zip(keys, row[1:]):
        stats[name][key] = int(value)
    return int(row[0]), stats


def _one_to_one(conn: sa.engine.Connection, resource_id: str, a: str, b: str,
                stats: dict[str, dict[str, int]]) -> bool:
    if stats[a]["distinct"] != stats[b]["distinct"]:
        return False
    pairs = conn.execute(sa.text(
        f'SELECT count(*) FROM (SELECT DISTINCT {ident(a)}::text COLLATE "C", '
        f'{ident(b)}::text COLLATE "C" FROM {_sample(resource_id, [a, b])}) AS p')).scalar_one()
    return int(pairs) == stats[a]["distinct"]


def _distinct(conn: sa.engine.Connection, resource_id: str, column: str,
              label: str | None = None) -> list[tuple[str, str]]:
    # the whole table, not the sample: a period or category value in its last rows counts
    label_sql = f"min({ident(label)}::text)" if label else "NULL"
    rows = conn.execute(sa.text(
        f'SELECT {ident(column)}::text COLLATE "C", {label_sql} FROM {ident(resource_id)} '
        f"WHERE {ident(column)} IS NOT NULL GROUP BY 1 ORDER BY 1")).all()
    values = [(r[0], r[1] or r[0]) for r in rows]
    if values and all(_ROMAN.match(v) for v, _ in values):  # ICD-10 chapters: I, II, … XXII
        values.sort(key=lambda item: _roman_value(item[0]))
    return values


_ROMAN = re.compile(r"^[IVXLC]+$")
_ROMAN_DIGITS = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


def _roman_value(text: str) -> int:
    total = 0
    for digit, following in zip(text, text[1:] + " "):
        value = _ROMAN_DIGITS[digit]
        total += -value if _ROMAN_DIGITS.get(following, 0) > value else value
    return total


def _is_period(c: Column, s: dict[str, int]) -> bool:
    if not s["nonempty"] or s.get("periodlike", 0) < s["nonempty"]:
        return False
    if c.type == "text":
        return True
    return c.type in INTEGER_TYPES and bool(
        _YEAR_HINT.search(c.id) or _YEAR_HINT.search(c.label) or _YEAR_HINT.search(c.label_en))


_MEMO: ContextVar[dict[str, TableProfile | None] | None] = ContextVar("smartcity_profiles",
                                                                      default=None)


@contextmanager
def memo() -> Iterator[None]:
    """Within the block each table is profiled once (several views ask the same question
    while one action runs; outside it every call reads the table as it is now)."""
    token = _MEMO.set({})
    try:
        yield
    finally:
        _MEMO.reset(token)


def profile_table(resource_id: str) -> TableProfile | None:
    """The profile of the resource's DataStore table; None when it has no table."""
    cache = _MEMO.get()
    if cache is not None and resource_id in cache:
        return cache[resource_id]
    profile = _profile_table(resource_id)
    if cache is not None:
        cache[resource_id] = profile
    return profile


def _profile_table(resource_id: str) -> TableProfile | None:
    from ckanext.datastore.backend import postgres as backend
    try:
        fields = _fields(resource_id)
    except tk.ObjectNotFound:
        return None
    columns = {f["id"]: column_from_field(f) for f in fields}
    if not columns:
        return None
    with backend.get_read_engine().connect() as conn:
        conn.execute(sa.text("SET statement_timeout = 30000"))
        rows, stats = _column_stats(conn, resource_id, list(columns.values()))
        commune = next((c.id for c in columns.values()
                        if c.type == "text" or c.type in INTEGER_TYPES
                        if stats[c.id]["nonempty"]
                        and stats[c.id]["communes"] >= COMMUNE_SHARE * stats[c.id]["nonempty"]),
                       None)
        period = next((c.id for c in columns.values()
                       if c.id != commune and _is_period(c, stats[c.id])), None)
        periods = tuple(v for v, _ in _distinct(conn, resource_id, period)) if period else ()
        candidates = [c.id for c in columns.values()
                      if c.type == "text" and c.id not in (commune, period)
                      and 2 <= stats[c.id]["distinct"] <= MAX_CATEGORY_VALUES]
        if commune:  # the commune's name is not a category
            candidates = [c for c in candidates
                          if not _one_to_one(conn, resource_id, commune, c, stats)]
        categories: list[Category] = []
        taken: set[str] = set()
        for name in candidates:
            if name in taken:
                continue
            partner = next((o for o in candidates if o != name and o not in taken
                            and _one_to_one(conn, resource_id, name, o, stats)), None)
            values = _distinct(conn, resource_id, name, partner)
            taken.update({name, partner} - {None})  # type: ignore[arg-type]
            categories.append(Category(name, tuple(v for v, _ in values),
                                       {v: lbl for v, lbl in values if partner}))
    measures = tuple(c.id for c in columns.values()
                     if c.type in NUMERIC_TYPES and c.id not in (commune, period))
    counts = frozenset(m for m in measures if columns[m].type in INTEGER_TYPES)
    return TableProfile(resource_id=resource_id, columns=columns, rows=rows,
                        commune=commune, period=period, periods=periods,
                        categories=tuple(categories), measures=measures, counts=counts)
