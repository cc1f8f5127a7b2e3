"""Small-cell suppression, planned while streaming and applied in a second pass.

Rules (k = the policy's ``min_cell_size``):

1. Primary: a count from 1 to k−1 is published as empty (``None``). Zero is published.
   Primary suppression depends only on the cell's own value, so it is not stored: ``apply``
   decides it again from the value.
2. Complementary, per (group, count column): the rows sharing the same values of the
   ``group_by`` columns form a group (no ``group_by``: the whole table is one group). If a count
   column has exactly one primary-suppressed cell in a group, the smallest non-zero count ≥ k of
   that column in that group (the first such row on a tie) is suppressed too, so the hidden
   cell cannot be recomputed from the group's column total. Columns are treated separately
   because totals are published per column (e.g. per sex or per age group). If the group has no
   such cell, nothing more can be hidden without hiding zeros; that is counted as
   ``complementary_unavailable`` in the metadata.

Memory is O(groups × count columns), not O(rows).
"""
from __future__ import annotations

from typing import Sequence

from .policy import PrivacyError

__all__ = ["SuppressionPlanner", "parse_count"]

_NOT_A_COUNT = (
    "Cột «{c}»: có giá trị không phải số nguyên không âm trong cột đếm / "
    "Column '{c}': a count column holds a value that is not a non-negative whole number"
)


def parse_count(value: object, column: str) -> int | None:
    """Return a count cell as an int (``None`` when empty).

    Accepts ints, integral floats and their text forms. Raises :class:`PrivacyError`
    naming the column (never the value) for anything else, including negatives.
    """
    t = type(value)
    if t is int:
        n = value
    elif value is None:
        return None
    elif t is str:
        s = value.strip()  # type: ignore[union-attr]
        if not s:
            return None
        try:
            n = int(s)
        except ValueError:
            try:
                f = float(s)
            except ValueError:
                raise PrivacyError(_NOT_A_COUNT.format(c=column), column) from None
            if not f.is_integer():
                raise PrivacyError(_NOT_A_COUNT.format(c=column), column) from None
            n = int(f)
    elif t is float and value.is_integer():  # type: ignore[union-attr]
        n = int(value)  # type: ignore[call-overload]
    else:
        raise PrivacyError(_NOT_A_COUNT.format(c=column), column)
    if n < 0:  # type: ignore[operator]
        raise PrivacyError(_NOT_A_COUNT.format(c=column), column)
    return n  # type: ignore[return-value]


class SuppressionPlanner:
    """Streaming planner: feed column-wise batches, then :meth:`plan`."""

    def __init__(
        self,
        count_index: Sequence[int],
        count_names: Sequence[str],
        group_index: Sequence[int],
        k: int,
    ) -> None:
        self.count_index = tuple(count_index)
        self.count_names = tuple(count_names)
        self.group_index = tuple(group_index)
        self.k = k
        # group key -> per count column [primary_suppressed, min_value>=k, row_of_min]
        self._groups: dict[tuple, list[list]] = {}
        self.primary = [0] * len(self.count_index)

    def feed(self, columns: Sequence[Sequence[object]], first_row: int) -> None:
        """Account for one batch given as columns (``columns[i]`` = values of column i)."""
        if not self.count_index:
            return
        n_rows = len(columns[0]) if columns else 0
        if self.group_index:
            keys: Sequence[tuple] = list(zip(*(columns[g] for g in self.group_index)))
        else:
            keys = [()] * n_rows
        groups = self._groups
        width = len(self.count_index)
        # One group lookup per row (rows of a group usually come together, so mostly a
        # comparison with the previous key), shared by all count columns.
        states: list[list[list]] = []
        last_key: object = object()
        state: list[list] = []
        for key in keys:
            if key != last_key:
                found = groups.get(key)
                if found is None:
                    found = groups[key] = [[0, None, None] for _ in range(width)]
                state = found
                last_key = key
            states.append(state)
        k = self.k
        for slot, (ci, name) in enumerate(zip(self.count_index, self.count_names)):
            suppressed = 0
            for r, v in enumerate(columns[ci]):
                if type(v) is not int:
                    v = parse_count(v, name)
                    if v is None:
                        continue
                if v == 0:
                    continue
                cell = states[r][slot]
                if v < k:
                    suppressed += 1
                    cell[0] += 1
                elif cell[1] is None or v < cell[1]:
                    cell[1] = v
                    cell[2] = first_row + r
            self.primary[slot] += suppressed

    def plan(self) -> tuple[dict[int, tuple[int, ...]], list[int], int]:
        """Return (complementary cells by row index, complementary count per column,
        number of (group, column) pairs where no complementary cell was available)."""
        by_row: dict[int, list[int]] = {}
        per_column = [0] * len(self.count_index)
        unavailable = 0
        for state in self._groups.values():
            for slot, (n_suppressed, _, row) in enumerate(state):
                if n_suppressed != 1:
                    continue
                if row is None:
                    unavailable += 1
                    continue
                by_row.setdefault(row, []).append(self.count_index[slot])
                per_column[slot] += 1
        return {r: tuple(c) for r, c in by_row.items()}, per_column, unavailable

    @property
    def group_count(self) -> int:
        """Number of distinct groups seen."""
        return len(self._groups)
