"""Write one harvested table to CKAN: dataset, CSV resource and DataStore table —
together or not at all.

Order:

1. the dataset dict is validated against its schema first (no write); errors name
   the fields;
2. the new DataStore table is built under a temporary name (the long step; readers
   and the published dataset are untouched, and a failure or a killed process changes
   nothing published);
3. new dataset → the table is put in place under a new resource id, then ONE
   ``package_create`` with the rows resource (CSV uploaded, ``datastore_active``); if it
   fails the table is dropped again;
4. existing dataset → the stored CSV is kept aside, the new table swapped in (a short
   rename), then one ``package_update`` writes metadata, provenance (the content hash
   last of all) and the CSV. If ``package_update`` fails, the previous table is swapped
   back and the previous CSV restored: rows, CSV and metadata stay as they were. Only
   the old table is dropped once everything is written.

A process killed between the swap and ``package_update``'s commit (a fraction of a
second) leaves new rows under the old metadata; the old content hash makes the next
harvest publish again, which repairs it.
"""
from __future__ import annotations

import copy
import logging
import uuid
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from werkzeug.datastructures import FileStorage

import ckan.model as model
import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan.lib import plugins as lib_plugins

from ckanext.smartcity.pipeline.datastore import Reload, drop_table, replace_table
from ckanext.smartcity.pipeline.mapping import provenance_text
from ckanext.smartcity.pipeline.stored_file import KeptAside, store_upload

__all__ = ["PublishError", "Table", "schema_fields", "find_dataset", "find_summary",
           "stored_value", "published_rows", "PROVENANCE_WRITER",
           "validate_dataset", "publish", "publish_rows", "store_privacy_report", "withdraw",
           "is_complete", "ROWS_RESOURCE_KEY"]

log = logging.getLogger(__name__)

#: resource extra marking the CSV/DataStore resource a harvest owns
ROWS_RESOURCE_KEY = "smartcity_rows"
#: context flag of the one writer of the provenance fields (see smartcity_keep_provenance)
PROVENANCE_WRITER = "smartcity_provenance_writer"


class PublishError(Exception):
    """Publishing failed; the message names the dataset and the cause (no values)."""


@dataclass
class Table:
    """What is published for one spec: the CSV file and its DataStore fields."""

    csv_path: str
    filename: str
    fields: list[dict[str, Any]]
    sha256: str
    rows: int
    #: the rows already loaded while the CSV was written (``datastore.start_stream``),
    #: for a new dataset; None: the CSV is loaded by ``COPY``
    streamed: Any = None


def _context(user: str, **extra: Any) -> dict[str, Any]:
    # smartcity_privacy_checked: the import stage ran the guard on every row already,
    # so upload_guard does not scan the harvested CSV a second time.
    # smartcity_provenance_writer: only the harvest may write the provenance fields
    # (row_count, content_hash, …); any other writer keeps the stored values
    return {"user": user, "ignore_auth": True, "model": model,
            "session": model.Session, "smartcity_privacy_checked": True,
            PROVENANCE_WRITER: True, **extra}


def _write(action: str, data: dict[str, Any], user: str, defer_index: bool) -> str:
    """``package_create``/``package_update`` → the dataset id.

    ``defer_index``: written and indexed as CKAN itself does (the index update before the
    database commit, so a failing Solr leaves nothing written) but without a Solr commit
    per dataset; the caller commits the index once per batch (``ckan.lib.search.commit``)."""
    if not defer_index:
        return tk.get_action(action)(_context(user), data)["id"]
    from ckan import logic
    context = _context(user, defer_commit=True, return_id_only=True)
    package_id = tk.get_action(action)(context, data)
    both = logic.package_show_default_and_custom_schemas(_context(user), package_id)
    logic.index_update_package_dicts(both, defer_commit=True)
    model.repo.commit()
    # the chained package_create/update skip the automatic views with defer_commit (they
    # run after a commit): made here, now that the dataset is committed
    if p.plugin_loaded("datastore"):
        from ckanext.smartcity.explore.auto_views import ensure_dataset_views
        try:
            ensure_dataset_views(package_id)
        except Exception:  # noqa: BLE001 - published either way; `ckan smartcity views` later
            model.Session.rollback()
            log.exception("automatic views of dataset %s failed", package_id)
    return package_id


def schema_fields(dataset_type: str) -> set[str] | None:
    """Field names of the scheming schema for ``dataset_type``; None if unknown."""
    try:
        schema = tk.get_action("scheming_dataset_schema_show")(
            {"ignore_auth": True}, {"type": dataset_type})
    except (KeyError, tk.ObjectNotFound):
        return None
    return {f["field_name"] for f in schema.get("dataset_fields", [])}


def find_dataset(name: str, user: str) -> dict[str, Any] | None:
    """The dataset called ``name`` (also when deleted), or None."""
    try:
        return tk.get_action("package_show")(_context(user), {"id": name})
    except tk.ObjectNotFound:
        return None


