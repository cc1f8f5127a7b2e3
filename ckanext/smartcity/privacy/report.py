"""What the guard concluded about one table, and how to apply it to rows."""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Any, Sequence

from . import person_names, values
from .findings import BLOCK, GUARD_VERSION, Finding
from .microdata import MAX_CLASSES, MicrodataResult
from .names import NAME_DETECTORS
from .policy import Policy, PrivacyError
from .record import BLOCKED, PASSED, ColumnSuppression, PrivacyReport
from .suppression import parse_count

__all__ = ["Report"]

RULES = (
    "column names denoting personal data block the table (Vietnamese/English, "
    "with or without diacritics)",
    "tier A value detectors (cccd, phone, email, bhyt) block on any match",
    f"tier B value detectors (cccd_numeric, cmnd, passport) block at share >= "
    f"{values.SHARE_THRESHOLD}, or on any match when the column name suggests an identifier",
    "people's names block: a column where >= 50% of the values are personal names (family "
    "name + name syllables, 2-6 words, not a Da Nang street/school/place of the gazetteer), "
    "or a name after an honorific or role word inside text",
    "allow_columns turns a blocking finding of that column into 'allowed'",
    "counts 1..k-1 in count_columns are published empty; zero is published",
    "per group_by group and count column, a single suppressed cell gets a complementary "
    "suppression of the smallest count >= k",
    "microdata (row-level, no count_columns, quasi-identifiers of >= 2 kinds or declared): "
    f"every combination of quasi-identifier values must hold >= k rows (k-anonymity), "
    f"else the table is blocked; > {MAX_CLASSES} distinct combinations block",
)


@dataclass
class Report:
    """The outcome of :meth:`Guard.finish`.

    ``blocking`` non-empty means: publish nothing. ``apply`` hides suppressed cells; it refuses
    to run on a blocked table.
    """

    policy: Policy
    column_labels: list[str]
    findings: list[Finding]
    rows: int
    count_index: list[int]
    primary_per_column: list[int]
    complementary: dict[int, tuple[int, ...]]
    complementary_per_column: list[int]
    complementary_unavailable: int
    groups: int
    microdata: MicrodataResult | None = None
    blocking: list[Finding] = field(init=False)

    def __post_init__(self) -> None:
        self.blocking = [f for f in self.findings if f.action == BLOCK]
        self._count_names = dict(zip(self.count_index, self.policy.count_columns))
        self._complementary_rows = sorted(self.complementary)

    @property
    def blocked(self) -> bool:
        """True when at least one finding blocks publication."""
        return bool(self.blocking)

    @property
    def cells_suppressed(self) -> int:
        """Primary plus complementary suppressed cells."""
        return sum(self.primary_per_column) + sum(self.complementary_per_column)

    def apply(self, row_index: int, row: Sequence[object]) -> tuple:
        """Return ``row`` (the ``row_index``-th row scanned, from 0) with suppressed cells None.

        Must see the same rows, in the same order, as the scan. Raises :class:`PrivacyError`
        when the table is blocked, or naming the column when a count is not a count.
        """
        if self.blocking:
            raise PrivacyError(
                "Bảng bị chặn bởi bộ lọc quyền riêng tư, không được xuất bản / "
                "the table is blocked by the privacy guard and must not be published"
            )
        if not self.count_index:
            return tuple(row)
        out = list(row)
        k = self.policy.min_cell_size
        for i in self.count_index:
            v = out[i]
            if type(v) is not int:
                v = parse_count(v, self._count_names[i])
                if v is None:
                    continue
            if 0 < v < k:
                out[i] = None
        extra = self.complementary.get(row_index)
        if extra:
            for i in extra:
                out[i] = None
        return tuple(out)

    def apply_batch(self, first_index: int, rows: Sequence[Sequence[object]]) -> list[tuple]:
        """:meth:`apply` for consecutive rows: ``rows[j]`` is row ``first_index + j``.

        Same result as ``[apply(first_index + j, row) for j, row in enumerate(rows)]``,
        worked column by column.
        """
        if self.blocking:
            raise PrivacyError(
                "Bảng bị chặn bởi bộ lọc quyền riêng tư, không được xuất bản / "
                "the table is blocked by the privacy guard and must not be published"
            )
        if not rows:
            return []
        if not self.count_index:
            return [r if type(r) is tuple else tuple(r) for r in rows]
        columns = list(zip(*rows))
        if set(map(len, rows)) != {len(columns)}:
            return [self.apply(first_index + j, row) for j, row in enumerate(rows)]
        k = self.policy.min_cell_size
        for i in self.count_index:
            col = columns[i]
            if set(map(type, col)) == {int}:
                columns[i] = tuple([None if 0 < v < k else v  # type: ignore[operator]
                                    for v in col])
                continue
            name = self._count_names[i]
            out = []
            for v in col:
                n = v if type(v) is int else parse_count(v, name)
                out.append(None if n is not None and 0 < n < k else v)  # type: ignore[operator]
            columns[i] = tuple(out)
        if self.complementary:
            ordered = self._complementary_rows
            start = bisect.bisect_left(ordered, first_index)
            hits = ordered[start:bisect.bisect_left(ordered, first_index + len(rows), start)]
            if hits:
                mutable = {i: list(columns[i]) for r in hits for i in self.complementary[r]}
                for r in hits:
                    for i in self.complementary[r]:
                        mutable[i][r - first_index] = None
                for i, values_ in mutable.items():
                    columns[i] = tuple(values_)
        return list(zip(*columns))

    def record(self) -> PrivacyReport:
        """The typed report everything stores and shows (:class:`.record.PrivacyReport`)."""
        return PrivacyReport(
            guard_version=GUARD_VERSION,
            verdict=BLOCKED if self.blocking else PASSED,
            rows_checked=self.rows,
            columns_checked=tuple(self.column_labels),
            findings=tuple(self.findings),
            min_cell_size=self.policy.min_cell_size,
            count_columns=tuple(self.policy.count_columns),
            group_by=tuple(self.policy.group_by),
            allow_columns=tuple(self.policy.allow_columns),
            groups=self.groups,
            suppressed=tuple(
                ColumnSuppression(self.column_labels[ci], self.primary_per_column[slot],
                                  self.complementary_per_column[slot])
                for slot, ci in enumerate(self.count_index)),
            complementary_unavailable=self.complementary_unavailable,
            detectors=(tuple(NAME_DETECTORS) + tuple(values.DETECTORS)
                       + person_names.DETECTORS),
            thresholds={"tier_a": "any match", "tier_b_share": values.SHARE_THRESHOLD,
                        "suspicious_name": "any match"},
            rules=tuple(self.policy.rules) + RULES,
            microdata=self.microdata,
        )

    def to_metadata(self) -> dict[str, Any]:
        """``record().to_dict()``: the JSON-able record stored in the dataset's metadata."""
        return self.record().to_dict()

    def summary(self, lang: str = "vi") -> str:
        """One paragraph for people: Vietnamese (``lang="vi"``) or English (``"en"``)."""
        return self.record().summary(lang)
