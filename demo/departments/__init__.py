"""Synthetic departmental systems of Đà Nẵng for the demo (``make demo``).

Deterministic generators (Faker ``vi_VN``, seeded) for the population registry, the
enterprise register, the health statistics API and the land/education file drops,
plus the code that seeds them into PostgreSQL. Nothing here imports CKAN.
"""
from __future__ import annotations

SEED = 20250701
"""Default seed: the day the 94 commune-level units of the new Đà Nẵng came into force."""

DATA_VERSION = "1"
"""Bump when any generator's output changes: seeded databases of another version are reloaded."""
