"""Writing the departments' file drops into the demo drop folder (``.demo/dropbox/``).

Each department drops into a folder of its own, named after it (``<dropbox>/<department>/``):
the portal's ``file_roots`` is ``<dropbox>/{department}``, so a source of one department
cannot read another's drops.
"""
from __future__ import annotations

import os
import time
from pathlib import Path

from . import SEED, education, land

#: the department (organization name) whose folder each kind of drop goes to
LAND_DEPARTMENT = "so-nong-nghiep-moi-truong"
EDUCATION_DEPARTMENT = "so-giao-duc-dao-tao"
LAND_FILE = f"{LAND_DEPARTMENT}/thong_ke_dat_2025.xlsx"
#: patterns of the files this module owns in the drop folder, relative to it (stale ones
#: are removed; the flat ones are where an older demo dropped them)
OWNED_PATTERNS = (f"{LAND_DEPARTMENT}/thong_ke_dat_*.xlsx",
                  f"{EDUCATION_DEPARTMENT}/giao_duc_nam_hoc_*.csv",
                  "thong_ke_dat_*.xlsx", "giao_duc_nam_hoc_*.csv")
#: written files are dated this far back: the portal does not read a drop changed less
#: than ckanext.smartcity.harvest.file_settle_seconds ago, and the demo harvests at once
SETTLED_AGE_S = 600


def drop_files(seed: int = SEED) -> dict[str, bytes]:
    """Path (``<department>/<file>``, relative to the drop folder) → bytes of every file
    the departments drop."""
    files = {LAND_FILE: land.workbook_bytes(seed)}
    for year, (name, _encoding) in education.FILES.items():
        files[f"{EDUCATION_DEPARTMENT}/{name}"] = education.csv_bytes(year, seed)
    return files


def write_dropbox(folder: str | os.PathLike[str], seed: int = SEED) -> dict[str, str]:
    """Write the drops into ``folder``; returns relative path → ``written``/``unchanged``/
    ``removed``.

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
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.parent / f".{path.name}.tmp"
        tmp.write_bytes(data)
        settled = time.time() - SETTLED_AGE_S
        os.utime(tmp, (settled, settled))
        os.replace(tmp, path)
        result[name] = "written"
    for pattern in OWNED_PATTERNS:  # drops of an older seed version would be harvested too
        for stale in sorted(target.glob(pattern)):
            relative = stale.relative_to(target).as_posix()
            if relative not in result:
                stale.unlink()
                result[relative] = "removed"
    return result
