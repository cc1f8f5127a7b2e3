"""Which column of a table a declared privacy setting names — one rule for every path.

A publisher names columns in ``count_columns``, ``group_by`` and ``allow_columns`` (the
dataset form and API, a harvest spec's ``privacy`` block, ``privacy-scan`` options) by any
name the portal shows for them: the header as written (``Số ca mắc``), the id the portal
generates from it (``so_ca_mac``, :func:`ckanext.smartcity.privacy.dictionary.columns_spec`,
the DataStore column), its Vietnamese or English label. :func:`resolve` finds the column,
in this order, the first tier with a match deciding:

1. the column's id (unique in a table), exactly;
2. the header as the table has it, exactly;
3. a label (vi, en), exactly;
4. any of these compared by their tokens (case, diacritics, spaces and ``_`` ignored:
   ``so ca mac`` = ``Số ca mắc``).

A declared name that matches no column, or two columns in its tier, **stops the write**
(:class:`~.policy.PrivacyError` naming the setting and the declared name): a protective
setting that protects nothing must never let a table through unsuppressed.
No CKAN imports.
"""
from __future__ import annotations

import dataclasses
import unicodedata
from dataclasses import dataclass
from typing import Iterable, Mapping, Sequence

from ckanext.smartcity.privacy.dictionary import columns_spec

from .names import normalise_name
from .policy import Policy, PrivacyError

__all__ = ["TableColumn", "header_columns", "resolve", "resolve_policy", "SETTINGS"]

#: the policy settings that name columns
SETTINGS = ("count_columns", "group_by", "allow_columns", "quasi_identifiers")


@dataclass(frozen=True)
class TableColumn:
    """One column: ``name`` as the guard sees it (the header, a harvest's source column),
    ``id`` as published, and its ``labels`` (vi, en)."""

    name: str
    id: str = ""
    labels: tuple[str, ...] = ()


def header_columns(header: Sequence[str],
                   labels: Mapping[str, Iterable[str]] | None = None) -> list[TableColumn]:
    """The columns of a table read from a file or written as records: ids and labels as the
    upload dictionary generates them (plus ``labels`` known for a column, e.g. the DataStore
    data dictionary's)."""
    extra = labels or {}
    out = []
    for raw, spec in zip(header, columns_spec(header)):
        known = (spec.get("label", ""), spec.get("label_en", ""),
                 *extra.get(str(raw), ()))
        out.append(TableColumn(str(raw), spec["name"],
                               tuple(str(t) for t in known if t)))
    return out


def _text(value: str) -> str:
    return unicodedata.normalize("NFC", str(value)).strip()


def _tiers(column: TableColumn) -> tuple[tuple[str, ...], ...]:
    return ((column.id,), (column.name,), column.labels)


def _find(declared: str, columns: Sequence[TableColumn]) -> list[int] | None:
    wanted = _text(declared)
    for tier in range(3):
        found = [i for i, c in enumerate(columns)
                 if wanted in {_text(t) for t in _tiers(c)[tier] if t}]
        if found:
            return found
    tokens = normalise_name(wanted)
    if not tokens:
        return None
    found = [i for i, c in enumerate(columns)
             if any(normalise_name(t) == tokens for tier in _tiers(c) for t in tier if t)]
    return found or None


def resolve(declared: Sequence[str], columns: Sequence[TableColumn], setting: str,
            strict: bool = True) -> tuple[str, ...]:
    """The guard's names (:attr:`TableColumn.name`) of the ``declared`` columns, in order,
    without repeats.

    :param strict: a declared name that matches no column raises; with ``False`` it is left
        out (only for a setting that cannot weaken the check, e.g. ``allow_columns`` carried
        over to the other sheets of a workbook).
    :raises PrivacyError: naming ``setting`` and the declared name (never a cell value).
    """
    out: list[str] = []
    missing: list[str] = []
    for name in declared:
        found = _find(name, columns)
        if found is None:
            missing.append(name)
            continue
        if len(found) > 1:
            raise PrivacyError(
                f"{setting}: «{name}» khớp với nhiều cột, hãy dùng mã cột / matches several "
                f"columns, use the column id: "
                + ", ".join(f"'{columns[i].id or columns[i].name}'" for i in found), name)
        if columns[found[0]].name not in out:
            out.append(columns[found[0]].name)
    if missing and strict:
        listed = ", ".join(f"'{m}'" for m in missing)
        raise PrivacyError(
            f"{setting}: cột khai báo không có trong bảng nên không công bố: {listed} "
            f"(dùng tiêu đề, mã cột hoặc nhãn của cột) / declared column not in the table, "
            f"nothing was published: {listed} (use the header, the column id or its label)",
            missing[0])
    return tuple(out)


def resolve_policy(policy: Policy, columns: Sequence[TableColumn], strict: bool = True,
                   prefix: str = "") -> Policy:
    """``policy`` with every column-naming setting resolved to the guard's names (errors
    name the setting as ``prefix + key``, e.g. ``privacy.count_columns``)."""
    return dataclasses.replace(policy, **{
        key: resolve(getattr(policy, key), columns, prefix + key, strict)
        for key in SETTINGS})
