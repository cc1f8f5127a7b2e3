"""Value detectors: does a cell look like a personal identifier?

Every value is checked (no sampling); cheap prefilters keep this fast: integers below nine
digits, round integers, short strings and strings not ending in a digit are skipped before any
regular expression runs.

Detectors and their tier:

======================  ====  =============================================================
detector                tier  matches (after removing spaces, dots, dashes, parentheses)
======================  ====  =============================================================
``value:cccd``          A     12 digits, ``0`` + a province code from ``data/province_codes.csv``
``value:phone``         A     mobile ``0``/``84``/``+84`` + 3x,5x,7x,8x,9x prefix + 7 digits;
                              landline ``02xx`` + 7 digits (11 digits) or ``84 2xx`` …
``value:email``         A     ``local@domain.tld``
``value:bhyt``          A     health-insurance card: 2 letters + benefit level 1–5 + 12 digits
``value:cccd_numeric``  B     11 digits that are a CCCD whose leading ``0`` was lost (Excel),
                              not ending in ``000`` (round amounts)
``value:cmnd``          B     9 digits not ending in ``000`` (old ID card; also a mobile number
                              stored as an integer)
``value:passport``      B     1 letter + 7 digits (Vietnamese passport)
======================  ====  =============================================================

Tier A patterns are specific enough that one match blocks the column. Tier B patterns collide
with ordinary numbers now and then, so they block when at least :data:`SHARE_THRESHOLD` of the
column's non-empty values match, or on any match when the column's name is a hint.

Decision: a public institution's switchboard or contact number (``0236 3821 118``) is still
a phone number — the detector cannot tell whose number it is — so the column blocks unless the
publisher names it in ``allow_columns``; hotline numbers ``1800``/``1900`` are not matched.

Not matched on purpose: 5-digit commune codes, 4-digit years, VSIC codes (letter + 4 digits),
10- and 13-digit enterprise tax codes (``0401234567``, ``0401234567-001``), dates, decimals
with one dot, hotline numbers ``1800``/``1900`` (8 digits, not personal).
"""
from __future__ import annotations

import csv
import re
from functools import lru_cache
from importlib import resources
from typing import Iterable

__all__ = [
    "TIER_A", "TIER_B", "SHARE_THRESHOLD", "province_codes", "classify", "scan_values",
    "DETECTORS",
]

SHARE_THRESHOLD = 0.5
TIER_A = frozenset({"value:cccd", "value:phone", "value:email", "value:bhyt"})
TIER_B = frozenset({"value:cccd_numeric", "value:cmnd", "value:passport"})
DETECTORS = tuple(sorted(TIER_A | TIER_B))

# Mobile prefixes after the leading 0 (Viettel, VinaPhone, MobiFone, Vietnamobile, Gmobile,
# Itelecom, Reddi).
_MOBILE = frozenset(
    {f"3{d}" for d in "23456789"} | {"52", "55", "56", "58", "59"}
    | {"70", "76", "77", "78", "79"} | {f"8{d}" for d in "123456789"}
    | {"90", "91", "92", "93", "94", "96", "97", "98", "99"}
)
_DIGITS = frozenset("0123456789")
_SEPARATORS = str.maketrans("", "", " .-()\u00a0")
_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")
_BHYT = re.compile(r"[A-Z]{2}[1-5][0-9]{12}")
_PASSPORT = re.compile(r"[A-Z][0-9]{7}")
# A line of 6+ characters whose last non-space character is a digit (what _classify_text
# could accept); used to skip whole batches of text in one C-level scan.
_CANDIDATE_LINE = re.compile(r"^[^\n]{5,}[0-9][^\S\n]*$", re.MULTILINE)


@lru_cache(maxsize=1)
def province_codes() -> frozenset[str]:
    """The 3-digit CCCD place codes (63 pre-2025 and 34 post-2025 provinces, as data)."""
    ref = resources.files("ckanext.smartcity.privacy").joinpath("data/province_codes.csv")
    with ref.open("r", encoding="utf-8") as fh:
        return frozenset(row["code"] for row in csv.DictReader(fh))


