"""The import of one dataset spec: read → map → privacy guard → publish.

Nothing is written before the privacy guard has seen every row and the content hash
has been compared with what is published; an unchanged table writes nothing at all.
Errors are :class:`ImportFailure` whose message names the source and the cause,
never a secret and never a row value.
"""
from __future__ import annotations

import datetime as dt
import logging
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from ckanext.smartcity.pipeline import mapping, spool
from ckanext.smartcity.pipeline.datastore import DataStoreLoadError, start_stream
from ckanext.smartcity.pipeline.publish import (PublishError, Table, find_dataset,
                                                find_summary, is_complete, publish,
                                                published_rows, schema_fields,
                                                stored_value)
from ckanext.smartcity.privacy import Policy, PrivacyError
from ckanext.smartcity.privacy.checkpoint import TableCheck
from ckanext.smartcity.privacy.microdata import refusal_text
from ckanext.smartcity.privacy.resolve import resolve_policy
from ckanext.smartcity.readers.base import Reader, ReaderError

__all__ = ["ImportFailure", "Source", "Prepared", "prepare", "import_spec"]

log = logging.getLogger(__name__)
PROGRESS_EVERY_S = 10.0
#: stream a new dataset's rows into the DataStore while its CSV is written: measured slower on
#: the 2-core machine (README, Performance), so off; tests and `bench/ingest.py --stream` turn it on
STREAM_NEW_TABLES = False


class ImportFailure(Exception):
    """A spec could not be published; nothing already published was changed.

    ``refused``: when the privacy guard blocked the table, its blocking findings as
    ``[{"column", "detector"}]`` (never a value), for the department report.
    """

    def __init__(self, message: str, refused: list[dict[str, str]] | None = None) -> None:
        super().__init__(message)
        self.refused = refused or []


@dataclass
class Source:
    """The harvest source as the importer needs it."""

    id: str
    name: str
    owner_org: str
    config: dict[str, Any]
    user: str


@dataclass
class Prepared:
    """A spec read, checked and spooled, ready to compare and publish."""

    dataset: dict[str, Any]
    csv: spool.CsvSpool
    plan: mapping.ColumnPlan
    privacy: dict[str, Any]
    content_hash: str
    #: the DataStore table being filled from the published rows (a new dataset), or None
    streamed: Any = None


def _batches(table: Any, name: str, source: str) -> Iterator[list[tuple[Any, ...]]]:
    started = last = time.monotonic()
    rows = 0
    for batch in table.batches():
        rows += len(batch)
        now = time.monotonic()
        if now - last >= PROGRESS_EVERY_S:
            last = now
            log.info("%s: %s: %d rows read (%.0f rows/s)", source, name, rows,
                     rows / max(now - started, 1e-6))
        yield batch


def _relative(cause: str, reader: Reader) -> str:
    """A reader's cause with the source's own address cut out (``GET /api/v1/x: …``):
    reports name a source by its title, never by its URL."""
    base = reader.source.rstrip("/")
    return cause.replace(base, "") if base else cause


def _publishable(raw: spool.RawSpool, report: Any, plan: mapping.ColumnPlan,
                 where: str, streamed: Any = None
                 ) -> tuple[spool.CsvSpool, mapping.Derived]:
    """Replay the spooled rows with the guard's suppressions into the published CSV,
    deriving fields from the published rows on the way (one pass, batch by batch).

    ``streamed``: a ``StreamedLoad`` that also gets every written batch (the guard has
    passed the whole table before this runs; the rows are the suppressed ones)."""
    derived = mapping.Derived(plan.names)
    writer = spool.CsvWriter(plan.names,
                             on_lines=streamed.feed if streamed is not None else None)
    try:
        first = 0
        for batch in raw.batches():
            published = report.apply_batch(first, batch)
            first += len(batch)
            derived.add_batch(published)
            writer.write(published)
    except PrivacyError as err:
        writer.discard()
        raise ImportFailure(f"{where}: {err}") from None
    except BaseException:
        writer.discard()
        raise
    return writer.finish(), derived


