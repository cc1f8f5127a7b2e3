"""Column-name detector: does a column's name say it holds personal data?

Names are normalised (lower case, Vietnamese diacritics removed, ``đ`` → ``d``, camelCase
split, spaces/``_``/``-``/``.`` unified) into tokens, then matched against a denylist of
Vietnamese and English terms. Decisions on look-alikes:

- ``ten``/``name`` alone do not block: in open data they are commune, enterprise or facility
  names (``ten_xa``, ``ten_doanh_nghiep``); ``ho_ten``/``full_name``/``ten_benh_nhan`` block.
- ``nam_sinh`` (year of birth) is an aggregation dimension, only a quasi-identifier: reported
  as ``info``; ``ngay_sinh``/``dob`` (date of birth) block.
- ``dia_chi`` (address) blocks, but an address qualified as an organisation's (``dia_chi_tru_so``,
  ``dia_chi_co_so``, ``head_office_address`` …) is public in the business/facility registers and
  is reported as ``info``; its values are still checked for phones and e-mails.
- A name that says it is a count, total or rate (``so_luong_``, ``tong_``, ``ty_le_``,
  ``count``, ``total`` …) describes an aggregate, not the identifier: reported as ``info``.
- ``dia_ban`` (area), ``so_dan`` (population), ``ma_xa`` (commune code), ``ngay_cap_nhat``
  (update date) match nothing.
- A role as the header (``Hiệu trưởng``, ``Người lập biểu``, ``Người ký``) holds that
  person's name: ``full_name``.
- ``Năm sinh chủ hộ`` (the year of birth *of* someone) is a year of birth (``info``) unless
  the name also says it holds the name (``Họ tên, năm sinh``).
- Money that health insurance pays or collects (``Chi phí BHYT chi trả``, ``Quỹ BHYT``) is a
  quantity, not a card number (``info``; :func:`is_quantity`).
- Codes of things (``Số lô hàng``, ``so_seri``, ``ma_van_don``): :func:`is_thing_code`.
- Abbreviations (:data:`_ABBREVIATIONS`: ``STK``, ``SĐT1``, ``D.O.B``, ``MSHS``, ``ma_hv``,
  ``mã định danh HS``, ``acct``, ``addr`` …) are expanded only when the name as written
  matches nothing or only a hint, so no decision above changes. ``mã định danh`` alone is a
  hint (agencies and schools have one); with a person (``học sinh``, ``học viên``, ``sinh
  viên``, ``công dân`` …) it is a personal ID. ``hs``/``hv``/``sv``/``gv``/``nv`` expand to
  pupil/learner/student/teacher/employee; ``tk`` (also *thống kê*) and ``dt`` (also *diện
  tích*) do not expand alone.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["NameMatch", "NAME_DETECTORS", "normalise_name", "detect_name", "is_quantity",
           "is_thing_code"]

BLOCK = "block"
HINT = "hint"
INFO = "info"

_CAMEL_1 = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_CAMEL_2 = re.compile(r"(?<=[A-Z])(?=[A-Z][a-z])")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class NameMatch:
    """What the name detector concluded about one column name.

    ``level`` is ``"block"`` (the name denotes personal data), ``"hint"`` (the name suggests
    an identifier, so any single matching value blocks) or ``"info"`` (noted, not blocking).
    """

    detector: str
    level: str


def normalise_name(name: str) -> tuple[str, ...]:
    """Return the lower-case ASCII tokens of a column name.

    ``"Số điện thoại"``, ``"so_dien_thoai"``, ``"SoDienThoai"`` and ``"so-dien.thoai"`` all give
    ``("so", "dien", "thoai")``.
    """
    text = str(name).replace("đ", "d").replace("Đ", "D").replace("Ð", "D")
    text = "".join(
        ch for ch in unicodedata.normalize("NFD", text) if unicodedata.category(ch) != "Mn"
    )
    text = _CAMEL_2.sub("_", _CAMEL_1.sub("_", text))
    return tuple(tok for tok in _NON_ALNUM.split(text.lower()) if tok)


# Each rule: detector, level, alternatives; an alternative is a tuple of token sequences that
# must all appear (each contiguously) in the normalised name.
_S = tuple[tuple[str, ...], ...]
_RULES: tuple[tuple[str, str, tuple[_S, ...]], ...] = (
    ("full_name", BLOCK, (
        (("ho", "ten"),), (("ho", "va", "ten"),), (("hoten",),), (("hovaten",),),
        (("full", "name"),), (("fullname",),), (("first", "name"),), (("last", "name"),),
        (("given", "name"),), (("surname",),), (("ten", "nguoi"),), (("ten", "benh", "nhan"),),
        (("ten", "chu", "ho"),), (("chu", "ho"),), (("ten", "cong", "dan"),),
        (("ten", "hoc", "sinh"),), (("ten", "khai", "sinh"),), (("person", "name"),),
        (("chu", "dem"),), (("chu", "su", "dung"),), (("nguoi", "su", "dung"),),
        (("nguoi", "lien", "he"),), (("nguoi", "dai", "dien"),), (("contact", "person"),),
        (("patient", "name"),), (("ten", "giao", "vien"),), (("ten", "sinh", "vien"),),
        # a role as the header: the column holds that person's name
        (("hieu", "truong"),), (("hieu", "pho"),), (("nguoi", "lap"),), (("nguoi", "ky"),),
        (("nguoi", "bao", "cao"),), (("nguoi", "phu", "trach"),), (("prepared", "by"),),
    )),
    ("citizen_id", BLOCK, (
        (("cccd",),), (("cmnd",),), (("cmt",),), (("can", "cuoc"),), (("cancuoc",),),
        (("so", "dinh", "danh"),), (("dinh", "danh", "ca", "nhan"),), (("citizen", "id"),),
        (("national", "id"),), (("id", "card"),), (("id", "number"),), (("identity", "card"),),
        (("identity", "number"),), (("ssn",),), (("chung", "minh", "nhan", "dan"),),
        (("so", "ho", "khau"),), (("ho", "khau"),),
    )),
    ("date_of_birth", BLOCK, (
        (("ngay", "sinh"),), (("ngaysinh",),), (("sinh", "ngay"),), (("dob",),),
        (("date", "of", "birth"),), (("birth", "date"),), (("birthdate",),), (("birthday",),),
        (("ngay", "thang", "nam", "sinh"),),
    )),
    ("phone", BLOCK, (
        (("dien", "thoai"),), (("dienthoai",),), (("sodienthoai",),), (("sdt",),),
        (("so", "dt"),), (("sodt",),), (("dtdd",),), (("di", "dong"),), (("didong",),),
        (("phone",),), (("telephone",),), (("mobile",),), (("cellphone",),), (("tel",),),
        (("phone", "number"),), (("zalo",),),
    )),
    ("email", BLOCK, (
        (("email",),), (("e", "mail"),), (("mail",),), (("thu", "dien", "tu"),),
        (("hop", "thu"),),
    )),
    ("address", BLOCK, (
        (("dia", "chi"),), (("diachi",),), (("noi", "o"),), (("cho", "o"),),
        (("thuong", "tru"),), (("tam", "tru"),), (("cu", "tru"),), (("que", "quan"),),
        (("nguyen", "quan"),), (("address",),), (("home", "address"),), (("residence",),),
        (("addr",),),
        (("street", "address"),), (("noi", "sinh"),), (("place", "of", "birth"),),
    )),
    ("patient_id", BLOCK, (
        (("ma", "benh", "nhan"),), (("ma", "bn"),), (("mabn",),), (("ma", "nguoi", "benh"),),
        (("patient", "id"),), (("benh", "an"),), (("ho", "so", "benh", "an"),),
        (("medical", "record"),), (("ma", "y", "te"),),
    )),
    ("health_insurance", BLOCK, (
        (("bhyt",),), (("the", "bao", "hiem"),), (("health", "insurance"),),
        (("so", "bhxh"),), (("ma", "bhxh"),), (("insurance", "number"),),
    )),
    ("personal_tax_code", BLOCK, (
        (("ma", "so", "thue"), ("ca", "nhan")), (("mst",), ("ca", "nhan")), (("mst", "cn"),),
        (("mstcn",),), (("personal", "tax"),), (("ma", "so", "thue"), ("cn",)),
        (("tax", "code"), ("personal",)), (("pit", "code"),),
    )),
    ("passport", BLOCK, (
        (("ho", "chieu"),), (("hochieu",),), (("passport",),),
    )),
    ("licence_plate", BLOCK, (
        (("bien", "so"),), (("bienso",),), (("bien", "kiem", "soat"),), (("bks",),),
        (("license", "plate"),), (("licence", "plate"),), (("plate", "number"),),
        (("number", "plate"),), (("giay", "phep", "lai", "xe"),), (("gplx",),),
    )),
    ("bank_account", BLOCK, (
        (("so", "tai", "khoan"),), (("tai", "khoan", "ngan", "hang"),), (("stk",),),
        (("so", "tk"),), (("bank", "account"),), (("account", "number"),), (("iban",),),
        (("account", "no"),),
    )),
    ("person_id", BLOCK, (
        (("ma", "hoc", "sinh"),), (("ma", "hs"),), (("ma", "sinh", "vien"),), (("ma", "sv"),),
        (("student", "id"),), (("ma", "giao", "vien"),), (("ma", "gv"),),
        (("ma", "nhan", "vien"),), (("employee", "id"),), (("so", "bao", "danh"),),
        (("ma", "cong", "dan"),), (("ma", "hoc", "vien"),), (("ma", "nguoi", "hoc"),),
        (("ma", "so", "hoc", "sinh"),), (("ma", "so", "sinh", "vien"),),
        (("ma", "so", "hoc", "vien"),), (("ma", "so", "giao", "vien"),),
        (("ma", "so", "nhan", "vien"),),
        # "mã định danh" of a person (alone it is a hint: agencies and schools have one)
        (("ma", "dinh", "danh"), ("hoc", "sinh")), (("ma", "dinh", "danh"), ("hoc", "vien")),
        (("ma", "dinh", "danh"), ("sinh", "vien")), (("ma", "dinh", "danh"), ("giao", "vien")),
        (("ma", "dinh", "danh"), ("nhan", "vien")), (("ma", "dinh", "danh"), ("cong", "dan")),
        (("ma", "dinh", "danh"), ("benh", "nhan")), (("ma", "dinh", "danh"), ("nguoi", "hoc")),
        (("student", "number"),), (("student", "no"),), (("student", "code"),),
        (("pupil", "id"),), (("learner", "id"),), (("employee", "number"),),
        (("employee", "no"),), (("staff", "id"),),
    )),
    # Weak hints: not blocking by themselves, but any identifier-like value then blocks.
    ("identifier_hint", HINT, (
        (("ma", "dinh", "danh"),), (("ma", "so"),), (("so", "the"),), (("ma", "the"),),
        (("lien", "he"),), (("contact",),), (("ghi", "chu"),), (("note",),), (("notes",),),
        (("id",),), (("ma", "so", "thue"),), (("mst",),), (("tax", "code"),), (("so", "hieu"),),
        (("ten",),), (("name",),), (("nguoi",),), (("ca", "nhan"),), (("hotline",),),
        (("tong", "dai"),), (("duong", "day", "nong"),), (("switchboard",),),
        (("giay", "to"),), (("so", "giay"),), (("document", "number"),),
    )),
    ("year_of_birth", INFO, (
        (("nam", "sinh"),), (("birth", "year"),), (("year", "of", "birth"),),
    )),
)

NAME_DETECTORS = tuple(f"name:{detector}" for detector, _, _ in _RULES) + (
    "name:organisation_address", "name:identifier_in_header",
)

# Compact spellings written without separators (``SOCCCD``, ``diachithuongtru``): a single
# token that starts or ends with one of these is treated as containing it.
_COMPACT = {
    "hoten": "full_name", "hovaten": "full_name", "cccd": "citizen_id", "cmnd": "citizen_id",
    "cancuoc": "citizen_id", "ngaysinh": "date_of_birth", "dienthoai": "phone",
    "email": "email", "diachi": "address", "bhyt": "health_insurance", "hochieu": "passport",
    "passport": "passport", "bienso": "licence_plate", "mabenhnhan": "patient_id",
    "sodinhdanh": "citizen_id",
}

# Abbreviations in headers → their words. Tried only when the name as written matches nothing
# or only a hint (_match). Ambiguous ones stay out: "tk" (tài khoản / thống kê), "dt"
# (điện thoại / diện tích), "no" (number / nợ).
_ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "sdt": ("so", "dien", "thoai"), "dtdd": ("dien", "thoai", "di", "dong"),
    "stk": ("so", "tai", "khoan"), "sotaikhoan": ("so", "tai", "khoan"),
    "sotk": ("so", "tai", "khoan"), "dob": ("ngay", "sinh"), "mst": ("ma", "so", "thue"),
    "hs": ("hoc", "sinh"), "hv": ("hoc", "vien"), "sv": ("sinh", "vien"),
    "gv": ("giao", "vien"), "nv": ("nhan", "vien"),
    "mahs": ("ma", "hoc", "sinh"), "mahv": ("ma", "hoc", "vien"), "masv": ("ma", "sinh", "vien"),
    "manv": ("ma", "nhan", "vien"), "magv": ("ma", "giao", "vien"),
    "mahocsinh": ("ma", "hoc", "sinh"), "mahocvien": ("ma", "hoc", "vien"),
    "masinhvien": ("ma", "sinh", "vien"), "manhanvien": ("ma", "nhan", "vien"),
    "mshs": ("ma", "so", "hoc", "sinh"), "mssv": ("ma", "so", "sinh", "vien"),
    "mshv": ("ma", "so", "hoc", "vien"), "msnv": ("ma", "so", "nhan", "vien"),
    "msgv": ("ma", "so", "giao", "vien"), "madinhdanh": ("ma", "dinh", "danh"),
    "madinhdanhhocsinh": ("ma", "dinh", "danh", "hoc", "sinh"),
    "sodienthoai": ("so", "dien", "thoai"), "acct": ("account",),
}
_LETTERS_DIGITS = re.compile(r"[a-z]+|[0-9]+")


def _expanded(tokens: tuple[str, ...]) -> tuple[str, ...]:
    """Tokens with letters and digits apart (``sdt1``), runs of single letters joined
    (``d.o.b`` → ``dob``) and abbreviations expanded."""
    split = [part for tok in tokens for part in _LETTERS_DIGITS.findall(tok)]
    joined: list[str] = []
    run: list[str] = []
    for tok in split + [""]:
        if len(tok) == 1 and tok.isalpha():
            run.append(tok)
            continue
        joined.extend(["".join(run)] if len(run) > 1 else run)
        run = []
        if tok:
            joined.append(tok)
    return tuple(word for tok in joined for word in _ABBREVIATIONS.get(tok, (tok,)))


_ORG_QUALIFIERS: tuple[tuple[str, ...], ...] = (
    ("tru", "so"), ("truso",), ("co", "so"), ("doanh", "nghiep"), ("cong", "ty"),
    ("to", "chuc"), ("chi", "nhanh"), ("van", "phong"), ("benh", "vien"), ("truong",),
    ("don", "vi"), ("co", "quan"), ("head", "office"), ("office",), ("business",),
    ("facility",), ("company",), ("enterprise",), ("organisation",), ("organization",),
    ("hq",),
)

# A count, total or rate *of* something: Vietnamese puts the marker first ("so_luong_cccd_da_cap"),
# English anywhere ("cccd_count"). "tong_dai" is a switchboard, not a total.
_AGGREGATE_PREFIXES: tuple[tuple[str, ...], ...] = (
    ("so", "luong"), ("ty", "le"), ("ti", "le"), ("sl",), ("luot",), ("tong", "so"),
    ("tong", "cong"), ("tong",),
)
_AGGREGATE_WORDS = frozenset(
    {"count", "counts", "total", "rate", "ratio", "percent", "pct", "share", "num"}
)


def _is_aggregate(tokens: tuple[str, ...]) -> bool:
    if tokens[:2] == ("tong", "dai"):
        return False
    if any(tokens[:len(p)] == p for p in _AGGREGATE_PREFIXES):
        return True
    return bool(_AGGREGATE_WORDS.intersection(tokens)) or _contains(tokens, ("number", "of"))


def _contains(tokens: tuple[str, ...], seq: tuple[str, ...]) -> bool:
    n = len(seq)
    first = seq[0]
    for i, tok in enumerate(tokens):
        if tok == first and tokens[i:i + n] == seq:
            return True
    return False


def _first_rule(tokens: tuple[str, ...]) -> tuple[str, str] | None:
    for detector, level, alternatives in _RULES:
        for alternative in alternatives:
            if all(_contains(tokens, seq) for seq in alternative):
                return detector, level
    for tok in tokens:
        for compact, detector in _COMPACT.items():
            if len(tok) > len(compact) and (tok.startswith(compact) or tok.endswith(compact)):
                return detector, BLOCK
    return None


def _match(tokens: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, str] | None]:
    """The first rule matching the name as written; when that is nothing or only a hint,
    the rule matching its expanded abbreviations if it says more. Returns the tokens the
    decision was made on and the rule."""
    found = _first_rule(tokens)
    if found is not None and found[1] != HINT:
        return tokens, found
    expanded = _expanded(tokens)
    if expanded != tokens:
        better = _first_rule(expanded)
        if better is not None and (found is None or better[1] == BLOCK):
            return expanded, better
    return tokens, found


# Money, area and count columns: a 9- or 11-digit number there is an amount, not an ID.
_QUANTITY: tuple[tuple[str, ...], ...] = (
    ("von",), ("dieu", "le"), ("tien",), ("gia", "tri"), ("gia",), ("doanh", "thu"),
    ("dien", "tich"), ("vnd",), ("dong",), ("trieu",), ("ty",), ("amount",), ("capital",),
    ("revenue",), ("area",), ("m2",), ("ha",), ("hecta",), ("budget",), ("ngan", "sach"),
    ("chi", "phi"), ("kinh", "phi"), ("thu", "nhap"), ("luong",), ("price",), ("cost",),
    ("value",), ("total",), ("sum",), ("count",), ("dan", "so"), ("so", "dan"),
    ("so", "luong"), ("tong",), ("nop", "thue"), ("tien", "thue"), ("tax", "paid"),
    ("dau", "tu"), ("investment",), ("salary",), ("income",), ("population",),
    ("luot",), ("loi", "nhuan"), ("tai", "san"), ("profit",), ("assets",),
    ("du", "toan"), ("giai", "ngan"), ("quyet", "toan"), ("thanh", "tien"), ("chi", "tra"),
    ("thanh", "toan"),
)
# What insurance *pays or collects* is money ("Chi phí BHYT chi trả", "Quỹ BHYT"), not a
# card number: such a health-insurance name is a quantity column.
_MONEY_OF: tuple[tuple[str, ...], ...] = (
    ("chi", "phi"), ("tien",), ("quy",), ("kinh", "phi"), ("chi", "tra"), ("thanh", "toan"),
    ("vnd",), ("dong",), ("trieu",), ("cost",), ("amount",),
)
# Codes of things — lots, serials, waybills, invoices: letter+7-digit and 9-/11-digit
# tokens there are the thing's code, so no ambiguous (tier B) class applies.
_THING_CODE: tuple[tuple[str, ...], ...] = (
    ("lo",), ("lot",), ("seri",), ("serial",), ("van", "don"), ("hoa", "don"),
    ("container",), ("waybill",), ("invoice",),
)
# Direct words for a person's name: "Họ tên, năm sinh" is still a name column.
_DIRECT_NAME: tuple[tuple[str, ...], ...] = (
    ("ho", "ten"), ("ho", "va", "ten"), ("hoten",), ("hovaten",), ("ten",), ("name",),
)
_YEAR_OF_BIRTH: tuple[tuple[str, ...], ...] = (
    ("nam", "sinh"), ("birth", "year"), ("year", "of", "birth"),
)
# Tax codes: an enterprise's 10-digit code that lost its leading zero in Excel has 9 digits;
# the ambiguous length classes do not apply (a personal tax code is a 12-digit CCCD, tier A).
_TAX_CODE: tuple[tuple[str, ...], ...] = (
    ("ma", "so", "thue"), ("mst",), ("tax", "code"), ("ma", "so", "doanh", "nghiep"),
)


@lru_cache(maxsize=4096)
def is_quantity(name: str) -> bool:
    """True when a column's name says it holds money, an area or a count
    (``von_dieu_le``, ``dien_tich_m2``, ``doanh_thu_ty_dong``) or an enterprise tax code,
    and nothing that denotes personal data: the ambiguous 9-/11-digit classes do not apply."""
    tokens = normalise_name(name)
    if not tokens:
        return False
    if _insurance_money(tokens):
        return True
    tokens, found = _match(tokens)
    if found is not None:
        return found == ("identifier_hint", HINT) and any(_contains(tokens, t)
                                                        for t in _TAX_CODE)
    return any(_contains(tokens, q) for q in _QUANTITY)


def _insurance_money(tokens: tuple[str, ...]) -> bool:
    return (_first_rule(tokens) == ("health_insurance", BLOCK)
            and any(_contains(tokens, m) for m in _MONEY_OF))


@lru_cache(maxsize=4096)
def is_thing_code(name: str) -> bool:
    """True when a column's name says it holds the code of a thing (``Số lô hàng``,
    ``so_seri``, ``ma_van_don``) and nothing that denotes personal data: the ambiguous
    (tier B) value classes do not apply."""
    tokens = normalise_name(name)
    if not tokens or _match(tokens)[1] not in (None, ("identifier_hint", HINT)):
        return False
    return any(_contains(tokens, t) for t in _THING_CODE)


@lru_cache(maxsize=4096)
def detect_name(name: str) -> NameMatch | None:
    """Classify a column name; ``None`` when nothing in it suggests personal data.

    The result is a pure function of the name (cached). Detectors are named ``"name:<kind>"``,
    e.g. ``"name:phone"``, ``"name:organisation_address"``.
    """
    tokens = normalise_name(name)
    if not tokens:
        return None
    tokens, found = _match(tokens)
    if found is None:
        return None
    detector, level = found
    if _insurance_money(tokens):
        return NameMatch(f"name:{detector}", INFO)
    if (detector != "date_of_birth" and any(_contains(tokens, y) for y in _YEAR_OF_BIRTH)
            and not any(_contains(tokens, n) for n in _DIRECT_NAME)):
        # "Năm sinh chủ hộ": the year of birth *of* someone, an aggregation dimension
        return NameMatch("name:year_of_birth", INFO)
    if level == BLOCK and _is_aggregate(tokens):
        return NameMatch(f"name:{detector}", INFO)
    if detector == "address" and any(_contains(tokens, q) for q in _ORG_QUALIFIERS):
        return NameMatch("name:organisation_address", INFO)
    return NameMatch(f"name:{detector}", level)
