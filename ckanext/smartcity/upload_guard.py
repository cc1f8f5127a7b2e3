"""The privacy guard on files uploaded through the web form (or `resource_create` with an
upload) to a dataset of the five city types: a CSV/XLSX with a blocking finding is refused
before CKAN stores it, with a message naming the column and the detector (never a value)."""
from __future__ import annotations

import logging
import os
import shutil
import tempfile
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.smartcity.privacy import Guard, Policy, PrivacyError
from ckanext.smartcity.privacy.files import TableFileError, open_table

log = logging.getLogger(__name__)

CITY_TYPES = frozenset({"population", "land", "enterprise", "health", "education"})
TABLE_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx")


def _upload(resource: dict[str, Any]) -> Any:
    upload = resource.get("upload")
    filename = getattr(upload, "filename", None)
    if not filename or not filename.lower().endswith(TABLE_SUFFIXES):
        return None
    return upload


def check_upload(context: Any, resource: dict[str, Any]) -> None:
    """Raise ValidationError({"upload": [...]}) if the uploaded table would leak personal
    data; leaves the upload stream rewound for CKAN to store."""
    upload = _upload(resource)
    if upload is None or context.get("smartcity_privacy_checked"):
        return
    package_id = resource.get("package_id")
    pkg = context.get("package")
    dataset_type = getattr(pkg, "type", None)
    if dataset_type is None and package_id:
        pkg_dict = tk.get_action("package_show")(
            {"ignore_auth": True}, {"id": package_id})
        dataset_type, min_cell = pkg_dict.get("type"), pkg_dict.get("min_cell_size")
    else:
        min_cell = None
    if dataset_type not in CITY_TYPES:
        return

    stream = upload.stream
    suffix = os.path.splitext(upload.filename)[1].lower()
    with tempfile.NamedTemporaryFile(suffix=suffix) as copy:
        stream.seek(0)
        shutil.copyfileobj(stream, copy)
        copy.flush()
        stream.seek(0)
        try:
            table = open_table(copy.name)
            guard = Guard(table.columns, Policy.from_spec(
                {}, dataset_type=dataset_type, dataset_min_cell_size=min_cell))
            for batch in table.batches():
                guard.scan(batch)
            report = guard.finish()
        except (TableFileError, PrivacyError) as err:
            # Not readable as a table: CKAN stores it as any other file.
            log.info("upload %s not checked as a table: %s", upload.filename, type(err).__name__)
            return
    if report.blocking:
        findings = "; ".join(str(f) for f in report.blocking)
        raise tk.ValidationError({"upload": [
            f"Tệp chứa dữ liệu cá nhân nên không được công bố ({findings}). Hãy bỏ các cột "
            f"này hoặc tổng hợp dữ liệu trước khi tải lên. / The file contains personal data "
            f"and cannot be published ({findings}). Remove these columns or aggregate the "
            f"data before uploading."]})
