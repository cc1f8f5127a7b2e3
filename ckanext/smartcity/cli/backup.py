"""`ckan smartcity backup create|restore DIR` (ckanext/smartcity/ops/backup.py)."""
from __future__ import annotations

from pathlib import Path

import click


@click.group(short_help="Backups / Sao lưu và khôi phục")
def backup():
    """Back the portal up into a folder, or restore it from one."""


@backup.command("create")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
def create(folder: Path) -> None:
    """Dump both databases, the uploaded files and the secret names into FOLDER."""
    from ckanext.smartcity.ops import backup as ops

    try:
        manifest = ops.create(folder)
    except ops.BackupError as err:
        raise click.ClickException(f"Sao lưu thất bại / Backup failed: {err}") from err
    total = sum(f["bytes"] for f in manifest["files"].values())
    click.echo(f"Đã sao lưu / Backed up: {len(manifest['files'])} files, {total} bytes "
               f"({ops.MANIFEST})")


@backup.command("restore")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
def restore(folder: Path) -> None:
    """Restore FOLDER into this deployment's databases and storage; rebuild the index."""
    from ckanext.smartcity.ops import backup as ops

    try:
        manifest = ops.restore(folder)
    except ops.BackupError as err:
        raise click.ClickException(f"Khôi phục thất bại / Restore failed: {err}") from err
    click.echo(f"Đã khôi phục / Restored the backup of {manifest['created']} "
               f"(site {manifest['site_id']}); search index rebuilt")
