"""Prepare one table from any :class:`~.source.TableSource`: read → map → privacy check →
published CSV (no CKAN writes).

Nothing is published here: the privacy checkpoint (:class:`~ckanext.smartcity.privacy.
checkpoint.TableCheck`) sees every row before the first published row is written, and a
refused or unreadable table raises :class:`ImportFailure` whose message starts with the
source's own name (``source.where``) — never a secret, a path or a row value.
"""
from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ckanext.smartcity.pipeline import mapping, spool
from ckanext.smartcity.pipeline.datastore import start_stream
from ckanext.smartcity.pipeline.source import TableSource
from ckanext.smartcity.privacy import PrivacyError
from ckanext.smartcity.privacy.checkpoint import TableCheck
from ckanext.smartcity.privacy.microdata import refusal_text
from ckanext.smartcity.readers.base import ReaderError
from ckanext.smartcity.readers.published_csv import CsvSpool, CsvWriter

__all__ = ["ImportFailure", "Prepared", "prepare"]

log = logging.getLogger(__name__)
PROGRESS_EVERY_S = 10.0


class ImportFailure(Exception):
    """A table could not be published; nothing already published was changed.

    ``refused``: when the privacy guard blocked the table, its blocking findings as
    ``[{"column", "detector"}]`` (never a value), for the department report.
    ``privacy``: the privacy checkpoint refused the table — its findings (``refused``), or
    a policy that does not fit it (e.g. a declared count column it lacks) — rather than a
    failure to read or publish it.
    """

    def __init__(self, message: str, refused: list[dict[str, str]] | None = None,
                 privacy: bool = False) -> None:
        super().__init__(message)
        self.refused = refused or []
        self.privacy = privacy or bool(self.refused)


@dataclass
class Prepared:
    """A table read, checked and spooled, ready to compare and publish."""

    csv: CsvSpool
    plan: mapping.ColumnPlan
    #: the privacy checkpoint's report (``PrivacyReport.to_metadata()``)
    privacy: dict[str, Any]
    #: fields derived from the published rows (temporal/spatial coverage, …)
    derived: dict[str, Any]
    #: the DataStore table being filled from the published rows (a new dataset), or None
    streamed: Any = None

    def close(self) -> None:
        """Delete the CSV and roll back a streamed load not yet published."""
        self.csv.close()
        if self.streamed is not None:
            self.streamed.abort()  # no-op once finished


def _batches(table: Any, where: str) -> Iterator[list[tuple[Any, ...]]]:
    started = last = time.monotonic()
    rows = 0
    for batch in table.batches():
        rows += len(batch)
        now = time.monotonic()
        if now - last >= PROGRESS_EVERY_S:
            last = now
            log.info("%s: %d rows read (%.0f rows/s)", where, rows,
                     rows / max(now - started, 1e-6))
        yield batch


def _publishable(raw: spool.RawSpool, report: Any, plan: mapping.ColumnPlan,
                 where: str, streamed: Any = None) -> tuple[CsvSpool, mapping.Derived]:
    """Replay the spooled rows with the guard's suppressions into the published CSV,
    deriving fields from the published rows on the way (one pass, batch by batch).

    ``streamed``: a ``StreamedLoad`` that also gets every written batch (the guard has
    passed the whole table before this runs; the rows are the suppressed ones)."""
    derived = mapping.Derived(plan.names)
    writer = CsvWriter(plan.names, on_lines=streamed.feed if streamed is not None else None)
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


def _refusal(where: str, report: Any) -> ImportFailure:
    found = "; ".join(str(f) for f in report.blocking if not f.detector.startswith("microdata:"))
    if report.microdata is not None and report.microdata.blocked:
        found = "; ".join(filter(None, (found, refusal_text(report.microdata))))
    return ImportFailure(f"{where}: bộ lọc bảo vệ dữ liệu cá nhân đã chặn, không công bố / "
                         f"not published, the privacy guard blocked it: {found}",
                         refused=[{"column": f.column, "detector": f.detector}
                                  for f in report.blocking])


def _read(source: TableSource, batch_size: int, raw: spool.RawSpool
          ) -> tuple[mapping.ColumnPlan, TableCheck]:
    """Open the source once; plan, policy and checkpoint from its header; every row
    checked and spooled."""
    where = source.where
    vi, en = source.unreadable
    try:
        with source.open(batch_size) as table:
            plan = source.plan(table.columns)
            try:
                policy = source.policy(plan)
            except PrivacyError as err:
                raise ImportFailure(f"{where}: {err}", privacy=True) from None
            check = TableCheck(plan.source_names, policy, where)
            width = len(table.columns)
            for batch in _batches(table, where):
                selected = plan.select_batch(batch, width)
                check.scan(selected)
                raw.write(selected)
    except ImportFailure:
        raise
    except ReaderError as err:
        raise ImportFailure(f"{where}: {vi} / {en}: {source.cause(err)}") from None
    except (mapping.PlanError, PrivacyError) as err:
        raise ImportFailure(f"{where}: {err}") from None
    except Exception as err:  # noqa: BLE001 - any reader failure is a source failure
        log.error("%s: reading failed (%s)", where, type(err).__name__)
        raise ImportFailure(f"{where}: {vi} / reading failed ({type(err).__name__})"
                            ) from None
    return plan, check


def prepare(source: TableSource, *, batch_size: int, previous_rows: int | None = None,
            stream: bool = False) -> Prepared:
    """Read ``source``, run the privacy checkpoint on every row and spool the CSV.

    ``previous_rows``: rows published now; an empty table does not replace them unless
    the source allows it. ``stream``: once the checkpoint has passed the whole table, load
    the published rows into a new DataStore table while the CSV is written
    (``Prepared.streamed``; uncommitted until published, rolled back on any failure).

    :raises ImportFailure: source unreadable/malformed, privacy block, empty table.
    """
    where = source.where
    raw = spool.RawSpool()
    try:
        plan, check = _read(source, batch_size, raw)
        verdict, report = check.finish()
        if verdict.refused:
            raise _refusal(where, report)
        if raw.rows == 0 and previous_rows and not source.allow_empty:
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
        privacy = report.to_metadata()
    except BaseException:
        csv.close()
        if streamed is not None:
            streamed.abort()
        raise
    return Prepared(csv, plan, privacy, derived.fields(), streamed)
