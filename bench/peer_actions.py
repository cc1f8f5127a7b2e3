"""Peer: CKAN's action API one by one — what a script would do without the harvester.

For each harvested dataset, the same metadata, CSV and rows are written again under a
new name with ``package_create`` + ``resource_create`` (the CSV as an upload) +
``datastore_create`` (the rows as records), one after the other, in this process. The
inputs are read back from what the harvest published before the clock starts, so only
the writes are timed.
"""
from __future__ import annotations

import io
import time
from typing import Any

# what package_show adds or the portal sets itself; not part of a package_create call
_SHOWN_ONLY = {"id", "name", "resources", "num_resources", "num_tags", "metadata_created",
               "metadata_modified", "creator_user_id", "organization", "state",
               "revision_id", "relationships_as_object", "relationships_as_subject",
               "tracking_summary", "harvest", "extras", "qa", "private"}


def _inputs(names: list[str], user: str) -> list[tuple[dict[str, Any], bytes, dict[str, Any]]]:
    from ckan.lib import uploader
    from ckan.tests import helpers

    inputs = []
    for name in names:
        shown = helpers.call_action("package_show", {"user": user}, id=name)
        resource = shown["resources"][0]
        with open(uploader.get_resource_uploader(resource).get_path(resource["id"]),
                  "rb") as data:
            csv_bytes = data.read()
        table = helpers.call_action("datastore_search", {"user": user},
                                    resource_id=resource["id"], limit=100000)
        dataset = {k: v for k, v in shown.items()
                   if k not in _SHOWN_ONLY and not k.startswith("harvest")}
        dataset["name"] = "peer-" + name
        datastore = {
            "fields": [{"id": f["id"], "type": f["type"]} for f in table["fields"]
                       if not f["id"].startswith("_")],
            "records": [{k: v for k, v in r.items() if not k.startswith("_")}
                        for r in table["records"]],
        }
        inputs.append((dataset, csv_bytes, datastore))
    return inputs


def run(admin: dict[str, Any], names: list[str]) -> dict[str, Any]:
    """Write the datasets ``names`` again through the action API; wall seconds."""
    from ckan.tests import helpers
    from werkzeug.datastructures import FileStorage

    context = {"user": admin["name"]}
    inputs = _inputs(names, admin["name"])
    started = time.perf_counter()
    for dataset, csv_bytes, datastore in inputs:
        package = helpers.call_action("package_create", dict(context), **dataset)
        upload = FileStorage(stream=io.BytesIO(csv_bytes), filename=f"{dataset['name']}.csv",
                             content_type="text/csv")
        resource = helpers.call_action("resource_create", dict(context),
                                       package_id=package["id"], name=dataset["title"],
                                       format="CSV", upload=upload, url="")
        helpers.call_action("datastore_create", dict(context), resource_id=resource["id"],
                            force=True, **datastore)
    seconds = time.perf_counter() - started
    made = helpers.call_action("package_search", dict(context), q="name:peer-*", rows=0)
    if made["count"] != len(names):
        raise SystemExit(f"action API peer: {made['count']} datasets searchable, "
                         f"expected {len(names)}")
    return {"seconds": round(seconds, 2)}
