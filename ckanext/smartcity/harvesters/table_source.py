"""A harvest source's dataset spec as a table source (:class:`~ckanext.smartcity.pipeline.
source.TableSource`): what the harvester hands to :func:`ckanext.smartcity.pipeline.driver.
import_table`.

Messages name the table ``"<source title>: <dataset name>"`` (never the source's URL or
connection string); the privacy policy is the spec's ``privacy`` block with the dataset's
``min_cell_size``, resolved to the source's columns (errors name ``privacy.<key>``).
"""
from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any

from ckanext.smartcity.pipeline import mapping
from ckanext.smartcity.pipeline.source import TableSource
from ckanext.smartcity.privacy import Policy
from ckanext.smartcity.privacy.resolve import resolve_policy
from ckanext.smartcity.readers.base import Reader, ReaderError, Table

__all__ = ["Source", "HarvestTable"]


@dataclass
class Source:
    """The harvest source as the import needs it."""

    id: str
    name: str
    owner_org: str
    config: dict[str, Any]
    user: str


class HarvestTable(TableSource):
    """One dataset spec of a harvest source, read by the source's reader."""

    def __init__(self, reader: Reader, spec: dict[str, Any], source: Source) -> None:
        self.reader = reader
        self.spec = spec
        self.where = f"{source.name}: {spec['name']}"
        self.owner_org = source.owner_org
        self.user = source.user
        self.defaults = source.config.get("defaults") or {}
        self.origin_id = source.id

    def open(self, batch_size: int) -> AbstractContextManager[Table]:
        return self.reader.read(self.spec, batch_size=batch_size)

    def policy(self, plan: mapping.ColumnPlan) -> Policy:
        declared = {**self.defaults, **(self.spec.get("fields") or {})}
        policy = Policy.from_spec(self.spec.get("privacy", {}),
                                  dataset_type=self.spec["dataset_type"],
                                  dataset_min_cell_size=declared.get("min_cell_size"))
        return resolve_policy(policy, plan.privacy_columns(), prefix="privacy.")

    def cause(self, err: ReaderError) -> str:
        """A reader's cause with the source's own address cut out (``GET /api/v1/x: …``):
        reports name a source by its title, never by its URL."""
        base = self.reader.source.rstrip("/")
        return err.cause.replace(base, "") if base else err.cause
