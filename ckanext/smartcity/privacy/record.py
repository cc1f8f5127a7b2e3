"""The privacy report as it is stored and shown: one typed record, one JSON shape.

:meth:`Report.record() <ckanext.smartcity.privacy.report.Report.record>` (the guard's
outcome) produces a :class:`PrivacyReport`; ``to_dict()`` is what the harvester and the
upload gate store in the dataset's ``privacy_report`` field, and ``from_dict()`` is how the
dataset page, the API output, the DCAT profile and ``privacy-scan`` read it back. No other
module interprets the dict. Pure Python, no CKAN imports.

Stored shape (``to_dict``)::

    {"guard_version", "verdict": "passed"|"blocked", "rows_checked": int,
     "columns_checked": [str], "detectors": [str], "thresholds": {..},
     "findings": [{"column", "detector", "share", "action"}],
     "allow_columns": [str], "min_cell_size": int, "count_columns": [str],
     "group_by": [str], "groups": int,
     "cells_suppressed": {"total": int, "primary": int, "complementary": int,
                          "per_column": {column: {"primary": int, "complementary": int}}},
     "complementary_unavailable": int, "rules": [str],
     "microdata": {"status", "reason", "k", "quasi_identifiers", "kinds", "declared", "rows",
                   "classes", "smallest_class", "rows_below_k", "share_below_k",
                   "overflow"} | null}

It holds column names, detector names, shares, counts and rules — never a cell value.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Mapping

from .findings import ALLOWED, BLOCK, INFO, Finding
from .microdata import MicrodataResult

__all__ = ["ColumnSuppression", "PrivacyReport", "detector_label", "microdata_sentence"]

PASSED = "passed"
BLOCKED = "blocked"


@dataclass(frozen=True)
class ColumnSuppression:
    """Cells hidden in one count column: ``primary`` (1..k-1) and ``complementary``."""

    column: str
    primary: int
    complementary: int


def _int(value: Any, key: str) -> int:
    if isinstance(value, bool) or value is None:
        raise ValueError(f"privacy report: {key} must be an integer")
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ValueError(f"privacy report: {key} must be an integer") from None


def _names(value: Any, key: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, (list, tuple)):
        raise ValueError(f"privacy report: {key} must be a list")
    return tuple(str(v) for v in value)


@dataclass(frozen=True)
class PrivacyReport:
    """What the privacy guard concluded about one published (or refused) table."""

    guard_version: str
    verdict: str
    rows_checked: int
    columns_checked: tuple[str, ...]
    findings: tuple[Finding, ...]
    min_cell_size: int
    count_columns: tuple[str, ...] = ()
    group_by: tuple[str, ...] = ()
    allow_columns: tuple[str, ...] = ()
    groups: int = 0
    suppressed: tuple[ColumnSuppression, ...] = ()
    complementary_unavailable: int = 0
    detectors: tuple[str, ...] = ()
    thresholds: Mapping[str, Any] = field(default_factory=dict)
    rules: tuple[str, ...] = ()
    microdata: MicrodataResult | None = None

    # ---- derived figures --------------------------------------------------
    @property
    def blocked(self) -> bool:
        """True when the guard refused the table."""
        return self.verdict == BLOCKED

    @property
    def blocking(self) -> list[Finding]:
        """The findings that block publication."""
        return [f for f in self.findings if f.action == BLOCK]

    @property
    def primary(self) -> int:
        """Cells hidden because their count was from 1 to k-1."""
        return sum(c.primary for c in self.suppressed)

    @property
    def complementary(self) -> int:
        """Cells hidden so that the primary ones cannot be recomputed from totals."""
        return sum(c.complementary for c in self.suppressed)

    @property
    def cells_suppressed(self) -> int:
        """All hidden cells (primary + complementary)."""
        return self.primary + self.complementary

    # ---- the stored shape -------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """The JSON-able form stored in the dataset's ``privacy_report`` (see module doc)."""
        return {
            "guard_version": self.guard_version,
            "verdict": self.verdict,
            "rows_checked": self.rows_checked,
            "columns_checked": list(self.columns_checked),
            "detectors": list(self.detectors),
            "thresholds": dict(self.thresholds),
            "findings": [f.to_dict() for f in self.findings],
            "allow_columns": list(self.allow_columns),
            "min_cell_size": self.min_cell_size,
            "count_columns": list(self.count_columns),
            "group_by": list(self.group_by),
            "groups": self.groups,
            "cells_suppressed": {
                "total": self.cells_suppressed,
                "primary": self.primary,
                "complementary": self.complementary,
                "per_column": {c.column: {"primary": c.primary,
                                          "complementary": c.complementary}
                               for c in self.suppressed},
            },
            "complementary_unavailable": self.complementary_unavailable,
            "rules": list(self.rules),
            "microdata": None if self.microdata is None else self.microdata.to_dict(),
        }

    def to_json(self) -> str:
        """:meth:`to_dict` as canonical JSON text (sorted keys, UTF-8 kept)."""
        return json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | str) -> PrivacyReport:
        """Read a stored report (the dict of :meth:`to_dict`, or its JSON text).

        Raises ``ValueError`` naming the key when the shape is not the one
        :meth:`to_dict` writes.
        """
        if isinstance(data, (str, bytes)):
            try:
                data = json.loads(data)
            except ValueError:
                raise ValueError("privacy report: not JSON") from None
        if not isinstance(data, Mapping):
            raise ValueError("privacy report: expected an object")
        verdict = data.get("verdict")
        if verdict not in (PASSED, BLOCKED):
            raise ValueError("privacy report: verdict must be 'passed' or 'blocked'")
        cells = data.get("cells_suppressed") or {}
        if not isinstance(cells, Mapping):
            raise ValueError("privacy report: cells_suppressed must be an object")
        per_column = cells.get("per_column") or {}
        if not isinstance(per_column, Mapping):
            raise ValueError("privacy report: cells_suppressed.per_column must be an object")
        suppressed = []
        for column, counts in per_column.items():
            if not isinstance(counts, Mapping):
                raise ValueError(f"privacy report: per_column.{column} must be an object")
            suppressed.append(ColumnSuppression(
                str(column), _int(counts.get("primary", 0), f"per_column.{column}.primary"),
                _int(counts.get("complementary", 0), f"per_column.{column}.complementary")))
        findings = data.get("findings") or []
        if not isinstance(findings, list):
            raise ValueError("privacy report: findings must be a list")
        microdata = data.get("microdata")
        thresholds = data.get("thresholds") or {}
        if not isinstance(thresholds, Mapping):
            raise ValueError("privacy report: thresholds must be an object")
        return cls(
            guard_version=str(data.get("guard_version") or ""),
            verdict=verdict,
            rows_checked=_int(data.get("rows_checked", 0), "rows_checked"),
            columns_checked=_names(data.get("columns_checked"), "columns_checked"),
            findings=tuple(Finding.from_dict(f) for f in findings),
            min_cell_size=_int(data.get("min_cell_size"), "min_cell_size"),
            count_columns=_names(data.get("count_columns"), "count_columns"),
            group_by=_names(data.get("group_by"), "group_by"),
            allow_columns=_names(data.get("allow_columns"), "allow_columns"),
            groups=_int(data.get("groups", 0), "groups"),
            suppressed=tuple(suppressed),
            complementary_unavailable=_int(data.get("complementary_unavailable", 0),
                                           "complementary_unavailable"),
            detectors=_names(data.get("detectors"), "detectors"),
            thresholds=dict(thresholds),
            rules=_names(data.get("rules"), "rules"),
            microdata=None if microdata is None else MicrodataResult.from_dict(microdata),
        )

    # ---- words for people -------------------------------------------------
    def sentences(self, lang: str = "vi") -> list[str]:
        """What the guard did, in plain sentences (``lang`` ``"vi"`` or ``"en"``)."""
        w = _WORDS["en" if lang == "en" else "vi"]
        out = [w["checked"].format(cols=len(self.columns_checked), rows=self.rows_checked)]
        if self.blocked:
            cols = sorted({f"«{f.column}» ({detector_label(f.detector, lang)})"
                           for f in self.blocking})
            out.append(w["blocked"] + "; ".join(cols) + ".")
        else:
            out.append(w["clean"])
        if PERSON_NAME_DETECTOR in self.detectors:
            out.append(w["names"])
        allowed = sorted({f.column for f in self.findings if f.action == ALLOWED})
        if allowed:
            out.append(w["allowed"] + ", ".join(f"«{c}»" for c in allowed) + ".")
        if self.count_columns:
            out.append(w["suppressed"].format(
                primary=self.primary, top=self.min_cell_size - 1, k=self.min_cell_size,
                comp=self.complementary))
            if self.complementary_unavailable:
                out.append(w["unavailable"].format(n=self.complementary_unavailable))
        if self.microdata is not None:
            out.append(microdata_sentence(self.microdata, lang))
        return out

    def summary(self, lang: str = "vi") -> str:
        """:meth:`sentences` as one paragraph."""
        return " ".join(self.sentences(lang))

    def finding_lines(self, lang: str = "vi") -> list[str]:
        """One line per non-blocking finding of a published table (what was noted, allowed)."""
        w = _WORDS["en" if lang == "en" else "vi"]
        return [w["finding"].format(column=f.column, what=detector_label(f.detector, lang),
                                    action=w[f.action])
                for f in self.findings if f.action in (ALLOWED, INFO)]


