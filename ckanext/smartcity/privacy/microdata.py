"""Microdata check: k-anonymity over the quasi-identifiers of a row-level table.

A table with no name and no ID can still identify people: one row per person with exact
age, sex and commune is, for most rows, unique on those three columns (statistical offices
call them *quasi-identifiers*: sdcMicro's ``keyVars``, ARX's quasi-identifying attributes,
Eurostat's "indirect identifiers"). Pure Python, streaming, no CKAN imports.

Decisions (every threshold is here):

* **Quasi-identifiers** are found from the header (tokens of :func:`.names.normalise_name`,
  the one header normaliser): age or age group, year or date of birth, sex, commune / ward /
  district / village (an area of residence), ethnicity, occupation, nationality, marital
  status, education level, religion. From the values, on the first batch: a column whose
  non-empty values are ≥ :data:`VALUE_SHARE` sex words (``Nam``/``Nữ``/``male``/``F`` …).
* **Microdata or aggregate**: a table is *not* microdata when the dataset declares
  ``count_columns`` (the small-cell rule applies instead) or when a column's header says it
  is a count (``so_ca``, ``so_nguoi``, ``tong_so``, ``count`` …) and ≥ :data:`VALUE_SHARE`
  of its first-batch values are non-negative integers — an aggregate by cohort — or a
  "Số <noun>" header naming no identifier (``Số nhân khẩu``; not ``Số nhà``, ``Số con``,
  ``Số lần``) whose integers have a median ≥ k (a person's own counts are small). Otherwise
  it is microdata when it has quasi-identifiers of at least :data:`MIN_KINDS` kinds, one of
  them about the person (not only an area), or when the dataset declares its
  ``quasi_identifiers`` (then exactly those are used; one that matches no column is an
  error, fail closed).
* **The check**: the size of the smallest equivalence class (rows sharing the same values
  on every quasi-identifier) must be ≥ k (the policy's ``min_cell_size``). Rows are counted
  per class in a dict keyed by the hash of the tuple (memory grows with the number of
  distinct classes only). Past :data:`MAX_CLASSES` distinct classes counting stops and the
  table is refused (fails closed): that many combinations cannot all hold k rows.
* Messages and reports name the columns, k, the share of rows in classes below k and the
  size of the smallest class — never a value.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any, Mapping, Sequence

from .names import detect_name, normalise_name
from .policy import PrivacyError

__all__ = ["QI_KINDS", "MicrodataResult", "MicrodataCheck", "quasi_identifier_kind",
           "is_count_header", "resolve_columns"]

VALUE_SHARE = 0.9
MIN_KINDS = 2
MAX_CLASSES = 1_000_000

_S = tuple[str, ...]
#: kind → token sequences of headers that name it
QI_KINDS: dict[str, tuple[_S, ...]] = {
    "date_of_birth": (("ngay", "sinh"), ("ngaysinh",), ("dob",), ("date", "of", "birth"),
                      ("birth", "date"), ("birthdate",), ("sinh", "ngay")),
    "year_of_birth": (("nam", "sinh"), ("namsinh",), ("birth", "year"),
                      ("year", "of", "birth"), ("yob",), ("nhom", "nam", "sinh"),
                      ("cohort",)),
    "age": (("tuoi",), ("do", "tuoi"), ("age",), ("nhom", "tuoi"), ("age", "group")),
    "sex": (("gioi", "tinh"), ("gioi",), ("sex",), ("gender",)),
    "ethnicity": (("dan", "toc"), ("ethnicity",), ("ethnic",)),
    "nationality": (("quoc", "tich"), ("nationality",), ("citizenship",)),
    "marital_status": (("hon", "nhan"), ("marital",)),
    "education": (("trinh", "do"), ("hoc", "van"), ("education",), ("bang", "cap")),
    "occupation": (("nghe", "nghiep"), ("occupation",), ("job",), ("viec", "lam"),
                   ("nghe",)),
    "religion": (("ton", "giao"), ("religion",)),
    "area": (("xa",), ("phuong",), ("commune",), ("ward",), ("district",), ("huyen",),
             ("quan", "huyen"), ("thon",), ("to", "dan", "pho"), ("khu", "pho"),
             ("dia", "ban"), ("village",), ("dia", "phuong")),
}
PERSON_KINDS = frozenset(QI_KINDS) - {"area"}
# Words that turn an area/occupation token into something else: "xã hội" (social),
# "phương tiện" (vehicle), "phương án", "ngành nghề kinh doanh" (a business line).
_NOT_AFTER = {"xa": {"hoi"}, "phuong": {"tien", "an", "phap", "thuc", "huong", "trinh"},
              "nghe": {"kinh", "thuat", "an"}, "tuoi": {"tieu"}}
_NOT_BEFORE = {"nghe": {"nganh", "lang"}, "quan": {"co"}, "gioi": {"bien", "the"},
               "tuoi": {"tich", "nuoc"}}
# Kinds that "quan" alone (a district) may mean when it is the whole header.
_ALONE = {("quan",): "area", ("ma", "quan"): "area", ("ten", "quan"): "area"}

#: headers that say the column counts people (an aggregate, not a person's attribute)
_COUNT: tuple[_S, ...] = (
    ("so", "luong"), ("so", "ca"), ("so", "nguoi"), ("so", "ho"), ("so", "hoc", "sinh"),
    ("so", "benh", "nhan"), ("so", "tre"), ("so", "lao", "dong"), ("so", "tu", "vong"),
    ("so", "mac"), ("tong", "so"), ("tong",), ("dan", "so"), ("so", "dan"), ("luot",),
    ("count",), ("total",), ("number", "of"), ("cases",), ("persons",), ("people",),
    ("population",), ("households",), ("frequency",), ("freq",), ("sl",),
)
# "Số" followed by these is a number *of a thing*, not a count of people.
_NOT_COUNT = frozenset({"nha", "hieu", "hop", "dong", "quyet", "dinh", "van", "ban", "phong",
                        "lo", "thua", "to", "seri", "ho", "the", "giay", "bao", "danh",
                        "dien", "tai", "khoan", "lan", "con", "nam", "thang", "ngay", "tuoi",
                        "tiet", "buoi", "gio"})
_SEX_WORDS = frozenset({"nam", "nu", "nữ", "male", "female", "m", "f", "khac", "khác",
                        "other", "trai", "gai", "gái"})


def _contains(tokens: _S, seq: _S) -> bool:
    n = len(seq)
    return any(tokens[i:i + n] == seq for i in range(len(tokens) - n + 1))


def _at(tokens: _S, seq: _S) -> bool:
    n = len(seq)
    for i in range(len(tokens) - n + 1):
        if tokens[i:i + n] != seq:
            continue
        after = tokens[i + n] if i + n < len(tokens) else ""
        before = tokens[i - 1] if i else ""
        if after in _NOT_AFTER.get(seq[-1], ()) or before in _NOT_BEFORE.get(seq[0], ()):
            continue
        return True
    return False


def is_count_header(name: str) -> bool:
    """True when a header says its column counts people or cases (``Số ca mắc``)."""
    tokens = normalise_name(name)
    return any(_contains(tokens, seq) for seq in _COUNT)


def is_number_of_header(name: str) -> bool:
    """True for "Số <noun>" (``Số nhân khẩu``, ``Số thí sinh``) that names no identifier
    (``Số điện thoại``, ``Số CCCD``, ``Số nhà`` do): a count when its values are large."""
    tokens = normalise_name(name)
    if len(tokens) < 2 or tokens[0] not in ("so", "sl", "tong") or tokens[1] in _NOT_COUNT:
        return False
    match = detect_name(name)
    return match is None or match.level == "info"


def quasi_identifier_kind(name: str) -> str | None:
    """The quasi-identifier kind a header names (``"Tuổi"`` → ``"age"``), else ``None``.
    A count of something (``so_ca``, ``tong_so``) is never a quasi-identifier."""
    tokens = normalise_name(name)
    if not tokens or is_count_header(name):
        return None
    if tokens in _ALONE:
        return _ALONE[tokens]
    for kind, seqs in QI_KINDS.items():
        if any(_at(tokens, seq) for seq in seqs):
            return kind
    return None


def resolve_columns(declared: Sequence[str], columns: Sequence[str], key: str) -> list[int]:
    """Indices of the declared column names: the raw header, or the same header tokens
    (``so_ca_mac`` names ``Số ca mắc``). Raises :class:`PrivacyError` naming each declared
    name that matches no column (fail closed)."""
    by_tokens: dict[_S, int] = {}
    for i, c in reversed(list(enumerate(columns))):
        by_tokens[normalise_name(c)] = i
    out, missing = [], []
    for name in declared:
        if name in columns:
            out.append(list(columns).index(name))
        elif normalise_name(name) and normalise_name(name) in by_tokens:
            out.append(by_tokens[normalise_name(name)])
        else:
            missing.append(name)
    if missing:
        raise PrivacyError(
            f"privacy.{key}: bảng không có cột / the table has no column: "
            + ", ".join(f"'{c}'" for c in missing), missing[0])
    return sorted(set(out))


def _is_sex_column(values: Sequence[object]) -> bool:
    seen = [str(v).strip().lower() for v in values if v is not None and str(v).strip()]
    if len(seen) < 10:
        return False
    hits = sum(1 for v in seen if v in _SEX_WORDS)
    return hits / len(seen) >= VALUE_SHARE and len(set(seen) & _SEX_WORDS) >= 2


def _is_count_values(values: Sequence[object], median_at_least: int = 0) -> bool:
    seen = [v for v in values if v is not None and str(v).strip() != ""]
    if not seen:
        return False
    numbers = []
    for v in seen:
        if isinstance(v, bool):
            continue
        if isinstance(v, int):
            if v >= 0:
                numbers.append(v)
            continue
        text = str(v).strip().replace(".", "").replace(",", "").replace(" ", "")
        if text.isdigit():
            numbers.append(int(text))
    if len(numbers) / len(seen) < VALUE_SHARE:
        return False
    return sorted(numbers)[len(numbers) // 2] >= median_at_least if numbers else False


@dataclass(frozen=True)
class MicrodataResult:
    """What the microdata check concluded about one table.

    ``status``: ``"not_microdata"`` (with ``reason`` ``count_columns``, ``aggregate`` or
    ``few_quasi_identifiers``), ``"passed"`` or ``"blocked"``. ``share_below_k`` is the
    share of rows in classes smaller than k; ``overflow`` means counting stopped at
    :data:`MAX_CLASSES` distinct classes.
    """

    status: str
    reason: str
    k: int
    quasi_identifiers: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    declared: bool = False
    rows: int = 0
    classes: int = 0
    smallest_class: int | None = None
    rows_below_k: int = 0
    overflow: bool = False

    @property
    def checked(self) -> bool:
        """True when the table was treated as microdata and k was computed."""
        return self.status != "not_microdata"

    @property
    def blocked(self) -> bool:
        """True when k does not hold."""
        return self.status == "blocked"

    @property
    def share_below_k(self) -> float | None:
        """Share of rows in equivalence classes smaller than k (None on overflow)."""
        if self.overflow:
            return None
        return round(self.rows_below_k / self.rows, 6) if self.rows else 0.0

    def to_dict(self) -> dict[str, Any]:
        """JSON-able form stored in the privacy report's ``microdata``."""
        return {"status": self.status, "reason": self.reason, "k": self.k,
                "quasi_identifiers": list(self.quasi_identifiers), "kinds": list(self.kinds),
                "declared": self.declared, "rows": self.rows, "classes": self.classes,
                "smallest_class": self.smallest_class, "rows_below_k": self.rows_below_k,
                "share_below_k": self.share_below_k, "overflow": self.overflow}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> MicrodataResult:
        """Inverse of :meth:`to_dict`; raises ``ValueError`` on another shape."""
        if not isinstance(data, Mapping) or data.get("status") not in (
                "not_microdata", "passed", "blocked"):
            raise ValueError("privacy report: microdata.status is not known")
        try:
            smallest = data.get("smallest_class")
            return cls(
                status=str(data["status"]), reason=str(data.get("reason") or ""),
                k=int(data["k"]),
                quasi_identifiers=tuple(str(c) for c in data.get("quasi_identifiers") or ()),
                kinds=tuple(str(c) for c in data.get("kinds") or ()),
                declared=bool(data.get("declared")), rows=int(data.get("rows") or 0),
                classes=int(data.get("classes") or 0),
                smallest_class=None if smallest is None else int(smallest),
                rows_below_k=int(data.get("rows_below_k") or 0),
                overflow=bool(data.get("overflow")))
        except (KeyError, TypeError, ValueError):
            raise ValueError("privacy report: microdata has another shape") from None


