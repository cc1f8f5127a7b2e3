"""From a dataset spec and the rows read to what is published (no CKAN imports).

* :class:`ColumnPlan` — which source columns are published, under which name, type
  and labels (the spec's optional ``columns`` list; default: all, as the source
  names them).
* :class:`Derived` — fields derived while the rows stream past: temporal coverage
  from a year or date column, ``admin_units`` from a commune-code column.
* :func:`build_dataset` — config ``defaults`` + spec ``fields`` + derived fields +
  provenance → a dataset dict for ``package_create``/``package_update``.
"""
from __future__ import annotations

import datetime as dt
import json
import operator
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ckanext.smartcity.reference.codelists import parse_date
from ckanext.smartcity.privacy.resolve import TableColumn
from ckanext.smartcity.readers.base import Column

__all__ = ["PublishedColumn", "ColumnPlan", "PlanError", "Derived", "build_dataset",
           "with_provenance", "provenance_text", "PG_TYPES", "PROVENANCE_KEYS"]

#: reader column types → DataStore (PostgreSQL) column types
PG_TYPES = {"text": "text", "int": "int8", "numeric": "numeric", "float": "float8",
            "bool": "bool", "date": "date", "timestamp": "timestamp"}
#: provenance recorded on every harvested dataset
PROVENANCE_KEYS = ("harvest_source", "harvested_at", "content_hash", "privacy_report",
                   "row_count")

YEAR_COLUMNS = ("nam", "năm", "year", "nam_bao_cao", "reporting_year")
DATE_COLUMNS = ("ngay", "ngày", "date", "ngay_bao_cao", "reporting_date", "thoi_diem")
COMMUNE_COLUMNS = ("ma_xa", "mã_xã", "ma_phuong_xa", "commune_code")
MAX_ADMIN_UNITS = 1000


class PlanError(ValueError):
    """The spec's ``columns`` do not match what the source returned."""


@dataclass(frozen=True)
class PublishedColumn:
    """A column as published: its source position and name, and what it becomes."""

    index: int
    source: str
    name: str
    type: str
    label: str = ""
    label_en: str = ""
    notes: str = ""

    def datastore_field(self) -> dict[str, Any]:
        """The DataStore field (data dictionary ``info``: label vi, notes, label_en)."""
        info: dict[str, str] = {"label": self.label or self.name, "notes": self.notes}
        if self.label_en:
            info["label_en"] = self.label_en
        return {"id": self.name, "type": PG_TYPES[self.type], "info": info}


@dataclass
class ColumnPlan:
    """The published columns, in order."""

    columns: list[PublishedColumn]

    @classmethod
    def build(cls, spec: dict[str, Any], source_columns: Sequence[Column]) -> ColumnPlan:
        """Select, rename, type and label the source columns as ``spec['columns']`` says.

        :raises PlanError: naming a configured column the source does not have.
        """
        position = {c.name: i for i, c in enumerate(source_columns)}
        wanted = spec.get("columns")
        if not wanted:
            return cls([PublishedColumn(i, c.name, c.name, c.type)
                        for i, c in enumerate(source_columns)])
        out = []
        for item in wanted:
            item = {"id": item} if isinstance(item, str) else item
            if item["id"] not in position:
                raise PlanError(f"column {item['id']!r} configured in 'columns' is not "
                                f"in the source")
            index = position[item["id"]]
            out.append(PublishedColumn(
                index, item["id"], item.get("name") or item["id"],
                item.get("type") or source_columns[index].type,
                item.get("label", ""), item.get("label_en", ""), item.get("notes", "")))
        return cls(out)

    @property
    def names(self) -> list[str]:
        """Published column names."""
        return [c.name for c in self.columns]

    @property
    def source_names(self) -> list[str]:
        """Source names of the published columns (what the privacy guard checks)."""
        return [c.source for c in self.columns]

    def privacy_columns(self) -> list[TableColumn]:
        """The published columns as the privacy settings may name them: source name,
        published name, labels (:func:`ckanext.smartcity.privacy.resolve.resolve`)."""
        return [TableColumn(c.source, c.name, tuple(t for t in (c.label, c.label_en) if t))
                for c in self.columns]

    def select(self, row: Sequence[Any]) -> tuple[Any, ...]:
        """The published cells of a source row."""
        return tuple(row[c.index] for c in self.columns)

    def select_batch(self, rows: list[tuple[Any, ...]], width: int) -> list[tuple[Any, ...]]:
        """The published cells of a batch of source rows of ``width`` columns.

        When every source column is published in source order, rows that are already
        tuples of ``width`` cells are returned as they are (no copy).
        """
        indices = [c.index for c in self.columns]
        if indices == list(range(width)) and set(map(type, rows)) <= {tuple} \
                and set(map(len, rows)) <= {width}:
            return rows
        if len(indices) == 1:
            only = indices[0]
            return [(row[only],) for row in rows]
        if not indices:
            return [() for _ in rows]
        return list(map(operator.itemgetter(*indices), rows))

    def datastore_fields(self) -> list[dict[str, Any]]:
        """DataStore ``fields`` for ``datastore_create``."""
        return [c.datastore_field() for c in self.columns]

    def describe(self) -> list[list[str]]:
        """A JSON-able description (part of the content hash)."""
        return [[c.source, c.name, c.type, c.label, c.label_en, c.notes]
                for c in self.columns]


