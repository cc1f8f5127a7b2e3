"""Auth functions of the `smartcity` plugin."""
from __future__ import annotations

__all__: list[str] = []
