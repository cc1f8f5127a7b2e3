"""The commune boundaries shipped with the extension (built by scripts/build_boundaries.py)."""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

__all__ = ["BOUNDARIES", "PUBLIC_PATH", "boundaries"]

#: served to browsers at /<PUBLIC_PATH> through the plugin's public directory
PUBLIC_PATH = "smartcity-explore/danang_communes_2025.geojson"
BOUNDARIES = Path(__file__).parent / "public" / PUBLIC_PATH


@lru_cache(maxsize=1)
def boundaries() -> dict[str, Any]:
    """The FeatureCollection of the 94 current communes (``id`` = commune code),
    with its ``attribution``."""
    return json.loads(BOUNDARIES.read_text(encoding="utf-8"))
