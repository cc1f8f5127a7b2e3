"""The upload loader: a CSV/XLSX uploaded to a city dataset, into the DataStore.

Runs as a job on CKAN's jobs worker (``ckan jobs worker``), queued by
:mod:`ckanext.smartcity.uploads.hooks` when a write stores a new file. It loads the file
through the table pipeline a harvest goes through — the same calls:

1. the stored file is copied to a private temporary folder
   (:func:`~ckanext.smartcity.pipeline.stored_file.copy_stored`);
2. :func:`~ckanext.smartcity.pipeline.prepare.prepare` reads it once as an
   :class:`~.table_source.UploadTable` (the harvest's file reader, the dictionary of
   :mod:`ckanext.smartcity.privacy.dictionary`, the dataset's privacy policy), runs the privacy checkpoint on every
   row (small counts suppressed) and writes the published CSV;
3. :func:`~ckanext.smartcity.pipeline.publish.publish_rows` builds the DataStore table
   under a temporary name, swaps it in and marks the resource ``datastore_active`` (the
   previews are made);
4. :func:`~ckanext.smartcity.pipeline.publish.store_privacy_report` stores the report on
   the dataset as a harvest does (when this upload is its only table).

A refused or failed load (steps 1–3) leaves the previous table untouched; the status
record (:mod:`.status`) says why, in the pipeline's words (which name the file, the column
and the detector or the line, never a value). The gated writes
(``ckanext/smartcity/logic/write_checks.py``) have already refused files with identifiers
before they were stored; this loader checks again with the dataset's policy of the moment,
as every client of the checkpoint does.
"""
from __future__ import annotations

import logging
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.smartcity.reference.domains import DATASET_TYPES
from ckanext.smartcity.pipeline.datastore import DataStoreLoadError
from ckanext.smartcity.pipeline.prepare import ImportFailure, prepare
from ckanext.smartcity.pipeline.publish import (ROWS_RESOURCE_KEY, Table, publish_rows,
                                                store_privacy_report, stored_value)
from ckanext.smartcity.pipeline.stored_file import copy_stored
from ckanext.smartcity.uploads import status
from ckanext.smartcity.uploads.table_source import UploadTable

__all__ = ["READABLE_SUFFIXES", "eligible", "filename_of", "load_upload", "JOB_TIMEOUT_S"]

log = logging.getLogger(__name__)

#: what the file reader reads (readers/file.py)
READABLE_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm")
#: RQ timeout of one load (a 1 M-row table loads in a few minutes on two cores)
JOB_TIMEOUT_S = 3600


def filename_of(resource: dict[str, Any]) -> str:
    """The uploaded file's name (the last part of an upload's URL)."""
    return str(resource.get("url") or "").rsplit("/", 1)[-1].split("?", 1)[0]


def eligible(dataset: dict[str, Any], resource: dict[str, Any]) -> bool:
    """True for a file uploaded to a city dataset that the loader reads (not the CSV a
    harvest publishes, which the harvest loads itself)."""
    return (dataset.get("type") in DATASET_TYPES
            and resource.get("url_type") == "upload"
            and str(resource.get(ROWS_RESOURCE_KEY, "")).lower() != "true"
            and filename_of(resource).lower().endswith(READABLE_SUFFIXES))


def _site_user() -> str:
    return tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]


class _Outcome(Exception):
    def __init__(self, state: str, message: str) -> None:
        super().__init__(message)
        self.state = state


def _load(dataset: dict[str, Any], resource: dict[str, Any], folder: Path
          ) -> tuple[int, dict[str, Any]]:
    """Steps 1–3; returns (rows, privacy report). Raises :class:`_Outcome`."""
    filename = filename_of(resource)
    copy_stored(resource, str(folder / filename))
    try:
        prepared = prepare(UploadTable(folder, filename, dataset), batch_size=5000)
    except ImportFailure as err:
        raise _Outcome(status.REFUSED if err.privacy else status.FAILED, str(err)) from None
    try:
        table = Table(prepared.csv.path, filename, prepared.plan.datastore_fields(),
                      prepared.csv.sha256, prepared.csv.rows)
        try:
            publish_rows(resource["id"], table, _site_user())
        except DataStoreLoadError as err:
            raise _Outcome(status.FAILED, f"{filename}: {err}") from None
        return prepared.csv.rows, prepared.privacy
    finally:
        prepared.close()


def _store_report(dataset: dict[str, Any], privacy: dict[str, Any]) -> None:
    """Step 4: the report on the dataset too, when this upload is its only table and no
    harvest owns it (a harvested dataset keeps the harvest's report)."""
    tables = [r for r in dataset.get("resources") or [] if eligible(dataset, r)]
    if len(tables) != 1 or stored_value(dataset, "harvest_source"):
        return
    store_privacy_report(dataset["id"], privacy, _site_user())


def load_upload(resource_id: str, upload_signature: str) -> str:
    """The job: load the upload ``upload_signature`` of ``resource_id``.

    :returns: the final state (or ``"skipped"`` when a newer upload superseded this one,
        the resource is gone, or it is no longer a loadable upload).
    """
    record = status.get(resource_id)
    resource_row = model.Resource.get(resource_id)
    if record is None or record.signature != upload_signature or resource_row is None \
            or resource_row.state != "active":
        log.info("upload load of resource %s skipped (superseded or gone)", resource_id)
        return "skipped"
    dataset = tk.get_action("package_show")(
        {"user": _site_user(), "ignore_auth": True, "for_view": False},
        {"id": resource_row.package_id})
    resource = next((r for r in dataset.get("resources") or [] if r["id"] == resource_id),
                    None)
    if resource is None or not eligible(dataset, resource) \
            or status.signature(resource_row) != upload_signature:
        log.info("upload load of resource %s skipped (no longer this upload)", resource_id)
        return "skipped"
    record.state, record.message = status.LOADING, ""
    record.times["started_at"] = status.now()
    record.times.pop("finished_at", None)
    status.put(record, commit=True)
    folder = Path(tempfile.mkdtemp(prefix="smartcity-upload-"))
    os.chmod(folder, 0o700)
    try:
        rows, privacy = _load(dataset, resource, folder)
    except _Outcome as outcome:
        record.state, record.message = outcome.state, str(outcome)
        log.warning("upload of resource %s not loaded (%s): %s", resource_id,
                    outcome.state, outcome)
    except Exception as err:  # noqa: BLE001 - the status must say it failed
        model.Session.rollback()
        record.state = status.FAILED
        record.message = (f"{filename_of(resource)}: không nạp được / could not be loaded "
                          f"({type(err).__name__})")
        log.exception("upload of resource %s failed", resource_id)
    else:
        record.state, record.rows, record.privacy = status.LOADED, rows, privacy
        record.message = ""
        try:
            _store_report(dataset, privacy)
        except Exception:  # noqa: BLE001 - the rows are loaded; the report is extra
            model.Session.rollback()
            log.exception("privacy report of dataset %s not stored", dataset["name"])
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    record.times["finished_at"] = status.now()
    status.put(record, commit=True)
    return record.state
