"""`ckan smartcity bulk build`: the nightly bulk downloads (datapackage/bulk.py)."""
from __future__ import annotations

import click


@click.group(short_help="Bulk downloads / Tải hàng loạt")
def bulk():
    """Bulk downloads of open data as ZIPs of data packages."""


@bulk.command("build", short_help="Build the catalogue's and departments' ZIPs")
def build():
    """Write catalogue.zip and department-<name>.zip (open datasets only) and manifest.json
    under <ckan.storage_path>/smartcity/bulk; run it nightly (config/systemd)."""
    from ckanext.smartcity.datapackage import bulk as bulk_downloads
    manifest = bulk_downloads.build()
    for entry in manifest["files"]:
        click.echo(f"{entry['file']}: {len(entry['datasets'])} datasets, "
                   f"{entry['bytes']} bytes, sha256 {entry['sha256']}")