_WORDS: dict[str, dict[str, str]] = {
    "vi": {
        "checked": "Bộ lọc quyền riêng tư đã kiểm tra {cols} cột và {rows} dòng để tìm "
                   "thông tin định danh cá nhân.",
        "blocked": "Bảng KHÔNG được công bố vì có dữ liệu cá nhân: ",
        "clean": "Không phát hiện thông tin định danh cá nhân.",
        "names": "Họ tên người cũng đã được tìm trong giá trị của từng ô và trong văn bản "
                 "(sau các từ như ông, bà, anh, chị, bệnh nhân, chủ hộ), không chỉ theo tên "
                 "cột; tên đường, trường học, địa danh và tổ chức không bị coi là họ tên.",
        "allowed": "Công bố có chủ đích (cơ quan đã xác nhận là thông tin công khai): ",
        "suppressed": "{primary} ô có giá trị từ 1 đến {top} đã được ẩn (ngưỡng {k}); "
                      "{comp} ô ẩn bổ sung để không suy ra được các ô đã ẩn từ tổng. "
                      "Giá trị 0 vẫn được công bố.",
        "unavailable": "{n} nhóm chỉ có một ô nhỏ và không còn ô nào để ẩn bổ sung.",
        "finding": "Cột «{column}»: {what} — {action}.",
        ALLOWED: "công bố có chủ đích",
        INFO: "ghi nhận, không chặn",
        BLOCK: "chặn",
    },
    "en": {
        "checked": "The privacy guard checked {cols} columns and {rows} rows for personal "
                   "identifiers.",
        "blocked": "The table is NOT published because it holds personal data: ",
        "clean": "No personal identifier was found.",
        "names": "People's names were looked for in every cell's value and inside text "
                 "(after words such as ông, bà, anh, chị, bệnh nhân, chủ hộ), not only by "
                 "column name; names of streets, schools, places and organisations are not "
                 "taken for people's names.",
        "allowed": "Published on purpose (the department confirmed the values are public): ",
        "suppressed": "{primary} cells with values from 1 to {top} were hidden (threshold "
                      "{k}); {comp} more cells were hidden so that the hidden ones cannot be "
                      "worked out from totals. Zeros are shown.",
        "unavailable": "{n} group(s) had a single small cell and no other cell to hide.",
        "finding": "Column '{column}': {what} — {action}.",
        ALLOWED: "published on purpose",
        INFO: "noted, not blocking",
        BLOCK: "blocked",
    },
}