def prepare(reader: Reader, spec: dict[str, Any], source: Source, *, batch_size: int,
            previous_rows: int | None = None,
            fields: set[str] | None = None, stream: bool = False) -> Prepared:
    """Read ``spec`` from ``reader``, run the privacy guard and spool the CSV.

    ``stream``: once the guard has passed the whole table, load the published rows into a
    new DataStore table while the CSV is written (``Prepared.streamed``; uncommitted
    until published, rolled back on any failure).

    :raises ImportFailure: source unreachable/malformed, privacy block, empty table.
    """
    # named by the source's title and the dataset: never a URL or connection string
    where = f"{source.name}: {spec['name']}"
    try:
        declared = {**(source.config.get("defaults") or {}), **(spec.get("fields") or {})}
        policy = Policy.from_spec(spec.get("privacy", {}), dataset_type=spec["dataset_type"],
                                  dataset_min_cell_size=declared.get("min_cell_size"))
    except PrivacyError as err:
        raise ImportFailure(f"{where}: {err}") from None
    raw = spool.RawSpool()
    try:
        try:
            with reader.read(spec, batch_size=batch_size) as table:
                plan = mapping.ColumnPlan.build(spec, table.columns)
                policy = resolve_policy(policy, plan.privacy_columns(), prefix="privacy.")
                check = TableCheck(plan.source_names, policy, where)
                width = len(table.columns)
                for batch in _batches(table, spec["name"], reader.source):
                    selected = plan.select_batch(batch, width)
                    check.scan(selected)
                    raw.write(selected)
        except ReaderError as err:
            raise ImportFailure(f"{where}: không đọc được hệ thống nguồn / the source "
                                f"could not be read: {_relative(err.cause, reader)}"
                                ) from None
        except (mapping.PlanError, PrivacyError) as err:
            raise ImportFailure(f"{where}: {err}") from None
        except Exception as err:  # noqa: BLE001 - any reader failure is a source failure
            log.error("%s: reading failed (%s)", where, type(err).__name__)
            raise ImportFailure(f"{where}: không đọc được hệ thống nguồn / reading failed "
                                f"({type(err).__name__})") from None
        verdict, report = check.finish()
        if verdict.refused:
            found = "; ".join(str(f) for f in report.blocking
                              if not f.detector.startswith("microdata:"))
            if report.microdata is not None and report.microdata.blocked:
                found = "; ".join(filter(None, (found, refusal_text(report.microdata))))
            raise ImportFailure(f"{where}: bộ lọc bảo vệ dữ liệu cá nhân đã chặn, không "
                                f"công bố / not published, the privacy guard blocked it: "
                                f"{found}", refused=[{"column": f.column,
                                                      "detector": f.detector}
                                                     for f in report.blocking])
        if raw.rows == 0 and previous_rows and not spec.get("allow_empty"):
            raise ImportFailure(f"{where}: nguồn không trả về dòng nào, giữ nguyên "
                                f"{previous_rows} dòng đã công bố / the source returned no "
                                f"rows but {previous_rows} are published; kept the published "
                                f"rows (set allow_empty: true to publish an empty table)")
        streamed = start_stream(plan.datastore_fields()) if stream and raw.rows else None
        try:
            csv, derived = _publishable(raw, report, plan, where, streamed)
        except BaseException:
            if streamed is not None:
                streamed.abort()
            raise
    finally:
        raw.close()
    try:
        dataset = mapping.build_dataset(spec, source.config.get("defaults") or {},
                                        derived.fields(), owner_org=source.owner_org,
                                        schema_fields=fields)
        privacy = report.to_metadata()
        digest = spool.content_hash(dataset, plan.describe(), csv.sha256, privacy)
    except BaseException:
        csv.close()
        if streamed is not None:
            streamed.abort()
        raise
    return Prepared(dataset, csv, plan, privacy, digest, streamed)


def _owned(existing: dict[str, Any], source: Source, known_ids: set[str]) -> bool:
    # provenance can be lost when someone edits the dataset in the web form; the
    # harvest objects of this guid still say which dataset this source made
    if existing["id"] in known_ids:
        return True
    return (stored_value(existing, "harvest_source") == source.id
            and existing.get("owner_org") == source.owner_org)


