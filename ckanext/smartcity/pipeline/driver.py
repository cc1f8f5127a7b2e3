"""A table that becomes a dataset of its own (a harvest source's dataset spec, later a
sensor feed): prepare → compare → publish.

Nothing is written before the privacy checkpoint has seen every row
(:func:`.prepare.prepare`) and the content hash has been compared with what is published;
an unchanged table writes nothing at all. Errors are :class:`~.prepare.ImportFailure`
whose message starts with the source's name (``source.where``), never a secret and never a
row value.
"""
from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Callable
from typing import Any

from ckanext.smartcity.pipeline import mapping, spool
from ckanext.smartcity.pipeline.datastore import DataStoreLoadError
from ckanext.smartcity.pipeline.prepare import ImportFailure, Prepared, prepare
from ckanext.smartcity.pipeline.publish import (PublishError, Table, find_dataset,
                                                find_summary, is_complete, publish,
                                                published_rows, schema_fields,
                                                stored_value)
from ckanext.smartcity.pipeline.source import TableSource

__all__ = ["import_table", "STREAM_NEW_TABLES"]

log = logging.getLogger(__name__)
#: stream a new dataset's rows into the DataStore while its CSV is written: measured slower on
#: the 2-core machine (README, Performance), so off; tests and `bench/ingest.py --stream` turn it on
STREAM_NEW_TABLES = False


def _owned(existing: dict[str, Any], source: TableSource, known_ids: set[str]) -> bool:
    # provenance can be lost when someone edits the dataset in the web form; the
    # harvest objects of this guid still say which dataset this source made
    if existing["id"] in known_ids:
        return True
    return (stored_value(existing, "harvest_source") == source.origin_id
            and existing.get("owner_org") == source.owner_org)


def _failed(source: TableSource, err: Exception) -> ImportFailure:
    return ImportFailure(f"{source.where}: công bố thất bại, dữ liệu đã công bố giữ nguyên "
                         f"/ publishing failed, nothing published changed: {err}")


def import_table(source: TableSource, *, batch_size: int,
                 known_ids: set[str] | None = None,
                 before_write: Callable[[str], None] | None = None,
                 defer_index: bool = False) -> tuple[str, str | None]:
    """Import one table as its dataset; ``("unchanged", id)``, ``("published", id)``.

    ``known_ids``: ids of datasets earlier harvest objects of this guid published.
    ``before_write``: called with the dataset id (chosen here for a new dataset) just
    before the dataset is written, in the same database transaction — the harvester links
    its harvest object there so that the dataset is indexed with its harvest source.
    ``defer_index``: no Solr commit for this dataset (see :func:`publish.publish`).

    :raises ImportFailure: naming the source and the cause; nothing was written.
    """
    spec = source.spec
    fields = schema_fields(spec["dataset_type"])
    # decide from a light database read; the full dataset (package_show) only when
    # something is published
    existing = find_summary(spec["name"])
    if existing is not None and not _owned(existing, source, known_ids or set()):
        raise ImportFailure(f"{source.where}: tên này đã thuộc một bộ dữ liệu khác, không "
                            f"thay đổi gì / the name is taken by a dataset this source "
                            f"did not harvest; nothing changed")
    previous_rows = None
    if existing is not None and existing.get("state") == "active":
        previous_rows = published_rows(existing)  # never 0 for "unknown"
    # a new dataset: its rows go to the DataStore while the CSV is written (nothing to
    # compare them with, so no load can be wasted on an unchanged table)
    try:
        prepared = prepare(source, batch_size=batch_size, previous_rows=previous_rows,
                           stream=existing is None and STREAM_NEW_TABLES)
    except DataStoreLoadError as err:
        raise _failed(source, err) from None
    try:
        return _publish_prepared(prepared, source, existing, fields, before_write,
                                 defer_index)
    finally:
        prepared.close()


def _publish_prepared(prepared: Prepared, source: TableSource,
                      existing: dict[str, Any] | None, fields: set[str] | None,
                      before_write: Callable[[str], None] | None,
                      defer_index: bool) -> tuple[str, str | None]:
    spec = source.spec
    metadata = mapping.build_dataset(spec, source.defaults, prepared.derived,
                                     owner_org=source.owner_org, schema_fields=fields)
    content_hash = spool.content_hash(metadata, prepared.plan.describe(),
                                      prepared.csv.sha256, prepared.privacy)
    if (existing is not None and existing.get("state") == "active"
            and is_complete(existing)
            and stored_value(existing, "content_hash") == content_hash):
        return "unchanged", existing["id"]
    provenance = {
        "harvest_source": source.origin_id,
        "harvested_at": dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat(),
        "content_hash": content_hash,
        "privacy_report": prepared.privacy,
        "row_count": str(prepared.csv.rows),
    }
    if existing is not None:
        existing = find_dataset(existing["id"], source.user)
    dataset = mapping.with_provenance(metadata, provenance, fields)
    if existing is None:
        dataset["id"] = str(uuid.uuid4())
    if before_write is not None:
        before_write(existing["id"] if existing is not None else dataset["id"])
    table = Table(prepared.csv.path, f"{spec['name']}.csv", prepared.plan.datastore_fields(),
                  prepared.csv.sha256, prepared.csv.rows, streamed=prepared.streamed)
    try:
        package_id = publish(dataset, table, source.user, existing, defer_index=defer_index)
    except (PublishError, DataStoreLoadError) as err:
        raise _failed(source, err) from None
    log.info("%s: dataset published (%d rows)", source.where, prepared.csv.rows)
    return "published", package_id
