"""Where an uploaded table's DataStore load stands — one record per resource.

Kept in CKAN's ``task_status`` table (``entity_type="resource"``,
``task_type="smartcity_upload"``, ``key="datastore"``), so it commits or rolls back with the
write that queued it and never touches the resource's metadata. ``value`` holds JSON:
``signature`` (which upload the record is about: URL, size, ``last_modified``), ``rows``,
``message`` (bilingual; names a column and a detector or a line, never a value),
``privacy`` (the guard's report, :meth:`PrivacyReport.to_metadata`), ``queued_at``,
``started_at``, ``finished_at`` (ISO 8601, UTC).

States: :data:`QUEUED` → :data:`LOADING` → :data:`LOADED` | :data:`REFUSED` (the privacy
gate refused the table) | :data:`FAILED` (it could not be read or loaded). A refused or
failed load leaves the previous DataStore table as it was.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

import ckan.model as model

__all__ = ["QUEUED", "LOADING", "LOADED", "REFUSED", "FAILED", "STATES", "LoadStatus",
           "signature", "get", "put", "now"]

QUEUED, LOADING, LOADED, REFUSED, FAILED = "queued", "loading", "loaded", "refused", "failed"
STATES = (QUEUED, LOADING, LOADED, REFUSED, FAILED)
TASK_TYPE = "smartcity_upload"
KEY = "datastore"


def now() -> str:
    """The current time, ISO 8601 in UTC."""
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def signature(resource: model.Resource) -> str:
    """What identifies one upload of the resource row: a new file changes it (the name,
    the size and the ``last_modified`` CKAN sets when it stores an upload)."""
    name = str(resource.url or "").rsplit("/", 1)[-1]
    modified = resource.last_modified.isoformat() if resource.last_modified else ""
    return f"{name}|{resource.size or ''}|{modified}"


@dataclass
class LoadStatus:
    """The load record of one resource."""

    resource_id: str
    state: str
    signature: str
    rows: int | None = None
    message: str = ""
    privacy: dict[str, Any] | None = None
    times: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """The API shape (``smartcity_upload_status``)."""
        return {"resource_id": self.resource_id, "state": self.state, "rows": self.rows,
                "message": self.message, "privacy": self.privacy, **self.times}


def _row(resource_id: str) -> model.TaskStatus | None:
    return (model.Session.query(model.TaskStatus)
            .filter_by(entity_id=resource_id, task_type=TASK_TYPE, key=KEY).first())


def get(resource_id: str) -> LoadStatus | None:
    """The load record of ``resource_id``; None if no upload of it was ever queued."""
    row = _row(resource_id)
    if row is None:
        return None
    try:
        value = json.loads(row.value or "{}")
    except ValueError:
        value = {}
    times = {k: value[k] for k in ("queued_at", "started_at", "finished_at") if value.get(k)}
    return LoadStatus(resource_id, row.state or QUEUED, str(value.get("signature") or ""),
                      value.get("rows"), str(value.get("message") or ""),
                      value.get("privacy"), times)


def put(status: LoadStatus, *, commit: bool) -> None:
    """Write ``status`` (in the current transaction; committed when ``commit``)."""
    assert status.state in STATES, status.state
    row = _row(status.resource_id)
    if row is None:
        row = model.TaskStatus(entity_id=status.resource_id, entity_type="resource",
                               task_type=TASK_TYPE, key=KEY)
        model.Session.add(row)
    row.state = status.state
    row.error = status.message if status.state in (REFUSED, FAILED) else ""
    row.value = json.dumps({"signature": status.signature, "rows": status.rows,
                            "message": status.message, "privacy": status.privacy,
                            **status.times}, ensure_ascii=False)
    row.last_updated = dt.datetime.utcnow()
    if commit:
        model.Session.commit()
