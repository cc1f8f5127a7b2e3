"""`ckan smartcity ...` commands."""
from __future__ import annotations

import click

# tk.blanket.cli registers exactly these click objects.
__all__ = ["smartcity"]

from ckanext.smartcity.cli.backup import backup
from ckanext.smartcity.cli.bulk import bulk
from ckanext.smartcity.cli.init import init
from ckanext.smartcity.cli.privacy import privacy_scan
from ckanext.smartcity.cli.proxy import proxy
from ckanext.smartcity.cli.quality import links, quality_refresh, quality_report
from ckanext.smartcity.cli.sources import sources
from ckanext.smartcity.explore.cli import views
from ckanext.smartcity.uploads.cli import uploads


@click.group(short_help="Smart-city portal commands / Lệnh của cổng dữ liệu")
def smartcity():
    """Commands of ckanext-smartcity."""


smartcity.add_command(init)
smartcity.add_command(privacy_scan)
smartcity.add_command(sources)
smartcity.add_command(views)
smartcity.add_command(quality_report)
smartcity.add_command(quality_refresh)
smartcity.add_command(links)
smartcity.add_command(uploads)
smartcity.add_command(proxy)
smartcity.add_command(backup)
smartcity.add_command(bulk)
