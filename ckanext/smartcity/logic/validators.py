"""Validators of the smart-city dataset schemas (registered through tk.blanket.validators).

Field validators check one value; ``smartcity_dataset_rules`` runs after them
(scheming ``after_validators``) and checks the rules that join several fields.
Messages come from ``schemas/messages.yaml`` in the request's language
(Vietnamese unless the URL asks for English).

Multi-valued fields follow scheming's convention: the validator stores a JSON
list string, ``scheming_multiple_choice_output`` turns it back into a list.
"""
from __future__ import annotations

import datetime as dt
import functools
import json
import os
import re
from typing import Any, Callable

import yaml

import ckan.plugins.toolkit as tk
from ckan.lib.navl.dictization_functions import Invalid, missing
from ckanext.scheming.validation import scheming_validator

from ckanext.smartcity.reference import codelists, labels
from ckanext.smartcity.privacy.record import PrivacyReport
from ckanext.smartcity.reference.lists import parse_list
from ckanext.smartcity.reference.slugs import vi_slug

__all__ = [
    "smartcity_choice",
    "smartcity_multiple_choice",
    "smartcity_admin_units",
    "smartcity_date",
    "smartcity_email",
    "smartcity_min_cell_size",
    "smartcity_school_year",
    "smartcity_count",
    "smartcity_column_names",
    "smartcity_privacy_report",
    "smartcity_json_object",
    "smartcity_dataset_rules",
    "smartcity_keep_provenance",
    "smartcity_name_from_title",
]

_MESSAGES_FILE = os.path.join(codelists.CODELIST_DIR, os.pardir, "messages.yaml")
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_EMAIL_RE = re.compile(
    r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+$"
)
_SCHOOL_YEAR_RE = re.compile(r"^(\d{4})-(\d{4})$")


@functools.lru_cache(maxsize=1)
def _messages() -> dict[str, dict[str, str]]:
    with open(_MESSAGES_FILE, encoding="utf-8") as f:
        return yaml.safe_load(f)


def message(key: str, **values: Any) -> str:
    """The message ``key`` of ``messages.yaml`` in the current language, formatted."""
    texts = _messages()[key]
    text = texts.get(labels.current_lang()) or texts["vi"]
    return text.format(**values)


def _is_empty(value: Any) -> bool:
    return value is missing or value is None or value == "" or value == []


def _allowed_values(field: dict[str, Any]) -> list[str]:
    if "choices" in field:
        return [str(c["value"]) for c in field["choices"]]
    if "codelist" in field:
        return codelists.codelist_codes(field["codelist"])
    raise ValueError(f"field {field.get('field_name')!r} has neither choices nor codelist")


def _reject_message(field: dict[str, Any], value: Any, allowed: list[str]) -> str:
    if "codelist" in field:
        return message("unknown_code", value=value, codelist=field["codelist"])
    return message("unknown_choice", value=value, allowed=", ".join(allowed))


@scheming_validator
def smartcity_choice(field: dict[str, Any], schema: dict[str, Any]) -> Callable[[Any], Any]:
    """One value from the field's ``choices`` (or its ``codelist``); empty passes."""
    allowed = _allowed_values(field)

    def validator(value: Any) -> Any:
        if _is_empty(value):
            return value
        if str(value) not in allowed:
            raise Invalid(_reject_message(field, value, allowed))
        return str(value)

    return validator


def _as_list(value: Any) -> list[Any] | None:
    """A submitted multi-value as a list: lists pass, a JSON list or single string is
    wrapped; ``None`` for what is not a list (the validator reports it)."""
    if _is_empty(value):
        return []
    try:
        return parse_list(value, separators="")
    except ValueError:
        return None


def _multi_validator(
    field: dict[str, Any],
    allowed: list[str],
    reject: Callable[[Any], str],
    keep_allowed_order: bool,
    required_message: str = "select_one",
) -> Callable[..., None]:
    allowed_set = set(allowed)

    def validator(key: tuple[Any, ...], data: dict[Any, Any],
                  errors: dict[Any, list[str]], context: Any) -> None:
        if errors.get(key):
            return
        values = _as_list(data.get(key, missing))
        if values is None:
            errors[key].append(message("not_a_list"))
            return
        values = [str(v).strip() for v in values if not _is_empty(v)]
        bad = [v for v in values if v not in allowed_set]
        for v in bad:
            errors[key].append(reject(v))
        if bad:
            return
        if field.get("required") and not values:
            errors[key].append(message(required_message))
            return
        if keep_allowed_order:
            chosen = set(values)
            values = [v for v in allowed if v in chosen]
        else:
            values = list(dict.fromkeys(values))
        data[key] = json.dumps(values)

    return validator


