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

from ckanext.smartcity import harvest_sources
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


@tk.chained_action
def harvest_source_create(up_func: Action, context: Context, data_dict: DataDict) -> Any:
    """ckanext-harvest's `harvest_source_create`, refusing a URL that carries a password.

    :param url: the source URL (no password: see ``password_env`` in the config)
    """
    tk.check_access("harvest_source_create", context, data_dict)
    _refuse_password_in_url(data_dict)
    return up_func(context, data_dict)


@tk.chained_action
def harvest_source_update(up_func: Action, context: Context, data_dict: DataDict) -> Any:
    """ckanext-harvest's `harvest_source_update`, refusing a URL that carries a password.

    :param url: the source URL (no password: see ``password_env`` in the config)
    """
    tk.check_access("harvest_source_update", context, data_dict)
    _refuse_password_in_url(data_dict)
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