#: The value detector of people's names (``person_names.PERSON_NAME``): a record that lists
#: it says that names were looked for.
PERSON_NAME_DETECTOR = "value:person_name"

#: What each detector looks for, in words: kind → (vi, en).
_DETECTOR_WORDS: dict[str, tuple[str, str]] = {
    "full_name": ("họ tên", "full name"),
    "citizen_id": ("số định danh / CCCD / CMND", "citizen ID number"),
    "date_of_birth": ("ngày sinh", "date of birth"),
    "phone": ("số điện thoại", "phone number"),
    "email": ("thư điện tử", "e-mail address"),
    "address": ("địa chỉ cá nhân", "personal address"),
    "organisation_address": ("địa chỉ của tổ chức", "address of an organisation"),
    "patient_id": ("mã bệnh nhân / hồ sơ bệnh án", "patient or medical-record ID"),
    "health_insurance": ("số thẻ bảo hiểm y tế / BHXH", "health-insurance number"),
    "personal_tax_code": ("mã số thuế cá nhân", "personal tax code"),
    "passport": ("số hộ chiếu", "passport number"),
    "licence_plate": ("biển số xe / giấy phép lái xe", "licence plate or driving licence"),
    "bank_account": ("số tài khoản ngân hàng", "bank account number"),
    "person_id": ("mã học sinh / nhân viên", "student or employee ID"),
    "identifier_hint": ("tên cột gợi ý mã định danh", "name suggesting an identifier"),
    "year_of_birth": ("năm sinh", "year of birth"),
    "identifier_in_header": ("dòng tiêu đề chứa giá trị định danh",
                             "the header row holds an identifier"),
    "cccd": ("số CCCD", "citizen ID (CCCD) number"),
    "cccd_numeric": ("số CCCD mất số 0 đầu", "CCCD number without its leading zero"),
    "cmnd": ("số CMND 9 chữ số", "9-digit ID card (CMND) number"),
    "bhyt": ("mã thẻ BHYT", "health-insurance card code"),
    "named_id": ("số giấy tờ được nêu trong văn bản", "an ID number named in the text"),
    "person_name": ("họ tên người", "people's names"),
    "name_in_text": ("họ tên người trong văn bản", "a person's name inside text"),
    "k_anonymity": ("thuộc tính gián tiếp định danh, nhóm nhỏ hơn k",
                    "quasi-identifier, groups smaller than k"),
}


