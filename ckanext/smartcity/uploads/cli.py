"""``ckan smartcity uploads load|status`` — the upload loader by hand."""
from __future__ import annotations

import json

import click


@click.group("uploads", short_help="Uploaded tables in the DataStore / Bảng tải lên")
def uploads() -> None:
    """Load uploaded CSV/XLSX files into the DataStore, and show where loads stand."""


@uploads.command("load")
@click.argument("resource_ids", nargs=-1, required=True)
def load(resource_ids: tuple[str, ...]) -> None:
    """Load the current upload of each resource now, in this process (e.g. when the jobs
    worker was down); prints the state reached."""
    import ckan.model as model

    from ckanext.smartcity.uploads import loader, status

    for resource_id in resource_ids:
        resource = model.Resource.get(resource_id)
        if resource is None:
            raise click.ClickException(f"no resource {resource_id}")
        upload = status.signature(resource)
        record = status.get(resource_id)
        if record is None or record.signature != upload:
            status.put(status.LoadStatus(resource_id, status.QUEUED, upload,
                                         times={"queued_at": status.now()}), commit=True)
        click.echo(f"{resource_id}: {loader.load_upload(resource_id, upload)}")


@uploads.command("status")
@click.argument("resource_id")
def show(resource_id: str) -> None:
    """Print the load record of a resource as JSON."""
    from ckanext.smartcity.uploads import status

    record = status.get(resource_id)
    if record is None:
        raise click.ClickException(f"resource {resource_id}: no upload was queued")
    click.echo(json.dumps(record.as_dict(), ensure_ascii=False, indent=2))
