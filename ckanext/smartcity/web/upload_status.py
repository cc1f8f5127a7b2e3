"""The load status as the resource page shows it (template helper)."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.smartcity.reference.labels import local_time
from ckanext.smartcity.uploads import status

__all__ = ["smartcity_upload_status", "STATE_LABELS"]

#: state → (Vietnamese, English), one definition for the page and the tests
STATE_LABELS = {
    status.QUEUED: ("Đang chờ nạp vào DataStore", "Queued for the DataStore"),
    status.LOADING: ("Đang nạp vào DataStore", "Loading into the DataStore"),
    status.LOADED: ("Đã nạp vào DataStore", "Loaded into the DataStore"),
    status.REFUSED: ("Bộ lọc dữ liệu cá nhân từ chối nạp", "Refused by the privacy gate"),
    status.FAILED: ("Không nạp được", "Could not be loaded"),
}


def smartcity_upload_status(resource_id: str) -> dict[str, Any] | None:
    """The load record of an uploaded resource for its page, or None: ``state``,
    ``label`` (vi, en), ``rows``, ``at`` (Asia/Ho_Chi_Minh), ``message`` (only for those
    who may edit the resource, else empty)."""
    record = status.get(resource_id)
    if record is None:
        return None
    try:
        tk.check_access("resource_update", {"user": tk.current_user.name
                                            if tk.current_user else None},
                        {"id": resource_id})
        message = record.message
    except tk.NotAuthorized:
        message = ""
    at = record.times.get("finished_at") or record.times.get("started_at") \
        or record.times.get("queued_at")
    return {"state": record.state, "label": STATE_LABELS[record.state], "rows": record.rows,
            "at": local_time(at) if at else "", "message": message}
