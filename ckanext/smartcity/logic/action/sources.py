"""Guards on ckanext-harvest's source actions: a harvest source URL never stores a secret.

`IHarvester.validate_config` only sees the config, so the URL is checked here, before
ckanext-harvest stores (and `harvest_source_show` would return) it."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan.types import Action, Context, DataDict

from ckanext.smartcity.pipeline.validate import url_password_error

__all__ = ["harvest_source_create", "harvest_source_update"]


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