def find_summary(name: str) -> dict[str, Any] | None:
    """What the import needs to decide, read from the database without ``package_show``.

    The dataset called ``name`` (also when deleted) as ``id``, ``state``, ``owner_org``,
    its extras (where scheming keeps the provenance fields) and, per active resource, the
    rows-resource marker and ``datastore_active``: enough for :func:`stored_value` and
    :func:`is_complete`. None if there is no such dataset.
    """
    # one query for Package.get's "by id, else by name"
    package = (model.Session.query(model.Package)
               .filter(sa.or_(model.Package.id == name, model.Package.name == name))
               .order_by(sa.case((model.Package.id == name, 0), else_=1))
               .first())
    if package is None:
        return None
    return {
        "id": package.id, "name": package.name, "state": package.state,
        "owner_org": package.owner_org,
        "extras": [{"key": k, "value": v} for k, v in (package.extras or {}).items()],
        "resources": [{"id": r.id,
                       ROWS_RESOURCE_KEY: (r.extras or {}).get(ROWS_RESOURCE_KEY, ""),
                       "datastore_active": (r.extras or {}).get("datastore_active", False)}
                      for r in package.resources],
    }


def stored_value(dataset: dict[str, Any], key: str) -> str | None:
    """A provenance value, whether a schema field or an extra."""
    if dataset.get(key) not in (None, ""):
        return str(dataset[key])
    for extra in dataset.get("extras") or []:
        if extra.get("key") == key:
            return extra.get("value")
    return None


def published_rows(dataset: dict[str, Any]) -> int | None:
    """How many rows the dataset publishes: its ``row_count``, or — when that is missing
    or unreadable — the count of its DataStore table; None when it publishes no table.

    A missing ``row_count`` is never read as 0 (the "source suddenly empty" guard relies
    on it)."""
    try:
        return int(stored_value(dataset, "row_count") or "")
    except ValueError:
        pass
    rows = _rows_resource(dataset)
    if rows is None or not rows.get("id"):
        return None
    from ckanext.smartcity.pipeline.datastore import row_count
    return row_count(rows["id"])


def _field_names(errors: Any, prefix: str = "") -> list[str]:
    names: list[str] = []
    if isinstance(errors, dict):
        for key, value in errors.items():
            inner = _field_names(value, f"{prefix}{key}.")
            names.extend(inner or [f"{prefix}{key}"])
    elif isinstance(errors, list):
        for index, value in enumerate(errors):
            if isinstance(value, (dict, list)):
                names.extend(_field_names(value, f"{prefix[:-1]}[{index}]."))
    return names


def _invalid(name: str, errors: dict[str, Any]) -> PublishError:
    fields = sorted(set(_field_names(errors))) or ["?"]
    return PublishError(f"dataset {name}: does not validate against its schema "
                        f"(fields: {', '.join(fields)})")


def validate_dataset(dataset: dict[str, Any], user: str, existing_id: str | None) -> None:
    """Validate ``dataset`` with its type's schema, writing nothing.

    :raises PublishError: naming the invalid fields (not their values).
    """
    data = copy.deepcopy(dataset)
    plugin = lib_plugins.lookup_package_plugin(data["type"])
    context: Any = _context(user)
    if existing_id:
        data["id"] = existing_id
        context["package"] = model.Package.get(existing_id)
        schema = plugin.update_package_schema()
        action = "package_update"
    else:
        schema = plugin.create_package_schema()
        action = "package_create"
    _data, errors = lib_plugins.plugin_validate(plugin, context, data, schema, action)
    if errors:
        raise _invalid(dataset["name"], errors)


def _upload(table: Table) -> FileStorage:
    return FileStorage(stream=open(table.csv_path, "rb"), filename=table.filename,
                       content_type="text/csv")


def _resource(table: Table, title: str) -> dict[str, Any]:
    return {"name": title, "format": "CSV", "mimetype": "text/csv",
            "hash": f"sha256:{table.sha256}", ROWS_RESOURCE_KEY: "true",
            # one language per page (translated.get_translated shows ``_en`` on /en/)
            "description": f"{table.rows:,} dòng".replace(",", "."),
            "description_en": f"{table.rows:,} rows"}


def _rows_resource(dataset: dict[str, Any]) -> dict[str, Any] | None:
    for resource in dataset.get("resources") or []:
        if str(resource.get(ROWS_RESOURCE_KEY, "")).lower() == "true":
            return resource
    return None


def _mark_active(resource_id: str, fields: list[dict[str, Any]], user: str) -> None:
    # datastore_create with the table's own fields: no data change, sets datastore_active
    tk.get_action("datastore_create")(_context(user), {
        "resource_id": resource_id, "force": True, "fields": fields})


def is_complete(dataset: dict[str, Any]) -> bool:
    """True when the dataset's rows resource exists with its DataStore table active."""
    rows = _rows_resource(dataset)
    return rows is not None and rows.get("datastore_active") is True


