"""The checkpoint: the privacy gate's one decision, for every path a table takes into the
portal.

Pure Python (no CKAN imports). The CKAN side (:mod:`ckanext.smartcity.logic.write_checks`)
calls it from the gated write actions; the harvest importer and the background upload loader call it
directly. Public API::

    policy = policy_for(dataset_dict, columns)            # k, count columns of the dataset
    check = TableCheck(columns, policy, where="x.csv")    # streaming, name detectors run
    for batch in batches: check.scan(batch)
    verdict, report = check.finish()                      # report.apply_batch() suppresses

    checked = check_file(path, dataset_dict, filename="x.csv")   # whole files, every sheet
    checked = check_rows(columns, rows, dataset_dict)            # rows in memory
    checked.verdict.refused / .message / .reports; checked.rows (suppressed, check_rows)

Decisions:

* **Fails closed.** A table the gate cannot read (encoding, ragged row, broken workbook,
  a format it cannot open such as ``.xls``) is refused; the message says what could not be
  read and where (line, sheet). What was read before the failure — the header's names
  above all — is still checked and its findings named in the refusal.
* **Every sheet** of a workbook is a table and is checked.
* A dataset's ``count_columns`` name columns by header, generated id or label
  (:mod:`.resolve`); a table that lacks one of them is refused, naming it — a declared
  count column never silently protects nothing.
* Messages name the file/sheet, column and detector — never a cell value.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from ckanext.smartcity.readers.limits import DEFAULT_LIMITS, Limits
from ckanext.smartcity.reference.lists import parse_list

from .files import XLSX_SUFFIXES, TableFileError, open_table, sheet_names
from .findings import Finding
from .formula import first_risky
from .guard import Guard
from .microdata import MicrodataResult, refusal_text
from .policy import Policy, PrivacyError
from .record import PrivacyReport
from .report import Report
from .resolve import header_columns, resolve_policy

__all__ = [
    "PASSED", "PERSONAL_DATA", "UNREADABLE", "POLICY", "FORMULA", "FormulaError", "CSV_SUFFIXES", "TABLE_SUFFIXES",
    "UNCHECKABLE_SUFFIXES", "Verdict", "Checked", "TableCheck", "policy_for", "is_table",
    "check_file", "check_rows",
]

PASSED = "passed"
PERSONAL_DATA = "personal_data"
UNREADABLE = "unreadable"
POLICY = "policy"
FORMULA = "formula"

CSV_SUFFIXES = (".csv", ".tsv", ".txt")
TABLE_SUFFIXES = CSV_SUFFIXES + XLSX_SUFFIXES
#: Spreadsheet formats the gate cannot open: refused, never stored unchecked.
UNCHECKABLE_SUFFIXES = (".xls", ".xlsb", ".ods", ".numbers")
TABLE_FORMATS = frozenset({"CSV", "TSV", "XLSX", "XLSM", "XLS", "XLSB", "ODS"})
BATCH = 5000


@dataclass(frozen=True)
class Verdict:
    """The gate's answer: ``refused`` with a bilingual ``message`` (column + detector, or what
    could not be read and where), the blocking ``findings`` and the guard's ``reports``."""

    refused: bool
    reason: str
    message: str = ""
    findings: tuple[Finding, ...] = ()
    reports: tuple[PrivacyReport, ...] = ()

    @property
    def report(self) -> PrivacyReport | None:
        """The report of the (first) table, if it was read to the end."""
        return self.reports[0] if self.reports else None


@dataclass
class Checked:
    """A verdict, the guard's reports (to suppress with) and, for rows, the rows to write."""

    verdict: Verdict
    reports: list[Report] = field(default_factory=list)
    rows: list[tuple] | None = None
    table: Path | None = None  # the file read as the table (check_content)


def _names(value: Any) -> tuple[str, ...]:
    """A privacy setting's column names (a list, a JSON list, or text split at commas and
    line breaks); anything else stops the write (fail closed)."""
    try:
        names = parse_list(value, separators=",\n")
    except ValueError:
        raise PrivacyError("count_columns: không phải danh sách / not a list") from None
    return tuple(str(v).strip() for v in names if str(v).strip())


