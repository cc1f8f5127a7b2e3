"""Dates on the portal's pages: dd/mm/yyyy (and HH:MM) in Asia/Ho_Chi_Minh.

CKAN's ``render_datetime`` formats a date as "MMMM d, YYYY" in the page's language, which
reads "tháng 12 8, 2026" in Vietnamese, and in UTC. The chained helper here answers every
call without an explicit ``date_format`` in the portal's one form: ``08/12/2026`` or
``14:05 08/12/2026`` (as notify.local_time writes mail and report times), the same in vi
and en, in the portal's time zone. Calls with a ``date_format`` (machine formats such as
ISO for ``data-datetime``) keep CKAN's behaviour.
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Callable

import ckan.plugins.toolkit as tk

from ckanext.smartcity.reference.labels import TIMEZONE

__all__ = ["render_datetime", "portal_date"]


def portal_date(value: Any, with_hours: bool = False, with_seconds: bool = False) -> str:
    """``dd/mm/yyyy`` (``HH:MM[:SS] dd/mm/yyyy`` with hours) in Asia/Ho_Chi_Minh; '' if none."""
    if value in (None, ""):
        return ""
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return ""
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.timezone.utc)  # CKAN stores UTC
        value = value.astimezone(TIMEZONE)
    elif not isinstance(value, dt.date):
        return ""
    day = value.strftime("%d/%m/%Y")
    if not isinstance(value, dt.datetime) or not (with_hours or with_seconds):
        return day
    return value.strftime("%H:%M:%S" if with_seconds else "%H:%M") + " " + day


@tk.chained_helper
def render_datetime(next_helper: Callable[..., str], datetime_: Any,
                    date_format: str | None = None, with_hours: bool = False,
                    with_seconds: bool = False) -> str:
    """CKAN's helper, with the portal's dd/mm/yyyy when no ``date_format`` is asked."""
    if date_format:
        return next_helper(datetime_, date_format, with_hours, with_seconds)
    shown = portal_date(datetime_, with_hours, with_seconds)
    return shown or next_helper(datetime_, date_format, with_hours, with_seconds)