def _classify_digits(d: str) -> str | None:
    provinces = province_codes()
    n = len(d)
    if n == 10:
        if d[0] == "0" and d[1:3] in _MOBILE:
            return "value:phone"
    elif n == 11:
        if d[:2] == "02":
            return "value:phone"
        if d[:2] == "84" and d[2:4] in _MOBILE:
            return "value:phone"
        if d[0] != "0" and "0" + d[:2] in provinces and not d.endswith("000"):
            return "value:cccd_numeric"
    elif n == 12:
        if d[0] == "0" and d[:3] in provinces:
            return "value:cccd"
        if d[:3] == "842":
            return "value:phone"
    elif n == 9:
        if not d.endswith("000"):
            return "value:cmnd"
    return None


def _classify_text(value: str) -> str | None:
    s = value.strip()
    if not s:
        return None
    if "@" in s:
        return "value:email" if _EMAIL.fullmatch(s) else None
    if s[-1] not in _DIGITS or s.count(".") == 1:
        return None
    t = s.translate(_SEPARATORS)
    if t[:1] == "+":
        if t[1:3] != "84":
            return None
        t = t[1:]
    if t.isascii() and t.isdigit():
        return _classify_digits(t)
    n = len(t)
    if n == 15:
        return "value:bhyt" if _BHYT.fullmatch(t.upper()) else None
    if n == 8:
        return "value:passport" if _PASSPORT.fullmatch(t.upper()) else None
    return None


def classify(value: object) -> str | None:
    """Return the detector a single value matches (``"value:phone"`` …) or ``None``.

    Accepts what readers yield: ``str``, ``int``, integral ``float``; anything else is
    ``None``. The value itself is never stored or returned.
    """
    t = type(value)
    if t is str:
        n = len(value)  # type: ignore[arg-type]
        if n < 6 or (n > 26 and "@" not in value):  # type: ignore[operator]
            return None
        return _classify_text(value)  # type: ignore[arg-type]
    if t is int:
        if value < 100_000_000 or value % 1000 == 0:  # type: ignore[operator]
            return None
        return _classify_digits(str(value))
    if t is float and value.is_integer():  # type: ignore[union-attr]
        return classify(int(value))  # type: ignore[call-overload]
    return None


def scan_values(values: Iterable[object], hits: dict[str, int]) -> int:
    """Classify every value, adding match counts to ``hits``; return the non-empty count.

    ``None`` and blank strings are empty. This is the hot loop of the guard: the common cases
    (small integers, short strings, strings not ending in a digit) return after one or two
    comparisons.
    """
    if not isinstance(values, (list, tuple)):
        values = list(values)
    try:
        # Whole-batch shortcut for numeric columns: nothing below 9 digits can match.
        # max() raises TypeError when the batch mixes types or holds None/str.
        if max(values, default=0) < 100_000_000:
            return len(values)
    except TypeError:
        pass
    try:
        joined = "\n".join(values)  # type: ignore[arg-type]
    except TypeError:
        joined = None
    if joined is not None and "@" not in joined and not _CANDIDATE_LINE.search(joined):
        # All strings, none long enough and ending in a digit: count the non-empty ones.
        return len(values) - values.count("")
    nonempty = 0
    digits = _DIGITS
    for v in values:
        if v is None:
            continue
        t = type(v)
        if t is str:
            n = len(v)
            if n == 0:
                continue
            nonempty += 1
            if n < 6:
                continue
            if "@" in v:
                det = _classify_text(v)
            elif n > 26 or (v[-1] not in digits and not v[-1].isspace()):
                continue
            else:
                det = _classify_text(v)
        elif t is int:
            nonempty += 1
            if v < 100_000_000 or v % 1000 == 0:
                continue
            det = _classify_digits(str(v))
        else:
            nonempty += 1
            det = classify(v)
        if det is not None:
            hits[det] = hits.get(det, 0) + 1
    return nonempty
