"""Finding 5 and part of 8 of issue 19: uploads exhausted the workers. A 300 KB XLSX with one
300 MB cell, a shared-strings bomb, a 200 MB one-line CSV (quadratic line splitting), a CSV
of 100k columns; invalid UTF-8 loaded as mojibake; NUL bytes failed with "PostgreSQL error
22021". Every limit is now checked while streaming, with bounded memory, and each refusal
names the file and the limit. The bombs are built here with openpyxl and zipfile (a few
hundred KB on disk each) and go through the real upload path."""
from __future__ import annotations

import io
import tracemalloc
from pathlib import Path

import pytest
from werkzeug.datastructures import FileStorage

import ckan.plugins.toolkit as tk
from ckan.tests import factories, helpers

from ckanext.smartcity.privacy.content import check_content
from ckanext.smartcity.readers.formats import _decoded_lines
from ckanext.smartcity.readers.limits import DEFAULT_LIMITS, MIB, Limits

from .bombs import cell_bomb, strings_bomb

PLUGINS = "smartcity scheming_datasets scheming_organizations scheming_groups datastore"
pytestmark = [pytest.mark.ckan_config("ckan.plugins", PLUGINS),
              pytest.mark.usefixtures("with_plugins", "clean_datastore", "clean_index")]

def _peak(call) -> tuple[object, int]:
    """``call()`` and the peak of Python memory it allocated (tracemalloc)."""
    tracemalloc.start()
    try:
        result = call()
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def _check(path: Path, tmp_path: Path, limits: Limits = DEFAULT_LIMITS):
    work = tmp_path / f"work-{path.name}"
    work.mkdir()
    return check_content(path, {"type": "health"}, path.name, work, limits)


def test_xlsx_with_a_300_mb_cell_is_refused_from_its_declared_size(tmp_path):
    bomb = cell_bomb(tmp_path / "bom.xlsx", 300)
    assert bomb.stat().st_size < 2 * MIB
    checked, peak = _peak(lambda: _check(bomb, tmp_path))
    assert checked.verdict.refused
    assert "bom.xlsx" in checked.verdict.message
    assert "max_xlsx_uncompressed_bytes" in checked.verdict.message
    assert peak < 32 * MIB, peak


@pytest.mark.parametrize("build, megabytes, limit", [
    (cell_bomb, 60, "max_cell_chars"),
    (strings_bomb, 40, "max_shared_strings_bytes"),
])
def test_xlsx_bombs_under_the_declared_total_are_refused_while_inflating(
        tmp_path, build, megabytes, limit):
    bomb = build(tmp_path / "bom.xlsx", megabytes)
    assert bomb.stat().st_size < 2 * MIB
    checked, peak = _peak(lambda: _check(bomb, tmp_path))
    assert checked.verdict.refused and limit in checked.verdict.message
    assert "bom.xlsx" in checked.verdict.message
    assert peak < 32 * MIB, peak  # openpyxl would hold the whole cell / every string


def test_a_one_line_csv_is_refused_with_bounded_memory(tmp_path):
    path = tmp_path / "mot-dong.csv"
    with path.open("wb") as out:
        out.write(b"ma_xa,ghi_chu\n20194,")
        for _ in range(24):
            out.write(b"x" * MIB)
        out.write(b"\n")
    checked, peak = _peak(lambda: _check(path, tmp_path))
    assert checked.verdict.refused
    assert "mot-dong.csv" in checked.verdict.message
    assert "line 2" in checked.verdict.message and "max_line_chars" in checked.verdict.message
    assert peak < 8 * MIB, peak


def test_line_splitting_is_exact_across_chunks():
    text = ("a,b\n" + "x" * 200_000 + ",1\n" + "Đà Nẵng,2\r\n" * 30_000 + "y" * 70_000
            + "\n\n" + "cuối")
    lines = list(_decoded_lines(io.BytesIO(text.encode()), "utf-8"))
    assert "".join(lines) == text and len(lines) == text.count("\n") + 1
    assert all(line.endswith("\n") for line in lines[:-1]) and lines[-1] == "cuối"