class MicrodataCheck:
    """k-anonymity over one table, streaming: :meth:`feed` every batch's columns (as the
    guard holds them), then :meth:`result`.

    ``declared`` are the dataset's ``quasi_identifiers`` (resolved at construction: a name
    that matches no column raises :class:`PrivacyError`); ``has_counts`` is true when the
    dataset's count columns apply to this table.
    """

    def __init__(self, columns: Sequence[str], k: int, declared: Sequence[str] = (),
                 has_counts: bool = False, labels: Sequence[str] | None = None) -> None:
        self.columns = [str(c) for c in columns]
        self.labels = list(labels) if labels is not None else list(self.columns)
        self.k = k
        self.declared = bool(declared)
        self._qi = resolve_columns(declared, self.columns, "quasi_identifiers") \
            if declared else []
        self._kinds = {i: quasi_identifier_kind(c) for i, c in enumerate(self.columns)}
        self._counts = [i for i, c in enumerate(self.columns) if is_count_header(c)]
        self._numbers_of = [i for i, c in enumerate(self.columns)
                            if i not in self._counts and is_number_of_header(c)]
        self._reason = "count_columns" if has_counts else ""
        self._decided = has_counts
        self._classes: Counter[int] = Counter()
        self._rows = 0
        self._overflow = False

    def _decide(self, columns: Sequence[Sequence[object]]) -> None:
        self._decided = True
        if self.declared:
            self._reason = "declared"
            return
        if (any(_is_count_values(columns[i]) for i in self._counts)
                or any(_is_count_values(columns[i], self.k) for i in self._numbers_of)):
            self._reason = "aggregate"
            return
        for i, kind in self._kinds.items():
            if kind is None and _is_sex_column(columns[i]):
                self._kinds[i] = "sex"
        found = [i for i, kind in self._kinds.items() if kind is not None]
        kinds = {self._kinds[i] for i in found}
        if len(kinds) >= MIN_KINDS and kinds & PERSON_KINDS:
            self._qi = found
            self._reason = "detected"
        else:
            self._reason = "few_quasi_identifiers"

    @property
    def active(self) -> bool:
        """True once the table is known to be microdata (classes are being counted)."""
        return bool(self._qi) and self._reason in ("declared", "detected")

    def feed(self, columns: Sequence[Sequence[object]]) -> None:
        """Count one batch: ``columns[i]`` is column ``i``'s values for the batch's rows."""
        if not columns or not columns[0]:
            return
        if not self._decided:
            self._decide(columns)
        if not self.active:
            return
        self._rows += len(columns[0])
        if self._overflow:
            return
        qi = [columns[i] for i in self._qi]
        self._classes.update(map(hash, zip(*qi)) if len(qi) > 1 else map(hash, qi[0]))
        if len(self._classes) > MAX_CLASSES:
            self._overflow = True
            self._classes.clear()

    def result(self) -> MicrodataResult:
        """The verdict on the rows fed so far."""
        names = tuple(self.labels[i] for i in self._qi)
        kinds = tuple(self._kinds.get(i) or "declared" for i in self._qi)
        if not self.active:
            return MicrodataResult("not_microdata", self._reason or "few_quasi_identifiers",
                                   self.k, names if self.declared else (), (), self.declared)
        if self._overflow:
            return MicrodataResult("blocked", self._reason, self.k, names, kinds,
                                   self.declared, self._rows, MAX_CLASSES, None,
                                   self._rows, True)
        counts = self._classes.values()
        smallest = min(counts) if counts else None
        below = sum(n for n in counts if n < self.k)
        status = "blocked" if below else "passed"
        return MicrodataResult(status, self._reason, self.k, names, kinds, self.declared,
                               self._rows, len(self._classes), smallest, below)


