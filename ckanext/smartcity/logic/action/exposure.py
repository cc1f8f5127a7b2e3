"""What CKAN core and ckanext-harvest answer, cut to what the caller may know.

* Activity streams and activity pages (``*_activity_list``, ``activity_show``,
  ``activity_data_show``, ``activity_diff``): a harvest source's ``url`` and ``config``
  (connection strings, queries, env names) only for those who may update the source.
* Harvest errors (``harvest_job_report``, ``harvest_job_show``, ``harvest_job_list``,
  ``harvest_source_show_status``): for those who may not update the source, paths,
  URLs and environment-variable names in the messages become "…".
* DataStore errors (``datastore_search``, ``datastore_search_sql``): the generated SQL,
  its parameters and PostgreSQL's echo of it only for sysadmins.
* Private things out of core lists: ``_table_metadata`` rows (``datastore_search``) of
  resources the caller cannot read, tags used only by private datasets the caller cannot
  read (``tag_list``), private datasets in ``member_list``.
"""
from __future__ import annotations

import difflib
import json
import re
from typing import Any

import sqlalchemy as sa

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan import authz
from ckan.logic import auth_audit_exempt
from ckan.types import Action, Context, DataDict

from ckanext.smartcity.harvesters import sources as harvest_sources

__all__ = ["tag_list", "member_list", "scrub"]
ACTIVITY = ["package_activity_list", "organization_activity_list", "group_activity_list",
            "recently_changed_packages_activity_list", "dashboard_activity_list",
            "user_activity_list", "activity_show", "activity_data_show", "activity_diff"]
HARVEST = ["harvest_job_report", "harvest_job_show", "harvest_job_list",
           "harvest_source_show_status"]
DATASTORE = ["datastore_search", "datastore_search_sql"]

HIDDEN = "…"
#: absolute paths, URLs (any scheme) and UPPER_CASE_NAMES (environment variables)
_SECRETS = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*://[^\s'\"<>)]+"
                      r"|(?<![\w/.])(?:~|\.{0,2})/[^\s'\"<>:,;)]+"
                      r"|\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b")


def _sysadmin(context: Context) -> bool:
    return bool(context.get("ignore_auth")) or authz.is_sysadmin(context.get("user"))


def scrub(text: Any) -> Any:
    """``text`` with paths, URLs and environment-variable names replaced by "…"."""
    return _SECRETS.sub(HIDDEN, text) if isinstance(text, str) else text


# activity streams


def _redact_package(context: Context, package: Any) -> bool:
    """Drop a harvest source's private keys when the user may not update it; True when
    something was dropped."""
    if not isinstance(package, dict) or package.get("type") != harvest_sources.SOURCE_TYPE:
        return False
    if package.get("id") and harvest_sources.can_edit(context, package["id"]):
        return False
    for key in harvest_sources.PRIVATE_KEYS:
        package.pop(key, None)
    package["extras"] = [extra for extra in package.get("extras") or []
                         if extra.get("key") not in harvest_sources.PRIVATE_KEYS]
    return True


def _redact_activity(context: Context, activity: Any) -> Any:
    if isinstance(activity, dict) and isinstance(activity.get("data"), dict):
        _redact_package(context, activity["data"].get("package"))
    return activity


def _activity_list(name: str) -> Any:
    @tk.chained_action
    @tk.side_effect_free
    def chained(up_func: Action, context: Context, data_dict: DataDict) -> Any:
        return [_redact_activity(context, activity)
                for activity in up_func(context, data_dict)]
    chained.__name__ = name
    chained.__doc__ = (f"CKAN's ``{name}``; harvest sources' ``url``/``config`` only for "
                       "those who may update them.")
    return chained


package_activity_list = _activity_list("package_activity_list")
organization_activity_list = _activity_list("organization_activity_list")
group_activity_list = _activity_list("group_activity_list")
recently_changed_packages_activity_list = _activity_list(
    "recently_changed_packages_activity_list")
