"""JSON, GeoJSON and XML documents as tables, so the gate checks them (no CKAN imports).

:func:`to_csv` turns a document into a CSV file of its records, which the gate then reads
like any upload — the same detectors, the same messages:

* **JSON**: a top-level array's items; else the first array of objects among a top-level
  object's values; else the object itself. **GeoJSON**: each feature's ``properties``.
* **XML**: each child of the root element is a record; its attributes (``@name``) and the
  text of its descendants (``a.b``) are the fields. A DOCTYPE or entity declaration is
  refused (no entity expansion, no external entities).
* Nested objects become ``parent.child`` columns, arrays their JSON text.

Bounded: the document at most ``max_structured_bytes``, nesting at most
``max_nesting_depth`` (counted before parsing, outside strings), at most ``max_columns``
fields. Errors are :class:`~ckanext.smartcity.readers.limits.LimitError` (vi / en).
"""
from __future__ import annotations

import csv
import json
import re
from pathlib import Path
from typing import Any
from xml.parsers import expat

from ckanext.smartcity.readers.limits import LimitError, Limits, size

__all__ = ["to_csv"]

_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.S)
_BRACKET = re.compile(r"[\[\]{}]")


def _refuse(name: str, vi: str, en: str) -> LimitError:
    return LimitError(f"{name}: {vi} / {name}: {en}")


def _deep(name: str, limits: Limits) -> LimitError:
    return _refuse(name, f"lồng sâu quá {limits.max_nesting_depth} cấp",
                   f"nested deeper than {limits.max_nesting_depth} levels (limit "
                   f"max_nesting_depth); flatten the records")


def _json_depth(text: str, name: str, limits: Limits) -> None:
    depth = 0
    for match in _BRACKET.finditer(_STRING.sub("", text)):
        depth += 1 if match.group() in "[{" else -1
        if depth > limits.max_nesting_depth:
            raise _deep(name, limits)


def _flat(value: Any, prefix: str, out: dict[str, Any]) -> None:
    if isinstance(value, dict):
        for key, inner in value.items():
            _flat(inner, f"{prefix}.{key}" if prefix else str(key), out)
    elif isinstance(value, list):
        out[prefix or "value"] = json.dumps(value, ensure_ascii=False)
    else:
        out[prefix or "value"] = value


def _json_records(document: Any, kind: str) -> list[Any]:
    if kind == "geojson" and isinstance(document, dict):
        features = document.get("features") if document.get("type") == "FeatureCollection" \
            else [document]
        return [f.get("properties") or {} for f in features or [] if isinstance(f, dict)]
    if isinstance(document, list):
        return document
    if isinstance(document, dict):
        for value in document.values():
            if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
                return value
        return [document]
    return [document]


def _rows(items: list[Any]) -> list[dict[str, Any]]:
    rows = []
    for item in items:
        row: dict[str, Any] = {}
        if isinstance(item, list):
            item = {str(i + 1): v for i, v in enumerate(item)}
        _flat(item, "", row)
        rows.append(row)
    return rows


class _XmlRecords:
    """expat handlers collecting the root's children as flat records."""

    def __init__(self, name: str, limits: Limits) -> None:
        self.name, self.limits = name, limits
        self.records: list[dict[str, Any]] = []
        self.path: list[str] = []
        self.text: list[str] = []

    def refuse_dtd(self, *_: Any) -> None:
        raise _refuse(self.name, "XML có khai báo DOCTYPE/ENTITY, không được nhận",
                      "XML with a DOCTYPE or entity declaration is not accepted; remove it")

    def start(self, tag: str, attributes: dict[str, str]) -> None:
        self.path.append(tag)
        if len(self.path) > self.limits.max_nesting_depth:
            raise _deep(self.name, self.limits)
        self.text = []
        if len(self.path) == 2:
            self.records.append({f"@{k}": v for k, v in attributes.items()})
        elif len(self.path) > 2:
            field = ".".join(self.path[2:])
            for key, value in attributes.items():
                self.records[-1][f"{field}@{key}"] = value

    def data(self, text: str) -> None:
        self.text.append(text)

    def end(self, tag: str) -> None:
        text = "".join(self.text).strip()
        if len(self.path) > 2 and text:
            self.records[-1][".".join(self.path[2:])] = text
        elif len(self.path) == 2 and text and not self.records[-1]:
            self.records[-1]["value"] = text
        self.text = []
        self.path.pop()


def _xml_rows(path: Path, name: str, limits: Limits) -> list[dict[str, Any]]:
    handler = _XmlRecords(name, limits)
    parser = expat.ParserCreate()
    parser.StartDoctypeDeclHandler = handler.refuse_dtd
    parser.EntityDeclHandler = handler.refuse_dtd
    parser.ExternalEntityRefHandler = handler.refuse_dtd
    parser.StartElementHandler = handler.start
    parser.EndElementHandler = handler.end
    parser.CharacterDataHandler = handler.data
    try:
        with path.open("rb") as handle:
            parser.ParseFile(handle)
    except expat.ExpatError as err:
        raise _refuse(name, f"XML không hợp lệ ở dòng {err.lineno}",
                      f"invalid XML at line {err.lineno}") from None
    return handler.records


def to_csv(path: str | Path, kind: str, target: str | Path, name: str,
           limits: Limits) -> int:
    """Write the records of the ``kind`` (``json``/``geojson``/``xml``) document at
    ``path`` to the CSV file ``target``; return the number of records."""
    path = Path(path)
    if path.stat().st_size > limits.max_structured_bytes:
        raise _refuse(name, f"tài liệu {kind.upper()} lớn hơn "
                      f"{size(limits.max_structured_bytes)}",
                      f"the {kind.upper()} document is larger than "
                      f"{size(limits.max_structured_bytes)} (limit max_structured_bytes); "
                      f"publish it as CSV")
    if kind == "xml":
        rows = _xml_rows(path, name, limits)
    else:
        try:
            text = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError as err:
            raise _refuse(name, "JSON không phải UTF-8", f"JSON is not UTF-8 text (byte "
                          f"{err.start}); save it as UTF-8") from None
        _json_depth(text, name, limits)
        try:
            document = json.loads(text)
        except (ValueError, RecursionError) as err:
            where = getattr(err, "lineno", "?")
            raise _refuse(name, f"JSON không hợp lệ ở dòng {where}",
                          f"invalid JSON at line {where}") from None
        rows = _rows(_json_records(document, kind))
    columns = list(dict.fromkeys(key for row in rows for key in row))
    if len(columns) > limits.max_columns:
        raise _refuse(name, f"có {len(columns)} trường, nhiều hơn giới hạn "
                      f"{limits.max_columns}", f"has {len(columns)} fields, more than the "
                      f"limit of {limits.max_columns} (max_columns); split the table")
    if not columns:
        columns = ["value"]
    with open(target, "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(columns)
        for row in rows:
            writer.writerow(["" if row.get(c) is None else _cell(row.get(c))
                             for c in columns])
    return len(rows)


def _cell(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
