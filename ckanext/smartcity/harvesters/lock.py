"""A PostgreSQL advisory lock per dataset name, so that two fetch consumers — or two
sources declaring the same dataset name — never import the same dataset at once (no
duplicate datasets, no double-loaded tables, no ``package_create`` race).

The lock is taken with ``pg_try_advisory_lock`` in a loop up to a timeout
(``ckanext.smartcity.harvest.lock_timeout_seconds``): a consumer stuck behind another
one fails with :class:`LockTimeout`, naming the dataset, instead of waiting forever.
"""
from __future__ import annotations

import hashlib
import time
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa

import ckan.model as model

__all__ = ["dataset_lock", "lock_key", "LockTimeout"]


class LockTimeout(Exception):
    """Another import of the same dataset held the lock for longer than the timeout."""


def lock_key(name: str) -> int:
    """A stable signed 64-bit key for dataset ``name`` (namespaced to smartcity)."""
    digest = hashlib.sha256(f"smartcity-dataset:{name}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


@contextmanager
def dataset_lock(name: str, timeout_s: float) -> Iterator[None]:
    """Hold a session-level advisory lock on the CKAN database while importing ``name``.

    The lock lives on its own connection, so the CKAN session may commit freely inside;
    if the process dies the connection closes and PostgreSQL releases the lock.

    :raises LockTimeout: naming the dataset, after ``timeout_s`` seconds of waiting.
    """
    key = lock_key(name)
    deadline = time.monotonic() + timeout_s
    pause = 0.05
    # autocommit: a session-level lock needs no transaction around it
    with model.meta.engine.connect().execution_options(
            isolation_level="AUTOCOMMIT") as connection:
        while not connection.execute(sa.text("SELECT pg_try_advisory_lock(:k)"),
                                     {"k": key}).scalar():
            if time.monotonic() >= deadline:
                raise LockTimeout(
                    f"dataset {name}: another harvest was still importing it after "
                    f"{timeout_s:.0f} s (ckanext.smartcity.harvest.lock_timeout_seconds); "
                    f"nothing changed")
            time.sleep(pause)
            pause = min(pause * 2, 1.0)
        try:
            yield
        finally:
            connection.execute(sa.text("SELECT pg_advisory_unlock(:k)"), {"k": key})