dashboard_activity_list = _activity_list("dashboard_activity_list")
user_activity_list = _activity_list("user_activity_list")


@tk.chained_action
@tk.side_effect_free
def activity_show(up_func: Action, context: Context, data_dict: DataDict) -> Any:
    """CKAN's ``activity_show``, harvest source config only for its editors."""
    return _redact_activity(context, up_func(context, data_dict))


@tk.chained_action
@tk.side_effect_free
def activity_data_show(up_func: Action, context: Context, data_dict: DataDict) -> Any:
    """CKAN's ``activity_data_show``, harvest source config only for its editors."""
    data = up_func(context, data_dict)
    if isinstance(data, dict):
        _redact_package(context, data.get("package", data))
    return data


@tk.chained_action
@tk.side_effect_free
def activity_diff(up_func: Action, context: Context, data_dict: DataDict) -> Any:
    """CKAN's ``activity_diff``; for a harvest source the user may not update, the diff
    is recomputed without its ``url``/``config``."""
    result = up_func(context, data_dict)
    activities = result.get("activities") or []
    redacted = [_redact_package(context, (a.get("data") or {}).get("package"))
                for a in activities]
    if any(redacted) and len(activities) == 2:
        objs = [(a.get("data") or {}).get(data_dict.get("object_type") or "package")
                for a in activities]
        lines = [json.dumps(obj, indent=2, sort_keys=True).split("\n") for obj in objs]
        style = data_dict.get("diff_type", "unified")
        if style == "html":
            result["diff"] = difflib.HtmlDiff().make_table(*lines)
        elif style == "context":
            result["diff"] = "\n".join(difflib.context_diff(*lines))
        else:
            result["diff"] = "\n".join(difflib.unified_diff(*lines))
    return result


# harvest errors


def _scrub_errors(value: Any) -> Any:
    """Every ``message`` (and plain string lists of errors) scrubbed, recursively."""
    if isinstance(value, dict):
        return {k: (scrub(v) if k in ("message", "error") else _scrub_errors(v))
                for k, v in value.items()}
    if isinstance(value, list):
        return [_scrub_errors(v) for v in value]
    return value


def _source_of(name: str, data_dict: DataDict, result: Any) -> str | None:
    if name == "harvest_source_show_status":
        return data_dict.get("id")
    if name == "harvest_job_list":
        return data_dict.get("source_id")
    if isinstance(result, dict):
        job = result.get("job") if name == "harvest_job_report" else result
        if isinstance(job, dict):
            return job.get("source_id")
    return None


def _harvest(name: str) -> Any:
    # the wrapped action checks its own access (ckanext-harvest checks another name than
    # the action's, which CKAN's audit of a chained action does not see)
    @tk.chained_action
    @tk.side_effect_free
    @auth_audit_exempt
    def chained(up_func: Action, context: Context, data_dict: DataDict) -> Any:
        result = up_func(context, data_dict)
        if context.get("ignore_auth") or _sysadmin(context):
            return result  # the portal's own code (never set from a request), sysadmins
        if name == "harvest_job_list":
            return [job if harvest_sources.can_edit(context, job.get("source_id") or "")
                    else _scrub_errors(job) for job in result]
        source = _source_of(name, data_dict, result)
        package = model.Package.get(source) if source else None
        if package is not None and harvest_sources.can_edit(context, package.id):
            return result
        return _scrub_errors(result)
    chained.__name__ = name
    chained.__doc__ = (f"ckanext-harvest's ``{name}``; error texts without paths, URLs or "
                       "env names for those who may not update the source.")
    return chained


harvest_job_report = _harvest("harvest_job_report")
harvest_job_show = _harvest("harvest_job_show")
harvest_job_list = _harvest("harvest_job_list")
harvest_source_show_status = _harvest("harvest_source_show_status")


# DataStore


