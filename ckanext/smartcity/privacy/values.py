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
``value:named_id``      A     inside text, after a word naming it (``CMND``, ``CCCD``,
                              ``hộ chiếu``, ``passport``, ``giấy tờ``): any of the above
``value:licence_plate`` A     a Vietnamese number plate (``43C-123.45``, ``43B1-234.56``,
                              ``43A-12345``), in a cell or inside text
======================  ====  =============================================================

Tier A patterns are specific enough that one match blocks the column. Tier B patterns collide
with ordinary numbers now and then, so they block when at least :data:`SHARE_THRESHOLD` of the
column's non-empty values match, or on any match when the column's name is a hint.

Decision: a public institution's switchboard or contact number (``0236 3821 118``) is still
a phone number — the detector cannot tell whose number it is — so the column blocks unless the
publisher names it in ``allow_columns``; hotline numbers ``1800``/``1900`` are not matched.

Every text value is normalised before matching: NFKC (full-width and other Unicode decimal
digits become ASCII, ``＠`` becomes ``@``) and invisible format characters (zero-width
spaces, soft hyphens, BOM) are removed. ``Decimal``, ``int``, integral ``float`` and numeric
strings (``"905123456"``, ``"905123456.0"``) are treated alike.

Identifiers **inside** free text ("Liên hệ anh Nam 0905 123 456", an e-mail inside a
sentence) are found too: phones, e-mails, CCCD and BHYT wherever they stand between word
boundaries (not inside a longer number or code); CMND and passport numbers only after a
word that names them ("CMND 201234567", "hộ chiếu B1234567"), because 9-digit and
letter+7-digit tokens are too common in text otherwise.

