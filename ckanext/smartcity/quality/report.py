"""The quality report of one dataset: one typed class that the scorer writes and every
reader (package_show, the index, the pages, the report action) reads.

Shape of ``to_dict()`` (what ``package_show`` returns as ``quality``)::

    {"score": 287, "max": 405, "rating": "good", "computed_at": "2026-…Z",
     "dimensions": {"findability": {"score": 80, "max": 100}, …},
     "indicators": {"keywords": {"dimension": "findability", "points": 30, "max": 30,
                                 "passed": true, "fix": {"vi": "…", "en": "…"}}, …},
     "city": {"timeliness": {"passed": false, "detail": "…", "fix": {…}}, …},
     "top_fixes": [{"indicator": "access_url_reachable", "points": 50, "fix": {…}}, …]}
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

MAX_SCORE = 405

#: The five dimensions of the data.europa.eu metadata quality assessment, in order.
DIMENSIONS: tuple[str, ...] = ("findability", "accessibility", "interoperability",
                               "reusability", "contextuality")

#: (lowest score, rating), highest first: excellent 351–405, good 221–350,
#: sufficient 121–220, bad 0–120.
RATINGS: tuple[tuple[int, str], ...] = ((351, "excellent"), (221, "good"),
                                        (121, "sufficient"), (0, "bad"))

RATING_LABELS: dict[str, tuple[str, str]] = {
    "excellent": ("Xuất sắc", "Excellent"),
    "good": ("Tốt", "Good"),
    "sufficient": ("Đạt", "Sufficient"),
    "bad": ("Kém", "Bad"),
}


def rating(score: int) -> str:
    """The rating of a score out of 405."""
    for lowest, name in RATINGS:
        if score >= lowest:
            return name
    return "bad"


@dataclass
class Indicator:
    """One MQA indicator: points earned out of ``max``, and how to earn the rest."""

    dimension: str
    points: int
    max: int
    fix_vi: str
    fix_en: str

    @property
    def passed(self) -> bool:
        return self.points >= self.max

    def to_dict(self) -> dict[str, Any]:
        return {"dimension": self.dimension, "points": self.points, "max": self.max,
                "passed": self.passed, "fix": {"vi": self.fix_vi, "en": self.fix_en}}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Indicator:
        fix = data.get("fix") or {}
        return cls(str(data["dimension"]), int(data["points"]), int(data["max"]),
                   str(fix.get("vi", "")), str(fix.get("en", "")))


@dataclass
class CityIndicator:
    """A city indicator, outside the 405 points so the score stays comparable."""

    passed: bool
    detail: str
    fix_vi: str
    fix_en: str

    def to_dict(self) -> dict[str, Any]:
        return {"passed": self.passed, "detail": self.detail,
                "fix": {"vi": self.fix_vi, "en": self.fix_en}}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CityIndicator:
        fix = data.get("fix") or {}
        return cls(bool(data["passed"]), str(data.get("detail", "")),
                   str(fix.get("vi", "")), str(fix.get("en", "")))


@dataclass
class QualityReport:
    """Every indicator of one dataset; score, dimensions and fixes are derived."""

    indicators: dict[str, Indicator]
    city: dict[str, CityIndicator] = field(default_factory=dict)
    computed_at: str = ""

    @property
    def score(self) -> int:
        return sum(i.points for i in self.indicators.values())

    @property
    def max(self) -> int:
        return sum(i.max for i in self.indicators.values())

    @property
    def rating(self) -> str:
        return rating(self.score)

    def dimension(self, name: str) -> tuple[int, int]:
        """(points, max) of one dimension."""
        members = [i for i in self.indicators.values() if i.dimension == name]
        return sum(i.points for i in members), sum(i.max for i in members)

    def top_fixes(self, count: int = 3) -> list[dict[str, Any]]:
        """The `count` fixes worth most points (ties in indicator order)."""
        missing = [(i.max - i.points, position, name, i)
                   for position, (name, i) in enumerate(self.indicators.items())
                   if i.points < i.max]
        missing.sort(key=lambda item: (-item[0], item[1]))
        return [{"indicator": name, "points": gain,
                 "fix": {"vi": i.fix_vi, "en": i.fix_en}}
                for gain, _position, name, i in missing[:count]]

    def to_dict(self) -> dict[str, Any]:
        return {
            "score": self.score, "max": self.max, "rating": self.rating,
            "computed_at": self.computed_at,
            "dimensions": {name: dict(zip(("score", "max"), self.dimension(name)))
                           for name in DIMENSIONS},
            "indicators": {name: i.to_dict() for name, i in self.indicators.items()},
            "city": {name: c.to_dict() for name, c in self.city.items()},
            "top_fixes": self.top_fixes(),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> QualityReport:
        return cls({name: Indicator.from_dict(i) for name, i in
                    (data.get("indicators") or {}).items()},
                   {name: CityIndicator.from_dict(c) for name, c in
                    (data.get("city") or {}).items()},
                   str(data.get("computed_at", "")))