@pytest.fixture
def dataset(user) -> dict:
    org = factories.Organization()
    return helpers.call_action(
        "package_create", dict(user), type="health", name="ca-benh-gioi-han",
        title="Ca bệnh", owner_org=org["id"], update_frequency="annual",
        admin_units=["20194"], data_classification="open", personal_data="aggregated",
        min_cell_size=10, temporal_start="2025-07-01", temporal_end="2025-12-31")


def _files(storage: Path) -> list[str]:
    return sorted(str(p.relative_to(storage)) for p in storage.rglob("*") if p.is_file())


def _refused_upload(user, dataset, name: str, data: bytes, *parts: str) -> str:
    with pytest.raises(tk.ValidationError) as err:
        helpers.call_action("resource_create", dict(user), package_id=dataset["id"],
                            name=name, upload=FileStorage(io.BytesIO(data), filename=name))
    text = str(err.value.error_dict)
    assert set(err.value.error_dict) == {"upload"}, text
    for part in (name,) + parts:
        assert part in text, (part, text)
    return text


def _bytes(path: Path) -> bytes:
    return path.read_bytes()


def test_uploads_past_a_limit_are_refused_naming_file_and_limit(storage, user, dataset,
                                                                  tmp_path):
    work = tmp_path.parent / f"{tmp_path.name}-bombs"
    work.mkdir()
    cases = {
        "bom.xlsx": (_bytes(cell_bomb(work / "bom.xlsx", 300)),
                     ("max_xlsx_uncompressed_bytes",)),
        "chuoi.xlsx": (_bytes(strings_bomb(work / "chuoi.xlsx", 40)),
                       ("max_shared_strings_bytes",)),
        "rong.csv": ((",".join(f"c{i}" for i in range(100_000)) + "\n"
                      + ",".join("1" for _ in range(100_000)) + "\n").encode(),
                     ("100000", "max_columns")),
        "o-dai.csv": (b"ma_xa,ghi_chu\n20194," + b"x" * 300_000 + b"\n", ("max_cell_chars",
                                                                           "line 2")),
        "long.json": (b"[" * 5000 + b"]" * 5000, ("max_nesting_depth",)),
        "long.xml": (b"<a>" * 500 + b"</a>" * 500, ("max_nesting_depth",)),
    }
    before = _files(storage)
    for name, (data, parts) in cases.items():
        _refused_upload(user, dataset, name, data, *parts)
    assert _files(storage) == before


def test_invalid_utf8_and_nul_bytes_are_refused_with_file_line_and_remedy(storage, user,
                                                                          dataset):
    good = "ma_xa,ten_xa,so_ca\n20194,Hải Châu,12\n20197,Thanh Khê,30\n".encode()
    before = _files(storage)
    text = _refused_upload(user, dataset, "hong.csv", good + b"20200,S\xffn Tr\xe0,15\n",
                           "line 4", "utf-8", "UTF-8")
    assert "dòng 4" in text
    _refused_upload(user, dataset, "nul.csv", good + b"20200,S\x00n,15\n",
                    "line 4", "NUL", "CSV UTF-8")
    _refused_upload(user, dataset, "nul.dat", b"ma_xa,so_ca\n20194,1\x002\n", "line 2", "NUL")
    assert _files(storage) == before
    # a real Windows-1258 file is still read as Windows-1258
    legacy = (Path(__file__).resolve().parents[1] / "data" / "files"
              / "doanh_nghiep_2024_cp1258.csv").read_bytes()
    helpers.call_action("resource_create", dict(user), package_id=dataset["id"], name="cu",
                        upload=FileStorage(io.BytesIO(legacy), filename="cu.csv"))


@pytest.mark.ckan_config("ckanext.smartcity.uploads.max_upload_bytes", "4096")
def test_the_upload_size_limit_is_read_from_the_config(storage, user, dataset):
    before = _files(storage)
    big = b"ma_xa,so_ca\n" + b"20194,12\n" * 1000
    _refused_upload(user, dataset, "lon.csv", big, "4 KiB", "max_upload_bytes")
    _refused_upload(user, dataset, "lon.pdf", b"%PDF-1.4\n" + bytes(8000), "max_upload_bytes")
    assert _files(storage) == before
    helpers.call_action("resource_create", dict(user), package_id=dataset["id"], name="nho",
                        upload=FileStorage(io.BytesIO(big[:2000].rsplit(b"\n", 1)[0] + b"\n"),
                                           filename="nho.csv"))
