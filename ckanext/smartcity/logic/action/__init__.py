"""Actions of the `smartcity` plugin (registered through tk.blanket.actions)."""
from __future__ import annotations

from ckanext.smartcity.logic.action.codelists import smartcity_admin_units

__all__: list[str] = [
    "smartcity_admin_units",
]
