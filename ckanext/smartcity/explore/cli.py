"""``ckan smartcity views``: create the automatic views of existing DataStore tables."""
from __future__ import annotations

import click

import ckan.model as model


@click.command("views", short_help="Tạo chế độ xem tự động / create the automatic views")
@click.argument("datasets", nargs=-1)
def views(datasets: tuple[str, ...]) -> None:
    """Create the missing table, map and chart views of every DataStore table (or of the
    named DATASETS), and remove automatic views whose rule no longer holds. Idempotent."""
    from ckanext.smartcity.explore.auto_views import ensure_views

    query = model.Session.query(model.Resource).join(model.Package).filter(
        model.Resource.state == "active", model.Package.state == "active")
    if datasets:
        query = query.filter(model.Package.name.in_(datasets))
    done = 0
    for resource in query.all():
        if (resource.extras or {}).get("datastore_active"):
            kinds = ensure_views(resource.id)
            click.echo(f"{resource.package.name} {resource.id}: {' '.join(kinds) or '-'}")
            done += 1
    click.echo(f"{done} DataStore tables checked")
