"""The upload loader: a CSV/XLSX uploaded to a city dataset, into the DataStore.

Runs as a job on CKAN's jobs worker (``ckan jobs worker``), queued by
:mod:`ckanext.smartcity.uploads.hooks` when a write stores a new file. It loads the file
the way a harvest loads a departmental table — the same steps, the same code:

1. the stored file is copied to a private temporary folder and read by the harvest's
   file reader (:class:`~ckanext.smartcity.readers.file.FileReader`: encoding and
   delimiter detected, types inferred, a value that does not fit its column is an error
   naming the line and the column);
2. :func:`~ckanext.smartcity.harvesters.importer.prepare` runs the privacy gate's table
   check on every row (the policy of :func:`ckanext.smartcity.privacy.checkpoint.policy_for`:
   the dataset type's k, ``min_cell_size``, ``count_columns`` — small counts suppressed)
   and writes the published CSV;
3. the DataStore table is built under a temporary name and swapped in
   (:func:`~ckanext.smartcity.pipeline.datastore.replace_table`), with the dictionary of
   :mod:`ckanext.smartcity.privacy.dictionary` (labels a department curated are kept);
4. ``datastore_create`` with the fields marks the resource ``datastore_active`` and
   creates the preview views (explore/auto_views.py).

A refused or failed load (steps 1–3) leaves the previous table untouched; the status
record (:mod:`.status`) says why, naming the column and the detector or the line, never
a value. The action-layer gate (``ckanext/smartcity/logic/write_checks.py``) has already refused files
with identifiers before they were stored; this loader checks again with the dataset's
policy of the moment, as every client of the gate does.
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
from ckan.lib import uploader

from ckanext.smartcity.reference.domains import DATASET_TYPES
from ckanext.smartcity.privacy.files import TableFileError, open_table
from ckanext.smartcity.privacy import dictionary
from ckanext.smartcity.privacy.checkpoint import policy_for
from ckanext.smartcity.uploads import status

__all__ = ["READABLE_SUFFIXES", "eligible", "filename_of", "load_upload", "JOB_TIMEOUT_S"]

log = logging.getLogger(__name__)

#: what the file reader reads (readers/file.py)
READABLE_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm")
#: RQ timeout of one load (a 1 M-row table loads in a few minutes on two cores)
JOB_TIMEOUT_S = 3600
ROWS_RESOURCE_KEY = "smartcity_rows"  # the harvest's own resource (pipeline/publish.py)


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


def _context(**extra: Any) -> dict[str, Any]:
    from ckanext.smartcity.logic.write_checks import CHECKED
    from ckanext.smartcity.pipeline.publish import PROVENANCE_WRITER
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    # CHECKED: the rows passed the gate here; PROVENANCE_WRITER: the privacy report
    return {"user": site_user["name"], "ignore_auth": True, CHECKED: True,
            PROVENANCE_WRITER: True, **extra}


def _copy_stored(resource: dict[str, Any], target: Path) -> None:
    """Copy the stored upload of ``resource`` to ``target``."""
    upload = uploader.get_resource_uploader(dict(resource))
    location = upload.get_path(resource["id"])
    if hasattr(upload, "storage"):  # CKAN's file storages
        from ckan.lib import files
        chunks = upload.storage.stream(files.FileData(location))
    else:  # the storage_path uploader: a plain file
        chunks = open(location, "rb")  # noqa: SIM115 - closed below
    try:
        with open(target, "wb") as out:
            for chunk in chunks:
                out.write(chunk)
    finally:
        getattr(chunks, "close", lambda: None)()


def _spec(dataset: dict[str, Any], filename: str, header: list[str]) -> dict[str, Any]:
    # the gate's policy for this dataset and table, as a harvest spec's privacy block
    # (raises PrivacyError on a malformed count_columns)
    policy = policy_for(dataset, header)
    return {"name": dataset["name"], "dataset_type": dataset["type"], "file": filename,
            "columns": dictionary.columns_spec(header),
            "privacy": {"count_columns": list(policy.count_columns),
                        "quasi_identifiers": list(policy.quasi_identifiers)},
            "fields": {"min_cell_size": dataset.get("min_cell_size")}}


def _reworded(message: str, where: str, filename: str) -> str:
    """An importer message as the upload's: named by the file, not the harvest source."""
    text = message[len(where):] if message.startswith(where) else message
    text = text.replace(_SOURCE_UNREADABLE, "không đọc được tệp / the file could not be "
                        "read: ").replace(f"could not be read: {filename}: ",
                                          "could not be read: ")
    return f"{filename}: {text}"


_SOURCE_UNREADABLE = "không đọc được hệ thống nguồn / the source could not be read: "


class _Outcome(Exception):
    def __init__(self, state: str, message: str) -> None:
        super().__init__(message)
        self.state = state


def _load(dataset: dict[str, Any], resource: dict[str, Any], folder: Path
          ) -> tuple[int, dict[str, Any]]:
    """Steps 1–4; returns (rows, privacy report). Raises :class:`_Outcome`."""
    from ckanext.smartcity.harvesters.importer import ImportFailure, Source, prepare
    from ckanext.smartcity.pipeline.datastore import DataStoreLoadError, replace_table
    from ckanext.smartcity.privacy import PrivacyError
    from ckanext.smartcity.readers.file import FileReader

    filename = filename_of(resource)
    path = folder / filename
    _copy_stored(resource, path)
    try:
        header = [str(c) for c in open_table(path).columns]
    except TableFileError as err:
        raise _Outcome(status.FAILED, f"{filename}: {err}") from None
    try:
        spec = _spec(dataset, filename, header)
    except PrivacyError as err:
        raise _Outcome(status.REFUSED, f"{filename}: {err}") from None
    reader = FileReader(folder.as_uri(), {}, file_roots=str(folder))
    source = Source(id=f"upload:{resource['id']}", name=filename,
                    owner_org=dataset.get("owner_org") or "", config={}, user="")
    try:
        prepared = prepare(reader, spec, source, batch_size=5000)
    except ImportFailure as err:
        state = status.REFUSED if err.refused else status.FAILED
        raise _Outcome(state, _reworded(str(err), f"{filename}: {dataset['name']}: ",
                                        filename)) from None
    try:
        fields = prepared.plan.datastore_fields()
        try:
            replace_table(resource["id"], fields, prepared.csv.path)
        except DataStoreLoadError as err:
            raise _Outcome(status.FAILED, f"{filename}: {err}") from None
        # no `info`: the dictionary just written (with curated labels) stays as it is
        tk.get_action("datastore_create")(_context(), {
            "resource_id": resource["id"], "force": True,
            "fields": [{"id": f["id"], "type": f["type"]} for f in fields]})
        return prepared.csv.rows, prepared.privacy
    finally:
        prepared.csv.close()


def _store_report(dataset: dict[str, Any], privacy: dict[str, Any]) -> None:
    """The guard's report on the dataset too, when this upload is its only table and no
    harvest owns it (a harvested dataset keeps the harvest's report)."""
    from ckanext.smartcity.pipeline.publish import stored_value
    tables = [r for r in dataset.get("resources") or [] if eligible(dataset, r)]
    if len(tables) != 1 or stored_value(dataset, "harvest_source"):
        return
    import json
    tk.get_action("package_patch")(_context(), {
        "id": dataset["id"],
        "privacy_report": json.dumps(privacy, ensure_ascii=False, sort_keys=True)})


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
    dataset = tk.get_action("package_show")(_context(for_view=False),
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
