"""``python -m ckanext.smartcity.privacy FILE ...`` — the privacy-scan command without CKAN."""
from __future__ import annotations

from ckanext.smartcity.privacy.command import privacy_scan

if __name__ == "__main__":
    privacy_scan(prog_name="python -m ckanext.smartcity.privacy")
