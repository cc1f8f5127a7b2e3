"""FileReader on the real-world sample files in tests/data/files and on a loopback server."""
from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
import tracemalloc
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from ckanext.smartcity.readers import FileReader, ReaderError

from .conftest import FILES, LocalServer


def read_all(reader: FileReader, spec: dict[str, Any], batch_size: int = 5000
             ) -> tuple[list[tuple[str, str]], list[tuple]]:
    with reader.read(spec, batch_size=batch_size) as table:
        columns = [(c.name, c.type) for c in table.columns]
        return columns, [row for batch in table.batches() for row in batch]


def samples() -> FileReader:
    return FileReader(FILES.as_uri(), {}, file_roots=str(FILES))


def test_utf8_comma_with_vietnamese_dates() -> None:
    columns, rows = read_all(samples(), {"file": "truong_hoc_2024_utf8.csv"})
    assert columns[0] == ("ma_xa", "int") and columns[-1] == ("ngay_cap_nhat", "date")
    assert ("ty_le_hoan_thanh_tieu_hoc", "float") in columns
    assert rows[0][:3] == (20194, "Hải Vân", "Phường") and rows[0][-1] == dt.date(2024, 9, 15)
    assert len(rows) == 12


def test_utf8_bom_semicolon_headers_keep_diacritics() -> None:
    columns, rows = read_all(samples(), {"file": "co_so_y_te_2024_bom.csv"})
    assert [c for c, _ in columns] == ["Mã xã", "Tên xã, phường", "Số trạm y tế",
                                        "Số giường bệnh", "Năm"]
    assert rows[1] == (20197, "Phường Liên Chiểu", 1, 8, 2024)


def test_utf16_tab_delimited() -> None:
    columns, rows = read_all(samples(), {"file": "dan_so_*.txt"})
    assert columns[3] == ("Diện tích (km²)", "float")
    assert rows[0][:3] == (20194, "Hải Vân", 25000)


def test_windows_1258_is_detected_and_normalised_to_nfc() -> None:
    raw = (FILES / "doanh_nghiep_2024_cp1258.csv").read_bytes()
    assert b"\xcc" in raw  # the file really uses combining tone marks
    columns, rows = read_all(samples(), {"file": "doanh_nghiep_2024_cp1258.csv"})
    assert columns[0] == ("Mã ngành VSIC", "text")  # leading-zero codes stay text
    assert rows[0][:3] == ("0111", "Trồng lúa", "Hải Vân")
    assert all(unicodedata.is_normalized("NFC", v) for row in rows for v in row
               if isinstance(v, str))
    assert all(unicodedata.is_normalized("NFC", name) for name, _ in columns)


def test_declared_encoding_is_used() -> None:
    _, rows = read_all(samples(), {"file": "doanh_nghiep_2024_cp1258.csv",
                                   "encoding": "windows-1258"})
    assert rows[1][1] == "Nuôi trồng thủy sản nội địa"


def test_wrong_declared_encoding_names_file_and_encoding() -> None:
    with pytest.raises(ReaderError) as caught:
        samples().read({"file": "doanh_nghiep_2024_cp1258.csv", "encoding": "utf-8"})
    assert "doanh_nghiep_2024_cp1258.csv" in str(caught.value)
    assert "cannot be decoded as utf-8" in str(caught.value)


def test_undecodable_bytes_after_the_sample_name_the_line(tmp_path: Path) -> None:
    lines = ["ma_xa,ten_xa"] + [f"{20194 + i},Hải Vân" for i in range(6000)]
    data = ("\n".join(lines) + "\n").encode() + b"20200,H\xff\xfea Kh\xe1nh\n"
    assert len(data) > 64 * 1024
    (tmp_path / "hong.csv").write_bytes(data)
    reader = FileReader(tmp_path.as_uri(), {}, file_roots=str(tmp_path))
    with pytest.raises(ReaderError, match=r"hong.csv: dòng 6002: .* / line 6002: bytes cannot "
                                          r"be decoded as utf-8; save the file again as UTF-8"):
        read_all(reader, {"file": "hong.csv"})


def test_pipe_delimited_trailing_delimiters_and_blank_lines() -> None:
    columns, rows = read_all(samples(), {"file": "chat_luong_khong_khi_pipe.csv"})
    assert columns == [("Trạm quan trắc", "text"), ("Chỉ số AQI", "int"), ("Ngày", "date")]
    assert [r[0] for r in rows] == ["Hải Châu", "Sơn Trà", "Liên Chiểu"]


