"""``ckan smartcity privacy-scan FILE``: the privacy guard's command for departments.

The command lives in :mod:`ckanext.smartcity.privacy.command` (no CKAN imports, so it also
runs as ``python -m ckanext.smartcity.privacy``); this module is where the CLI group finds it.
"""
from __future__ import annotations

from ckanext.smartcity.privacy.command import privacy_scan

__all__ = ["privacy_scan"]
