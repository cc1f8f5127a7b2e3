"""``smartcity_file``: CSV/Excel files dropped by departments."""
from __future__ import annotations

from ckanext.smartcity.harvesters.base import SmartcityHarvester
from ckanext.smartcity.readers import FileReader

__all__ = ["FileHarvester"]


class FileHarvester(SmartcityHarvester):
    """Harvest source type ``smartcity_file``."""

    reader_name = FileReader.name
    title = "Tệp CSV/Excel của sở, ngành / Departmental CSV/Excel files"
    description = ("Mỗi bộ dữ liệu là một tệp (hoặc mẫu tên tệp) trong thư mục nguồn / "
                   "Each dataset is one file (or name pattern) in the source folder")
