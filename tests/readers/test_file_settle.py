"""Drop files still arriving are never read: a slowly written file, temporary names."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ckanext.smartcity.readers import FileReader, ReaderError
from ckanext.smartcity.readers.file import SETTLING, is_temporary_name

ROWS = 400
# a separate process appends one line every few ms, as an SMB/SFTP upload does
WRITER = r"""
import sys, time
path, rows = sys.argv[1], int(sys.argv[2])
with open(path, "w", encoding="utf-8") as out:
    out.write("ma_xa,nam,so_hoc_sinh\n")
    for i in range(rows):
        out.write(f"{20194 + i},2026,{100 + i}\n")
        out.flush()
        time.sleep(0.005)
"""


def _read(reader: FileReader, pattern: str) -> list[tuple]:
    with reader.read({"file": pattern}) as table:
        return [row for batch in table.batches() for row in batch]


def test_slowly_written_file_is_only_read_once_settled(tmp_path: Path) -> None:
    reader = FileReader(tmp_path.as_uri(), {}, file_roots=str(tmp_path), settle_seconds=1)
    target = tmp_path / "hoc_sinh_2026.csv"
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(target), str(ROWS)])
    try:
        refused = 0
        while writer.poll() is None:
            if target.exists():
                with pytest.raises(ReaderError) as err:
                    _read(reader, "hoc_sinh_*.csv")
                message = str(err.value)
                assert SETTLING in message and "hoc_sinh_2026.csv" in message
                assert "đang chờ" in message and "nothing changed" in message
                refused += 1
            time.sleep(0.2)
        assert writer.returncode == 0
        assert refused >= 3, "the writer finished before the reader could look"
    finally:
        if writer.poll() is None:
            writer.kill()
    time.sleep(1.1)
    rows = _read(reader, "hoc_sinh_*.csv")
    assert len(rows) == ROWS and rows[-1] == (20194 + ROWS - 1, 2026, 100 + ROWS - 1)


def test_settle_zero_reads_at_once(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text("x\n1\n", encoding="utf-8")
    reader = FileReader(tmp_path.as_uri(), {}, file_roots=str(tmp_path))
    assert _read(reader, "*.csv") == [(1,)]


def test_temporary_names() -> None:
    assert all(is_temporary_name(n) for n in (
        ".hoc_sinh_2026.csv", "~$hoc_sinh_2026.xlsx", "hoc_sinh_2026.csv.part",
        "hoc_sinh_2026.csv.crdownload", "hoc_sinh_2026.csv.tmp"))
    assert not any(is_temporary_name(n) for n in ("hoc_sinh_2026.csv", "dat~2025.xlsx"))


@pytest.mark.parametrize("name", [".hoc_sinh_2026.csv", "~$hoc_sinh_2026.csv"])
def test_temporary_names_never_match(tmp_path: Path, name: str) -> None:
    old = tmp_path / "hoc_sinh_2025.csv"
    old.write_text("nam\n2025\n", encoding="utf-8")
    settled = time.time() - 120
    os.utime(old, (settled, settled))
    # the temporary file is newer and matches the glob, yet the finished one is read
    (tmp_path / name).write_text("nam\n2026\n", encoding="utf-8")
    reader = FileReader(tmp_path.as_uri(), {}, file_roots=str(tmp_path), settle_seconds=60)
    assert _read(reader, "*hoc_sinh_*.csv") == [(2025,)]


def test_only_temporary_files_is_no_match(tmp_path: Path) -> None:
    (tmp_path / ".hoc_sinh_2026.csv").write_text("nam\n2026\n", encoding="utf-8")
    reader = FileReader(tmp_path.as_uri(), {}, file_roots=str(tmp_path))
    with pytest.raises(ReaderError, match="no file matches"):
        _read(reader, "*hoc_sinh_*.csv")
