"""The gated writes: CKAN's write actions chained with the privacy gate in front.

Each checks the caller's authorisation, then runs the write checks of
:mod:`ckanext.smartcity.logic.write_checks` *before* the action it wraps: a refused write
raises ``ValidationError`` and the wrapped action never runs.
"""
from __future__ import annotations

from typing import Any

import functools

import ckan.plugins.toolkit as tk

from ckanext.smartcity.logic import write_checks

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


@tk.chained_action
def package_create(next_action: Any, context: Any, data_dict: dict[str, Any]) -> Any:
    """``package_create`` with its resources' uploads and linked tables passed through the
    privacy gate."""
    # authorised first: no one learns what the gate finds in a write they may not make
    tk.check_access("package_create", context, data_dict)
    write_checks.check_package_write(context, data_dict, creating=True)
    return next_action(context, data_dict)


@tk.chained_action
def package_update(next_action: Any, context: Any, data_dict: dict[str, Any]) -> Any:
    """``package_update`` (and so ``resource_create/update/patch``) through the gate."""
    # authorised first: no one learns what the gate finds in a write they may not make
    tk.check_access("package_update", context, data_dict)
    write_checks.check_package_write(context, data_dict)
    return next_action(context, data_dict)


@tk.chained_action
def datastore_create(next_action: Any, context: Any, data_dict: dict[str, Any]) -> Any:
    """``datastore_create`` with its records passed through the gate first."""
    # authorised first: no one learns what the gate finds in a write they may not make
    tk.check_access("datastore_create", context, data_dict)
    write_checks.check_datastore_write(context, data_dict)
    return next_action(context, data_dict)


@tk.chained_action
def datastore_upsert(next_action: Any, context: Any, data_dict: dict[str, Any]) -> Any:
    """``datastore_upsert`` with its records passed through the gate first."""
    # authorised first: no one learns what the gate finds in a write they may not make
    tk.check_access("datastore_upsert", context, data_dict)
    write_checks.check_datastore_write(context, data_dict)
    return next_action(context, data_dict)
