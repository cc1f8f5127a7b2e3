"""Writing the departments' file drops into the demo drop folder (``.demo/dropbox/``)."""
from __future__ import annotations

import os
import time
from pathlib import Path

from . import SEED, education, land

LAND_FILE = "thong_ke_dat_2025.xlsx"
#: patterns of the files this module owns in the drop folder (stale ones are removed)
OWNED_PATTERNS = ("thong_ke_dat_*.xlsx", "giao_duc_nam_hoc_*.csv")
#: written files are dated this far back: the portal does not read a drop changed less
#: than ckanext.smartcity.harvest.file_settle_seconds ago, and the demo harvests at once
SETTLED_AGE_S = 600


def drop_files(seed: int = SEED) -> dict[str, bytes]:
    """File name → bytes of every file the departments drop."""
    files = {LAND_FILE: land.workbook_bytes(seed)}
    for year, (name, _encoding) in education.FILES.items():
        files[name] = education.csv_bytes(year, seed)
    return files


def write_dropbox(folder: str | os.PathLike[str], seed: int = SEED) -> dict[str, str]:
    """Write the drops into ``folder``; returns file name → ``written``/``unchanged``/``removed``.

    Files are replaced atomically and only when their bytes differ, so a re-run leaves
    modification times (and the harvester's change detection) alone. Files matching
    :data:`OWNED_PATTERNS` that this seed does not produce are removed.
    """
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    result: dict[str, str] = {}
    for name, data in drop_files(seed).items():
        path = target / name
        if path.is_file() and path.read_bytes() == data:
            result[name] = "unchanged"
            continue
        tmp = target / f".{name}.tmp"
        tmp.write_bytes(data)
        settled = time.time() - SETTLED_AGE_S
        os.utime(tmp, (settled, settled))
        os.replace(tmp, path)
        result[name] = "written"
    for pattern in OWNED_PATTERNS:  # drops of an older seed version would be harvested too
        for stale in sorted(target.glob(pattern)):
            if stale.name not in result:
                stale.unlink()
                result[stale.name] = "removed"
    return result
