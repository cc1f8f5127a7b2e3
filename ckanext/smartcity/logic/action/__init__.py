"""Actions of the `smartcity` plugin (registered through tk.blanket.actions)."""
from __future__ import annotations

__all__: list[str] = []
