"""What the guard notices about a column, and the constants every privacy module shares.

Kept apart from :mod:`.guard` (which produces findings) and :mod:`.report` /
:mod:`.record` (which carry them) so that none of those imports another in a circle.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

__all__ = ["GUARD_VERSION", "BLOCK", "ALLOWED", "INFO", "ACTIONS", "Finding"]

GUARD_VERSION = "1.0"
BLOCK = "block"
ALLOWED = "allowed"
INFO = "info"
ACTIONS = (BLOCK, ALLOWED, INFO)

_ACTION_TEXT = {
    BLOCK: ("chặn", "blocked"),
    ALLOWED: ("cho phép theo allow_columns", "allowed by allow_columns"),
    INFO: ("ghi nhận", "noted"),
}


@dataclass(frozen=True)
class Finding:
    """One thing the guard noticed about one column.

    ``detector`` is ``"name:<kind>"`` or ``"value:<kind>"``; ``share`` is the share of the
    column's non-empty values that matched (``None`` for name detectors); ``action`` is
    ``"block"``, ``"allowed"`` or ``"info"``. A finding never holds a cell value.
    """

    column: str
    detector: str
    share: float | None
    action: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-able form: ``{"column", "detector", "share", "action"}``."""
        return {
            "column": self.column, "detector": self.detector,
            "share": self.share, "action": self.action,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Finding:
        """Inverse of :meth:`to_dict`; raises ``ValueError`` on another shape."""
        try:
            column, detector, action = str(data["column"]), str(data["detector"]), data["action"]
            share = data.get("share")
        except (KeyError, TypeError):
            raise ValueError("finding: expected {column, detector, share, action}") from None
        if action not in ACTIONS:
            raise ValueError(f"finding: unknown action {action!r}")
        return cls(column, detector, None if share is None else float(share), action)

    def __str__(self) -> str:
        vi, en = _ACTION_TEXT.get(self.action, (self.action, self.action))
        share = "" if self.share is None else f" ({self.share:.1%})"
        return (
            f"Cột «{self.column}»: {self.detector}{share} — {vi} / "
            f"column '{self.column}': {self.detector}{share} — {en}"
        )
