"""Departmental readers: get rows out of SQL databases, JSON APIs and file drops.

No CKAN imports here: the harvesters, the CLI dry-run and the benchmarks all use
these classes. See ``docs/INTERFACES.md`` ("Reader → pipeline") for the contract.
"""
from __future__ import annotations

from .api import ApiReader
from .base import Column, Reader, ReaderError, Table
from .file import FileReader
from .sql import SqlReader

__all__ = [
    "REGISTRY",
    "ApiReader",
    "Column",
    "FileReader",
    "Reader",
    "ReaderError",
    "SqlReader",
    "Table",
    "get_reader",
]

REGISTRY: dict[str, type[Reader]] = {
    SqlReader.name: SqlReader,
    ApiReader.name: ApiReader,
    FileReader.name: FileReader,
}


def get_reader(name: str) -> type[Reader]:
    """The reader class registered under ``name`` (a harvest source type).

    :raises KeyError: naming the unknown type and the known ones.
    """
    try:
        return REGISTRY[name]
    except KeyError:
        raise KeyError(f"unknown reader {name!r}; known: {', '.join(sorted(REGISTRY))}"
                       ) from None