def microdata_sentence(result: MicrodataResult, lang: str = "vi") -> str:
    """What the microdata (k-anonymity) check did, in one sentence for people."""
    en = lang == "en"
    cols = ", ".join(f"«{c}»" for c in result.quasi_identifiers)
    if not result.checked:
        why = {
            "count_columns": ("bảng có cột đếm đã khai báo (áp dụng ẩn ô nhỏ)",
                              "the table has declared count columns (small cells are hidden)"),
            "aggregate": ("bảng là số liệu tổng hợp (có cột số đếm)",
                          "the table is an aggregate (it has a count column)"),
        }.get(result.reason, ("bảng không có đủ thuộc tính gián tiếp định danh của từng người",
                              "the table has too few quasi-identifiers of individuals"))
        return (f"Microdata check ran: not row-level data about people — {why[1]}." if en
                else f"Đã kiểm tra dữ liệu vi mô: không phải dữ liệu từng người — {why[0]}.")
    share = ("?" if result.share_below_k is None else f"{result.share_below_k:.1%}")
    if result.blocked:
        return (f"Microdata check (k-anonymity, k = {result.k}) over the quasi-identifiers "
                f"{cols}: {share} of rows are in groups of fewer than {result.k} people — "
                f"NOT published." if en else
                f"Kiểm tra dữ liệu vi mô (k-ẩn danh, k = {result.k}) trên các thuộc tính gián "
                f"tiếp định danh {cols}: {share} số dòng thuộc nhóm ít hơn {result.k} người — "
                f"KHÔNG công bố.")
    return (f"Microdata check (k-anonymity, k = {result.k}) over the quasi-identifiers "
            f"{cols}: every combination holds at least {result.k} rows (smallest "
            f"{result.smallest_class})." if en else
            f"Kiểm tra dữ liệu vi mô (k-ẩn danh, k = {result.k}) trên các thuộc tính gián tiếp "
            f"định danh {cols}: mọi tổ hợp có ít nhất {result.k} dòng (nhỏ nhất "
            f"{result.smallest_class}).")


def detector_label(detector: str, lang: str = "vi") -> str:
    """``"name:phone"`` → ``"tên cột: số điện thoại"`` / ``"column name: phone number"``."""
    source, _, kind = detector.partition(":")
    words = _DETECTOR_WORDS.get(kind)
    if words is None:
        return detector
    text = words[1] if lang == "en" else words[0]
    if source == "name":
        return ("column name: " if lang == "en" else "tên cột: ") + text
    if source == "microdata":
        return ("microdata: " if lang == "en" else "dữ liệu vi mô: ") + text
    return ("values: " if lang == "en" else "giá trị: ") + text
