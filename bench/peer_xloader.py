"""Peer: ckanext-xloader's own loader, loading the same CSV into the same DataStore.

ckanext-xloader is what a CKAN operator would otherwise use to fill the DataStore. It is
installed for the benchmark only (``bench/requirements.txt`` into ``bench/.peer``, which
is appended to ``sys.path`` of this benchmark process alone; it is never in the portal's
plugin list or the test suite). Measured: the steps its job runs after the download —
``load_csv`` (re-encode through tabulator, ``COPY``, ``_full_text`` by ``UPDATE``),
``calculate_record_count`` (``ANALYZE``) and ``create_column_indexes``, in its job's order.

xloader 2.6.0's ``create_column_indexes`` leaves the transaction of its own connection
open (SQLAlchemy 2 does not autocommit); after the clock stops, :func:`_commit_left_open`
commits it, so the peer's table ends complete and releases its lock.
"""
from __future__ import annotations

import gc
import logging
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
PEER = HERE / ".peer"
REQUIREMENTS = HERE / "requirements.txt"


def ensure_installed() -> None:
    """Install the benchmark-only packages into bench/.peer (once; pip's cache helps)."""
    stamp = PEER / ".installed"
    if stamp.exists() and stamp.read_text() == REQUIREMENTS.read_text():
        return
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--disable-pip-version-check",
                    "--target", str(PEER), "--upgrade", "-r", str(REQUIREMENTS)], check=True,
                   stdout=sys.stderr)
    stamp.write_text(REQUIREMENTS.read_text())


def importable() -> None:
    """Make bench/.peer importable in this process, after the portal's own packages."""
    ensure_installed()
    if str(PEER) not in sys.path:
        sys.path.append(str(PEER))
    import ckanext
    ckanext.__path__.append(str(PEER / "ckanext"))  # namespace package already imported


def load(csv_path: str, resource_id: str) -> dict[str, Any]:
    """Load ``csv_path`` into the DataStore table of ``resource_id`` the xloader way."""
    importable()
    from ckanext.xloader import loader

    logger = logging.getLogger("bench.xloader")
    logger.setLevel(logging.WARNING)
    started = time.perf_counter()
    fields = loader.load_csv(csv_path, resource_id=resource_id, mimetype="text/csv",
                             logger=logger)
    loaded = time.perf_counter()
    loader.calculate_record_count(resource_id=resource_id, logger=logger)
    loader.create_column_indexes(fields=fields, resource_id=resource_id, logger=logger)
    done = time.perf_counter()
    _commit_left_open()
    return {"load_csv_s": round(loaded - started, 3), "indexes_s": round(done - loaded, 3),
            "total_s": round(done - started, 3)}


def _commit_left_open() -> None:
    import sqlalchemy as sa

    for thing in gc.get_objects():
        if isinstance(thing, sa.engine.Connection) and not thing.closed \
                and thing.in_transaction():
            thing.commit()
            thing.close()
