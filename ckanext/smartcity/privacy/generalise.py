"""``privacy-scan --generalise``: make a microdata table k-anonymous before it is sent.

Pure Python (no CKAN imports). The quasi-identifiers are those :mod:`.microdata` finds (or
the declared ones); the table's quasi-identifier columns are held in memory (one list per
column), every other column is streamed again when the safe file is written. Steps, tried
in this order until every combination holds ≥ k rows (like sdcMicro's global recoding,
with column removal as the last resort):

1. dates of birth become years of birth (the column is renamed ``Năm sinh``);
2. ages in 5-year bands (``20-24``), years of birth in 5-year cohorts (``1980-1984``);
3. communes/wards become their district, when every value is a commune of the admin-unit
   code list that had a district (the 2025 communes have none: then this step is skipped);
4. 10-year bands and cohorts; 5. 20-year bands and cohorts;
6. columns dropped until k holds: categories that cannot be coarsened (occupation,
   ethnicity …) first, the one with the most distinct values first, then areas, ages, sex.

Every change is reported in words (column and what was done — never a value).
"""
from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable, Sequence

from .microdata import quasi_identifier_kind, resolve_columns

__all__ = ["Generalisation", "plan_generalisation"]

_YEAR = re.compile(r"(?<!\d)(1[89]\d\d|20\d\d)(?!\d)")
_NUMBER = re.compile(r"^\s*(\d{1,3})(?:[.,]0+)?\s*$")
_AREA_PREFIX = re.compile(r"^(phuong|xa|thi tran|p\.|x\.)\s+")


@dataclass
class Generalisation:
    """The plan: per column index, its new header (or ``None``: dropped) and the function
    that recodes its values; ``changes`` says what was done, in vi / en."""

    columns: list[str]
    k: int
    quasi_identifiers: list[int]
    recode: dict[int, object] = field(default_factory=dict)
    rename: dict[int, str] = field(default_factory=dict)
    dropped: list[int] = field(default_factory=list)
    changes: list[tuple[str, str]] = field(default_factory=list)
    smallest_class: int | None = None
    satisfied: bool = False

    @property
    def header(self) -> list[str]:
        """The safe file's header."""
        return [self.rename.get(i, c) for i, c in enumerate(self.columns)
                if i not in self.dropped]

    def apply(self, row: Sequence[object]) -> list[object]:
        """One row of the safe file."""
        out = []
        for i, v in enumerate(row):
            if i in self.dropped:
                continue
            f = self.recode.get(i)
            out.append(f(v) if f is not None else v)  # type: ignore[operator]
        return out