@scheming_validator
def smartcity_multiple_choice(field: dict[str, Any], schema: dict[str, Any]) -> Callable[..., None]:
    """Zero or more values from ``choices``/``codelist``, stored as a JSON list in choice order."""
    allowed = _allowed_values(field)
    return _multi_validator(field, allowed, lambda v: _reject_message(field, v, allowed), True)


@scheming_validator
def smartcity_admin_units(field: dict[str, Any], schema: dict[str, Any]) -> Callable[..., None]:
    """Codes of the Da Nang admin-unit list (any period), stored as a JSON list in input order.

    Whether each code was valid during the dataset's temporal coverage is
    checked by ``smartcity_dataset_rules``, once the dates are known.
    """
    allowed = list(dict.fromkeys(u.code for u in codelists.admin_units()))
    return _multi_validator(
        field, allowed, lambda v: message("unknown_admin_unit", value=v), False,
        "select_admin_units")


def smartcity_date(value: Any) -> Any:
    """A calendar date ``YYYY-MM-DD`` (or a date object), stored as ISO text; empty passes."""
    if _is_empty(value):
        return value
    if isinstance(value, (dt.date, dt.datetime)):
        return codelists.parse_date(value).isoformat()  # type: ignore[union-attr]
    text = str(value).strip()
    day = codelists.parse_date(text) if _DATE_RE.match(text) else None
    if day is None:
        raise Invalid(message("bad_date", value=value))
    return day.isoformat()


def smartcity_email(value: Any) -> Any:
    """A syntactically valid e-mail address; empty passes."""
    if _is_empty(value):
        return value
    text = str(value).strip()
    if len(text) > 254 or not _EMAIL_RE.match(text):
        raise Invalid(message("bad_email", value=value))
    return text


def smartcity_min_cell_size(value: Any) -> Any:
    """A whole number of at least 3 (smaller counts are suppressed); empty passes."""
    if _is_empty(value):
        return value
    if isinstance(value, bool):
        raise Invalid(message("bad_integer", value=value))
    try:
        number = int(str(value).strip())
    except ValueError:
        raise Invalid(message("bad_integer", value=value))
    if number < 3:
        raise Invalid(message("min_cell_size_too_small", value=number))
    return number


def smartcity_school_year(value: Any) -> Any:
    """A school year ``YYYY-YYYY`` whose second year follows the first; empty passes."""
    if _is_empty(value):
        return value
    text = str(value).strip()
    match = _SCHOOL_YEAR_RE.match(text)
    if not match or int(match.group(2)) != int(match.group(1)) + 1:
        raise Invalid(message("bad_school_year", value=value))
    return text


def smartcity_count(value: Any) -> Any:
    """A non-negative whole number (``row_count``), stored as its decimal text; empty passes."""
    if _is_empty(value):
        return value
    if isinstance(value, bool):
        raise Invalid(message("bad_count", value=value))
    try:
        number = int(str(value).strip())
    except ValueError:
        raise Invalid(message("bad_count", value=value)) from None
    if number < 0:
        raise Invalid(message("bad_count", value=value))
    return str(number)


def smartcity_column_names(value: Any) -> Any:
    """Column names (a list, JSON list text or comma-separated text), stored as a JSON list;
    empty passes. The privacy gate reads them as the dataset's count columns."""
    if _is_empty(value):
        return value
    if isinstance(value, str):
        text = value.strip()
        try:
            loaded = json.loads(text) if text.startswith("[") else None
        except ValueError:
            loaded = None
        if loaded is None:
            # comma-separated, or a list shown back in the form
            loaded = [part.strip().strip("[]'\" ") for part in text.split(",")]
        value = loaded
    if not isinstance(value, (list, tuple)):
        raise Invalid(message("not_a_list"))
    names = list(dict.fromkeys(str(v).strip() for v in value if str(v).strip()))
    return json.dumps(names, ensure_ascii=False) if names else ""


def smartcity_privacy_report(value: Any) -> Any:
    """The guard's report (an object or its JSON text) in the one shape
    :class:`~ckanext.smartcity.privacy.record.PrivacyReport` reads; stored as canonical
    JSON text. Empty passes."""
    if _is_empty(value):
        return value
    try:
        return PrivacyReport.from_dict(value).to_json()
    except ValueError as err:
        raise Invalid(message("bad_privacy_report", cause=str(err))) from None