def _year(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (dt.date, dt.datetime)):
        return value.year
    match = re.fullmatch(r"\s*(\d{4})(?:\.0+)?\s*", str(value)) if value is not None else None
    if match and 1800 <= int(match.group(1)) <= 2200:
        return int(match.group(1))
    return None


def _find(names: Sequence[str], candidates: Iterable[str]) -> int | None:
    lowered = [n.lower() for n in names]
    for candidate in candidates:
        if candidate in lowered:
            return lowered.index(candidate)
    return None


_DISTINCT_SAFE = frozenset({str, int, type(None)})


def _distinct(rows: Sequence[Sequence[Any]], index: int) -> Iterable[Any]:
    """Column ``index`` of ``rows`` without repeats (first occurrences, in order) when
    its values are str/int/None (equal means identical for those); else every cell."""
    column = list(map(operator.itemgetter(index), rows))
    if set(map(type, column)) <= _DISTINCT_SAFE:
        return dict.fromkeys(column)
    return column


@dataclass
class Derived:
    """Accumulates derived fields over the published rows (bounded memory)."""

    names: Sequence[str]
    start: dt.date | None = None
    end: dt.date | None = None
    admin_units: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self._year = _find(self.names, YEAR_COLUMNS)
        self._date = None if self._year is not None else _find(self.names, DATE_COLUMNS)
        self._commune = _find(self.names, COMMUNE_COLUMNS)

    def add(self, row: Sequence[Any]) -> None:
        """Take one published row into account."""
        if self._year is not None:
            year = _year(row[self._year])
            if year is not None:
                self._widen(dt.date(year, 1, 1), dt.date(year, 12, 31))
        elif self._date is not None:
            day = parse_date(row[self._date])
            if day is not None:
                self._widen(day, day)
        if self._commune is not None and len(self.admin_units) < MAX_ADMIN_UNITS:
            code = row[self._commune]
            if code not in (None, ""):
                self.admin_units.add(str(code).strip())

    def add_batch(self, rows: Sequence[Sequence[Any]]) -> None:
        """:meth:`add` for every row of a batch; same result, each distinct cell once."""
        if not rows:
            return
        if self._year is not None:
            for value in _distinct(rows, self._year):
                year = _year(value)
                if year is not None:
                    self._widen(dt.date(year, 1, 1), dt.date(year, 12, 31))
        elif self._date is not None:
            for value in _distinct(rows, self._date):
                day = parse_date(value)
                if day is not None:
                    self._widen(day, day)
        if self._commune is not None and len(self.admin_units) < MAX_ADMIN_UNITS:
            # first occurrences in row order: the same units as adding row by row
            for code in _distinct(rows, self._commune):
                if len(self.admin_units) >= MAX_ADMIN_UNITS:
                    break
                if code not in (None, ""):
                    self.admin_units.add(str(code).strip())

    def _widen(self, start: dt.date, end: dt.date) -> None:
        self.start = start if self.start is None else min(self.start, start)
        self.end = end if self.end is None else max(self.end, end)

    def fields(self) -> dict[str, Any]:
        """``temporal_start``/``temporal_end`` (ISO dates) and ``admin_units`` (list)."""
        out: dict[str, Any] = {}
        if self.start is not None and self.end is not None:
            out["temporal_start"] = self.start.isoformat()
            out["temporal_end"] = self.end.isoformat()
        if self.admin_units:
            out["admin_units"] = sorted(self.admin_units)
        return out


def build_dataset(spec: dict[str, Any], defaults: dict[str, Any], derived: dict[str, Any],
                  *, owner_org: str, schema_fields: set[str] | None = None
                  ) -> dict[str, Any]:
    """The dataset dict for ``spec`` (without provenance; see :func:`with_provenance`).

    Precedence: config ``defaults`` < derived fields < spec ``fields`` < spec name,
    type and title. Derived fields the schema does not know are left out.
    """
    dataset: dict[str, Any] = dict(defaults)
    for key, value in derived.items():
        if schema_fields is None or key in schema_fields:
            dataset[key] = value
    dataset.update(spec.get("fields") or {})
    dataset.update({"name": spec["name"], "type": spec["dataset_type"],
                    "owner_org": owner_org})
    if spec.get("title"):
        dataset["title"] = spec["title"]
    dataset.setdefault("title", spec["name"])
    return dataset


def provenance_text(value: Any) -> str:
    """How a provenance value is stored: text as is, anything else (the privacy report) as
    JSON with Vietnamese kept readable and keys sorted."""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False,
                                                           sort_keys=True)


def with_provenance(dataset: dict[str, Any], provenance: dict[str, Any],
                    schema_fields: set[str] | None) -> dict[str, Any]:
    """``dataset`` plus provenance: schema fields top level, the rest as extras."""
    out = dict(dataset)
    extras = [e for e in out.get("extras") or [] if e.get("key") not in provenance]
    for key, value in provenance.items():
        text = provenance_text(value)
        if schema_fields is not None and key in schema_fields:
            out[key] = text
        else:
            extras.append({"key": key, "value": text})
    out["extras"] = extras
    return out