def _clean_validation(err: tk.ValidationError) -> tk.ValidationError:
    errors = dict(err.error_dict)
    errors.pop("info", None)
    for key, messages in list(errors.items()):
        if isinstance(messages, list):
            errors[key] = [str(m).split("\n")[0].split("[SQL:")[0].strip()
                           if isinstance(m, str) else m for m in messages]
        elif isinstance(messages, str):
            errors[key] = messages.split("\n")[0].split("[SQL:")[0].strip()
    return tk.ValidationError(errors)


def _readable_resource(context: Context, resource_id: Any) -> bool:
    check = {"user": context.get("user"), "auth_user_obj": context.get("auth_user_obj"),
             "model": model, "session": model.Session}
    try:
        tk.check_access("resource_show", check, {"id": resource_id})
    except Exception:  # noqa: BLE001 - not found, not allowed, any doubt: hidden
        return False
    return True


def _datastore(name: str) -> Any:
    # the wrapped action checks its own access (none for the public ``_table_metadata``)
    @tk.chained_action
    @tk.side_effect_free
    @auth_audit_exempt
    def chained(up_func: Action, context: Context, data_dict: DataDict) -> Any:
        try:
            result = up_func(context, data_dict)
        except tk.ValidationError as err:
            if _sysadmin(context):
                raise
            raise _clean_validation(err) from None
        if (name == "datastore_search" and data_dict.get("resource_id") == "_table_metadata"
                and not _sysadmin(context)):
            records = result.get("records") or []
            kept = [r for r in records if isinstance(r, dict) and _readable_resource(
                context, r.get("alias_of") or r.get("name"))]
            result["records"] = kept
            if "total" in result:
                result["total"] = max(0, int(result["total"]) - (len(records) - len(kept)))
        return result
    chained.__name__ = name
    chained.__doc__ = (f"ckanext-datastore's ``{name}``; the SQL of an error only for "
                       "sysadmins; ``_table_metadata`` rows only of readable resources.")
    return chained


datastore_search = _datastore("datastore_search")
datastore_search_sql = _datastore("datastore_search_sql")


# core lists


def _readable_orgs(context: Context) -> list[str]:
    user = model.User.get(context.get("user") or "") if context.get("user") else None
    if user is None:
        return []
    return [m.group_id for m in model.Session.query(model.Member)
            .filter(model.Member.table_name == "user", model.Member.table_id == user.id,
                    model.Member.state == "active")]


@tk.chained_action
@tk.side_effect_free
def tag_list(up_func: Action, context: Context, data_dict: DataDict) -> Any:
    """CKAN's ``tag_list`` without tags used only by datasets the caller cannot read
    (private datasets of departments the caller is not a member of)."""
    result = up_func(context, data_dict)
    if _sysadmin(context) or not result:
        return result
    visible = sa.or_(model.Package.private == False,  # noqa: E712
                     model.Package.owner_org.in_(_readable_orgs(context) or [""]))
    names = {name for (name,) in model.Session.query(model.Tag.name)
             .join(model.PackageTag, model.PackageTag.tag_id == model.Tag.id)
             .join(model.Package, model.Package.id == model.PackageTag.package_id)
             .filter(model.PackageTag.state == "active", model.Package.state == "active")
             .filter(visible).distinct()}
    return [tag for tag in result
            if (tag.get("name") if isinstance(tag, dict) else tag) in names]


@tk.chained_action
@tk.side_effect_free
def member_list(up_func: Action, context: Context, data_dict: DataDict) -> Any:
    """CKAN's ``member_list`` without the private datasets the caller cannot read."""
    result = up_func(context, data_dict)
    if _sysadmin(context):
        return result
    check = {"user": context.get("user"), "auth_user_obj": context.get("auth_user_obj"),
             "model": model, "session": model.Session}
    kept = []
    for member in result:
        if member[1] == "package":
            package = model.Package.get(member[0])
            if package is None or package.private:
                try:
                    tk.check_access("package_show", dict(check), {"id": member[0]})
                except Exception:  # noqa: BLE001 - hidden when in doubt
                    continue
        kept.append(member)
    return kept