def _age(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return int(value)
    m = _NUMBER.match(str(value or ""))
    return int(m.group(1)) if m else None


def _year(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 1800 <= value <= 2100 else None
    year = getattr(value, "year", None)
    if isinstance(year, int):
        return year
    m = _YEAR.search(str(value or ""))
    return int(m.group(1)) if m else None


def _band(width: int, parse, base: int = 0):  # type: ignore[no-untyped-def]
    def recode(value: object) -> object:
        n = parse(value)
        if n is None:
            return value
        lo = base + (n - base) // width * width
        return f"{lo}-{lo + width - 1}"
    return recode


def _fold(text: str) -> str:
    from ckanext.smartcity.codelists import fold
    return _AREA_PREFIX.sub("", fold(str(text)).strip())


@functools.lru_cache(maxsize=1)
def _districts() -> dict[str, str]:
    """Commune code or folded name → its district's name, for communes that had one."""
    from ckanext.smartcity.codelists import admin_units
    units = admin_units()
    by_code = {u.code: u for u in units}
    out: dict[str, str] = {}
    ambiguous: set[str] = set()
    for u in units:
        parent = by_code.get(u.parent_code or "")
        if u.level != "commune" or parent is None or parent.level != "district":
            continue
        district = parent.full_name_vi
        out[u.code] = district
        key = _fold(u.name_vi)
        if out.get(key, district) != district:
            ambiguous.add(key)
        out[key] = district
    for key in ambiguous:
        del out[key]
    return out


def _district_recode(values: Iterable[object]):  # type: ignore[no-untyped-def]
    table = _districts()

    def key(v: object) -> str:
        text = str(v).strip()
        return text if text in table else _fold(text)
    seen = [v for v in values if v is not None and str(v).strip()]
    if not seen or any(key(v) not in table for v in seen):
        return None
    return lambda v: table.get(key(v), v) if v is not None and str(v).strip() else v


def _smallest(columns: Sequence[Sequence[object]]) -> int:
    if not columns:
        return 0
    counts = Counter(zip(*columns))
    return min(counts.values()) if counts else 0


def plan_generalisation(columns: Sequence[str], rows: Iterable[Sequence[object]], k: int,
                        quasi_identifiers: Sequence[str]) -> Generalisation:
    """Find the least coarsening (in the order of the module doc) for which every
    combination of the ``quasi_identifiers`` (the columns the check used) holds ≥ ``k``
    rows. ``rows`` are streamed once."""
    columns = [str(c) for c in columns]
    qi = resolve_columns(quasi_identifiers, columns, "quasi_identifiers")
    held: dict[int, list[object]] = {i: [] for i in qi}
    for row in rows:
        for i in qi:
            held[i].append(row[i])
    plan = Generalisation(columns, k, qi)
    kinds = {i: quasi_identifier_kind(columns[i]) for i in qi}
    current = {i: list(v) for i, v in held.items()}

    def ok() -> bool:
        live = [current[i] for i in qi if i not in plan.dropped]
        plan.smallest_class = _smallest(live) if live else None
        return not live or (plan.smallest_class or 0) >= k

    def recode(i: int, fn, vi: str, en: str, name: str | None = None) -> None:  # type: ignore[no-untyped-def]
        plan.recode[i] = fn
        if name:
            plan.rename[i] = name
        current[i] = [plan.recode[i](v) for v in held[i]]  # type: ignore[operator]
        plan.changes.append((f"«{columns[i]}»: {vi}", f"'{columns[i]}': {en}"))

    if ok():
        plan.satisfied = True
        return plan
    for i in qi:
        if kinds[i] == "date_of_birth":
            plan.recode[i] = lambda v: (_year(v) if _year(v) is not None else v)
            plan.rename[i] = "Năm sinh"
            current[i] = [plan.recode[i](v) for v in held[i]]  # type: ignore[operator]
            plan.changes.append((f"«{columns[i]}»: ngày sinh thành năm sinh (cột «Năm sinh»)",
                                 f"'{columns[i]}': dates of birth as years (column "
                                 f"'Năm sinh')"))
    if ok():
        plan.satisfied = True
        return plan
    for width in (5, 10, 20):
        for i in qi:
            if kinds[i] == "age":
                recode(i, _band(width, _age), f"tuổi theo khoảng {width} năm",
                       f"ages in {width}-year bands")
            elif kinds[i] in ("year_of_birth", "date_of_birth"):
                recode(i, _band(width, _year), f"năm sinh theo nhóm {width} năm", f"years of birth in "
                       f"{width}-year cohorts", "Nhóm năm sinh")
        if ok():
            plan.satisfied = True
            return plan
        if width == 5:
            for i in qi:
                if kinds[i] == "area" and i not in plan.rename:
                    fn = _district_recode(held[i])
                    if fn is not None:
                        recode(i, fn, "xã/phường thành quận/huyện (danh mục đơn vị hành "
                               "chính)", "communes as their districts (admin-unit code list)",
                               "Quận/Huyện")
            if ok():
                plan.satisfied = True
                return plan
    # categories that cannot be coarsened go first, then areas, ages, sex
    rank = {"area": 1, "age": 2, "year_of_birth": 2, "date_of_birth": 2, "sex": 3}
    order = sorted(qi, key=lambda i: (rank.get(kinds[i] or "", 0), -len(set(current[i]))))
    for i in order:
        plan.dropped.append(i)
        plan.recode.pop(i, None)
        plan.changes.append((f"«{columns[i]}»: bỏ cột", f"'{columns[i]}': column dropped"))
        if ok():
            plan.satisfied = True
            return plan
    return plan
