"""`ckan smartcity proxy render`: the nginx config from the CKAN config."""
from __future__ import annotations

from pathlib import Path

import click


@click.group(short_help="nginx in front of the portal / nginx trước cổng dữ liệu")
def proxy():
    """The reverse proxy (config/nginx/)."""


@proxy.command("render")
@click.argument("prefix", type=click.Path(file_okay=False, path_type=Path))
@click.option("--listen", required=True, help="host:port nginx listens on")
@click.option("--upstream", required=True, help="host:port of gunicorn")
@click.option("--user", default=None, help="user of nginx's workers (when started as root)")
def render(prefix: Path, listen: str, upstream: str, user: str | None) -> None:
    """Write nginx.conf (and its includes) under PREFIX; print its path."""
    from ckanext.smartcity.ops.proxy import ProxyConfigError
    from ckanext.smartcity.ops.proxy import render as do_render

    try:
        click.echo(str(do_render(prefix.resolve(), listen, upstream, user)))
    except ProxyConfigError as err:
        raise click.ClickException(str(err)) from err