def test_ragged_rows_name_the_line() -> None:
    with pytest.raises(ReaderError, match="ragged_rows.csv: line 4 has 2 fields, the header has 3"):
        read_all(samples(), {"file": "ragged_rows.csv"})


def test_empty_header_names_the_column_position() -> None:
    with pytest.raises(ReaderError, match="empty_header.csv: column 3 has an empty header"):
        samples().read({"file": "empty_header.csv"})


def test_xlsx_with_title_row_and_sheet() -> None:
    spec = {"file": "truong_hoc_2024_title.xlsx", "sheet": "Số liệu", "header_row": 3}
    columns, rows = read_all(samples(), spec)
    assert columns == [("Mã xã", "int"), ("Tên xã, phường", "text"), ("Số trường", "int"),
                       ("Số học sinh", "int"), ("Tỷ lệ đi học đúng tuổi (%)", "float"),
                       ("Ngày báo cáo", "date"), ("Mã đơn vị báo cáo", "text")]
    assert rows[0] == (20194, "Hải Vân", 4, 2100, 98.0, dt.date(2024, 10, 1), "048")
    assert len(rows) == 12


def test_xlsx_missing_sheet_and_title_row_as_header() -> None:
    with pytest.raises(ReaderError, match="sheet 'Data' not found"):
        samples().read({"file": "truong_hoc_2024_title.xlsx", "sheet": "Data"})
    # without header_row the title row is taken as the header: a clear ragged-row error
    with pytest.raises(ReaderError, match="line 3 has 7 fields, the header has 1"):
        samples().read({"file": "truong_hoc_2024_title.xlsx"})


def test_newest_matching_file_supersedes_older(tmp_path: Path) -> None:
    for name, mtime in [("co_so_y_te_2023.csv", 1_700_000_000),
                        ("co_so_y_te_2024.csv", 1_710_000_000),
                        ("co_so_y_te_2022.csv", 1_690_000_000)]:
        (tmp_path / name).write_text(f"nguon\n{name}\n", encoding="utf-8")
        os.utime(tmp_path / name, (mtime, mtime))
    reader = FileReader(tmp_path.as_uri(), {}, file_roots=str(tmp_path))
    assert read_all(reader, {"file": "co_so_y_te_*.csv"})[1] == [("co_so_y_te_2024.csv",)]
    os.utime(tmp_path / "co_so_y_te_2022.csv", (1_710_000_000, 1_710_000_000))
    assert read_all(reader, {"file": "co_so_y_te_*.csv"})[1] == [("co_so_y_te_2024.csv",)]


def test_no_matching_file_names_glob_and_folder(tmp_path: Path) -> None:
    reader = FileReader(tmp_path.as_uri(), {}, file_roots=str(tmp_path))
    with pytest.raises(ReaderError) as caught:
        reader.read({"file": "benh_vien_*.csv"})
    assert "'benh_vien_*.csv'" in str(caught.value) and str(tmp_path) in str(caught.value)


def test_folder_outside_roots_and_symlink_escape_are_refused(tmp_path: Path) -> None:
    root, outside = tmp_path / "dropbox", tmp_path / "khac"
    root.mkdir()
    outside.mkdir()
    (outside / "bi_mat.csv").write_text("a\n1\n")
    with pytest.raises(ReaderError, match="outside the configured file roots"):
        FileReader(outside.as_uri(), {}, file_roots=str(root)).read({"file": "bi_mat.csv"})
    os.symlink(outside / "bi_mat.csv", root / "bi_mat.csv")
    with pytest.raises(ReaderError, match="outside the configured file roots"):
        FileReader(root.as_uri(), {}, file_roots=str(root)).read({"file": "bi_mat.csv"})
    escape = FileReader(f"{root.as_uri()}/../khac", {}, file_roots=str(root))
    with pytest.raises(ReaderError, match="outside"):
        escape.read({"file": "bi_mat.csv"})