def policy_for(dataset: Mapping[str, Any] | None, columns: Sequence[str],
               labels: Mapping[str, Sequence[str]] | None = None) -> Policy:
    """The policy of a table of ``dataset`` with these ``columns``: its type's k raised by
    ``min_cell_size``, its ``count_columns`` resolved to the table's columns by header,
    generated id or label (:mod:`.resolve`; ``labels``: more labels per column, e.g. the
    DataStore dictionary's). Raises :class:`PrivacyError`, naming the declared column, when
    one matches no column of the table: the table is refused, never published unsuppressed."""
    dataset = dataset or {}
    policy = Policy.from_spec({"count_columns": list(_names(dataset.get("count_columns"))),
                               "quasi_identifiers": list(
                                   _names(dataset.get("quasi_identifiers")))},
                              dataset_type=dataset.get("type") or None,
                              dataset_min_cell_size=dataset.get("min_cell_size"))
    return resolve_policy(policy, header_columns(columns, labels))


def is_table(filename: str | None, fmt: str | None = None) -> bool:
    """True when a file of this name or declared format must pass the gate."""
    name = (filename or "").lower()
    if name.endswith(TABLE_SUFFIXES + UNCHECKABLE_SUFFIXES):
        return True
    return (fmt or "").strip().upper().lstrip(".") in TABLE_FORMATS


def _listing(findings: Iterable[Finding]) -> str:
    return "; ".join(str(f) for f in findings)


def _refusal(where: str, findings: Sequence[Finding],
             microdata: MicrodataResult | None = None) -> str:
    parts = []
    findings = [f for f in findings if not f.detector.startswith("microdata:")]
    if findings:
        found = _listing(findings)
        parts.append(
            f"{where}: có dữ liệu cá nhân nên không được lưu ({found}). Hãy bỏ các cột này "
            f"hoặc tổng hợp dữ liệu trước khi gửi. / {where}: holds personal data and was "
            f"not stored ({found}). Remove these columns or aggregate the data first.")
    if microdata is not None and microdata.blocked:
        parts.append(f"{where}: không được lưu / not stored — {refusal_text(microdata)}")
    return " ".join(parts)


def _unreadable(where: str, cause: str, findings: Sequence[Finding]) -> str:
    text = (f"{where}: bộ lọc quyền riêng tư không đọc được toàn bộ bảng nên không lưu / the "
            f"privacy gate could not read the whole table, nothing was stored: {cause}")
    if findings:
        text += (f" — phần đã đọc có dữ liệu cá nhân / what was read holds personal data: "
                 f"{_listing(findings)}")
    return text


class FormulaError(PrivacyError):
    """A text cell a spreadsheet would run as an outward-reaching formula
    (:mod:`.formula`); the message names the column and the record, never the value."""


class TableCheck:
    """The gate on one table, streaming: name detectors at construction, every value in
    :meth:`scan`, the verdict in :meth:`finish` (or :meth:`fail` when reading broke off)."""

    def __init__(self, columns: Sequence[str], policy: Policy, where: str = "table") -> None:
        self.where = where
        self.guard = Guard(columns, policy)

    def scan(self, batch: Sequence[Sequence[object]]) -> None:
        """Check one batch of rows aligned to the columns; raises :class:`FormulaError`
        on a cell that would run as a formula reaching outside the sheet."""
        hit = first_risky(self.guard.labels, batch)
        if hit is not None:
            record = self.guard.rows_scanned + hit[0] + 1
            raise FormulaError(
                f"cột «{hit[1]}», bản ghi {record}: ô bắt đầu như một công thức bảng tính mở "
                f"liên kết hoặc chạy chương trình (=HYPERLINK, DDE |…); hãy bỏ ký tự đầu "
                f"hoặc công thức / column '{hit[1]}', record {record}: a cell begins like a "
                f"spreadsheet formula that opens links or runs programs (=HYPERLINK, DDE "
                f"|…); remove the leading character or the formula")
        self.guard.scan(batch)

    @property
    def rows_scanned(self) -> int:
        """Rows checked so far."""
        return self.guard.rows_scanned

    def finish(self) -> tuple[Verdict, Report]:
        """The verdict on the whole table and the guard's :class:`Report` (to suppress with)."""
        report = self.guard.finish()
        record = report.record()
        if report.blocking:
            return Verdict(True, PERSONAL_DATA,
                           _refusal(self.where, report.blocking, report.microdata),
                           tuple(report.blocking), (record,)), report
        return Verdict(False, PASSED, "", (), (record,)), report

    def fail(self, cause: str, reason: str = UNREADABLE) -> Verdict:
        """Refuse a table that could not be read to the end; what was read still counts."""
        report = self.guard.finish()
        return Verdict(True, reason, _unreadable(self.where, cause, report.blocking),
                       tuple(report.blocking))


