"""DataStore downloads (``/datastore/dump/<id>``, CKAN's view) the way people open them.

- ``format``: ``csv`` (default), ``tsv``, ``json``, ``xml`` (CKAN's writers) and ``xlsx``
  (an Excel workbook written here with openpyxl in write-only mode, page by page);
  anything else is a 400 listing these formats (http_errors.py).
- A UTF-8 byte-order mark only on CSV/TSV (Excel reads BOM-less UTF-8 as a legacy code
  page), never on JSON or XML (``json.load`` and ``JSON.parse`` refuse it), even when a
  link asks ``bom=true``.
- ``labels=vi`` or ``labels=en``: CSV, TSV and XLSX headers are the data dictionary's
  labels (``info.label`` / ``info.label_en``) instead of the column ids (the default,
  what the API and scripts use); a column without a label keeps its id.
- The file is named after the dataset (``<dataset-name>.<ext>``).
"""
from __future__ import annotations

import codecs
import csv
import io
import itertools
import json
import tempfile
from collections.abc import Iterable, Iterator
from typing import Any

from flask import Response, request, send_file

import ckan.plugins.toolkit as tk

__all__ = ["DUMP_FORMATS", "LABEL_LANGS", "dataset_name", "xlsx_dump", "finish_dump",
           "header_labels"]

DUMP_FORMATS = ("csv", "tsv", "json", "xml", "xlsx")
LABEL_LANGS = ("vi", "en")
_TEXT = {"csv": ",", "tsv": "\t"}
_PAGE = 5000  # rows per datastore_search call of the XLSX writer
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def dataset_name(resource_id: str) -> str | None:
    """The name of the dataset holding ``resource_id`` (None if there is none)."""
    try:
        resource = tk.get_action("resource_show")({"ignore_auth": True}, {"id": resource_id})
        dataset = tk.get_action("package_show")({"ignore_auth": True},
                                                {"id": resource["package_id"]})
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return None
    return dataset["name"]


def header_labels(fields: Iterable[dict[str, Any]], lang: str | None) -> dict[str, str]:
    """Column id → header for ``labels=lang`` (ids where there is no label or no lang)."""
    key = {"vi": "label", "en": "label_en"}.get(lang or "")
    headers = {}
    for field in fields:
        info = field.get("info") or {}
        label = str(info.get(key) or "").strip() if key else ""
        headers[field["id"]] = label or field["id"]
    return headers


def _labels_arg() -> str | None:
    """``labels`` of the request (http_errors.check_dump refused any other value)."""
    lang = (request.args.get("labels") or "").lower()
    return lang if lang in LABEL_LANGS else None


def _context() -> dict[str, Any]:
    return {"user": tk.current_user.name if tk.current_user and
            tk.current_user.is_authenticated else None}


def _search_params() -> dict[str, Any]:
    params: dict[str, Any] = {k: request.args[k] for k in ("q", "plain", "language",
                                                              "sort", "fields")
                              if request.args.get(k)}
    if request.args.get("filters"):
        try:
            params["filters"] = json.loads(request.args["filters"])
        except ValueError:
            tk.abort(400, "filters: không phải JSON / not JSON")
    return params


def _count_arg(name: str) -> int:
    """A non-negative integer argument (0 when absent); a 400 naming it otherwise."""
    text = request.args.get(name) or "0"
    if not text.isdigit():
        tk.abort(400, f"{name}: cần một số nguyên không âm / a non-negative integer")
    return int(text)


def _fields(resource_id: str) -> list[dict[str, Any]]:
    info = tk.get_action("datastore_search")(
        _context(), {"resource_id": resource_id, "limit": 0, "include_total": False})
    return list(info["fields"])  # _id first, as CKAN's own dumps


