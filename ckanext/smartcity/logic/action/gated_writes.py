"""The gated writes: CKAN's write actions chained with the privacy gate in front.

Each checks the caller's authorisation, then runs the write checks of
:mod:`ckanext.smartcity.logic.write_checks` *before* the action it wraps: a refused write
raises ``ValidationError`` and the wrapped action never runs.
"""
from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.smartcity.logic import write_checks
from ckanext.smartcity.logic.action.sources import keep_stored_config_text

# package_patch and resource_create/update/patch all end in package_update: gated there.
__all__ = ["package_create", "package_update"]


def before(gated: Any, other: Any | None) -> Any:
    """One chained action for a name the plugin chains twice: the gate ``gated`` first,
    then the plugin's ``other`` chained action (e.g. the automatic views) around CKAN's."""
    if other is None:
        return gated

    @tk.chained_action
    @functools.wraps(gated)
    def both(next_action: Any, context: Any, data_dict: dict[str, Any]) -> Any:
        return gated(lambda ctx, dd: other(next_action, ctx, dd), context, data_dict)

    return both


DATASTORE_ACTIONS = ["datastore_create", "datastore_upsert"]


def _gated(name: str, check: Callable[[Any, dict[str, Any]], None], doc: str) -> Any:
    """CKAN's ``name`` with ``check`` in front, after the caller's authorisation: no one
    learns what the gate finds in a write they may not make."""

    @tk.chained_action
    def action(next_action: Any, context: Any, data_dict: dict[str, Any]) -> Any:
        tk.check_access(name, context, data_dict)
        check(context, data_dict)
        return next_action(context, data_dict)

    action.__name__ = action.__qualname__ = name
    action.__doc__ = doc
    return action


package_create = _gated(
    "package_create",
    lambda context, data_dict: write_checks.check_package_write(context, data_dict,
                                                                creating=True),
    "``package_create`` with its resources' uploads and linked tables through the gate.")
def _package_update_checks(context: Any, data_dict: dict[str, Any]) -> None:
    keep_stored_config_text(data_dict)  # a harvest source's form saved unchanged
    write_checks.check_package_write(context, data_dict)


package_update = _gated(
    "package_update", _package_update_checks,
    "``package_update`` (and so ``resource_create/update/patch``) through the gate.")
datastore_create = _gated(
    "datastore_create",
    lambda context, data_dict: write_checks.check_datastore_write(context, data_dict),
    "``datastore_create`` with its records passed through the gate first.")
datastore_upsert = _gated(
    "datastore_upsert",
    lambda context, data_dict: write_checks.check_datastore_write(context, data_dict),
    "``datastore_upsert`` with its records passed through the gate first.")