def test_later_value_that_does_not_fit_names_line_and_column(tmp_path: Path) -> None:
    rows = ["ma_xa,so_truong"] + [f"{20194 + i},{i}" for i in range(10)] + ["20300,không rõ"]
    (tmp_path / "t.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    reader = FileReader(tmp_path.as_uri(), {}, file_roots=str(tmp_path))
    with pytest.raises(ReaderError) as caught:
        read_all(reader, {"file": "t.csv"}, batch_size=5)
    assert "line 12, column 'so_truong' does not fit type int" in str(caught.value)
    assert "không rõ" not in str(caught.value)


def test_large_csv_is_streamed_in_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "lon.csv"
    with path.open("w", encoding="utf-8") as out:
        out.write("ma,ten,so\n")
        for i in range(80_000):
            out.write(f"{i + 1},Xã Hòa Vang thôn số {i} {'x' * 100},{i % 97}\n")
    assert path.stat().st_size > 10 * 1024 * 1024
    reader = FileReader(tmp_path.as_uri(), {}, file_roots=str(tmp_path))
    tracemalloc.start()
    try:
        count = 0
        with reader.read({"file": "lon.csv"}, batch_size=2000) as table:
            for batch in table.batches():
                assert len(batch) <= 2000
                count += len(batch)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 80_000
    assert peak < 8 * 1024 * 1024, peak


def test_http_source_downloads_and_cleans_up(http_server: LocalServer) -> None:
    body = (FILES / "co_so_y_te_2024_bom.csv").read_bytes()
    http_server.routes["/drop/co_so_y_te_2024.csv"] = lambda r: (200, {"Content-Type": "text/csv"},
                                                                  body)
    reader = FileReader(http_server.url + "/drop", {"backoff_s": 0.01},
                        allowed_hosts="127.0.0.1")
    before = set(os.listdir(tempfile.gettempdir()))
    columns, rows = read_all(reader, {"file": "co_so_y_te_2024.csv"})
    assert columns[0] == ("Mã xã", "int") and len(rows) == 12
    leftovers = {n for n in set(os.listdir(tempfile.gettempdir())) - before
                 if n.startswith("smartcity-")}
    assert leftovers == set()


def test_http_source_guarded_and_sized(http_server: LocalServer) -> None:
    port = http_server.url.rsplit(":", 1)[1]
    http_server.routes["/drop/a.csv"] = lambda r: (200, {}, b"a\n" + b"1\n" * 5000)
    refused = FileReader(f"http://127.0.0.2:{port}/drop", {}, allowed_hosts="127.0.0.1")
    with pytest.raises(ReaderError, match="refused by the network guard"):
        refused.read({"file": "a.csv"})
    small = FileReader(http_server.url + "/drop", {"max_bytes": 100}, allowed_hosts="127.0.0.1")
    with pytest.raises(ReaderError, match="max_bytes"):
        small.read({"file": "a.csv"})
    missing = FileReader(http_server.url + "/drop", {"max_retries": 0},
                         allowed_hosts="127.0.0.1")
    with pytest.raises(ReaderError, match="HTTP 404"):
        missing.read({"file": "b.csv"})
    assert [r.path for r in http_server.seen] == ["/drop/a.csv", "/drop/b.csv"]


@pytest.mark.parametrize("url, spec, key", [
    ("file:///srv/x", {}, "file"),
    ("file:///srv/x", {"file": "../x.csv"}, "file"),
    ("file:///srv/x", {"file": "a/b.csv"}, "file"),
    ("file:///srv/x", {"file": "a.xls"}, "file"),
    ("http://127.0.0.1/d", {"file": "*.csv"}, "file"),
    ("file:///srv/x", {"file": "a.csv", "encoding": "klingon"}, "encoding"),
    ("file:///srv/x", {"file": "a.csv", "delimiter": ";;"}, "delimiter"),
    ("file:///srv/x", {"file": "a.xlsx", "header_row": 0}, "header_row"),
    ("file:///srv/x", {"file": "a.xlsx", "sheet": 2}, "sheet"),
])
def test_validate_spec(url: str, spec: dict[str, Any], key: str) -> None:
    assert key in FileReader(url, {}).validate_spec(spec)


def test_validate_source_url_forms() -> None:
    assert "url" in FileReader("ftp://127.0.0.1/x", {}).validate_source()
    assert "url" in FileReader("file://otherhost/srv", {}).validate_source()
    assert FileReader("file:///srv/dropbox/syt", {}).validate_source() == {}


def test_copy_of_sample_in_nested_root(tmp_path: Path) -> None:
    """Roots may hold department folders; the URL may point below the root."""
    folder = tmp_path / "dropbox" / "sgddt"
    folder.mkdir(parents=True)
    shutil.copy(FILES / "truong_hoc_2024_utf8.csv", folder / "truong_hoc.csv")
    reader = FileReader(folder.as_uri(), {}, file_roots=str(tmp_path / "dropbox"))
    assert len(read_all(reader, {"file": "truong_hoc.csv"})[1]) == 12
