"""A PostgreSQL advisory lock per harvest guid, so that two fetch consumers never
import the same dataset at once (no duplicate datasets, no double-loaded tables)."""
from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa

import ckan.model as model

__all__ = ["guid_lock", "lock_key"]


def lock_key(guid: str) -> int:
    """A stable signed 64-bit key for ``guid`` (namespaced to smartcity harvests)."""
    digest = hashlib.sha256(f"smartcity-harvest:{guid}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


@contextmanager
def guid_lock(guid: str) -> Iterator[None]:
    """Hold a session-level advisory lock on the CKAN database while importing ``guid``.

    The lock lives on its own connection, so the CKAN session may commit freely inside;
    if the process dies the connection closes and PostgreSQL releases the lock.
    """
    key = lock_key(guid)
    # autocommit: a session-level lock needs no transaction around it (two round trips
    # instead of four)
    with model.meta.engine.connect().execution_options(
            isolation_level="AUTOCOMMIT") as connection:
        connection.execute(sa.text("SELECT pg_advisory_lock(:k)"), {"k": key})
        try:
            yield
        finally:
            connection.execute(sa.text("SELECT pg_advisory_unlock(:k)"), {"k": key})
