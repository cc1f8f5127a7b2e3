"""The guard: name detectors at construction, value detectors, suppression and the microdata
(k-anonymity) count while streaming; the microdata verdict once the whole table is seen."""
from __future__ import annotations

import logging
from typing import Sequence

from . import names, person_names, values
from .findings import ALLOWED, BLOCK, GUARD_VERSION, INFO, Finding
from .microdata import MicrodataCheck
from .policy import Policy, PrivacyError
from .report import Report
from .suppression import SuppressionPlanner

__all__ = ["GUARD_VERSION", "Finding", "Guard", "BLOCK", "ALLOWED", "INFO"]

log = logging.getLogger(__name__)


class Guard:
    """Checks one table for personal data and plans small-cell suppression.

    ``Guard(column_names, policy)`` runs the name detectors; call :meth:`scan` with every batch
    of rows (tuples aligned to ``column_names``) in order, then :meth:`finish` once. Raises
    :class:`PrivacyError` if the policy names a column the table does not have, or a batch has
    rows of the wrong width, or a count column holds a non-count (messages name the column,
    never a value).
    """

    def __init__(self, column_names: Sequence[str], policy: Policy) -> None:
        self.policy = policy
        self.column_names = [str(c) for c in column_names]
        # A header cell that looks like an identifier means the "header" is probably a data
        # row (a file without one): nothing of it is echoed, every column is labelled by
        # position (its other cells may be a person's name).
        self._header_hits = {
            i for i, name in enumerate(self.column_names) if values.classify(name) is not None
        }
        self.labels = (
            [f"#{i + 1}" for i in range(len(self.column_names))] if self._header_hits
            else list(self.column_names)
        )
        index = {name: i for i, name in reversed(list(enumerate(self.column_names)))}
        for key in ("count_columns", "group_by", "allow_columns"):
            missing = [c for c in getattr(policy, key) if c not in index]
            if missing:
                raise PrivacyError(
                    f"privacy.{key}: bảng không có cột / the table has no column: "
                    + ", ".join(f"'{c}'" for c in missing),
                    missing[0],
                )
        self._count_index = [index[c] for c in policy.count_columns]
        self._allowed = {index[c] for c in policy.allow_columns}
        self._name_matches = [
            None if i in self._header_hits else names.detect_name(n)
            for i, n in enumerate(self.column_names)
        ]
        # money/area/count columns and codes of things: classes that do not apply (values.py)
        self._contexts = [
            None if i in self._header_hits
            else values.QUANTITY if names.is_quantity(n)
            else values.THING_CODE if names.is_thing_code(n) else None
            for i, n in enumerate(self.column_names)
        ]
        # people's names in the values (person_names.py): a column of names, names in text
        self._people = [
            person_names.ColumnNames("" if i in self._header_hits else n)
            for i, n in enumerate(self.column_names)
        ]
        self._hits: list[dict[str, int]] = [{} for _ in self.column_names]
        self._nonempty = [0] * len(self.column_names)
        self._rows = 0
        self._planner = SuppressionPlanner(
            self._count_index, policy.count_columns,
            [index[c] for c in policy.group_by], policy.min_cell_size,
        )
        self._microdata = MicrodataCheck(self.column_names, policy.min_cell_size,
                                         policy.quasi_identifiers, bool(self._count_index),
                                         labels=self.labels)
        self._finished = False

    @property
    def rows_scanned(self) -> int:
        """Rows seen so far; the next batch's first row has this index."""
        return self._rows

    def scan(self, batch: Sequence[Sequence[object]]) -> None:
        """Check one batch of rows (every value) and account for it in the suppression plan."""
        if self._finished:
            raise RuntimeError("Guard.scan() after finish()")
        if not batch:
            return
        width = len(self.column_names)
        if set(map(len, batch)) != {width}:
            raise PrivacyError(
                f"Hàng có số giá trị khác {width} cột / a row does not have {width} values"
            )
        columns = list(zip(*batch))
        scan = values.scan_values
        contexts = self._contexts
        people = self._people
        for i, col in enumerate(columns):
            self._nonempty[i] += scan(col, self._hits[i], contexts[i])
            people[i].feed(col)
        self._planner.feed(columns, self._rows)
        self._microdata.feed(columns)
        self._rows += len(batch)

    def _column_findings(self, i: int) -> list[Finding]:
        label = self.labels[i]
        allowed = i in self._allowed
        blocked_action = ALLOWED if allowed else BLOCK
        out: list[Finding] = []
        if i in self._header_hits:
            out.append(Finding(label, "name:identifier_in_header", None, blocked_action))
        match = self._name_matches[i]
        if match is not None and match.level in (names.BLOCK, names.INFO):
            action = blocked_action if match.level == names.BLOCK else INFO
            out.append(Finding(label, match.detector, None, action))
        person = self._people[i].verdict()
        if person is not None:
            out.append(Finding(label, person[0], person[1], blocked_action))
        hits = self._hits[i]
        if hits:
            nonempty = self._nonempty[i] or 1
            total_share = sum(hits.values()) / nonempty
            suspicious_name = match is not None and match.level in (names.BLOCK, names.HINT)
            blocks = (
                any(d in values.TIER_A for d in hits)
                or total_share >= values.SHARE_THRESHOLD
                or suspicious_name
                or i in self._header_hits
            )
            for detector in sorted(hits):
                share = round(hits[detector] / nonempty, 6)
                out.append(Finding(label, detector, share, blocked_action if blocks else INFO))
        return out

    def finish(self) -> Report:
        """Close the scan and return the :class:`Report` (findings and suppression plan)."""
        self._finished = True
        findings = [f for i in range(len(self.column_names)) for f in self._column_findings(i)]
        microdata = self._microdata.result()
        if microdata.blocked:
            # k-anonymity fails on the combination: every quasi-identifier is named
            findings += [Finding(c, "microdata:k_anonymity", microdata.share_below_k, BLOCK)
                         for c in microdata.quasi_identifiers]
        complementary, comp_per_column, unavailable = self._planner.plan()
        report = Report(
            policy=self.policy,
            column_labels=list(self.labels),
            findings=findings,
            rows=self._rows,
            count_index=list(self._count_index),
            primary_per_column=list(self._planner.primary),
            complementary=complementary,
            complementary_per_column=comp_per_column,
            complementary_unavailable=unavailable,
            groups=self._planner.group_count,
            microdata=microdata,
        )
        for finding in report.blocking:
            log.warning("privacy guard: %s", finding)
        log.info(
            "privacy guard: %d rows, %d findings (%d blocking), %d cells suppressed",
            self._rows, len(findings), len(report.blocking), report.cells_suppressed,
        )
        return report
