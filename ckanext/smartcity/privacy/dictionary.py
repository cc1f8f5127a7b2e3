"""The data dictionary of a table (uploads use it; the privacy resolver reads its glossary): column ids and vi/en labels from its header.

* **id** — the header as a DataStore identifier: the header itself when it already is one
  (lower-case ASCII letters, digits and ``_``, not starting with ``_``), else its slug
  (``"Số hộ nghèo"`` → ``so_ho_ngheo``), so API users write ``filters={"so_ho_ngheo": …}``.
  Two headers with the same slug get ``_2``, ``_3`` …
* **label** (Vietnamese) — the header as written when it is not an identifier (it is what
  the department called the column), else the glossary's (``columns.yaml``), else the
  header.
* **type** — ``text`` for columns of codes (:func:`is_code`), else the reader's inference
  (leading-zero codes stay text, ``DD/MM/YYYY`` is a date; see readers/infer.py).
* **label_en** — the glossary's, when it knows the slug; absent otherwise (the English
  pages then fall back to the Vietnamese label).

Departments refine the labels in CKAN's data dictionary form; :func:`curated_fields
<ckanext.smartcity.pipeline.datastore.curated_fields>` keeps those edits on every reload.
No CKAN imports.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from ckanext.smartcity.privacy.names import normalise_name

__all__ = ["glossary", "slug", "is_code", "columns_spec"]

_IDENTIFIER = re.compile(r"^[a-z][a-z0-9_]*$")
#: PostgreSQL truncates identifiers at 63 bytes; keep room for the "_2" of a duplicate
MAX_ID = 60


@lru_cache(maxsize=1)
def glossary() -> dict[str, tuple[str, str]]:
    """Slug → (Vietnamese label, English label), from ``privacy/data/columns.yaml``."""
    text = resources.files("ckanext.smartcity.privacy").joinpath("data", "columns.yaml").read_text(
        encoding="utf-8")
    data = yaml.safe_load(text) or {}
    return {str(k): (str(v["vi"]), str(v["en"])) for k, v in data.items()}


def slug(header: str) -> str:
    """``header`` as lower-case ASCII tokens joined by ``_`` (``col`` when it has none)."""
    text = "_".join(normalise_name(header))[:MAX_ID].strip("_")
    if not text:
        return "col"
    return text if text[0].isalpha() else f"c_{text}"[:MAX_ID]


def is_code(name: str) -> bool:
    """True for a column of codes (``ma_xa``, ``ma_so_thue``, ``commune_code``): kept as
    text even when every value is a number without a leading zero."""
    tokens = name.split("_")
    return tokens[0] == "ma" or "code" in tokens or "id" in tokens[-1:]


def columns_spec(header: Sequence[str]) -> list[dict[str, Any]]:
    """The ``columns`` of a spec (:class:`~ckanext.smartcity.pipeline.mapping.ColumnPlan`)
    for a table with this header: every column, in order, with its id and labels."""
    known = glossary()
    taken: set[str] = set()
    out: list[dict[str, Any]] = []
    for index, raw in enumerate(header):
        text = str(raw).strip()
        base = text if _IDENTIFIER.match(text) and len(text) <= MAX_ID else slug(text or
                                                                                f"col_{index + 1}")
        name, n = base, 1
        while name in taken:
            n += 1
            name = f"{base}_{n}"
        taken.add(name)
        vi, en = known.get(slug(text), ("", "")) if text else ("", "")
        label = text if text and not _IDENTIFIER.match(text) else (vi or text or name)
        column: dict[str, Any] = {"id": raw, "name": name, "label": label}
        if is_code(name):
            column["type"] = "text"  # 20194 is a commune, not a quantity
        if en:
            column["label_en"] = en
        out.append(column)
    return out
