"""People's names in cells and inside free text, kept apart from streets, schools and places.

Pure (no CKAN imports). Two detectors, both tier A (a hit blocks the column):

``value:person_name``
    A column where at least :data:`COLUMN_SHARE` of the non-empty text values are personal
    names: 2–6 words, every word capitalised (``Nguyễn Văn An``, ``NGUYEN VAN AN``) or the
    whole value in lower case, no digits nor punctuation, the first word a Vietnamese family
    name (:data:`SURNAMES`, about 120 names — the 14 commonest cover ~90 % of people, the
    list > 99 %) and every other word a middle- or given-name syllable (:data:`SYLLABLES`),
    with or without diacritics. It does not fire when the column's header names a place or an
    organisation (:func:`place_context`: ``ten_duong``, ``Tuyến``, ``Trường``, ``dia_diem``,
    ``Phường``, ``Doanh nghiệp`` …) or when at least :data:`GAZETTEER_SHARE` of the name-like
    values are in the gazetteer (``data/gazetteer_danang.csv``: Đà Nẵng's streets — many carry
    historical figures' names — schools and their short names, hospitals, landmarks, the 94
    communes/wards of 2025 and the old units). Values are checked until the column is decided
    (:data:`DECIDE_AFTER` values clearly one way) or :data:`SAMPLE_LIMIT` values.
``value:name_in_text``
    A name after an honorific or role word (``ông``, ``bà``, ``anh``, ``chị``, ``cháu``,
    ``em``, ``cụ``, ``thầy``, ``cô``, ``bệnh nhân``, ``học sinh``, ``chủ hộ``, ``cử tri`` …,
    :data:`HONORIFICS`) anywhere in a text: one match blocks. A bare full name of 3–5 words
    with a middle name (``Phạm Minh Tuấn phản ánh …``) that is not in the gazetteer and not
    after a place word (``đường``, ``cầu``, ``THPT`` …) blocks when it occurs in at least
    :data:`BARE_MIN` values and :data:`BARE_SHARE` of them.

Not detected: a lone given name (``anh Nam``), names written in lower case inside text,
foreign names, nicknames; a person who shares a street's name in a column of streets.
"""
from __future__ import annotations

import csv
import re
import unicodedata
from functools import lru_cache
from importlib import resources
from typing import Sequence

from .names import normalise_name

__all__ = ["PERSON_NAME", "NAME_IN_TEXT", "DETECTORS", "COLUMN_SHARE", "GAZETTEER_SHARE",
           "ColumnNames", "is_person_name", "names_in_text", "place_context", "gazetteer",
           "fold"]

PERSON_NAME = "value:person_name"
NAME_IN_TEXT = "value:name_in_text"
DETECTORS = (NAME_IN_TEXT, PERSON_NAME)
COLUMN_SHARE = 0.5
GAZETTEER_SHARE = 0.25
DECIDE_AFTER = 200
SAMPLE_LIMIT = 2000
BARE_MIN = 2
BARE_SHARE = 0.05


def fold(text: str) -> str:
    """Lower case without diacritics (``Đặng`` → ``dang``)."""
    text = text.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFD", text)
                   if unicodedata.category(c) != "Mn").lower()


