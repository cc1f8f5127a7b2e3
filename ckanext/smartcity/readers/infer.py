"""Column type inference and value conversion shared by the readers.

Decisions (documented here once, used by the file, API and SQLite paths):

* Types are inferred from the first batch only (streaming: later rows are not known
  yet). A column whose values in that batch are all empty is ``text``.
* Text cells: an integer without leading zeros (at most 18 digits) is ``int``;
  ``0905...`` phone-like codes and commune codes with a leading zero stay ``text``.
  ``1.5`` / ``-2e3`` is ``float`` (a decimal *comma* is ambiguous with thousands
  separators and stays ``text``). ``YYYY-MM-DD`` and Vietnamese ``DD/MM/YYYY`` are
  ``date``; ``YYYY-MM-DD[T ]HH:MM[:SS]`` is ``timestamp``.
* With ``strings="dates"`` (JSON APIs, whose numbers are typed already) only the
  date/timestamp patterns are looked for in strings.
* Mixed kinds: int+float → float, int/float+numeric → numeric, date+timestamp →
  timestamp, anything else → text.
* Converting a later value that does not fit the inferred type raises ``ValueError``
  (the reader turns it into a ReaderError naming column and row, not the value).
  Empty strings become ``None``. Text columns get non-text values as JSON (dict, list)
  or ``str``.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

__all__ = ["convert", "infer_types", "unify", "value_kind"]

_INT = re.compile(r"[+-]?(?:0|[1-9]\d{0,17})")
_FLOAT = re.compile(r"[+-]?(?:(?:0|[1-9]\d*)(?:\.\d+)?[eE][+-]?\d+|(?:0|[1-9]\d*)?\.\d+)")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_VN_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_ISO_TS = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}:?\d{2})?")


def _parse_date(text: str) -> dt.date | None:
    try:
        if _ISO_DATE.fullmatch(text):
            return dt.date.fromisoformat(text)
        match = _VN_DATE.fullmatch(text)
        if match:
            day, month, year = (int(g) for g in match.groups())
            return dt.date(year, month, day)
    except ValueError:
        return None
    return None


def _parse_timestamp(text: str) -> dt.datetime | None:
    if not _ISO_TS.fullmatch(text):
        return None
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        return None


def value_kind(value: Any, strings: str = "full") -> str | None:
    """The type one value suggests (``None`` for an empty value)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    if isinstance(value, Decimal):
        return "numeric"
    if isinstance(value, dt.datetime):
        return "date" if value.time() == dt.time() and value.tzinfo is None \
            and strings == "full" else "timestamp"
    if isinstance(value, dt.date):
        return "date"
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        if strings == "full":
            if _INT.fullmatch(text):
                return "int"
            if _FLOAT.fullmatch(text):
                return "float"
        if _parse_date(text) is not None:
            return "date"
        if _parse_timestamp(text) is not None:
            return "timestamp"
    return "text"


def unify(kinds: set[str]) -> str:
    """One column type for the kinds seen in a column."""
    kinds = {k for k in kinds if k}
    if not kinds:
        return "text"
    if len(kinds) == 1:
        return next(iter(kinds))
    if kinds <= {"int", "float"}:
        return "float"
    if kinds <= {"int", "float", "numeric"}:
        return "numeric"
    if kinds <= {"date", "timestamp"}:
        return "timestamp"
    return "text"


def infer_types(rows: Sequence[Sequence[Any]], width: int, strings: str = "full") -> list[str]:
    """Column types for ``width`` columns from the rows of the first batch."""
    kinds: list[set[str]] = [set() for _ in range(width)]
    for row in rows:
        for index, value in enumerate(row[:width]):
            kind = value_kind(value, strings)
            if kind is not None:
                kinds[index].add(kind)
    return [unify(k) for k in kinds]


def _to_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value)


def convert(value: Any, type_: str) -> Any:
    """``value`` as the Python value of column type ``type_``.

    :raises ValueError: when it does not fit (message without the value).
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if type_ == "text":
        return _to_text(value)
    text = value.strip() if isinstance(value, str) else None
    if type_ == "int":
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if text is not None and _INT.fullmatch(text):
            return int(text)
    elif type_ in ("float", "numeric"):
        if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
            if type_ == "float":
                return float(value)
            return value if isinstance(value, float) else Decimal(value)
        if text is not None and (_FLOAT.fullmatch(text) or _INT.fullmatch(text)):
            return Decimal(text) if type_ == "numeric" else float(text)
    elif type_ == "bool":
        if isinstance(value, bool):
            return value
        if text is not None and text.lower() in ("true", "false"):
            return text.lower() == "true"
    elif type_ == "date":
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if text is not None and (parsed := _parse_date(text)) is not None:
            return parsed
    elif type_ == "timestamp":
        if isinstance(value, dt.datetime):
            return value
        if isinstance(value, dt.date):
            return dt.datetime(value.year, value.month, value.day)
        if text is not None:
            parsed_ts = _parse_timestamp(text) or _parse_date(text)
            if isinstance(parsed_ts, dt.datetime):
                return parsed_ts
            if isinstance(parsed_ts, dt.date):
                return dt.datetime(parsed_ts.year, parsed_ts.month, parsed_ts.day)
    raise ValueError(f"value does not fit type {type_}")
