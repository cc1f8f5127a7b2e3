"""A file uploaded to a city dataset as a table source (:class:`~ckanext.smartcity.
pipeline.source.TableSource`): what the upload loader hands to
:func:`ckanext.smartcity.pipeline.prepare.prepare` (no CKAN imports).

The file, copied out of storage into a private folder, is read once by the harvest's file
reader (:class:`~ckanext.smartcity.readers.file.FileReader`: encoding and delimiter
detected, types inferred, a value that does not fit its column is an error naming the line
and the column). Messages name the file (``"ca_benh.csv: …"``); the columns get the
dictionary of :mod:`ckanext.smartcity.privacy.dictionary`; the privacy policy is the dataset's
(:func:`~ckanext.smartcity.privacy.checkpoint.policy_for`: the type's k, ``min_cell_size``,
``count_columns``, ``quasi_identifiers``) resolved to the file's header.
"""
from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

from ckanext.smartcity.pipeline import mapping
from ckanext.smartcity.pipeline.source import TableSource
from ckanext.smartcity.privacy import Policy
from ckanext.smartcity.privacy.checkpoint import policy_for
from ckanext.smartcity.readers.base import Column, ReaderError, Table
from ckanext.smartcity.readers.file import FileReader
from ckanext.smartcity.privacy import dictionary

__all__ = ["UploadTable"]


class UploadTable(TableSource):
    """The file ``filename`` in ``folder`` (a private copy of the stored upload), uploaded
    to ``dataset``."""

    unreadable = ("không đọc được tệp", "the file could not be read")

    def __init__(self, folder: Path, filename: str, dataset: dict[str, Any]) -> None:
        self.folder = folder
        self.filename = filename
        self.dataset = dataset
        self.where = filename
        self.owner_org = dataset.get("owner_org") or ""
        self.spec = {"name": dataset["name"], "dataset_type": dataset["type"],
                     "file": filename}

    def open(self, batch_size: int) -> AbstractContextManager[Table]:
        reader = FileReader(self.folder.as_uri(), {}, file_roots=str(self.folder))
        return reader.read(self.spec, batch_size=batch_size)

    def plan(self, columns: Sequence[Column]) -> mapping.ColumnPlan:
        # every column, in order, with its id and labels from the header
        self.spec["columns"] = dictionary.columns_spec([c.name for c in columns])
        return super().plan(columns)

    def policy(self, plan: mapping.ColumnPlan) -> Policy:
        return policy_for(self.dataset, plan.source_names)

    def cause(self, err: ReaderError) -> str:
        # the reader names the file first; the message already starts with it
        prefix = f"{self.filename}: "
        return err.cause[len(prefix):] if err.cause.startswith(prefix) else err.cause