# Vietnamese family names (GSO / genealogical surveys: Nguyễn ~38 %, Trần ~11 %, Lê ~9.5 %,
# Phạm ~7 %, Hoàng/Huỳnh ~5 %, Phan ~4.5 %, Vũ/Võ ~3.9 %, Đặng, Bùi, Đỗ, Hồ, Ngô, Dương, Lý …).
_SURNAMES = """Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Lương
Đinh Trương Trịnh Đoàn Đào Cao Lâm Mai Tạ Hà Tô Châu Lưu Thái Tôn Kiều Quách Mạc Kha Doãn Tăng
Ung Khổng Triệu Hứa Âu La Giáp Văn Từ Phùng Nghiêm Viên Chu Ông Lục Thân Diệp Lã Lữ Khúc
Khương Đàm Đồng Bạch Hàn Hầu Lạc Lại Mạch Nông Quan Thạch Tiêu Tống Trầm Vương Vi Phó Thiều
Ninh Phí Cù Cung Bế Lò Lộc Mã Mẫn Nhữ Chế Chung Giang Khưu Kim Lăng Liêu Luyện Nhan Ôn Tất
Thi Tiền Trình Vòng Hoa Hồng Phương Đường Ngọ Ngụy Quản Sầm Trang Ma Y Lô Đàng Hoàng Phù Lưu"""
SURNAMES = frozenset(fold(s) for s in _SURNAMES.split())
#: the surnames as written (lower case, diacritics kept): a value in lower case must start
#: with one of them exactly, since without capitals the marks are all that is left
#: (``ổn định`` folds to the name ``Ôn Đinh``)
_SURNAMES_WRITTEN = frozenset(unicodedata.normalize("NFC", s).lower()
                              for s in _SURNAMES.split())

# Middle and given-name syllables (common Vietnamese names; folded, so Văn/Van, Thị/Thi alike).
_SYLLABLES = """Văn Thị Hữu Đức Minh Ngọc Thanh Quốc Công Đình Xuân Thu Bảo Gia Phương Hoài Kim
Anh Thành Như Tấn Quang Hồng Mỹ Khánh Trọng Phước Phúc Diễm Quỳnh Nữ Thất Đăng Bá Duy Hoàng
Huy Hải Thế Viết Tiến Trung Việt Nhật Ánh Bích Cẩm Diệu Hạnh Huyền Lệ Mai Nguyệt Tuyết Vân
Tường Vĩnh Thiện Chí Khắc Sĩ Sỹ Doãn Cảnh Đại Mạnh Phi Kiều Uyên Nhã Thùy Thúy Trâm Tú
An Ân Bình Bằng Bắc Cường Chiến Chính Chung Dũng Dung Dương Đạt Định Đông Giang Hà Hạ Hào Hậu
Hiền Hiếu Hiệp Hòa Hoa Học Hợp Huệ Hùng Hưng Hương Hường Khang Khải Khanh Khoa Khôi Kiên Kiệt
Lan Lâm Lập Liên Liễu Linh Loan Lộc Lợi Long Luân Lực Ly Lý Mạnh My Na Nam Nga Ngân Nghĩa
Nghiêm Nguyên Nhân Nhi Nhung Ninh Oanh Phong Phú Phụng Phượng Quân Quế Quý Quyên Quyết Sang
Sáng Sâm Sen Sơn Sương Tài Tâm Tân Thắng Thảo Thái Thạch Thân Thịnh Thoa Thơ Thông Thủy Thư
Thương Tiên Tín Tình Toàn Trà Trang Trí Trinh Trúc Tuấn Tùng Tuyền Tư Tám Sáu Bảy Chín Mười
Uy Vi Vinh Vũ Vy Xuyên Yến Ý Ánh Châu Cúc Đào Hằng Hân Hiên Hoan Hồ Huân Khuê Lài Lành
Lễ Lụa Mận Mơ Nương Phấn Quyền Sửu Tí Tý Dần Mão Thìn Tỵ Ngọ Mùi Thân Dậu Tuất Hợi Gấm Nhàn
Nhạn Nhi Nhiên Nhu Phát Quang Sa Tánh Thạnh Thiêm Thoại Thuận Thục Thuần Thương Tiến Toản
Trân Triều Trọng Tuệ Vượng Xoan Yên Điệp Đoan Hạo Khiêm Khuyên Kha Lam Lĩnh Luyến Mẫn Ngà
Ngữ Phượng Quảng Tạo Tiệp Tịnh Trực Vỹ Hữu Triết Thiên Tường Khương Hảo Kỳ Danh Hoạt
Bổn Cang Chánh Chương Diên Diệp Giao Hiển Hoàn Hội Kính Lãm Lương Ngạn Nghị Phụ Quới
Tăng Thường Tịnh Trưởng Tứ Vạn Võ Lê Trần Nguyễn Phan Phạm Huỳnh Đỗ Bùi Ngô Đặng Trương"""
SYLLABLES = frozenset(fold(s) for s in _SYLLABLES.split()) | SURNAMES
# Middle names that mark a full name (used for bare names inside text).
MIDDLE = frozenset(fold(s) for s in
                   "Văn Thị Hữu Đức Minh Ngọc Thanh Quốc Công Đình Xuân Thu Bảo Gia Phương "
                   "Hoài Kim Anh Thành Như Tấn Quang Hồng Mỹ Khánh Trọng Phước Nữ Thất Đăng "
                   "Bá Duy Thế Viết".split())