def refusal_text(result: MicrodataResult) -> str:
    """Why a microdata table is refused and how to fix it (vi / en): the quasi-identifier
    columns, k and the share of rows in classes below k — never a value."""
    cols = ", ".join(f"«{c}»" for c in result.quasi_identifiers)
    cols_en = ", ".join(f"'{c}'" for c in result.quasi_identifiers)
    if result.overflow:
        share_vi = f"hơn {MAX_CLASSES} tổ hợp khác nhau"
        share_en = f"more than {MAX_CLASSES} distinct combinations"
    else:
        share = f"{result.share_below_k:.1%}"
        share_vi = f"{share} số dòng thuộc nhóm ít hơn {result.k} người"
        share_en = f"{share} of rows are in groups of fewer than {result.k} people"
    return (f"dữ liệu vi mô (mỗi dòng một người) có thể nhận diện lại người trong đó: trên các "
            f"cột gián tiếp định danh {cols}, {share_vi} (k = {result.k}). Hãy gộp nhóm — tuổi "
            f"theo khoảng 5 hoặc 10 năm, ngày sinh thành năm sinh, xã/phường thành quận/huyện — "
            f"hoặc bỏ bớt cột: `ckan smartcity privacy-scan TỆP --generalise --output "
            f"TỆP_MỚI.csv` / row-level microdata that can re-identify people: on the "
            f"quasi-identifier columns {cols_en}, {share_en} (k = {result.k}). Generalise — "
            f"ages in 5- or 10-year bands, dates of birth as years, communes as districts — "
            f"or drop columns: `ckan smartcity privacy-scan FILE --generalise --output "
            f"SAFE.csv`")
