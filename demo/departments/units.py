"""The 94 current commune-level units of Đà Nẵng (valid from 2025-07-01).

Read from the project's copy of the GSO code list; each unit carries the weights the
generators use to spread people, enterprises and land over the city.
"""
from __future__ import annotations

import csv
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

CURRENT_FROM = "2025-07-01"
_REPO = Path(__file__).resolve().parents[2]
_CANDIDATES = (
    _REPO / "ckanext" / "smartcity" / "codelists" / "danang_admin_units.csv",
    _REPO / "ckanext" / "smartcity" / "schemas" / "codelists" / "danang_admin_units.csv",
    _REPO / "schemas" / "codelists" / "danang_admin_units.csv",
    _REPO.parent / "shared" / "data" / "admin-units" / "danang_admin_units.csv",
)

# Highland communes (former Quảng Nam mountain districts, Bà Nà, Hùng Sơn): few people, much forest.
_HIGHLAND = frozenset({
    "20308", "20443", "20455", "20458", "20467", "20476", "20485", "20494", "20506", "20656",
    "20695", "20698", "20704", "20707", "20710", "20716", "20722", "20728", "20734", "20740",
    "20752", "20767", "20770", "20779", "20900", "20908", "20920", "20923", "20929", "20938",
    "20941", "20944", "20950", "20959",
})
# Wards of the old Đà Nẵng city core (codes below Hòa Xuân): the densest part.
_CORE_MAX = "20314"


@dataclass(frozen=True)
class Commune:
    """One commune-level unit: GSO code, name without prefix, kind (Phường/Xã/Đặc khu)."""

    code: str
    name: str
    kind: str

    @property
    def full_name(self) -> str:
        """Name with its kind, e.g. ``Phường Hải Châu``."""
        return f"{self.kind} {self.name}"

    @property
    def urban(self) -> bool:
        """Wards are urban; communes and the special zone are rural."""
        return self.kind == "Phường"

    @property
    def highland(self) -> bool:
        """Mountain commune (sparse population, mostly forest land)."""
        return self.code in _HIGHLAND

    @property
    def inhabited(self) -> bool:
        """Hoàng Sa special zone has no registered residents."""
        return self.kind != "Đặc khu"

    @property
    def population_weight(self) -> float:
        """Relative population share used by the generators."""
        if not self.inhabited:
            return 0.0
        if self.urban:
            return 6.0 if self.code <= _CORE_MAX else 3.0
        return 0.7 if self.highland else 1.6


def admin_units_csv() -> Path:
    """Path of the admin-unit code list (``SMARTCITY_ADMIN_UNITS_CSV`` overrides)."""
    override = os.environ.get("SMARTCITY_ADMIN_UNITS_CSV")
    if override:
        return Path(override)
    for path in _CANDIDATES:
        if path.is_file():
            return path
    raise FileNotFoundError(
        "danang_admin_units.csv not found; set SMARTCITY_ADMIN_UNITS_CSV (looked in "
        + ", ".join(str(p) for p in _CANDIDATES) + ")")


@lru_cache(maxsize=4)
def load_communes(path: str | None = None) -> tuple[Commune, ...]:
    """The current commune-level units, ordered by code."""
    source = Path(path) if path else admin_units_csv()
    with source.open(encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh)
                if r["level"] == "commune" and r["valid_from"] == CURRENT_FROM
                and not r["valid_to"]]
    communes = tuple(sorted((Commune(r["code"], r["name_vi"], r["kind"]) for r in rows),
                            key=lambda c: c.code))
    if len(communes) != 94:
        raise ValueError(f"{source}: expected 94 current commune-level units, got {len(communes)}")
    return communes
