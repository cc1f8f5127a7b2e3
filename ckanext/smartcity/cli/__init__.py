"""`ckan smartcity ...` commands."""
from __future__ import annotations

import click


@click.group(short_help="Smart-city portal commands / Lệnh của cổng dữ liệu")
def smartcity():
    """Commands of ckanext-smartcity."""


def get_commands():
    return [smartcity]
