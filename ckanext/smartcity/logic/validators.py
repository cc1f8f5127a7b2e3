"""Validators of the `smartcity` plugin (registered through tk.blanket.validators)."""
from __future__ import annotations

__all__: list[str] = []