def _rows(resource_id: str, params: dict[str, Any], ids: list[str]) -> Iterator[list[Any]]:
    search = tk.get_action("datastore_search")
    limit, offset = _count_arg("limit") or None, _count_arg("offset")
    sent = 0
    while limit is None or sent < limit:
        page = _PAGE if limit is None else min(_PAGE, limit - sent)
        found = search(_context(), dict(params, resource_id=resource_id, fields=ids,
                                        records_format="lists", limit=page,
                                        offset=offset + sent, include_total=False,
                                        sort=params.get("sort") or "_id"))
        records = found["records"]
        yield from records
        sent += len(records)
        if len(records) < page:
            return


def xlsx_dump(resource_id: str) -> Response:
    """The table (or its ``q``/``filters``/``fields`` selection) as an Excel workbook."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    lang = _labels_arg()
    try:
        fields = _fields(resource_id)
        params = _search_params()
        wanted = [f.strip() for f in str(params.pop("fields", "")).split(",") if f.strip()]
        chosen = [f for f in fields if not wanted or f["id"] in wanted]
        ids = [f["id"] for f in chosen]
        headers = header_labels(chosen, lang)
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(title="data")
        sheet.append([headers[i] for i in ids])
        for record in _rows(resource_id, params, ids):
            cells = []
            for value in record:
                if isinstance(value, str):
                    cell = WriteOnlyCell(sheet, value=value)
                    cell.data_type = "s"  # text stays text: never a formula
                    cells.append(cell)
                else:
                    cells.append(value if isinstance(value, (int, float)) or value is None
                                 else str(value))
            sheet.append(cells)
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return tk.abort(404, "Không tìm thấy bảng dữ liệu / DataStore resource not found")
    except tk.ValidationError as err:
        return tk.abort(400, "; ".join(f"{k}: {v}" for k, v in
                                       (err.error_dict or {}).items())[:500])
    out = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)
    workbook.save(out)
    out.seek(0)
    name = dataset_name(resource_id) or resource_id
    return send_file(out, mimetype=XLSX_TYPE, as_attachment=True,  # type: ignore[arg-type]
                     download_name=f"{name}.xlsx")


def _relabel(body: Iterable[bytes], headers: dict[str, str], delimiter: str) -> Iterator[bytes]:
    """``body`` with its first line's column ids replaced by ``headers``."""
    chunks = iter(body)
    head = b""
    for chunk in chunks:
        head += chunk if isinstance(chunk, bytes) else chunk.encode("utf-8")
        if b"\n" in head:
            break
    line, newline, rest = head.partition(b"\n")
    bom = line.startswith(codecs.BOM_UTF8)
    text = line[3:].decode("utf-8") if bom else line.decode("utf-8")
    names = next(csv.reader([text.rstrip("\r")], delimiter=delimiter), [])
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r" if text.endswith("\r")
               else "").writerow([headers.get(n, n) for n in names])
    yield (codecs.BOM_UTF8 if bom else b"") + out.getvalue().encode("utf-8") + newline + rest
    yield from chunks


def _without_bom(body: Iterable[bytes]) -> Iterator[bytes]:
    first = True
    for chunk in body:
        if first and chunk:
            first = False
            if isinstance(chunk, bytes) and chunk.startswith(codecs.BOM_UTF8):
                chunk = chunk[len(codecs.BOM_UTF8):]
            elif isinstance(chunk, str):
                chunk = chunk.lstrip("\ufeff")
        yield chunk


def finish_dump(response: Response, fmt: str, resource_id: str) -> Response:
    """CKAN's dump answer with the portal's BOM policy, labels and file name."""
    name = dataset_name(resource_id) if resource_id else None
    if name:
        response.headers["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    if fmt in _TEXT:
        lang = _labels_arg()
        if lang:
            headers = header_labels(_fields(resource_id), lang)
            response.response = _relabel(response.response, headers,  # type: ignore[assignment]
                                         _TEXT[fmt])
        if "bom" not in request.args:
            response.response = itertools.chain(  # type: ignore[assignment]
                [codecs.BOM_UTF8], response.response)
    elif fmt in ("json", "xml"):  # never a BOM
        response.response = _without_bom(response.response)  # type: ignore[assignment]
    return response
