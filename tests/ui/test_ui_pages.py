"""Server-rendered pages: the home page, the dataset page and its extra sections."""
from __future__ import annotations

import re

import pytest

import ckan.plugins.toolkit as tk


def _card_count(body: str, attr: str, value: str) -> int:
    """The dataset count shown on the home-page card `attr="value"`."""
    card = re.search(rf'{attr}="{re.escape(value)}".*?data-count="(\d+)"', body, re.S)
    assert card, f"no card {attr}={value}"
    return int(card.group(1))


@pytest.fixture
def portal(build, clean_db, clean_index):
    admin = build.sysadmin()
    org = build.department(admin)
    economy = build.pillar(admin, "kinh-te-thong-minh", "Kinh tế thông minh", "economy")
    build.pillar(admin, "nguoi-dan", "Công dân thông minh", "citizens")
    build.dataset(admin, "health", "co-so-y-te", org, groups=[{"name": economy["name"]}],
                  admin_units=["20194", "20197"], update_frequency="monthly")
    build.dataset(admin, "health", "giuong-benh", org)
    build.dataset(admin, "education", "truong-hoc", org, groups=[{"name": economy["name"]}])
    build.dataset(admin, "education", "noi-bo", org, data_classification="internal",
                  private=True)
    return {"admin": admin, "org": org}


@pytest.mark.usefixtures("with_plugins")
def test_home_page_shows_domains_and_pillars_with_counts(app, portal):
    body = app.get("/").get_data(as_text=True)
    for vi, en in (("Dân cư", "Population"), ("Đất đai", "Land"), ("Doanh nghiệp", "Enterprise"),
                   ("Y tế", "Health"), ("Giáo dục", "Education")):
        assert vi in body and en in body
    assert _card_count(body, "data-domain", "health") == 2
    assert _card_count(body, "data-domain", "education") == 1  # the private one is not counted
    assert _card_count(body, "data-domain", "land") == 0
    assert 'href="/health/"' in body

    assert _card_count(body, "data-pillar", "kinh-te-thong-minh") == 2
    assert _card_count(body, "data-pillar", "nguoi-dan") == 0  # matched by pillar_code
    assert 'href="/group/kinh-te-thong-minh"' in body
    assert body.count('data-pillar="') == 6  # both groups sit on their pillar, none extra
    for pillar in ("Quản trị thông minh", "Môi trường thông minh", "Giao thông thông minh",
                   "Cuộc sống thông minh"):
        assert pillar in body
    assert "/smartcity/smartcity.css" in body

    english = app.get("/en/").get_data(as_text=True)
    assert "Data domains" in english and "Smart-city pillars" in english


@pytest.mark.usefixtures("with_plugins")
def test_dataset_page_shows_labels_and_unit_names(app, portal):
    body = app.get("/health/co-so-y-te").get_data(as_text=True)
    assert "Tần suất cập nhật" in body and "Hằng tháng" in body
    assert "Phường Hải Vân" in body and "Phường Liên Chiểu" in body
    assert "Bệnh viện" in body  # facility_types choice label
    assert "Dữ liệu mở" in body  # data_classification choice label
    english = app.get("/en/health/co-so-y-te").get_data(as_text=True)
    assert "Monthly" in english and "Hai Van Ward" in english


def _guard_report() -> dict:
    """A privacy report made by the guard itself on a small table with small counts."""
    from ckanext.smartcity.privacy import Guard, Policy

    guard = Guard(["ma_xa", "so_ca_benh", "so_tu_vong"], Policy.from_spec(
        {"count_columns": ["so_ca_benh", "so_tu_vong"]}, dataset_type="health"))
    guard.scan([("20194", 3, 0), ("20197", 40, 1), ("20200", 25, 30)])
    return guard.finish().to_metadata()


@pytest.mark.usefixtures("with_plugins")
def test_privacy_report_and_provenance_sections_render(app):
    pkg = {
        "privacy_report": _guard_report(),
        "harvest_source": "so-y-te-csdl",
        "harvested_at": "2026-03-01T02:00:00",
    }
    with app.flask_app.test_request_context("/"):
        report = tk.render_snippet("smartcity/snippets/privacy_report.html", {"pkg": pkg})
        provenance = tk.render_snippet("smartcity/snippets/harvest_provenance.html", {"pkg": pkg})
        empty = tk.render_snippet("smartcity/snippets/privacy_report.html", {"pkg": {}})
    assert "Vì sao ô này trống?" in report and "Why is this cell empty?" in report
    assert "2 ô có giá trị từ 1 đến 9 đã được ẩn" in report
    assert "2 cells with values from 1 to 9 were hidden" in report
    assert re.search(r'data-column="so_ca_benh">\s*<th[^>]*><code>so_ca_benh</code></th>\s*'
                     r'<td data-kind="primary">1</td>\s*<td data-kind="complementary">1</td>',
                     report)
    assert "<code>ma_xa</code>" in report
    # no such source: never its raw key (tests/harvesters/test_source_shape.py has a real one)
    assert "so-y-te-csdl" not in provenance and "Nguồn đã gỡ bỏ" in provenance
    assert 'data-key="harvested_at"' in provenance
    assert empty.strip() == ""
