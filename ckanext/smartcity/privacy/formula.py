"""Cells that a spreadsheet would run as a formula reaching outside the sheet (no CKAN
imports) — OWASP's "CSV injection".

The portal serves tables as they were checked: the published CSV, the DataStore dumps and
the stored uploads keep every value verbatim (no ``'`` prefix — it would change the data
that the DataStore, the hash in the provenance record and every API client see). Instead
the gate refuses a table holding a text cell that a spreadsheet would evaluate to open a
link, fetch a URL or run a program: it starts with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return (after leading spaces) and calls one of :data:`RISKY_FORMULA`'s functions
or uses a DDE pipe ``|`` / an external reference ``[n]``. Numbers (``-5``, ``+84…``),
``@mentions`` and dashes in text are data and pass.
"""
from __future__ import annotations

import re
from typing import Sequence

__all__ = ["TRIGGERS", "risky", "first_risky"]

#: the first characters that make a spreadsheet read a cell as a formula
TRIGGERS = frozenset("=+-@\t\r")
_RISKY = re.compile(
    r"(?i)(?:\b(?:HYPERLINK|WEBSERVICE|FILTERXML|IMPORT(?:XML|DATA|HTML|FEED|RANGE)|IMAGE"
    r"|CALL|REGISTER(?:\.ID)?|EXEC|RTD|DDE|DDEAUTO|INFO|CMD)\s*\(|\||\[\d+\]|\bcmd\b)")


def risky(value: object) -> bool:
    """True for a text cell a spreadsheet would run as an outward-reaching formula."""
    if not isinstance(value, str) or not value:
        return False
    text = value.lstrip(" ")
    return bool(text) and text[0] in TRIGGERS and _RISKY.search(text) is not None


def first_risky(columns: Sequence[str], batch: Sequence[Sequence[object]]
                ) -> tuple[int, str] | None:
    """(row index in the batch, column name) of the first risky cell, or None."""
    for index, row in enumerate(batch):
        for position, value in enumerate(row):
            if value.__class__ is str and value and (value[0] in TRIGGERS or value[0] == " ") \
                    and risky(value):
                name = columns[position] if position < len(columns) else str(position + 1)
                return index, name
    return None
