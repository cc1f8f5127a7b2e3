"""A multi-valued field as a list: the one parser of stored multi-select values (search
indexing, template helpers, DCAT, citation)."""
from __future__ import annotations

import json
from typing import Any

__all__ = ["as_list"]


def as_list(value: Any) -> list[str]:
    """A multi-select value as a list of non-empty strings.

    Scheming keeps multi-selects as JSON strings in extras; forms may send a
    comma-separated or a single value.
    """
    if value is None or value == "":
        return []
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            try:
                value = json.loads(text)
            except ValueError:
                value = text.strip("[]").split(",")
        elif "," in text:
            value = text.split(",")
        else:
            value = [text]
    if not isinstance(value, (list, tuple, set)):
        value = [value]
    return [str(v).strip().strip('"') for v in value if str(v).strip().strip('"')]
