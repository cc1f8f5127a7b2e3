"""Language, labels and local time: the request's language, the vi/en pick, the readable
names of codes (domains, schema choices, administrative units) and the city's clock.

One small module that both :mod:`ckanext.smartcity.search.index` (facet item names) and
:mod:`ckanext.smartcity.web.helpers` (template helpers) import, so neither imports the other
back. CKAN and scheming are imported inside the functions that need a loaded CKAN.
"""
from __future__ import annotations

import datetime as dt
import logging
from typing import Any, Collection
from zoneinfo import ZoneInfo

from ckanext.smartcity.reference.codelists import find_admin_units, parse_date
from ckanext.smartcity.reference.domains import DATASET_TYPES, DOMAIN_LABELS
from ckanext.smartcity.reference.lists import as_list

__all__ = ["current_lang", "pick", "label_text", "domain_label", "choice_label",
           "admin_unit_name", "admin_unit_names", "value_label", "local_time", "TIMEZONE",
           "HARVEST_FREQUENCIES", "source_type_label"]

log = logging.getLogger(__name__)

#: The city's time zone: every time a page or a mail shows is in it.
TIMEZONE = ZoneInfo("Asia/Ho_Chi_Minh")


def current_lang() -> str:
    """The two-letter language of the current request, else the site default."""
    try:
        from ckan.lib.i18n import get_lang
        lang = get_lang()
    except Exception:  # outside a request (CLI, jobs, action calls in tests)
        import ckan.plugins.toolkit as tk
        lang = tk.config.get("ckan.locale_default") or "vi"
    return (lang or "vi").split("_")[0]


def pick(pair: tuple[str, str], lang: str | None = None) -> str:
    """The Vietnamese or English half of a (vi, en) pair for `lang`."""
    return pair[1] if (lang or current_lang()) == "en" else pair[0]


def label_text(label: Any, lang: str) -> str:
    """A scheming label (``{vi, en}`` or text) in ``lang``."""
    if isinstance(label, dict):
        return str(label.get(lang) or label.get("vi") or label.get("en")
                   or next(iter(label.values()), ""))
    return str(label)


def domain_label(dataset_type: str, lang: str | None = None) -> str:
    """``Y tế`` / ``Health`` for ``health``; the type itself if unknown."""
    pair = DOMAIN_LABELS.get(dataset_type)
    return pick(pair, lang) if pair else dataset_type


def _schema_field(field_name: str, dataset_type: str | None) -> dict[str, Any] | None:
    from ckanext.scheming.helpers import scheming_get_dataset_schema

    types = [dataset_type] if dataset_type else list(DATASET_TYPES)
    for type_ in types:
        schema = scheming_get_dataset_schema(type_) if type_ else None
        for field in (schema or {}).get("dataset_fields", []):
            if field.get("field_name") == field_name:
                return field
    return None


def choice_label(field_name: str, value: Any, dataset_type: str | None = None,
                 lang: str | None = None) -> str:
    """Label of a choice of a schema field (``monthly`` → ``Hằng tháng``).

    Looks in `dataset_type`'s schema, else in all five; the value itself if
    the field or the choice is unknown.
    """
    from ckanext.scheming.helpers import scheming_field_choices

    lang = lang or current_lang()
    field = _schema_field(field_name, dataset_type)
    if field is None:
        return str(value)
    try:
        choices = scheming_field_choices(field) or []
    except Exception:  # a choices_helper that needs a request
        log.debug("no choices for %s", field_name, exc_info=True)
        choices = []
    for choice in choices:
        if str(choice.get("value")) == str(value):
            return label_text(choice.get("label", value), lang)
    return str(value)


def _unit_for(code: str, at: dt.date | None) -> Any:
    periods = find_admin_units(code=str(code).strip())
    if not periods:
        return None
    if at is not None:
        for unit in periods:
            if unit.valid_on(at):
                return unit
    return periods[0]  # current period first


def admin_unit_name(code: Any, at: Any = None, lang: str | None = None) -> str:
    """Name of an administrative unit (``20194`` → ``Phường Hải Vân``).

    A code named different units over time: `at` (a date, e.g. the dataset's
    reference date or coverage start) picks the period; default the current one.
    Unknown codes come back unchanged.
    """
    lang = lang or current_lang()
    unit = _unit_for(str(code), parse_date(at))
    if unit is None:
        return str(code)
    return unit.name_en if lang == "en" else unit.full_name_vi


#: ckanext-harvest's source frequencies (its UPDATE_FREQUENCIES), as the pages name them
HARVEST_FREQUENCIES: dict[str, tuple[str, str]] = {
    "MANUAL": ("Thủ công", "Manual"),
    "MONTHLY": ("Hằng tháng", "Monthly"),
    "WEEKLY": ("Hằng tuần", "Weekly"),
    "BIWEEKLY": ("Hai tuần một lần", "Every two weeks"),
    "DAILY": ("Hằng ngày", "Daily"),
    "ALWAYS": ("Liên tục", "Always"),
}


def source_type_label(value: str, lang: str | None = None) -> str:
    """A harvester's title (``smartcity_api`` → ``API REST/JSON của sở, ngành``) in
    ``lang``: the smartcity harvesters' titles are ``"vi / en"``."""
    try:
        import ckan.plugins.toolkit as tk
        infos = tk.get_action("harvesters_info_show")({"ignore_auth": True}, {})
    except Exception:  # ckanext-harvest not loaded
        return value
    for info in infos:
        if info.get("name") == value:
            vi, _, en = str(info.get("title") or value).partition(" / ")
            return (en or vi) if (lang or current_lang()) == "en" else vi
    return value


def admin_unit_names(pkg_or_codes: Any, lang: str | None = None) -> list[dict[str, str]]:
    """``[{code, name}]`` for a dataset dict or a list of codes.

    For a dataset, the period is chosen by its reference date, else the end
    (then the start) of its temporal coverage.
    """
    at = None
    codes: Any = pkg_or_codes
    if isinstance(pkg_or_codes, dict):
        codes = pkg_or_codes.get("admin_units")
        at = (pkg_or_codes.get("reference_date") or pkg_or_codes.get("temporal_end")
              or pkg_or_codes.get("temporal_start"))
    return [{"code": code, "name": admin_unit_name(code, at, lang)} for code in as_list(codes)]


def value_label(field: str, value: str, lang: str | None = None,
                choice_fields: Collection[str] = ()) -> str | None:
    """Readable name of one facet value, or None to keep CKAN's own (``choice_fields``: the
    fields whose values are schema choices)."""
    lang = lang or current_lang()
    if field == "dataset_type":
        return domain_label(value, lang)
    if field == "admin_units":
        return admin_unit_name(value, lang=lang)
    if field == "update_frequency" or field in choice_fields:
        return choice_label(field, value, lang=lang)
    if field == "frequency" and value in HARVEST_FREQUENCIES:
        return pick(HARVEST_FREQUENCIES[value], lang)
    if field == "source_type":
        return source_type_label(value, lang)
    return None


def local_time(value: str | None) -> str:
    """An ISO time (UTC when it names no zone) as ``HH:MM dd/mm/yyyy`` in Asia/Ho_Chi_Minh,
    the one way the portal's pages and mails show a time; ``—`` for none."""
    if not value:
        return "—"
    moment = dt.datetime.fromisoformat(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return moment.astimezone(TIMEZONE).strftime("%H:%M %d/%m/%Y")
