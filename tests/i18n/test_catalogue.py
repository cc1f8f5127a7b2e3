"""The project's own Vietnamese catalogue: shipped compiled, loaded over CKAN's, and
correcting CKAN's known mistranslations."""
from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

import ckanext.smartcity

CATALOGUE = Path(ckanext.smartcity.__file__).parent / "i18n" / "vi" / "LC_MESSAGES"


def _entries(catalog) -> dict:
    def plain(value):
        return tuple(value) if isinstance(value, (list, tuple)) else value
    return {plain(m.id): plain(m.string) for m in catalog if m.id}


def test_compiled_catalogue_matches_its_source():
    """The committed .mo is the compiled .po (so a fresh clone shows the same text)."""
    with (CATALOGUE / "ckanext-smartcity.po").open("rb") as po, \
            (CATALOGUE / "ckanext-smartcity.mo").open("rb") as mo:
        source, compiled = read_po(po), read_mo(mo)
    assert not [m.id for m in source if m.id and m.fuzzy], "fuzzy entries are not compiled"
    assert _entries(compiled) == _entries(source)
    assert len(_entries(source)) >= 400


@pytest.mark.usefixtures("with_plugins")
@pytest.mark.parametrize(("msgid", "wrong", "right"), [
    ("CKAN API", "Giao diện người sử dụng CKAN", "API của CKAN"),
    ("Visibility", "Tầm nhìn", "Chế độ hiển thị"),
    ("Missing value", "Giá trị bị mất", "Thiếu giá trị"),
    ("GNU Free Documentation License", "Tổ chức GNU Free Documentation License",
     "Giấy phép Tài liệu Tự do GNU (GFDL)"),
    ("Creative Commons Attribution", "Giấy phép bản quyền mở",
     "Creative Commons Ghi công (CC BY)"),
    ("Data Dictionary", None, "Từ điển dữ liệu"),
    ("Publish", None, "Công bố"),
    ("Required field", "Lĩnh vực được yêu cầu", "Trường bắt buộc"),
    ("The form contains invalid entries:", "Mẫu gồm các đầu vào vô hiệu",
     "Vui lòng sửa các mục sau:"),
    ("Embed", "Đã được gắn", "Nhúng"),
])
def test_portal_speaks_the_corrected_vietnamese(app, msgid, wrong, right):
    import flask_babel

    with app.flask_app.test_request_context("/"):
        from flask import g
        g.lang = "vi"
        flask_babel.refresh()
        shown = flask_babel.gettext(msgid)
    assert shown == right and shown != wrong


@pytest.mark.usefixtures("with_plugins")
def test_plural_counts_are_vietnamese(app, portal):
    body = app.get("/dataset/").get_data(as_text=True)
    assert "Tìm thấy 1 bộ dữ liệu" in body
    assert "datasets found" not in body and "dataset found" not in body
