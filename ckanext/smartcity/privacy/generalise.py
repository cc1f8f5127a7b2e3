"""``privacy-scan --generalise``: make a microdata table k-anonymous before it is sent.

Pure Python (no CKAN imports). The quasi-identifiers are those :mod:`.microdata` finds (or
the declared ones); the table's quasi-identifier columns are held in memory (one list per
column), every other column is streamed again when the safe file is written. Steps (like
sdcMicro's global recoding, with column removal as the last resort):

1. dates of birth become years of birth (the column is renamed ``Năm sinh``);
2. ages in 5-year bands (``20-24``), years of birth in 5-year cohorts (``1980-1984``);
3. communes/wards become their district, when every value is a commune of the admin-unit
   code list that had a district (the 2025 communes have none: then this step is skipped);
4. 10-year bands and cohorts; 5. 20-year bands and cohorts;
6. columns dropped (categories such as occupation, ethnicity, sex cannot be coarsened).

Each step has a cost (:data:`_LADDERS`); the cheapest combination of steps that reaches k
is chosen (at most :data:`MAX_TRIALS` combinations are counted; past that, the most
coarsened one — every column dropped — is the answer).

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
    from ckanext.smartcity.reference.codelists import fold
    return _AREA_PREFIX.sub("", fold(str(text)).strip())


@functools.lru_cache(maxsize=1)
def _districts() -> dict[str, str]:
    """Commune code or folded name → its district's name, for communes that had one."""
    from ckanext.smartcity.reference.codelists import admin_units
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


#: (cost, level name) per kind; the cheapest combination of levels that reaches k wins
_DROP = 6
_LADDERS = {
    "age": ((0, None), (1, 5), (2, 10), (3, 20), (_DROP, "drop")),
    "year_of_birth": ((0, None), (1, 5), (2, 10), (3, 20), (_DROP, "drop")),
    "date_of_birth": ((0, "year"), (1, 5), (2, 10), (3, 20), (_DROP, "drop")),
    "area": ((0, None), (2, "district"), (_DROP, "drop")),
}
_OTHER = ((0, None), (_DROP, "drop"))
MAX_TRIALS = 400


def _levels(kind: str | None, values: list[object]) -> list[tuple[int, object, object]]:
    """(cost, level, recode function or None for drop / keep) of one column."""
    out: list[tuple[int, object, object]] = []
    for cost, level in _LADDERS.get(kind or "", _OTHER):
        if level is None:
            out.append((cost, level, _keep))
        elif level == "drop":
            out.append((cost, level, None))
        elif level == "year":
            out.append((cost, level, _to_year))
        elif level == "district":
            fn = _district_recode(values)
            if fn is not None:
                out.append((cost, level, fn))
        else:
            out.append((cost, level, _band(int(level), _year if kind != "age" else _age)))
    return out


def _keep(value: object) -> object:
    return value


def _to_year(value: object) -> object:
    year = _year(value)
    return value if year is None else year


def _words(kind: str | None, level: object, column: str) -> tuple[str, str]:
    if level == "drop":
        return f"«{column}»: bỏ cột", f"'{column}': column dropped"
    if level == "year":
        return (f"«{column}»: ngày sinh thành năm sinh (cột «Năm sinh»)",
                f"'{column}': dates of birth as years (column 'Năm sinh')")
    if level == "district":
        return (f"«{column}»: xã/phường thành quận/huyện (danh mục đơn vị hành chính)",
                f"'{column}': communes as their districts (admin-unit code list)")
    if kind == "age":
        return (f"«{column}»: tuổi theo khoảng {level} năm",
                f"'{column}': ages in {level}-year bands")
    return (f"«{column}»: năm sinh theo nhóm {level} năm",
            f"'{column}': years of birth in {level}-year cohorts")


def plan_generalisation(columns: Sequence[str], rows: Iterable[Sequence[object]], k: int,
                        quasi_identifiers: Sequence[str]) -> Generalisation:
    """The cheapest generalisation (costs in :data:`_LADDERS`: a band or a district costs
    little, a dropped column much) for which every combination of the
    ``quasi_identifiers`` (the columns the check used) holds ≥ ``k`` rows. ``rows`` are
    read once; the quasi-identifier columns are held in memory."""
    columns = [str(c) for c in columns]
    qi = resolve_columns(quasi_identifiers, columns, "quasi_identifiers")
    held: dict[int, list[object]] = {i: [] for i in qi}
    for row in rows:
        for i in qi:
            held[i].append(row[i])
    plan = Generalisation(columns, k, qi)
    kinds = {i: quasi_identifier_kind(columns[i]) for i in qi}
    ladders = {i: _levels(kinds[i], held[i]) for i in qi}
    cache: dict[tuple[int, int], list[object]] = {}

    def recoded(i: int, step: int) -> list[object]:
        if (i, step) not in cache:
            fn = ladders[i][step][2]
            cache[(i, step)] = [fn(v) for v in held[i]]  # type: ignore[operator]
        return cache[(i, step)]

    def smallest(choice: tuple[int, ...]) -> int | None:
        live = [recoded(i, step) for i, step in zip(qi, choice) if ladders[i][step][2]]
        return _smallest(live) if live else None

    # every combination of levels, cheapest first (ties: fewer dropped columns)
    combos: list[tuple[int, ...]] = [()]
    for i in qi:
        combos = [c + (step,) for c in combos for step in range(len(ladders[i]))]
    combos.sort(key=lambda c: (sum(ladders[i][s][0] for i, s in zip(qi, c)),
                               sum(ladders[i][s][1] == "drop" for i, s in zip(qi, c))))
    chosen = combos[-1]
    for trial, combo in enumerate(combos):
        if trial >= MAX_TRIALS:
            break
        least = smallest(combo)
        if least is None or least >= k:
            chosen = combo
            break
    plan.smallest_class = smallest(chosen)
    plan.satisfied = plan.smallest_class is None or plan.smallest_class >= k
    for i, step in zip(qi, chosen):
        _, level, fn = ladders[i][step]
        if level is None:
            continue
        plan.changes.append(_words(kinds[i], level, columns[i]))
        if fn is None:
            plan.dropped.append(i)
            continue
        plan.recode[i] = fn
        if kinds[i] == "date_of_birth":
            plan.rename[i] = "Năm sinh" if level == "year" else "Nhóm năm sinh"
        elif level == "district":
            plan.rename[i] = "Quận/Huyện"
    return plan
