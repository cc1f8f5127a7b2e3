"""Chained ckanext-harvest source actions.

* create/update: a harvest source URL never stores a secret (`IHarvester.validate_config`
  only sees the config, so the URL is checked here, before ckanext-harvest stores it);
* reindex: index a source with its validated show schema (see ``harvest_sources``);
* list: a source's configuration and URL only for those who may edit it.
"""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import logic
from ckan.types import Action, Context, DataDict

from ckanext.smartcity.harvesters import sources as harvest_sources

from ckanext.smartcity.readers import netguard
from ckanext.smartcity.pipeline.validate import url_password_error

__all__ = ["harvest_source_create", "harvest_source_update", "harvest_source_reindex",
           "harvest_source_list"]


def _refuse_password_in_url(data_dict: DataDict) -> None:
    error = url_password_error(str(data_dict.get("url") or ""))
    if error:
        raise tk.ValidationError({"url": [
            "URL không được chứa mật khẩu; hãy khai báo biến môi trường bằng 'password_env' "
            "/ The URL must not contain a password; name an environment variable with "
            "'password_env'"]})


def _department(context: Context, data_dict: DataDict) -> str | None:
    model = context.get("model")
    if model is None:
        import ckan.model as model
    owner = data_dict.get("owner_org")
    if not owner and data_dict.get("id"):
        package = model.Package.get(str(data_dict["id"]))
        owner = package.owner_org if package is not None else None
    group = model.Group.get(str(owner)) if owner else None
    return group.name if group is not None else None


def _refuse_unscoped_secrets(context: Context, data_dict: DataDict) -> None:
    """A smartcity source may name only its department's declared secrets, sent only to
    their declared host:port, never the portal's own; never target the portal's own
    services; and a ``file://`` source lies in its own department's drop folders (see
    ``readers/secrets.py``, ``netguard``). Other source types pass."""
    import json

    from ckanext.smartcity.harvesters.base import make_reader
    from ckanext.smartcity import config as options
    from ckanext.smartcity.readers import REGISTRY

    reader_name = str(data_dict.get("source_type") or "")
    if reader_name not in REGISTRY:
        return
    url = str(data_dict.get("url") or "")
    try:
        netguard.check_denied(url, options.allowed_hosts())
    except netguard.Refused as refused:
        raise tk.ValidationError({"url": [
            f"Không được thu thập từ dịch vụ của chính cổng dữ liệu / the portal's own "
            f"services are never a harvest target: {refused.reason}"]}) from None
    department = _department(context, data_dict)
    if url.startswith("file://"):
        from urllib.parse import unquote, urlsplit
        try:
            netguard.check_file_path(unquote(urlsplit(url).path), options.file_roots(),
                                     department)
        except netguard.Refused as refused:
            raise tk.ValidationError({"url": [
                f"Thư mục nằm ngoài thư mục thả tệp của đơn vị / the folder is outside "
                f"this department's drop folders: {refused.reason}"]}) from None
    try:
        config = json.loads(str(data_dict.get("config") or ""))
    except ValueError:
        return  # the harvester's validate_config reports it
    if not isinstance(config, dict):
        return
    reader = make_reader(reader_name, url, config, department=department)
    problems = reader.secret_problems()
    if problems:
        raise tk.ValidationError({"config": [
            f"Bí mật trong '{key}' bị từ chối / secret in '{key}' refused: {reason}"
            for key, reason in problems.items()]})


def keep_stored_config_text(data_dict: DataDict) -> None:
    """The form shows a source's config indented (web/admin_pages.smartcity_pretty_config):
    a config submitted with the same JSON value as the stored one keeps the stored text, so
    saving the form unchanged changes nothing (the declared sources' text stays as synced).
    Called before ``harvest_source_update`` and ``package_update`` (the form's action)."""
    import json

    import ckan.model as model
    from ckanext.harvest.model import HarvestSource

    submitted = data_dict.get("config")
    if not isinstance(submitted, str) or not data_dict.get("id"):
        return
    package = model.Package.get(str(data_dict["id"]))
    source = HarvestSource.get(package.id) if package is not None else None
    if source is None or not source.config:
        return
    try:
        same = json.loads(submitted) == json.loads(source.config)
    except ValueError:
        return  # the harvester's validate_config reports it
    if same:
        data_dict["config"] = source.config


@tk.chained_action
def harvest_source_create(up_func: Action, context: Context, data_dict: DataDict) -> Any:
    """ckanext-harvest's `harvest_source_create`, refusing a URL that carries a password.

    :param url: the source URL (no password: see ``password_env`` in the config)
    """
    tk.check_access("harvest_source_create", context, data_dict)
    _refuse_password_in_url(data_dict)
    _refuse_unscoped_secrets(context, data_dict)
    return up_func(context, data_dict)


@tk.chained_action
def harvest_source_update(up_func: Action, context: Context, data_dict: DataDict) -> Any:
    """ckanext-harvest's `harvest_source_update`, refusing a URL that carries a password.

    :param url: the source URL (no password: see ``password_env`` in the config)
    """
    tk.check_access("harvest_source_update", context, data_dict)
    _refuse_password_in_url(data_dict)
    _refuse_unscoped_secrets(context, data_dict)
    keep_stored_config_text(data_dict)
    return up_func(context, data_dict)


@tk.chained_action
def harvest_source_reindex(up_func: Action, context: Context, data_dict: DataDict) -> Any:
    """Reindex one harvest source the way CKAN indexes every dataset.

    ckanext-harvest's own version indexes the unvalidated dict as the cached
    ``validated_data_dict``, so ``package_show`` then returned ``config``,
    ``source_type`` and ``frequency`` only inside ``extras`` (and the edit form opened
    empty). CKAN's ``index_update_package`` applies the source's show schema.

    :param id: the id or name of the harvest source
    """
    source_id = tk.get_or_bust(data_dict, "id")
    tk.check_access("harvest_source_reindex", context, data_dict)
    package = context["model"].Package.get(source_id) if "model" in context else None
    if package is None:
        import ckan.model as model
        package = model.Package.get(source_id)
    if package is None:
        raise tk.ObjectNotFound(f"harvest source {source_id} not found")
    logic.index_update_package(dict(context, ignore_auth=True), package.id,
                               defer_commit=bool(context.get("defer_commit")))
    return True


@tk.chained_action
@tk.side_effect_free
def harvest_source_list(up_func: Action, context: Context, data_dict: DataDict) -> Any:
    """ckanext-harvest's ``harvest_source_list``; ``config`` and ``url`` only on the
    sources the user may edit (their department's, or all for sysadmins)."""
    tk.check_access("harvest_source_list", context, data_dict)
    return [harvest_sources.redact_dictized(context, source)
            for source in up_func(context, data_dict)]
