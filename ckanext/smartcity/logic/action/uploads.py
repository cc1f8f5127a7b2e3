"""``smartcity_upload_status``: where the DataStore load of an uploaded table stands."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan.types import Context, DataDict

from ckanext.smartcity.uploads import status

__all__ = ["smartcity_upload_status"]


@tk.side_effect_free
def smartcity_upload_status(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The load record of an uploaded resource (:mod:`ckanext.smartcity.uploads.status`).

    :param id: the resource id
    :returns: ``state`` (queued / loading / loaded / refused / failed), ``rows``,
        ``message``, ``privacy`` (the guard's report), ``queued_at``, ``started_at``,
        ``finished_at`` (UTC); ``message`` and ``privacy`` only for those who may edit
        the resource. Everyone who may see the resource sees the state and the rows.
    :raises ObjectNotFound: no such resource, or no upload of it was ever queued.
    """
    resource_id = tk.get_or_bust(data_dict, "id")
    tk.check_access("resource_show", context, {"id": resource_id})
    record = status.get(resource_id)
    if record is None:
        raise tk.ObjectNotFound(tk._("Chưa có tệp tải lên nào được xếp hàng nạp / "
                                     "no upload of this resource was queued"))
    out = record.as_dict()
    try:
        tk.check_access("resource_update", dict(context), {"id": resource_id})
    except tk.NotAuthorized:
        out.pop("message", None)
        out.pop("privacy", None)
    return out