HONORIFICS = ("ông", "bà", "anh", "chị", "cháu", "em", "cụ", "thầy", "cô", "chú", "bác",
              "dì", "cậu", "bé", "bệnh nhân", "bệnh nhi", "người bệnh", "học sinh",
              "sinh viên", "chủ hộ", "hộ", "cử tri", "công dân", "đồng chí", "đ/c", "nạn nhân",
              "giáo viên", "cô giáo", "thầy giáo", "mr", "mrs", "ms")
# Words that make what follows a place or an organisation, not a person.
_PLACE_WORDS = frozenset(fold(w) for w in (
    "đường", "phố", "kiệt", "hẻm", "ngõ", "trường", "thcs", "thpt", "tiểu học", "mầm non",
    "cầu", "chợ", "quận", "phường", "xã", "huyện", "thôn", "công viên", "chùa", "bảo tàng",
    "bệnh viện", "công ty", "tnhh", "doanh nghiệp", "tư nhân", "hợp tác xã", "nhà hát",
    "tuyến", "nút giao", "ngã tư", "ngã ba", "khu", "trung tâm", "giải", "tượng đài",
    "thành phố", "tp", "tỉnh", "chủ tịch", "đại tướng", "danh nhân", "anh hùng", "liệt sĩ"))
# Words that, written with their diacritics, open a place's name even though their folded
# form is a family name (Trường ≠ Trương, Phường ≠ Phương, Tổng ≠ Tống).
_PLACE_FIRST_RAW = frozenset({"trường", "đường", "phường", "cầu", "chợ", "quận", "xã",
                              "huyện", "thôn", "phố", "chùa", "tổng", "khu", "ngã"})
_ORG_WORDS = re.compile(r"(?i)\b(?:công ty|cong ty|tnhh|cổ phần|co phan|hợp tác xã|jsc|ltd|"
                        r"doanh nghiệp|chi nhánh|ngân hàng|tổng công ty|ubnd|hộ kinh doanh|"
                        r"dntn|htx)\b")
_UPPER = "A-ZĐÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴ"
_WORD = rf"[{_UPPER}][^\W\d_]*"
_RUN = rf"{_WORD}(?:[ \t]+{_WORD}){{1,5}}"
_HONORIFIC_RE = re.compile(
    r"(?<![^\W\d_])(?i:" + "|".join(sorted((re.escape(h) for h in HONORIFICS), key=len,
                                           reverse=True))
    + rf")[ \t]*:?[ \t]+({_RUN})")
_BARE_RE = re.compile(rf"(?<![^\W\d_])({_WORD}(?:[ \t]+{_WORD}){{2,4}})(?![^\W\d_])")
_HOUSE_NUMBER = re.compile(r"\d[\w/\-]*[ \t]*$")
_PREV_WORDS = re.compile(r"([^\W\d_]+)(?:[ \t]+([^\W\d_]+))?[ \t]*$")
_NAME_CHARS = re.compile(r"[^\W\d_]+(?: [^\W\d_]+){1,5}")
_PREFIXES = re.compile(
    r"^(?:đường|phố|trường (?:thcs|thpt(?: chuyên)?|tiểu học|mầm non|th|mn)|thcs|thpt|"
    r"cầu|chợ|quận|phường|xã|huyện|bệnh viện|công viên)\s+", re.IGNORECASE)