def _table_check(dataset: Mapping[str, Any] | None, columns: Sequence[str], where: str,
                 labels: Mapping[str, Sequence[str]] | None = None
                 ) -> tuple[TableCheck, PrivacyError | None]:
    """The check of a table and, when the dataset's settings do not fit the table, the
    error that refuses it: the table is still checked (without the settings) so that the
    refusal also names any personal data in it."""
    try:
        return TableCheck(columns, policy_for(dataset, columns, labels), where), None
    except PrivacyError as err:
        dataset = {k: v for k, v in (dataset or {}).items() if k != "count_columns"}
        return TableCheck(columns, policy_for(dataset, columns), where), err


def _policy_refusal(verdict: Verdict, where: str, error: PrivacyError) -> Verdict:
    if verdict.refused:
        return dataclasses.replace(verdict, message=f"{verdict.message} — {error}")
    return Verdict(True, POLICY, f"{where}: {error}")


def _check_one(path: Path, dataset: Mapping[str, Any] | None, where: str,
               sheet: str | None, limits: Limits) -> tuple[Verdict, Report | None]:
    try:
        table = open_table(path, sheet=sheet, limits=limits)
    except TableFileError as err:
        return Verdict(True, UNREADABLE, _unreadable(where, str(err), ())), None
    try:
        check, error = _table_check(dataset, table.columns, where)
    except PrivacyError as err:
        return Verdict(True, POLICY, f"{where}: {err}"), None
    try:
        for batch in table.batches(BATCH):
            check.scan(batch)
    except TableFileError as err:
        return check.fail(str(err)), None
    except FormulaError as err:
        return Verdict(True, FORMULA, f"{where}: {err}"), None
    except PrivacyError as err:
        return check.fail(str(err), POLICY), None
    verdict, report = check.finish()
    if error is not None:
        return _policy_refusal(verdict, where, error), None
    return verdict, report


def check_file(path: str | Path, dataset: Mapping[str, Any] | None,
               filename: str | None = None, limits: Limits = DEFAULT_LIMITS) -> Checked:
    """Check a CSV/TSV/XLSX/XLSM file (every non-empty sheet) for ``dataset``.

    The path's suffix decides how it is read (``.xlsx``/``.xlsm`` as a workbook, anything
    else as delimited text); ``filename`` (the name the user gave, default the path's)
    names the file in messages. Refuses formats it cannot read (``.xls`` …). ``limits``
    bound the reading (:mod:`ckanext.smartcity.readers.limits`).
    """
    path = Path(path)
    name = filename or path.name
    suffix = path.suffix.lower()
    if suffix in UNCHECKABLE_SUFFIXES:
        return Checked(Verdict(True, UNREADABLE, (
            f"{name}: bộ lọc quyền riêng tư không đọc được định dạng này; hãy lưu thành CSV "
            f"hoặc XLSX / the privacy gate cannot read this format; save it as CSV or XLSX")))
    sheets: list[str | None] = [None]
    if suffix in XLSX_SUFFIXES:
        try:
            sheets = list(sheet_names(path, limits)) or [None]
        except TableFileError as err:
            return Checked(Verdict(True, UNREADABLE, _unreadable(name, str(err), ())))
    verdicts, reports = [], []
    for sheet in sheets:
        where = name if sheet is None or len(sheets) == 1 else f"{name} [{sheet}]"
        verdict, report = _check_one(path, dataset, where, sheet, limits)
        if verdict.refused:
            return Checked(verdict)
        verdicts.append(verdict)
        reports.append(report)
    records = tuple(r for v in verdicts for r in v.reports)
    return Checked(Verdict(False, PASSED, "", (), records),
                   [r for r in reports if r is not None])


def check_rows(columns: Sequence[str], rows: Iterable[Sequence[object]],
               dataset: Mapping[str, Any] | None, where: str = "records",
               labels: Mapping[str, Sequence[str]] | None = None) -> Checked:
    """Check rows held in memory (DataStore records); on a pass ``rows`` are the rows with
    small counts suppressed, in the same order. ``labels``: the columns' dictionary labels
    (a declared count column may name one)."""
    rows = [tuple(r) for r in rows]
    try:
        check, error = _table_check(dataset, columns, where, labels)
        for start in range(0, len(rows), BATCH):
            check.scan(rows[start:start + BATCH])
    except PrivacyError as err:
        return Checked(Verdict(True, POLICY, f"{where}: {err}"))
    verdict, report = check.finish()
    if error is not None:
        return Checked(_policy_refusal(verdict, where, error))
    if verdict.refused:
        return Checked(verdict)
    return Checked(verdict, [report], report.apply_batch(0, rows))
