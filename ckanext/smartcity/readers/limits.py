"""Bounds on what one table file may cost to read (no CKAN imports).

Every limit is checked while streaming, so memory stays bounded by the limits rather than by
the file: the CSV reader cuts lines itself (linear time) and stops at the first line longer
than ``max_line_bytes``; the XLSX check (:mod:`ckanext.smartcity.privacy.bounds`) inflates
each zip member through a counting reader before openpyxl sees it. The values come from
``ckanext.smartcity.uploads.*`` (:func:`ckanext.smartcity.config.upload_limits`);
:data:`DEFAULT_LIMITS` are the declared defaults, used by the harvest readers too.
"""
from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Limits", "DEFAULT_LIMITS", "LimitError", "MIB"]

MIB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """Largest upload, columns, line, cell, XLSX inflated size and shared strings, JSON/XML
    nesting depth and size of a structured (JSON/XML) document."""

    max_upload_bytes: int = 100 * MIB
    max_columns: int = 1000
    max_line_chars: int = 1 * MIB
    max_cell_chars: int = 256 * 1024
    max_xlsx_uncompressed_bytes: int = 200 * MIB
    max_shared_strings_bytes: int = 20 * MIB
    max_nesting_depth: int = 32
    max_structured_bytes: int = 20 * MIB


DEFAULT_LIMITS = Limits()


class LimitError(Exception):
    """A file goes past one of the :class:`Limits`; the message (vi / en) names the file
    when known, the limit and what to do, never a value of the file."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


def size(n: int) -> str:
    """``n`` bytes for a message (``1 MiB``, ``256 KiB``, ``300 B``)."""
    if n >= MIB and n % MIB == 0:
        return f"{n // MIB} MiB"
    if n >= 1024:
        return f"{n / 1024:.0f} KiB"
    return f"{n} B"
