"""Issue 22, what a researcher reads: dates as dd/mm/yyyy on Vietnamese pages (never
"tháng 12 8, 2026"), the row count in the page's language, "Embed" as "Nhúng", and
ICD-10 chapters named in full in the search facets."""
from __future__ import annotations

import re

import requests

EXAMPLE = "dan-so-theo-xa-gioi-tinh-nhom-tuoi"
CAMEL_DATE = re.compile(r"(tháng \d+ \d+, \d{4})|([A-Z][a-z]+ \d{1,2}, \d{4})")


def _page(portal, path):
    page = requests.get(f"{portal.url}{path}", timeout=60)
    assert page.status_code == 200, path
    return page.text


def _resource(portal):
    package = portal.action("package_show", {"id": EXAMPLE}, token=None, method="GET")
    [resource] = [r for r in package["resources"] if r.get("datastore_active")][:1]
    return package, resource


def test_dates_are_dd_mm_yyyy(portal):
    package, resource = _resource(portal)
    for path in (f"/dataset/{EXAMPLE}", f"/dataset/{EXAMPLE}/resource/{resource['id']}",
                 f"/en/dataset/{EXAMPLE}"):
        page = _page(portal, path)
        assert not CAMEL_DATE.search(page), (path, CAMEL_DATE.search(page).group(0))
        assert re.search(r"\b\d{2}/\d{2}/20\d{2}\b", page), path
    # the temporal coverage and reference date too (scheming printed them as 2025-12-31)
    shown = re.sub(r"<[^>]+>", " ", _page(portal, f"/dataset/{EXAMPLE}"))
    assert package["reference_date"][:10] not in shown
    assert "31/12/2025" in shown


def test_row_count_in_the_pages_language_and_embed_translated(portal):
    package, resource = _resource(portal)
    rows = portal.action("datastore_search", {"resource_id": resource["id"], "limit": 0},
                         token=None)["total"]
    vi = _page(portal, f"/dataset/{EXAMPLE}")
    en = _page(portal, f"/en/dataset/{EXAMPLE}")
    shown = f"{rows:,}".replace(",", ".")
    assert f"{shown} dòng" in vi and "rows / dòng" not in vi
    assert f"{rows:,} rows" in en and "rows / dòng" not in en
    view = _page(portal, f"/dataset/{EXAMPLE}/resource/{resource['id']}")
    assert "Đã được gắn" not in view
    if "embed" in view.lower():
        assert "Nhúng" in view


def test_icd10_facet_labels_are_whole(portal):
    page = _page(portal, "/en/health/")
    labels = re.findall(r'<span class="item-label">([^<]*)</span>', page)
    chapters = [label for label in labels if re.match(r"[IVX]+ —", label.strip())]
    assert chapters, labels
    assert not any(label.strip().endswith(("...", "…")) for label in chapters), chapters
    assert any("Diseases of the" in label for label in chapters), chapters