Column context (:func:`scan_values`'s ``context``): in a quantity column — money, area,
counts, as told by :func:`ckanext.smartcity.privacy.names.is_quantity` (``von_dieu_le``,
``dien_tich_m2``, ``doanh_thu`` …) — the ambiguous length classes (``value:cmnd``,
``value:cccd_numeric``) do not apply: a 9-digit VND amount is not a CMND; nor does a phone
number written without its ``0`` or ``+`` (an 11-digit amount starting ``84``). In a column
of codes of things (:data:`THING_CODE`, by
:func:`ckanext.smartcity.privacy.names.is_thing_code`: ``Số lô hàng``, ``so_seri``) no tier
B class applies (lot number ``B1234567`` is not a passport). A column whose name hints at
an identifier (``so_giay_to``, ``ma_dinh_danh``) blocks on any match instead.

Thresholds (the one place they are defined): tier A blocks on any match; tier B blocks at
:data:`SHARE_THRESHOLD` of the column's non-empty values, or on any match in a hinted
column.

Not matched on purpose: 5-digit commune codes, 4-digit years, VSIC codes (letter + 4 digits),
10- and 13-digit enterprise tax codes (``0401234567``, ``0401234567-001``), dates, decimals
with one dot, hotline numbers ``1800``/``1900`` (8 digits, not personal).
"""
from __future__ import annotations

import csv
import re
import unicodedata
from decimal import Decimal
from functools import lru_cache
from importlib import resources
from typing import Iterable

__all__ = [
    "TIER_A", "TIER_B", "SHARE_THRESHOLD", "province_codes", "classify", "scan_values",
    "DETECTORS", "QUANTITY", "THING_CODE", "normalise",
]

SHARE_THRESHOLD = 0.5
TIER_A = frozenset({"value:cccd", "value:phone", "value:email", "value:bhyt",
                    "value:named_id", "value:licence_plate"})
TIER_B = frozenset({"value:cccd_numeric", "value:cmnd", "value:passport"})
DETECTORS = tuple(sorted(TIER_A | TIER_B))
#: ``context`` of a money/area/count column: the ambiguous length classes do not apply.
QUANTITY = "quantity"
#: ``context`` of a column of codes of things (lots, serials): no tier B class applies.
THING_CODE = "thing_code"
_AMBIGUOUS = frozenset({"value:cmnd", "value:cccd_numeric"})

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
# What any detector needs: an @ (also full-width) or six digits (any Unicode digits) with at
# most a few separators/invisible characters between them. Used to skip whole batches of
# text in one C-level scan, and single values in the loop.
_INVISIBLE = "\u00ad\u200b-\u200f\u2060-\u2064\ufeff"
_CANDIDATE = re.compile(
    rf"[@\uff20\ufe6b]|\d(?:[\s.\-()/{_INVISIBLE}]{{0,3}}\d){{5}}"
    r"|\d\d-?[A-Z][A-Z0-9]?[-\s.]?\d{3}")
_STRIP_INVISIBLE = re.compile(f"[{_INVISIBLE}]")
_INTEGRAL_TEXT = re.compile(r"[0-9]+\.0+")
# Identifiers inside free text; boundaries keep them from firing inside longer numbers/codes.
_SEP = r"[ .\-()]?"
_IN_TEXT_EMAIL = re.compile(
    r"(?<![\w.%+\-])[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}"
    r"(?![\w\-])")
_IN_TEXT_PHONE = re.compile(
    rf"(?<![\w+])(?:\+84|84|0)(?:{_SEP}\d){{8,10}}(?![\w]|{_SEP}\d)")
_IN_TEXT_CCCD = re.compile(r"(?<![\w])0(?:[ .\-]?\d){11}(?![\w]|[ .\-]\d)")
_IN_TEXT_BHYT = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{2}[1-5]\d{12}(?![A-Za-z0-9])")
_IN_TEXT_NAMED = re.compile(
    r"(?:cmnd|cmt|cccd|chứng minh(?: nhân dân)?|căn cước|hộ chiếu|passport|giấy tờ)"
    r"\s*(?:số|so|no\.?|number)?\s*[:#]?\s*([A-Za-z]?\d(?:[ .\-]?\d){6,11})(?![\w])",
    re.IGNORECASE)
# Number plates: 2-digit place code, series (1 letter, + a letter or digit), 4–5 digits.
_IN_TEXT_PLATE = re.compile(
    r"(?<![\w\-/.])[1-9]\d-?[A-Z][A-Z0-9]?[-\s.]{0,2}(?:\d{3}\.?\d{2}|\d{4})(?![\w\-/])")
# Decimal digits of every script (Arabic-Indic, Devanagari …) that NFKC leaves alone.
_DIGIT_MAP: dict[int, str] = {}


def normalise(value: str) -> str:
    """NFKC, every Unicode decimal digit as ASCII, no invisible format characters; ASCII
    text is returned unchanged."""
    if value.isascii():
        return value
    text = _STRIP_INVISIBLE.sub("", unicodedata.normalize("NFKC", value))
    if not text.isascii():
        text = "".join(_ascii_digit(c) if not c.isascii() else c for c in text)
    return text


def _ascii_digit(c: str) -> str:
    if unicodedata.category(c) != "Nd":
        return c
    found = _DIGIT_MAP.get(ord(c))
    if found is None:
        found = _DIGIT_MAP[ord(c)] = str(unicodedata.decimal(c))
    return found


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


def _in_text(s: str) -> str | None:
    """An identifier standing inside a longer text (the first found), or None."""
    if "@" in s and _IN_TEXT_EMAIL.search(s):
        return "value:email"
    for pattern, wanted in ((_IN_TEXT_PHONE, ("value:phone",)),
                            (_IN_TEXT_CCCD, ("value:cccd",))):
        for match in pattern.finditer(s):
            digits = match.group(0).translate(_SEPARATORS).lstrip("+")
            if _classify_digits(digits) in wanted:
                return wanted[0]
    if _IN_TEXT_BHYT.search(s):
        return "value:bhyt"
    if _IN_TEXT_PLATE.search(s):
        return "value:licence_plate"
    for match in _IN_TEXT_NAMED.finditer(s):
        # an ID number the text itself names ("CMND số …", "hộ chiếu …"): any match blocks
        token = match.group(1).upper().translate(_SEPARATORS)
        found = _classify_digits(token) if token.isdigit() else (
            "value:passport" if _PASSPORT.fullmatch(token) else None)
        if found is not None:
            return "value:named_id"
    return None


def _classify_text(value: str) -> str | None:
    s = normalise(value).strip()
    if not s:
        return None
    whole = _classify_cell(s)
    if whole is not None:
        return whole
    if len(s) >= 9 and (" " in s or not s.replace(".", "").replace("-", "").isdigit()):
        return _in_text(s)
    return None


def _classify_cell(s: str) -> str | None:
    """The whole (normalised, stripped) cell as one identifier, or None."""
    if "@" in s:
        return "value:email" if _EMAIL.fullmatch(s) else None
    if _INTEGRAL_TEXT.fullmatch(s):
        s = s.split(".", 1)[0]
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

    Accepts what readers yield: ``str``, ``int``, integral ``float`` and ``Decimal``;
    anything else is ``None``. The value itself is never stored or returned.
    """
    t = type(value)
    if t is str:
        if len(value) < 6 or not _CANDIDATE.search(value):  # type: ignore[arg-type]
            return None
        return _classify_text(value)  # type: ignore[arg-type]
    if t is int:
        if value < 100_000_000 or value % 1000 == 0:  # type: ignore[operator]
            return None
        return _classify_digits(str(value))
    if t is float and value.is_integer():  # type: ignore[union-attr]
        return classify(int(value))  # type: ignore[call-overload]
    if t is Decimal and value.is_finite() and value == value.to_integral_value():
        return classify(int(value))  # type: ignore[arg-type]
    return None


def _bare_number(value: object) -> bool:
    """A number written without the ``0`` or ``+`` a phone number starts with."""
    if type(value) is not str:
        return True
    text = normalise(value).strip()  # type: ignore[arg-type]
    return text[:1] not in ("0", "+", "(")


def scan_values(values: Iterable[object], hits: dict[str, int],
                context: str | None = None) -> int:
    """Classify every value, adding match counts to ``hits``; return the non-empty count.

    ``None`` and blank strings are empty. ``context`` :data:`QUANTITY` (a money/area/count
    column) drops the ambiguous length classes. This is the hot loop of the guard: the
    common cases (small numbers, text without six digits or an @) cost one comparison or
    one regular-expression scan of the whole batch.
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
    if joined is not None and not _CANDIDATE.search(joined):
        # All strings, none holding an @ or six digits: count the non-empty ones.
        return len(values) - values.count("")
    nonempty = 0
    candidate = _CANDIDATE.search
    quantity = context == QUANTITY
    dropped = (_AMBIGUOUS if quantity else TIER_B if context == THING_CODE
               else frozenset())
    for v in values:
        if v is None:
            continue
        t = type(v)
        if t is str:
            if not v or v.isspace():
                continue
            nonempty += 1
            if len(v) < 6 or not candidate(v):
                continue
            det = _classify_text(v)
        elif t is int:
            nonempty += 1
            if v < 100_000_000 or v % 1000 == 0:
                continue
            det = _classify_digits(str(v))
        else:
            nonempty += 1
            det = classify(v)
        if det is None or det in dropped:
            continue
        if quantity and det == "value:phone" and _bare_number(v):
            continue  # 84 912 345 678 VND: an amount, no phone is written without 0 or +
        hits[det] = hits.get(det, 0) + 1
    return nonempty
