"""ckanext-harvest's admin pages in the portal's words (template helpers).

- ``smartcity_source_form``: the source form as ckanext-harvest renders it, with its
  literal English ("Source type", the http(s)-only URL hint) in the page's language, the
  department list showing departments' titles instead of their URL names.
- ``smartcity_pretty_config``: a source's JSON config indented for the form's editor
  (text that is not JSON is left as it is, for the validator to name).
- ``smartcity_last_job``: the last job of a source for the harvest list's status column.
"""
from __future__ import annotations

import html
import json
import re
from typing import Any

from markupsafe import Markup

import ckan.plugins.toolkit as tk

from ckanext.smartcity.reference.labels import current_lang, pick

__all__ = ["smartcity_source_form", "smartcity_pretty_config", "smartcity_last_job",
           "JOB_STATUS"]

_SOURCE_TYPE = re.compile(r'<label class="control-label">\s*Source type\s*</label>')
_URL_HINT = re.compile(r'(<span class="info-block">)\s*[^<]*?http://[^<]*?\s*(</span>)')
_ORG_OPTION = re.compile(r'(<option value="(?P<id>[0-9a-f-]{36})"[^>]*>)(?P<name>[^<]*)(</option>)')

URL_HINT = ("Địa chỉ của hệ thống nguồn, kể cả giao thức: https://… (API), "
            "postgresql://… hoặc mysql://… (cơ sở dữ liệu), file://… (thư mục tệp)",
            "The source system's address with its scheme: https://… (API), "
            "postgresql://… or mysql://… (database), file://… (file folder)")

#: ckanext-harvest's job statuses → (vi, en, Bootstrap badge class)
JOB_STATUS: dict[str, tuple[str, str, str]] = {
    "New": ("Đang chờ", "Queued", "bg-info"),
    "Running": ("Đang chạy", "Running", "bg-info"),
    "Finished": ("Hoàn tất", "Finished", "bg-success"),
    "Aborted": ("Đã dừng", "Aborted", "bg-warning"),
}


def smartcity_source_form(rendered: str) -> Markup:
    """The rendered source form with its English literals and slugs replaced."""
    lang = current_lang()
    out = _SOURCE_TYPE.sub(
        f'<label class="control-label">{html.escape(pick(("Loại nguồn", "Source type"), lang))}'
        '</label>', str(rendered))
    out = _URL_HINT.sub(lambda m: f"{m.group(1)}{html.escape(pick(URL_HINT, lang))}"
                                  f"{m.group(2)}", out, count=1)
    titles = {o["id"]: o.get("display_name") or o.get("title") or o["name"]
              for o in tk.h.organizations_available("create_dataset")}
    out = _ORG_OPTION.sub(lambda m: m.group(1) + html.escape(titles.get(m.group("id"),
                                                                        html.unescape(m.group("name"))))
                          + m.group(4), out)
    return Markup(out)


def smartcity_pretty_config(config: Any) -> str:
    """``config`` indented two spaces per level (keys in their order), else as given."""
    if not config:
        return ""
    if isinstance(config, (dict, list)):
        return json.dumps(config, ensure_ascii=False, indent=2)
    try:
        return json.dumps(json.loads(config), ensure_ascii=False, indent=2)
    except (TypeError, ValueError):
        return str(config)


def smartcity_last_job(source: dict[str, Any]) -> dict[str, Any] | None:
    """``{status, label, badge, finished, errored}`` of the source's last job, or None."""
    job = (source.get("status") or {}).get("last_job") if isinstance(
        source.get("status"), dict) else None
    if job is None:
        try:
            shown = tk.get_action("harvest_source_show_status")(
                {"user": tk.current_user.name if tk.current_user else None},
                {"id": source["id"]})
        except (tk.ObjectNotFound, tk.NotAuthorized, KeyError):
            return None
        job = shown.get("last_job")
    if not job:
        return None
    vi, en, badge = JOB_STATUS.get(job.get("status") or "", (job.get("status"), job.get("status"),
                                                             "bg-secondary"))
    errored = int((job.get("stats") or {}).get("errored") or 0)
    if job.get("status") == "Finished" and errored:
        vi, en, badge = "Hoàn tất, có lỗi", "Finished with errors", "bg-danger"
    return {"status": job.get("status"), "label": pick((vi, en)), "badge": badge,
            "finished": job.get("finished"), "errored": errored}
