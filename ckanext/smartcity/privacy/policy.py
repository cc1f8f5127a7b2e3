"""What the guard is told about a table: count columns, groups, k, allowed columns and the
quasi-identifiers of microdata (``quasi_identifiers``: see :mod:`.microdata`)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

__all__ = ["Policy", "PrivacyError", "DEFAULT_MIN_CELL_SIZE", "default_min_cell_size"]

# Health and population tables describe people directly; the stricter k applies to them.
DEFAULT_MIN_CELL_SIZE: Mapping[str, int] = {"health": 10, "population": 10}
FALLBACK_MIN_CELL_SIZE = 5


class PrivacyError(ValueError):
    """A table or policy the guard cannot process.

    The message names the column or setting and the cause, in Vietnamese then English;
    it never contains a cell value. ``column`` is the column concerned, if any.
    """

    def __init__(self, message: str, column: str | None = None) -> None:
        super().__init__(message)
        self.column = column


def default_min_cell_size(dataset_type: str | None) -> int:
    """k for a dataset type: 10 for ``health`` and ``population``, 5 otherwise."""
    return DEFAULT_MIN_CELL_SIZE.get(dataset_type or "", FALLBACK_MIN_CELL_SIZE)


def _as_k(value: Any, where: str) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise PrivacyError(
            f"{where}: phải là số nguyên dương / must be a positive integer"
        )
    try:
        k = int(str(value).strip())
    except ValueError:
        raise PrivacyError(
            f"{where}: phải là số nguyên dương / must be a positive integer"
        ) from None
    if k < 1:
        raise PrivacyError(f"{where}: phải là số nguyên dương / must be a positive integer")
    return k


def _names(value: Any, key: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        raise PrivacyError(
            f"privacy.{key}: phải là danh sách tên cột / must be a list of column names"
        )
    return tuple(value)


@dataclass(frozen=True)
class Policy:
    """The privacy settings of one table.

    ``min_cell_size`` is the k actually used; ``rules`` lists, in words, how it was chosen and
    which requested values were ignored (a request below the default never lowers k).
    """

    dataset_type: str | None = None
    count_columns: tuple[str, ...] = ()
    group_by: tuple[str, ...] = ()
    allow_columns: tuple[str, ...] = ()
    min_cell_size: int = FALLBACK_MIN_CELL_SIZE
    quasi_identifiers: tuple[str, ...] = ()
    rules: tuple[str, ...] = field(default_factory=tuple)

    @classmethod
    def from_spec(
        cls,
        privacy: Mapping[str, Any] | None,
        dataset_type: str | None = None,
        dataset_min_cell_size: Any = None,
    ) -> Policy:
        """Build a policy from a spec's ``privacy`` block and the dataset's own field.

        k = max(default for the dataset type, spec ``min_cell_size``, dataset
        ``min_cell_size``): either may raise k, neither can lower it below the default.
        Raises :class:`PrivacyError` on malformed settings (unknown keys included).
        """
        privacy = dict(privacy or {})
        known = {"count_columns", "group_by", "allow_columns", "min_cell_size",
                 "quasi_identifiers"}
        unknown = sorted(set(privacy) - known)
        if unknown:
            raise PrivacyError(
                f"privacy: khóa không hợp lệ / unknown keys: {', '.join(unknown)}"
            )
        default = default_min_cell_size(dataset_type)
        k = default
        rules = [f"default_min_cell_size={default} (dataset_type={dataset_type or '-'})"]
        for where, raw in (
            ("privacy.min_cell_size", privacy.get("min_cell_size")),
            ("dataset.min_cell_size", dataset_min_cell_size),
        ):
            requested = _as_k(raw, where)
            if requested is None:
                continue
            if requested > k:
                k = requested
                rules.append(f"{where}={requested} raised k")
            elif requested < default:
                rules.append(f"{where}={requested} ignored: below default {default}")
        return cls(
            dataset_type=dataset_type,
            count_columns=_names(privacy.get("count_columns"), "count_columns"),
            group_by=_names(privacy.get("group_by"), "group_by"),
            allow_columns=_names(privacy.get("allow_columns"), "allow_columns"),
            min_cell_size=k,
            quasi_identifiers=_names(privacy.get("quasi_identifiers"), "quasi_identifiers"),
            rules=tuple(rules),
        )
