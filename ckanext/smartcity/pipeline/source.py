"""A table source: one way a table comes into the portal (no CKAN imports).

The pipeline (:func:`ckanext.smartcity.pipeline.prepare.prepare`, then
:mod:`.publish`) reads every table the same way — open, plan the columns, check every row
with the privacy checkpoint, spool the published CSV — whatever brought it: a harvest
source's dataset spec (:class:`ckanext.smartcity.harvesters.table_source.HarvestTable`), a
file uploaded to a dataset (:class:`ckanext.smartcity.uploads.table_source.UploadTable`),
later a sensor feed. What differs is said by the source itself: its name in messages, how
its reader is opened, the privacy policy of its table. No caller rewrites another's words.
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from contextlib import AbstractContextManager
from typing import Any

from ckanext.smartcity.pipeline import mapping
from ckanext.smartcity.privacy import Policy
from ckanext.smartcity.readers.base import Column, ReaderError, Table

__all__ = ["TableSource"]


class TableSource(ABC):
    """One table to read, check and publish.

    ``where``: how every message names the table — ``"Sở Y tế: ca-benh"`` (harvest source
    title and dataset), ``"ca_benh.csv"`` (an upload) — never a URL, path or secret.
    ``spec``: the table's spec as :class:`~.mapping.ColumnPlan` and
    :func:`~.mapping.build_dataset` read it (``name``, ``dataset_type``, ``columns``, …).

    A source whose table becomes a dataset of its own (:func:`.driver.import_table`) also
    sets ``owner_org``, ``user`` (the writer), ``defaults`` (dataset fields) and
    ``origin_id`` (stored as the dataset's ``harvest_source`` provenance).
    """

    where: str
    spec: dict[str, Any]
    #: (Vietnamese, English) of "could not be read", as this source's messages say it
    unreadable: tuple[str, str] = ("không đọc được hệ thống nguồn",
                                   "the source could not be read")
    owner_org: str = ""
    user: str = ""
    defaults: dict[str, Any] = {}
    origin_id: str = ""

    @abstractmethod
    def open(self, batch_size: int) -> AbstractContextManager[Table]:
        """The table's reader, opened once: columns, then batches of rows.

        :raises ReaderError: (or any exception) the table cannot be read."""

    def plan(self, columns: Sequence[Column]) -> mapping.ColumnPlan:
        """Which columns are published, under which names and labels.

        :raises mapping.PlanError: naming a configured column the table lacks."""
        return mapping.ColumnPlan.build(self.spec, columns)

    @abstractmethod
    def policy(self, plan: mapping.ColumnPlan) -> Policy:
        """The privacy policy of this table, resolved to the plan's source columns.

        :raises PrivacyError: naming the setting or declared column at fault."""

    def cause(self, err: ReaderError) -> str:
        """The reader's cause as this source's messages say it (no address, no path)."""
        return err.cause

    @property
    def allow_empty(self) -> bool:
        """True when an empty table may replace published rows."""
        return bool(self.spec.get("allow_empty"))
