"""Finding 3 of issue 19: the privacy gate decided by a file's *name*. A CSV of citizen IDs
refused as ``.csv`` was stored and downloadable as ``pii.dat``, ``pii.json`` or
``pii.CSV.txt2`` with an empty format. Now every upload and link of a city dataset is
sniffed by content: what parses as a table is checked whatever its name; PDF and images are
stored; anything else is refused. Real files, the real actions, a real loopback server for
links."""
from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook
from werkzeug.datastructures import FileStorage

import ckan.plugins.toolkit as tk
from ckan.tests import factories, helpers

from file_server import FileServer  # tests/file_server.py

PLUGINS = "smartcity scheming_datasets scheming_organizations scheming_groups datastore"
pytestmark = [pytest.mark.ckan_config("ckan.plugins", PLUGINS),
              pytest.mark.usefixtures("with_plugins", "clean_datastore", "clean_index")]

PEOPLE = [("20194", "Nguyễn Văn An", "048095001234"), ("20197", "Trần Thị Bình", "048196004321"),
          ("20200", "Lê Văn Cường", "048097005678")]
VALUES = ("048095001234", "048196004321", "Nguyễn Văn An", "Trần Thị Bình")


def _csv(delimiter: str = ",") -> bytes:
    lines = [delimiter.join(("ma_xa", "ho_ten", "so_cccd"))]
    lines += [delimiter.join(row) for row in PEOPLE]
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def _records() -> list[dict]:
    return [{"ma_xa": m, "ho_ten": n, "so_cccd": c} for m, n, c in PEOPLE]


def _xml() -> bytes:
    from xml.etree import ElementTree as ET
    root = ET.Element("danh_sach")
    for record in _records():
        row = ET.SubElement(root, "cong_dan")
        for key, value in record.items():
            ET.SubElement(row, key).text = value
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def _geojson() -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [108.2, 16.05]},
         "properties": record} for record in _records()]}, ensure_ascii=False).encode()


def _xlsx() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["ma_xa", "ho_ten", "so_cccd"])
    for row in PEOPLE:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


#: the same people under other names and shapes: each must be refused for its content
DISGUISED = {
    "pii.dat": _csv(),
    "pii.CSV.txt2": _csv(),
    "PII": _csv(";"),
    "pii.txt": _csv("\t"),
    "pii.json": json.dumps(_records(), ensure_ascii=False).encode(),
    "pii-api.json": json.dumps({"data": _records(), "total": 3}, ensure_ascii=False).encode(),
    "pii.xml": _xml(),
    "diem.geojson": _geojson(),
    "bang.pdf.dat": _xlsx(),
}


@pytest.fixture
def dataset(user) -> dict:
    org = factories.Organization()
    return helpers.call_action(
        "package_create", dict(user), type="health", name="ca-benh-noi-dung",
        title="Ca bệnh", owner_org=org["id"], update_frequency="annual",
        admin_units=["20194"], data_classification="open", personal_data="aggregated",
        min_cell_size=10, temporal_start="2025-07-01", temporal_end="2025-12-31")


def _files(storage: Path) -> list[str]:
    return sorted(str(p.relative_to(storage)) for p in storage.rglob("*") if p.is_file())


def _refused(call, field: str, *parts: str) -> str:
    with pytest.raises(tk.ValidationError) as err:
        call()
    errors = err.value.error_dict
    assert set(errors) == {field}, errors
    text = str(errors)
    for part in parts:
        assert part in text, (part, text)
    for value in VALUES:
        assert value not in text
    return text


@pytest.mark.parametrize("name", sorted(DISGUISED))
@pytest.mark.parametrize("fmt", ["", "PDF"])
def test_a_table_of_citizen_ids_is_refused_whatever_its_name_or_format(
        storage, user, dataset, name, fmt):
    before = _files(storage)
    upload = FileStorage(io.BytesIO(DISGUISED[name]), filename=name)
    _refused(lambda: helpers.call_action("resource_create", dict(user),
                                         package_id=dataset["id"], name="x", format=fmt,
                                         upload=upload), "upload", name, "so_cccd")
    assert _files(storage) == before
    assert helpers.call_action("package_show", id=dataset["id"])["resources"] == []


def test_clean_tables_in_other_shapes_pass(storage, user, dataset):
    clean = [{"ma_xa": "20194", "nam": 2025, "so_giuong": 120},
             {"ma_xa": "20197", "nam": 2025, "so_giuong": 85}]
    for name, data in (("giuong.json", json.dumps(clean).encode()),
                       ("giuong.dat", b"ma_xa,nam,so_giuong\r\n20194,2025,120\r\n")):
        resource = helpers.call_action("resource_create", dict(user), package_id=dataset["id"],
                                       name=name, upload=FileStorage(io.BytesIO(data),
                                                                     filename=name))
        assert resource["url_type"] == "upload"
    assert len(_files(storage)) == 2


def _png() -> bytes:
    import struct
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (struct.pack(">I", len(body)) + kind + body
                + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF))
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", pixels) + chunk(b"IEND", b""))


def _zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("pii.csv", _csv())
    return out.getvalue()


def test_only_allow_listed_other_kinds_are_stored(storage, user, dataset):
    pdf = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
    for name, data in (("bao-cao.pdf", pdf), ("ban-do.png", _png())):
        helpers.call_action("resource_create", dict(user), package_id=dataset["id"],
                            name=name, upload=FileStorage(io.BytesIO(data), filename=name))
    stored = _files(storage)
    assert len(stored) == 2
    refused = {"goi.zip": (_zip(), "ZIP"),
               "chuong-trinh.exe": (b"MZ\x90\x00\x03" + bytes(range(256)) * 8, "not accepted"),
               "trang.html": (b"<!DOCTYPE html><html><body>x</body></html>", "HTML"),
               "anh.svg": (b'<svg xmlns="http://www.w3.org/2000/svg"><script>1</script></svg>',
                           "SVG"),
               "cu.dat": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), "XLSX")}
    for name, (data, part) in refused.items():
        _refused(lambda: helpers.call_action(
            "resource_create", dict(user), package_id=dataset["id"], name=name,
            upload=FileStorage(io.BytesIO(data), filename=name)), "upload", name, part)
    assert _files(storage) == stored


def test_a_linked_file_is_checked_by_content_whatever_its_name(user, dataset):
    with FileServer() as files:
        for name in ("pii.dat", "pii.CSV.txt2", "pii"):
            url = files.put(name, DISGUISED["pii.dat"].decode())
            _refused(lambda: helpers.call_action("resource_create", dict(user),
                                                 package_id=dataset["id"], name=name,
                                                 url=url, format=""), "url", "so_cccd")
        url = files.put("pii.json", DISGUISED["pii.json"].decode())
        _refused(lambda: helpers.call_action("resource_create", dict(user),
                                             package_id=dataset["id"], name="j", url=url,
                                             format="JSON"), "url", "so_cccd")
    assert helpers.call_action("package_show", id=dataset["id"])["resources"] == []