def _create(dataset: dict[str, Any], table: Table, user: str, defer_index: bool) -> str:
    # Two writes instead of four actions each re-indexing and committing: the DataStore
    # table under a new resource id (nothing refers to it yet), then one package_create
    # with the rows resource already uploaded and datastore_active (one commit, one Solr
    # update). If package_create fails, the table is dropped again.
    resource = dict(_resource(table, dataset["title"]), id=str(uuid.uuid4()),
                    datastore_active=True)
    replace_table(resource["id"], table.fields, table.csv_path, streamed=table.streamed)
    try:
        store_upload(resource, table.csv_path, table.filename)
        package_id = _write("package_create", dict(dataset, resources=[resource]), user,
                            defer_index)
    except BaseException:
        model.Session.rollback()
        _undo_create(resource["id"], user)
        raise
    return package_id


def _undo_create(resource_id: str, user: str) -> None:
    """After a failed first publication: purge the dataset if it got committed after
    all (e.g. a failure after package_create's commit), then drop the DataStore table."""
    try:
        created = model.Resource.get(resource_id)
        if created is not None:
            tk.get_action("dataset_purge")(_context(user), {"id": created.package_id})
    finally:
        drop_table(resource_id)


def _update(dataset: dict[str, Any], existing: dict[str, Any], table: Table,
            user: str, defer_index: bool) -> str:
    if table.streamed is not None:  # streamed loads are for new datasets only
        table.streamed.abort()
        table.streamed = None
    current = _rows_resource(existing)
    resources = [r for r in existing.get("resources") or [] if r is not current]
    if current is None:
        # a dataset we own but whose rows resource was removed: add it again
        package = tk.get_action("package_update")(
            _context(user), dict(dataset, id=existing["id"], state="active",
                                 resources=resources))
        upload = _upload(table)
        try:
            resource = tk.get_action("resource_create")(
                _context(user), dict(_resource(table, dataset["title"]),
                                     package_id=package["id"], upload=upload))
        finally:
            upload.close()
        replace_table(resource["id"], table.fields, table.csv_path)
        _mark_active(resource["id"], table.fields, user)
        return package["id"]
    reload = Reload(current["id"], table.fields, table.csv_path)
    reload.stage()
    previous = KeptAside(current)
    try:
        reload.swap()
        upload = _upload(table)
        try:
            rows = dict(current, **_resource(table, dataset["title"]), upload=upload,
                        datastore_active=True)
            rows.pop("url", None)
            _write("package_update", dict(dataset, id=existing["id"], state="active",
                                          resources=[rows] + resources), user, defer_index)
        finally:
            upload.close()
    except BaseException:
        model.Session.rollback()
        try:
            reload.undo()
            previous.restore()
        finally:
            previous.discard()
        raise
    previous.discard()
    reload.finish()
    return existing["id"]


def publish(dataset: dict[str, Any], table: Table, user: str,
            existing: dict[str, Any] | None, *, defer_index: bool = False) -> str:
    """Create or update ``dataset`` with ``table``; return the dataset id.

    ``defer_index``: no Solr commit for this dataset (it is indexed, not yet visible to
    search); the caller commits the index once for the batch (``search.commit()``).

    :raises PublishError: schema errors (naming the fields) or a failed load.
    """
    validate_dataset(dataset, user, existing["id"] if existing else None)
    try:
        if existing is None:
            return _create(dataset, table, user, defer_index)
        return _update(dataset, existing, table, user, defer_index)
    except tk.ValidationError as err:
        raise _invalid(dataset["name"], err.error_dict) from None


def publish_rows(resource_id: str, table: Table, user: str) -> None:
    """Put ``table``'s rows in the DataStore table of an existing resource (an upload):
    built under a temporary name and swapped in, then ``datastore_create`` marks the
    resource ``datastore_active`` (and the previews are made).

    :raises DataStoreLoadError: the rows could not be loaded; the previous table stays.
    """
    replace_table(resource_id, table.fields, table.csv_path)
    # no `info`: the dictionary just written (with curated labels) stays as it is
    _mark_active(resource_id, [{"id": f["id"], "type": f["type"]} for f in table.fields],
                 user)


def store_privacy_report(dataset_id: str, privacy: dict[str, Any], user: str) -> None:
    """The privacy checkpoint's report as the dataset's ``privacy_report``, stored as a
    harvest stores it (:func:`~.mapping.provenance_text`)."""
    tk.get_action("package_patch")(_context(user), {
        "id": dataset_id, "privacy_report": provenance_text(privacy)})


def withdraw(package_id: str, user: str) -> bool:
    """Withdraw (``package_delete``) a dataset; False if it no longer exists."""
    try:
        tk.get_action("package_delete")(_context(user), {"id": package_id})
    except tk.ObjectNotFound:
        return False
    return True