def smartcity_json_object(value: Any) -> Any:
    """Output validator: JSON text stored in an extra → the object it encodes.

    An object passes unchanged (``package_show`` of an indexed dict); text that is
    not JSON is returned as is rather than failing the whole dataset.
    """
    if isinstance(value, str) and value.strip().startswith(("{", "[")):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _value(data: dict[Any, Any], name: str) -> Any:
    value = data.get((name,), missing)
    return None if _is_empty(value) else value


def _add_error(errors: dict[Any, list[str]], name: str, text: str) -> None:
    errors.setdefault((name,), []).append(text)


def _is_private(data: dict[Any, Any], context: Any) -> bool:
    value = data.get(("private",), missing)
    if value is missing or value is None:
        package = context.get("package") if hasattr(context, "get") else None
        return bool(getattr(package, "private", False))
    return tk.asbool(value)


def smartcity_dataset_rules(key: Any, data: dict[Any, Any],
                            errors: dict[Any, list[str]], context: Any) -> None:
    """Rules joining several fields; each error is keyed by the field to correct.

    * ``temporal_end`` is not before ``temporal_start``;
    * only ``data_classification: open`` datasets may be public;
    * ``min_cell_size`` is required when ``personal_data`` is ``aggregated``;
    * ``spatial_level: district`` needs a coverage starting before 2025-07-01;
    * every ``admin_units`` code was valid at some time within the coverage.
    """
    def clean(name: str) -> bool:
        return not errors.get((name,))

    start = codelists.parse_date(_value(data, "temporal_start")) if clean("temporal_start") else None
    end = codelists.parse_date(_value(data, "temporal_end")) if clean("temporal_end") else None
    if start and end and end < start:
        _add_error(errors, "temporal_end",
                   message("end_before_start", start=start.isoformat(), end=end.isoformat()))
        start = end = None  # a reversed period says nothing about coverage

    classification = _value(data, "data_classification")
    if (clean("data_classification") and classification and classification != "open"
            and not _is_private(data, context)):
        _add_error(errors, "data_classification", message("not_open_public", value=classification))

    if (_value(data, "personal_data") == "aggregated" and clean("min_cell_size")
            and _value(data, "min_cell_size") is None):
        _add_error(errors, "min_cell_size", message("min_cell_size_required"))

    if _value(data, "spatial_level") == "district" and clean("temporal_start") and (
            start is None or start >= codelists.REFORM_DATE):
        shown = start.isoformat() if start else message("open_ended")
        _add_error(errors, "spatial_level", message("district_after_reform", start=shown))

    codes = _value(data, "admin_units")
    if codes is None or not clean("admin_units") or errors.get(("temporal_end",)):
        return
    for code in json.loads(codes) if isinstance(codes, str) else codes:
        periods = codelists.find_admin_units(code=code)
        if periods and not any(p.overlaps(start, end) for p in periods):
            names = "; ".join(f"{p.full_name_vi} ({p.period_label(labels.current_lang())})"
                              for p in periods)
            _add_error(errors, "admin_units", message(
                "admin_unit_out_of_period", value=code, names=names,
                start=start.isoformat() if start else message("open_ended"),
                end=end.isoformat() if end else message("open_ended")))


def smartcity_keep_provenance(key: tuple[Any, ...], data: dict[Any, Any],
                              errors: dict[Any, Any], context: dict[str, Any]) -> None:
    """Provenance fields (``row_count``, ``content_hash``, ``privacy_report`` …) are
    written by the harvest alone: any other writer — the web form, which has no such
    field, or an API call — keeps the stored value, whatever it sent (fails closed)."""
    from ckan.lib.navl.dictization_functions import missing

    from ckanext.smartcity.pipeline.publish import PROVENANCE_WRITER

    if context.get(PROVENANCE_WRITER):
        return
    package = context.get("package")
    stored = (package.extras or {}).get(key[-1]) if package is not None else None
    data[key] = missing if stored in (None, "") else stored


def smartcity_name_from_title(key: tuple[Any, ...], data: dict[Any, Any],
                              errors: dict[Any, list[str]], context: Any) -> None:
    """An empty URL name is made from the title, marks dropped (slugs.vi_slug): the same
    name the form's preview shows (public/smartcity/slug.js), also without JavaScript."""
    if _is_empty(data.get(key)) and not _is_empty(data.get(("title",))):
        data[key] = vi_slug(str(data[("title",)]))
