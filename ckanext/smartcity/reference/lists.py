"""Multi-valued fields as lists: the one parser of list-like values (stored multi-selects,
submitted multi-values, privacy settings), with the three ways callers treat what is not a
list — lenient display (:func:`as_list`), a validator's refusal, privacy's fail-closed
error — built on :func:`parse_list`."""
from __future__ import annotations

import json
from typing import Any

__all__ = ["as_list", "parse_list"]


def parse_list(value: Any, separators: str = ",") -> list[Any]:
    """``value`` as a list: a list or tuple as it is; a string holding a JSON list decoded;
    another string split at any of ``separators`` (stripped, empty parts dropped) or, with
    no separators, as its one stripped item; ``None`` and ``""`` as ``[]``.

    :raises ValueError: for invalid JSON, JSON that is not a list, or a value of another
        type (callers decide whether that is an error).
    """
    if value is None or value == "":
        return []
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            loaded = json.loads(text)  # json.JSONDecodeError is a ValueError
            if not isinstance(loaded, list):
                raise ValueError("not a list")
            return loaded
        if not separators:
            return [text]
        for separator in separators[1:]:
            text = text.replace(separator, separators[0])
        return [part.strip() for part in text.split(separators[0]) if part.strip()]
    if isinstance(value, (list, tuple)):
        return list(value)
    raise ValueError("not a list")


def as_list(value: Any) -> list[str]:
    """A multi-select value as a list of non-empty strings, never an error (search
    indexing, template helpers, DCAT, citation).

    Scheming keeps multi-selects as JSON strings in extras; forms may send a
    comma-separated or a single value; a broken JSON list is read by its commas.
    """
    try:
        items = parse_list(value)
    except ValueError:
        if isinstance(value, str):
            items = value.strip().strip("[]").split(",")
        elif isinstance(value, set):
            items = list(value)
        else:
            items = [value]
    return [str(v).strip().strip('"') for v in items if str(v).strip().strip('"')]
