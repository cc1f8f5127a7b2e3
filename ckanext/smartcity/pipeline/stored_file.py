"""A resource's stored upload: copied out, stored again, kept aside for an undo.

The one place that reads and writes the file CKAN stores for a resource (its uploader:
the ``storage_path`` folder or one of CKAN's file storages). The upload loader copies an
upload out to read it; publishing keeps the previous CSV aside so a failed update can put
it back.
"""
from __future__ import annotations

import logging
import os
import tempfile
from typing import Any

from werkzeug.datastructures import FileStorage

from ckan.lib import uploader

__all__ = ["copy_stored", "store_upload", "KeptAside"]

log = logging.getLogger(__name__)


def copy_stored(resource: dict[str, Any], target: str) -> None:
    """Copy the stored upload of ``resource`` to the file ``target``.

    :raises OSError: (or the storage's error) when there is no stored file."""
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


def store_upload(resource: dict[str, Any], path: str, filename: str) -> None:
    """Store the file at ``path`` as the upload of ``resource`` (which has its id already),
    as ``package_update`` does for uploads: size and URL set on the dict, file stored."""
    with open(path, "rb") as stream:
        resource["upload"] = FileStorage(stream=stream, filename=filename,
                                         content_type="text/csv")
        upload = uploader.get_resource_uploader(resource)
        resource.pop("upload", None)
        if "url_type" in resource and hasattr(upload, "filesize"):
            resource["size"] = upload.filesize
        upload.upload(resource["id"], uploader.get_max_resource_size())


class KeptAside:
    """The file stored for a resource, kept aside so a failed update can put it back."""

    def __init__(self, resource: dict[str, Any]) -> None:
        self.resource_id = resource["id"]
        self.copy: str | None = None
        if resource.get("url_type") != "upload":
            return
        handle, self.copy = tempfile.mkstemp(prefix="smartcity-previous-", suffix=".csv")
        os.close(handle)
        try:
            copy_stored(resource, self.copy)
        except Exception as err:  # noqa: BLE001 - no stored file: nothing to restore
            log.info("resource %s: no stored CSV kept aside (%s)", self.resource_id,
                     type(err).__name__)
            self.discard()

    def restore(self) -> None:
        """Store the kept copy again as the resource's upload."""
        if self.copy is None:
            return
        store_upload({"id": self.resource_id, "url_type": "upload"}, self.copy,
                     "previous.csv")

    def discard(self) -> None:
        if self.copy is not None:
            os.unlink(self.copy)
            self.copy = None
