"""``ckan smartcity init``: create the six pillars and the city's departments.

Idempotent: an existing group/organization is updated only where it differs
from ``ckanext.smartcity.reference.departments``; nothing is duplicated or removed.
Everything goes through the action API as the site user.
"""
from __future__ import annotations

from typing import Any

import click

import ckan.plugins.toolkit as tk

from ckanext.smartcity.reference.departments import DEPARTMENTS, PILLARS

__all__ = ["init", "init_reference_data", "pillar_dicts", "department_dicts"]


def pillar_dicts() -> list[dict[str, Any]]:
    """The pillars as ``group_create`` data dicts (``pillar`` schema)."""
    return [
        {"name": p.name, "title": p.title_vi, "title_en": p.title_en, "pillar_code": p.code,
         "notes": p.notes_vi, "notes_en": p.notes_en, "type": "group", "state": "active"}
        for p in PILLARS
    ]


def department_dicts() -> list[dict[str, Any]]:
    """The departments as ``organization_create`` data dicts (``department`` schema)."""
    return [
        {"name": d.name, "title": d.title_vi, "title_en": d.title_en, "department_code": d.code,
         "level": d.level, "contact_email": d.contact_email, "notes": d.notes_vi,
         "type": "organization", "state": "active"}
        for d in DEPARTMENTS
    ]


def _context(user: str) -> dict[str, Any]:
    return {"user": user}


def _ensure(kind: str, wanted: dict[str, Any], user: str) -> str:
    """Create or update one group/organization; return created, updated or unchanged."""
    try:
        current = tk.get_action(f"{kind}_show")(
            _context(user), {"id": wanted["name"], "include_datasets": False,
                             "include_users": False, "include_extras": True})
    except tk.ObjectNotFound:
        tk.get_action(f"{kind}_create")(_context(user), dict(wanted))
        return "created"
    if all(current.get(key) == value for key, value in wanted.items()):
        return "unchanged"
    patch = {key: value for key, value in wanted.items() if key != "name"}
    tk.get_action(f"{kind}_patch")(_context(user), dict(patch, id=current["id"]))
    return "updated"


def init_reference_data() -> dict[str, dict[str, str]]:
    """Create/update pillars and departments; return ``{kind: {name: outcome}}``."""
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
    return {
        "group": {g["name"]: _ensure("group", g, site_user) for g in pillar_dicts()},
        "organization": {o["name"]: _ensure("organization", o, site_user)
                         for o in department_dicts()},
    }


_OUTCOME_VI = {"created": "đã tạo", "updated": "đã cập nhật", "unchanged": "không đổi"}


@click.command(
    "init",
    short_help="Tạo trụ cột và sở, ngành / Create pillars and departments",
)
def init() -> None:
    """Create (or update) the six smart-city pillars and the city's departments."""
    result = init_reference_data()
    for kind, label in (("group", "Trụ cột / Pillar"), ("organization", "Đơn vị / Department")):
        for name, outcome in result[kind].items():
            click.echo(f"{label}: {name} — {_OUTCOME_VI[outcome]} / {outcome}")
    click.secho(
        f"Xong / Done: {len(result['group'])} trụ cột / pillars, "
        f"{len(result['organization'])} đơn vị / departments.",
        fg="green",
    )
