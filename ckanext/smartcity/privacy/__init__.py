"""Privacy guard: no personal identifier reaches the portal; small counts are suppressed.

Pure Python (no CKAN imports), streaming::

    policy = Policy.from_spec(spec.get("privacy", {}), dataset_type="health",
                              dataset_min_cell_size=None)
    guard = Guard(column_names, policy)     # name detectors run here
    for batch in table.batches():
        guard.scan(batch)                   # value detectors + suppression planning
    report = guard.finish()
    if not report.blocking:
        for i, row in enumerate(rows_again):
            clean = report.apply(i, row)
    report.to_metadata()

Detectors and thresholds: :mod:`.names`, :mod:`.values`; suppression rules:
:mod:`.suppression`.
"""
from __future__ import annotations

import logging

from .findings import ALLOWED, BLOCK, GUARD_VERSION, INFO, Finding
from .guard import Guard
from .policy import Policy, PrivacyError, default_min_cell_size
from .record import PrivacyReport
from .report import Report

# A library adds no handler of its own; the application decides where records go.
logging.getLogger(__name__).addHandler(logging.NullHandler())

__all__ = [
    "ALLOWED", "BLOCK", "GUARD_VERSION", "INFO", "Finding", "Guard", "Policy",
    "PrivacyError", "PrivacyReport", "Report", "default_min_cell_size",
]
