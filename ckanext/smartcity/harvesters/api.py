"""``smartcity_api``: REST/JSON APIs of departmental systems."""
from __future__ import annotations

from ckanext.smartcity.harvesters.base import SmartcityHarvester
from ckanext.smartcity.readers import ApiReader

__all__ = ["ApiHarvester"]


class ApiHarvester(SmartcityHarvester):
    """Harvest source type ``smartcity_api``."""

    reader_name = ApiReader.name
    title = "API REST/JSON của sở, ngành / Departmental REST/JSON API"
    description = ("Mỗi bộ dữ liệu là một đường dẫn API, có phân trang / "
                   "Each dataset is one API path, with pagination")
