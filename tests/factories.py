"""Test data of the portal, made by the real producers (CKAN's actions and factories,
openpyxl, the file system): users, city datasets, uploaded files and file-drop folders.

Tests import it as ``import factories as city`` (``tests/`` is on sys.path; CKAN's own
``ckan.tests.factories`` stays ``factories``). Harvest sources are made by
``tests/harvesters/conftest.py`` (``make_source``), next to the departmental database
they read.
"""
from __future__ import annotations

import contextlib
import io
import secrets
import shutil
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from werkzeug.datastructures import FileStorage

#: the file roots the test ini allows (``ckanext.smartcity.harvest.file_roots``)
DROPBOX = Path(__file__).resolve().parents[1] / ".test" / "dropbox"


def sysadmin_context() -> dict[str, str]:
    """The context of a new sysadmin, for writes through the actions."""
    from ckan.tests import factories
    return {"user": factories.Sysadmin()["name"]}


def dataset(context: dict[str, Any], name: str, *, title: str = "Ca bệnh",
                 min_cell_size: int = 10, count_columns: str = "so_ca",
                 temporal: tuple[str, str] = ("2025-07-01", "2025-12-31"),
                 **fields: Any) -> dict[str, Any]:
    """A health dataset of aggregated counts (``so_ca``) by commune in a new department,
    created through ``package_create`` as ``context``'s user."""
    from ckan.tests import factories, helpers

    org = factories.Organization()
    return helpers.call_action(
        "package_create", dict(context), type="health", name=name, title=title,
        owner_org=org["id"], update_frequency="annual", admin_units=["20194"],
        data_classification="open", personal_data="aggregated",
        min_cell_size=min_cell_size, count_columns=count_columns,
        temporal_start=temporal[0], temporal_end=temporal[1], **fields)


def csv(text: str | bytes, name: str = "bang.csv") -> FileStorage:
    """A file as the web form uploads it: text as UTF-8 with a BOM, bytes as given."""
    data = text if isinstance(text, bytes) else text.encode("utf-8-sig")
    return FileStorage(io.BytesIO(data), filename=name)


def xlsx(rows: Sequence[Sequence[Any]] | dict[str, Sequence[Sequence[Any]]],
                name: str = "bang.xlsx") -> FileStorage:
    """An XLSX upload: ``rows`` on the workbook's one sheet, or ``{sheet title: rows}`` in
    order."""
    book = Workbook()
    sheets = rows if isinstance(rows, dict) else None
    if sheets is None:
        for row in rows:
            book.active.append(list(row))
    else:
        book.remove(book.active)
        for title, sheet_rows in sheets.items():
            sheet = book.create_sheet(title)
            for row in sheet_rows:
                sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return FileStorage(out, filename=name)


@contextlib.contextmanager
def drop_folder(prefix: str = "syt") -> Iterator[Path]:
    """A department's file-drop folder inside the configured file roots, removed after."""
    folder = DROPBOX / f"{prefix}-{secrets.token_hex(4)}"
    folder.mkdir(parents=True)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
