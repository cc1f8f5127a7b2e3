"""``smartcity_sql``: tables of departmental SQL databases (one read-only SELECT each)."""
from __future__ import annotations

from ckanext.smartcity.harvesters.base import SmartcityHarvester
from ckanext.smartcity.readers import SqlReader

__all__ = ["SqlHarvester"]


class SqlHarvester(SmartcityHarvester):
    """Harvest source type ``smartcity_sql``."""

    reader_name = SqlReader.name
    title = "Cơ sở dữ liệu SQL của sở, ngành / Departmental SQL database"
    description = ("Mỗi bộ dữ liệu là một câu SELECT chỉ đọc / "
                   "Each dataset is one read-only SELECT")