# Header words that make a column one of places or organisations (folded token sequences).
_PLACE_HEADERS: tuple[tuple[str, ...], ...] = (
    ("ten", "duong"), ("tuyen",), ("lo", "trinh"), ("diem", "dau"), ("diem", "cuoi"),
    ("diem", "dung"), ("dia", "diem"), ("dia", "danh"), ("dia", "ban"), ("ten", "truong"),
    ("co", "so"), ("benh", "vien"), ("doanh", "nghiep"), ("cong", "ty"), ("ten", "dn"),
    ("to", "chuc"), ("don", "vi"), ("cong", "trinh"), ("khu", "vuc"), ("street",), ("road",),
    ("school",), ("ward",), ("commune",), ("district",), ("location",), ("company",),
    ("organisation",), ("organization",), ("hospital",), ("venue",), ("place",),
)
_PLACE_FIRST = frozenset({"duong", "pho", "truong", "phuong", "xa", "quan", "huyen", "cho",
                          "cau", "thon", "landmark"})
_PERSON_ROLE = ("trưởng", "người", "nguoi", "giám đốc", "chủ")


@lru_cache(maxsize=1)
def gazetteer() -> frozenset[str]:
    """Folded names of Đà Nẵng's streets, schools (and their short names), hospitals,
    landmarks and administrative units (``data/gazetteer_danang.csv``)."""
    ref = resources.files("ckanext.smartcity.privacy").joinpath("data/gazetteer_danang.csv")
    out: set[str] = set()
    with ref.open("r", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            name = row["name"].strip()
            out.add(fold(name))
            out.add(fold(_PREFIXES.sub("", name)))
    out.add("ho chi minh")
    return frozenset(out)


def _key(value: str) -> str:
    return fold(_PREFIXES.sub("", value.strip()))


def _is_name_words(words: Sequence[str]) -> bool:
    if not 2 <= len(words) <= 6 or words[0].lower() in _PLACE_FIRST_RAW:
        return False
    folded = [fold(w) for w in words]
    return folded[0] in SURNAMES and all(f in SYLLABLES for f in folded[1:])


def is_person_name(value: str) -> bool:
    """A cell that is a personal name by shape and syllables (gazetteer not consulted)."""
    s = value.strip()
    if not 4 <= len(s) <= 48 or not _NAME_CHARS.fullmatch(" ".join(s.split())):
        return False
    words = s.split()
    if not (all(w[0].isupper() for w in words) or s.islower()):
        return False
    if (s.islower() and not s.isascii()
            and unicodedata.normalize("NFC", words[0]) not in _SURNAMES_WRITTEN):
        return False
    return _is_name_words(words)


def _after_place_word(text: str, start: int) -> bool:
    """The words before ``start`` make what follows a place: a place word (``đường``,
    ``THPT``) or a house number (``Số 48 …``, ``12A …``, ``45/7 …``)."""
    before = text[max(0, start - 30):start]
    if _HOUSE_NUMBER.search(before):
        return True
    m = _PREV_WORDS.search(before)
    if not m:
        return False
    last = fold(m.group(2) or m.group(1))
    pair = fold(f"{m.group(1)} {m.group(2)}") if m.group(2) else ""
    return last in _PLACE_WORDS or pair in _PLACE_WORDS


def _titled_at(text: str, m: re.Match) -> bool:
    """The honorific match ``m`` in ``text`` is followed by a person's name."""
    if _after_place_word(text, m.start()):
        return False
    words = m.group(1).split()
    for n in range(min(len(words), 5), 1, -1):
        if _is_name_words(words[:n]) and fold(" ".join(words[:n])) not in gazetteer():
            return True
    return False


def _bare_in(text: str) -> bool:
    """A full name without a title stands in ``text`` (not a place, not an organisation)."""
    if _ORG_WORDS.search(text):
        return False
    for m in _BARE_RE.finditer(text):
        words = m.group(1).split()
        folded = [fold(w) for w in words]
        if (folded[1] in MIDDLE and not m.group(1).isupper() and _is_name_words(words)
                and " ".join(folded) not in gazetteer()
                and not _after_place_word(text, m.start())):
            return True
    return False


def names_in_text(text: str, bare: bool = True) -> tuple[int, int]:
    """``(after_honorific, bare)``: 1/0 flags — a name after an honorific, and (only when
    ``bare`` and none after an honorific) a full name without a title — inside one text."""
    if any(_titled_at(text, m) for m in _HONORIFIC_RE.finditer(text)):
        return 1, 0
    return 0, int(bare and _bare_in(text))


def place_context(header: str) -> bool:
    """The header names a column of places or organisations (``ten_duong``, ``Trường``)."""
    raw = str(header).lower()
    if any(w in raw for w in _PERSON_ROLE):
        return False
    tokens = normalise_name(header)
    if tokens and tokens[0] in _PLACE_FIRST:
        return True
    n = len(tokens)
    return any(tokens[i:i + len(seq)] == seq for seq in _PLACE_HEADERS
               for i in range(n - len(seq) + 1))


class ColumnNames:
    """Streams one column's values; :meth:`verdict` gives the detector that blocks, if any."""

    __slots__ = ("place", "seen", "names", "gazetteer", "titled", "bare", "texts",
                 "cells_done", "decided")

    def __init__(self, header: str) -> None:
        self.place = place_context(header)
        self.seen = self.names = self.gazetteer = 0
        self.titled = self.bare = self.texts = 0
        self.cells_done = self.place
        self.decided = False

    def feed(self, values: Sequence[object]) -> None:
        """Account for one batch of the column's values."""
        if self.decided:
            return
        types = set(map(type, values))
        if str not in types:
            return
        if not self.cells_done:
            self._cells([v for v in values if type(v) is str and v])
            if self.cells_done and self.verdict() is not None:
                self.decided = True  # a column of names: nothing more to learn
                return
        # text: each distinct value once (categorical columns repeat a few values)
        distinct = set(values)
        if types != {str}:
            distinct = {v for v in distinct if type(v) is str}
        joined = "\n".join(distinct)
        if " " not in joined:
            return
        # names after an honorific: one scan of the whole batch, every value, any match blocks
        for m in _HONORIFIC_RE.finditer(joined):
            if _titled_at(joined, m):
                self.titled += 1
                self.decided = True
                return
        # bare full names: running text only (5+ words), never in a place column; the first
        # SAMPLE_LIMIT texts decide
        if self.place or self.texts >= SAMPLE_LIMIT:
            return
        for v in distinct:
            if v.count(" ") < 4:
                continue
            self.texts += 1
            self.bare += _bare_in(v)
            if self.texts >= SAMPLE_LIMIT:
                return

    def _cells(self, strings: list[str]) -> None:
        gaz = gazetteer()
        for v in strings:
            self.seen += 1
            if is_person_name(v):
                self.names += 1
                if _key(v) in gaz:
                    self.gazetteer += 1
            if self.seen >= SAMPLE_LIMIT or (
                    self.seen >= DECIDE_AFTER
                    and (self.names < 0.2 * self.seen or self.names > 0.9 * self.seen)):
                self.cells_done = True
                return

    def verdict(self) -> tuple[str, float | None] | None:
        """``(detector, share)`` when the column holds people's names, else ``None``."""
        if self.titled:
            return NAME_IN_TEXT, None
        if (not self.place and self.seen and self.names >= COLUMN_SHARE * self.seen
                and self.gazetteer < GAZETTEER_SHARE * self.names):
            return PERSON_NAME, round(self.names / self.seen, 6)
        if self.bare >= BARE_MIN and self.bare >= BARE_SHARE * max(self.texts, 1):
            return NAME_IN_TEXT, round(self.bare / max(self.texts, 1), 6)
        return None