def import_spec(reader: Reader, spec: dict[str, Any], source: Source, *,
                batch_size: int, known_ids: set[str] | None = None,
                before_write: Callable[[str], None] | None = None,
                defer_index: bool = False) -> tuple[str, str | None]:
    """Import one spec; ``("unchanged", id)``, ``("published", id)``.

    ``known_ids``: ids of datasets earlier harvest objects of this guid published.
    ``before_write``: called with the dataset id (chosen here for a new dataset) just
    before the dataset is written, in the same database transaction — the harvester links
    its harvest object there so that the dataset is indexed with its harvest source.
    ``defer_index``: no Solr commit for this dataset (see :func:`publish.publish`).

    :raises ImportFailure: naming the source and the cause; nothing was written.
    """
    fields = schema_fields(spec["dataset_type"])
    # decide from a light database read; the full dataset (package_show) only when
    # something is published
    existing = find_summary(spec["name"])
    if existing is not None and not _owned(existing, source, known_ids or set()):
        raise ImportFailure(f"{source.name}: {spec['name']}: tên này đã thuộc một bộ dữ "
                            f"liệu khác, không thay đổi gì / the name is taken by "
                            f"a dataset this source did not harvest; nothing changed")
    previous_rows = None
    if existing is not None and existing.get("state") == "active":
        previous_rows = published_rows(existing)  # never 0 for "unknown"
    # a new dataset: its rows go to the DataStore while the CSV is written (nothing to
    # compare them with, so no load can be wasted on an unchanged table)
    try:
        prepared = prepare(reader, spec, source, batch_size=batch_size,
                           previous_rows=previous_rows, fields=fields,
                           stream=existing is None and STREAM_NEW_TABLES)
    except DataStoreLoadError as err:
        raise ImportFailure(f"{source.name}: {spec['name']}: công bố thất bại, dữ liệu "
                            f"đã công bố giữ nguyên / publishing failed, nothing "
                            f"published changed: {err}") from None
    try:
        return _publish_prepared(prepared, spec, source, existing, fields, before_write,
                                 defer_index)
    finally:
        if prepared.streamed is not None:
            prepared.streamed.abort()  # no-op once finished


def _publish_prepared(prepared: Prepared, spec: dict[str, Any], source: Source,
                      existing: dict[str, Any] | None, fields: set[str] | None,
                      before_write: Callable[[str], None] | None,
                      defer_index: bool) -> tuple[str, str | None]:
    with prepared.csv:
        if (existing is not None and existing.get("state") == "active"
                and is_complete(existing)
                and stored_value(existing, "content_hash") == prepared.content_hash):
            return "unchanged", existing["id"]
        provenance = {
            "harvest_source": source.id,
            "harvested_at": dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
            .isoformat(),
            "content_hash": prepared.content_hash,
            "privacy_report": prepared.privacy,
            "row_count": str(prepared.csv.rows),
        }
        if existing is not None:
            existing = find_dataset(existing["id"], source.user)
        dataset = mapping.with_provenance(prepared.dataset, provenance, fields)
        if existing is None:
            dataset["id"] = str(uuid.uuid4())
        if before_write is not None:
            before_write(existing["id"] if existing is not None else dataset["id"])
        table = Table(prepared.csv.path, f"{spec['name']}.csv",
                      prepared.plan.datastore_fields(), prepared.csv.sha256,
                      prepared.csv.rows, streamed=prepared.streamed)
        try:
            package_id = publish(dataset, table, source.user, existing,
                                 defer_index=defer_index)
        except (PublishError, DataStoreLoadError) as err:
            raise ImportFailure(f"{source.name}: {spec['name']}: công bố thất bại, dữ liệu "
                                f"đã công bố giữ nguyên / publishing failed, nothing "
                                f"published changed: {err}") from None
    log.info("%s: dataset %s published (%d rows)", source.name, spec["name"],
             prepared.csv.rows)
    return "published", package_id
