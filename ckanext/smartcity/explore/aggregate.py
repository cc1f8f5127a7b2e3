"""Aggregate a measure of a DataStore table by commune, period or category.

The one place where the suppression rule for maps and charts is applied:

* an aggregate of a **count** column is the sum of its rows; if any of those rows is a
  suppressed (NULL) cell the aggregate is **suppressed** (``value`` None, never 0 and never
  a partial sum that would read as the total);
* a **non-count** measure (a rate, an area, an amount in decimals) is never summed: the
  filters must leave one row per group, otherwise the request is refused naming the
  category columns to choose a value of;
* a group with no rows at all is ``no_data`` (drawn differently from suppressed).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

import ckan.plugins.toolkit as tk

from ckanext.smartcity.explore.profile import TableProfile, ident

__all__ = ["Cell", "aggregate", "suggest_filters", "check_request"]

#: a default view should not open on a map or chart that is mostly suppressed
MAX_SUPPRESSED_SHARE = 0.5


@dataclass(frozen=True)
class Cell:
    """One aggregated group."""

    key: str
    value: float | int | None
    rows: int
    suppressed: int

    @property
    def status(self) -> str:
        """``suppressed`` (a hidden count), ``no_data`` (an empty non-count) or ``ok``."""
        if self.suppressed:
            return "suppressed"
        return "no_data" if self.value is None else "ok"


def check_request(profile: TableProfile, column: str, by: str, period: str | None,
                  filters: dict[str, str]) -> None:
    """Refuse a measure, period or filter the table does not have (naming the field)."""
    if column not in profile.measures:
        raise tk.ValidationError({"column": [
            f'"{column}" không phải cột số liệu của bảng / is not a measure of the table '
            f'(measures: {", ".join(profile.measures) or "none"})']})
    if period is not None:
        if profile.period is None:
            raise tk.ValidationError({"period": [
                "Bảng không có cột thời gian / the table has no period column"]})
        if period not in profile.periods:
            raise tk.ValidationError({"period": [
                f'Không có kỳ "{period}" / no period "{period}" in column '
                f'"{profile.period}"']})
    allowed = {c.column for c in profile.categories} | ({profile.commune} - {None, by})
    for name in filters:
        if name not in allowed:
            raise tk.ValidationError({"filters": [
                f'"{name}" không phải cột phân loại / is not a category column '
                f'(categories: {", ".join(sorted(allowed)) or "none"})']})


def _where(profile: TableProfile, period: str | None, filters: dict[str, str]
           ) -> tuple[str, dict[str, Any]]:
    clauses, params = [], {}
    if period is not None and profile.period:
        clauses.append(f"{ident(profile.period)}::text = :period")
        params["period"] = period
    for i, (name, value) in enumerate(sorted(filters.items())):
        clauses.append(f"{ident(name)}::text = :f{i}")
        params[f"f{i}"] = str(value)
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def _group_sql(profile: TableProfile, column: str, by: str, where: str) -> str:
    m, g = ident(column), ident(by)
    if column in profile.counts:
        value = f"CASE WHEN count(*) > count({m}) THEN NULL ELSE sum({m}) END"
    else:
        value = f"min({m})"
    return (f"SELECT btrim({g}::text) AS key, {value} AS value, count(*) AS rows, "
            f"count(*) - count({m}) AS suppressed FROM {ident(profile.resource_id)}"
            f"{where}{' AND' if where else ' WHERE'} {g} IS NOT NULL GROUP BY 1 ORDER BY 1")


def _connection() -> sa.engine.Connection:
    from ckanext.datastore.backend import postgres as backend
    conn = backend.get_read_engine().connect()
    conn.execute(sa.text("SET statement_timeout = 30000"))
    return conn


def _number(value: Any) -> float | int | None:
    if value is None:
        return None
    as_float = float(value)
    return int(as_float) if as_float.is_integer() else as_float


def aggregate(profile: TableProfile, column: str, by: str, period: str | None = None,
              filters: dict[str, str] | None = None) -> list[Cell]:
    """``column`` aggregated per value of ``by`` over the rows of ``period`` and ``filters``.

    :raises ValidationError: unknown column/period/filter, or a non-count measure with
        several rows per group (naming the category columns still to choose).
    """
    filters = dict(filters or {})
    check_request(profile, column, by, period, filters)
    where, params = _where(profile, period, filters)
    with _connection() as conn:
        rows = conn.execute(sa.text(_group_sql(profile, column, by, where)), params).all()
    if column not in profile.counts and any(r.rows > 1 for r in rows):
        open_ = [c.column for c in profile.categories if c.column not in filters]
        raise tk.ValidationError({"filters": [
            f'"{column}" không phải số đếm nên không được cộng; hãy chọn một giá trị của / '
            f'is not a count and is not summed: choose one value of '
            f'{", ".join(open_) or profile.period or by}']})
    counted = column in profile.counts  # a NULL elsewhere is missing, not suppressed
    return [Cell(r.key, _number(r.value), int(r.rows), int(r.suppressed) if counted else 0)
            for r in rows]


def suggest_filters(profile: TableProfile, column: str, by: str,
                    period: str | None = None) -> dict[str, str]:
    """Filters for a view to open on: none if that shows enough; else, greedily, the
    category value (or, for charts, the commune) whose groups are least suppressed.
    A non-count measure gets a value for every category (one row per group)."""
    filters: dict[str, str] = {}
    candidates = [c.column for c in profile.categories]
    if profile.commune and by != profile.commune:
        candidates.append(profile.commune)
    m, g = ident(column), ident(by)
    with _connection() as conn:
        while candidates:
            where, params = _where(profile, period, filters)
            row = conn.execute(sa.text(
                f"SELECT count(*) FILTER (WHERE s > 0), count(*), max(n) FROM "
                f"(SELECT count(*) - count({m}) AS s, count(*) AS n FROM "
                f"{ident(profile.resource_id)}{where} GROUP BY {g}) AS x"), params).one()
            many_rows = column not in profile.counts and (row[2] or 0) > 1
            if not many_rows and (not row[1] or row[0] <= MAX_SUPPRESSED_SHARE * row[1]):
                break
            best: tuple[int, int, str, str] | None = None
            for name in candidates:
                c = ident(name)
                hit = conn.execute(sa.text(
                    f"SELECT v, count(*) FILTER (WHERE s > 0) AS bad, count(*) AS groups FROM "
                    f"(SELECT btrim({c}::text) AS v, count(*) - count({m}) AS s FROM "
                    f"{ident(profile.resource_id)}{where} GROUP BY 1, {g}) AS x "
                    f"WHERE v IS NOT NULL GROUP BY v ORDER BY 2, 3 DESC, 1 LIMIT 1"),
                    params).first()
                if hit is not None and (best is None or (hit.bad, -hit.groups) < best[:2]):
                    best = (hit.bad, -hit.groups, name, hit.v)
            if best is None:
                break
            filters[best[2]] = best[3]
            candidates.remove(best[2])
    return filters
