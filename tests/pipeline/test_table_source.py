"""A new way in is one table source class: the pipeline's `prepare` reads it once, checks
every row with the privacy checkpoint and words every message with the source's own name —
no caller rewrites another's words (issue 21). The source here is the smallest one a new
feed would write: a folder of CSV files read by the real file reader."""
from __future__ import annotations

from pathlib import Path

import pytest

from ckanext.smartcity.pipeline.prepare import ImportFailure, prepare
from ckanext.smartcity.pipeline.source import TableSource
from ckanext.smartcity.privacy.checkpoint import policy_for
from ckanext.smartcity.readers.file import FileReader

CCCD = ["079190001234", "048085004321", "001199012345", "092301006789"]


class FolderFeed(TableSource):
    """A made-for-the-test way in: the newest ``<name>.csv`` of a folder."""

    unreadable = ("không đọc được nguồn cảm biến", "the sensor feed could not be read")

    def __init__(self, folder: Path, name: str, dataset: dict) -> None:
        self.folder = folder
        self.dataset = dataset
        self.where = f"Trạm quan trắc Hải Châu: {name}"
        self.spec = {"name": name, "dataset_type": dataset["type"], "file": f"{name}.csv"}
        self.opened = 0

    def open(self, batch_size: int):
        self.opened += 1
        reader = FileReader(self.folder.as_uri(), {}, file_roots=str(self.folder))
        return reader.read(self.spec, batch_size=batch_size)

    def policy(self, plan):
        return policy_for(self.dataset, plan.source_names)


def _write(folder: Path, name: str, text: str) -> None:
    (folder / f"{name}.csv").write_text(text, encoding="utf-8")


HEALTH = {"type": "health", "count_columns": "so_ca"}


def test_a_new_source_goes_through_prepare_once_with_small_counts_suppressed(tmp_path):
    _write(tmp_path, "ca-benh", "ma_xa,so_ca\r\n20194,3\r\n20197,40\r\n20200,12\r\n")
    feed = FolderFeed(tmp_path, "ca-benh", HEALTH)
    prepared = prepare(feed, batch_size=2)
    try:
        assert feed.opened == 1
        assert prepared.csv.rows == 3
        lines = Path(prepared.csv.path).read_text(encoding="utf-8-sig").splitlines()
        # 3 < k hidden, and the next smallest too, so the column's total does not reveal it
        assert lines == ["ma_xa,so_ca", "20194,", "20197,40", "20200,"]
        assert prepared.privacy["count_columns"] == ["so_ca"]
    finally:
        prepared.close()


def test_its_refusals_and_read_errors_are_worded_by_the_source(tmp_path):
    rows = "".join(f"{c},{20194 + i}\r\n" for i, c in enumerate(CCCD * 5))
    _write(tmp_path, "dan-cu", "so_cccd,ma_xa\r\n" + rows)
    with pytest.raises(ImportFailure) as refused:
        prepare(FolderFeed(tmp_path, "dan-cu", {"type": "health"}), batch_size=100)
    message = str(refused.value)
    assert message.startswith("Trạm quan trắc Hải Châu: dan-cu: "), message
    assert refused.value.refused and refused.value.privacy
    assert not any(c in message for c in CCCD)

    _write(tmp_path, "ca-benh", "ma_xa,so_ca\r\n20194,13\r\n20197,14,99\r\n")
    with pytest.raises(ImportFailure) as unreadable:
        prepare(FolderFeed(tmp_path, "ca-benh", HEALTH), batch_size=100)
    message = str(unreadable.value)
    assert message.startswith("Trạm quan trắc Hải Châu: ca-benh: không đọc được nguồn cảm "
                              "biến / the sensor feed could not be read: "), message
    assert "hệ thống nguồn" not in message and str(tmp_path) not in message
    assert not unreadable.value.privacy


def test_a_policy_that_does_not_fit_the_table_is_a_privacy_refusal(tmp_path):
    _write(tmp_path, "ca-benh", "ma_xa,so_ca\r\n20194,13\r\n")
    with pytest.raises(ImportFailure) as err:
        prepare(FolderFeed(tmp_path, "ca-benh", {"type": "health", "count_columns": "so_chet"}),
                batch_size=100)
    assert err.value.privacy and not err.value.refused
    assert str(err.value).startswith("Trạm quan trắc Hải Châu: ca-benh: ")
    assert "so_chet" in str(err.value)
