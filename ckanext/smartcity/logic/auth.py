"""Auth functions of the `smartcity` plugin."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan.types import AuthResult, Context, DataDict

__all__: list[str] = ["smartcity_admin_units"]


@tk.auth_allow_anonymous_access
def smartcity_admin_units(context: Context, data_dict: DataDict | None) -> AuthResult:
    """The administrative-unit code list is public reference data: anyone may read it."""
    return {"success": True}
