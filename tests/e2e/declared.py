"""What harvesters/*.yaml declares (the sources' own declarations, read as the sync reads
them) and which declared tables the privacy guard must refuse (demo/check_sources.py)."""
from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "demo"))
from check_sources import MUST_REFUSE  # noqa: E402


@dataclass(frozen=True)
class Declared:
    """One harvest source as declared: name, type, department, frequency, config."""

    name: str
    source_type: str
    department: str
    frequency: str
    config: dict[str, Any]

    @property
    def datasets(self) -> list[str]:
        """Every dataset the source declares."""
        return [spec["name"] for spec in self.config["datasets"]]

    @property
    def published(self) -> list[str]:
        """The declared datasets the guard lets through."""
        return [name for name in self.datasets if name not in MUST_REFUSE]


def sources() -> dict[str, Declared]:
    """Source name → its declaration, for every file under harvesters/."""
    out = {}
    for path in sorted((REPO / "harvesters").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        out[data["name"]] = Declared(
            name=data["name"], source_type=data["source_type"], department=data["department"],
            frequency=str(data.get("frequency") or "MANUAL").upper(), config=data["config"])
    return out


def published() -> set[str]:
    """Every dataset name the demo harvest publishes."""
    return {name for source in sources().values() for name in source.published}
