"""Clean 4xx answers where CKAN's views let an exception through as a 500.

* ``/datastore/dump/<id>``: an unknown ``format`` is a 400 naming the allowed ones (csv,
  tsv, json, xml, xlsx — XLSX is answered by downloads.py); an id that is not a resource of the portal (``_table_metadata``, a
  table with no resource) is a 404 before CKAN's view reaches its resource lookup.
* Any view that lets ``ObjectNotFound``, ``NotAuthorized`` or ``ValidationError`` escape
  (``/dataset/changes_multiple`` with a missing or unknown activity id, for instance)
  answers 404, 403 or 400 instead of a 500; the message is CKAN's own, never a trace.
"""
from __future__ import annotations

from typing import Any

from flask import Blueprint, request

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.smartcity.web.downloads import DUMP_FORMATS, LABEL_LANGS, xlsx_dump

__all__ = ["http_errors"]

http_errors = Blueprint("smartcity_http_errors", __name__)


@http_errors.before_app_request
def check_dump() -> Any:
    """Refuse a DataStore dump CKAN would answer with a 500."""
    if request.endpoint != "datastore.dump":
        return
    fmt = (request.args.get("format") or "csv").lower()
    if fmt not in DUMP_FORMATS:
        tk.abort(400, f"Định dạng “{fmt[:20]}” không được hỗ trợ; hãy dùng một trong "
                      f"{', '.join(DUMP_FORMATS)} / unsupported format “{fmt[:20]}”; "
                      f"allowed: {', '.join(DUMP_FORMATS)}")
    labels = (request.args.get("labels") or "").lower()
    if labels and labels not in LABEL_LANGS:
        tk.abort(400, f"labels: hãy dùng {' hoặc '.join(LABEL_LANGS)} / use "
                      f"{' or '.join(LABEL_LANGS)}")
    resource_id = (request.view_args or {}).get("resource_id", "")
    if model.Resource.get(resource_id) is None:
        tk.abort(404, "Không tìm thấy bảng dữ liệu / DataStore resource not found")
    if fmt == "xlsx":  # CKAN has no XLSX writer: downloads.py answers it
        return xlsx_dump(resource_id)


def _message(err: Any) -> str:
    if isinstance(err, tk.ValidationError):
        return "; ".join(f"{key}: {' '.join(map(str, value)) if isinstance(value, list) else value}"
                         for key, value in (err.error_dict or {}).items()
                         if key != "info")[:500]
    return str(getattr(err, "message", "") or err)[:500]


def _page(code: int, name: str, content: str) -> Any:
    """CKAN's own error page (as its handler of HTTP errors renders it)."""
    try:
        return tk.render("error_document_template.html",
                         {"code": code, "content": content, "name": name}), code
    except Exception:  # noqa: BLE001 - no template context: plain text
        return content, code, {"Content-Type": "text/plain; charset=utf-8"}


@http_errors.app_errorhandler(tk.ObjectNotFound)
def not_found(err: Exception) -> Any:
    return _page(404, "Not Found", _message(err) or "Không tìm thấy / not found")


@http_errors.app_errorhandler(tk.NotAuthorized)
def not_authorized(err: Exception) -> Any:
    return _page(403, "Forbidden", _message(err) or "Không có quyền / not authorized")


@http_errors.app_errorhandler(tk.ValidationError)
def invalid(err: Exception) -> Any:
    return _page(400, "Bad Request", _message(err) or "Yêu cầu không hợp lệ / invalid request")
