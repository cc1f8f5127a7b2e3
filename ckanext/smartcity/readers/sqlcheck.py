"""Static check that a harvest query is one read-only SELECT (no I/O, no CKAN imports).

Decisions:

* The query is parsed with pglast (the PostgreSQL grammar). It must be exactly one
  ``SelectStmt`` (``VALUES`` and ``WITH ... SELECT`` included) with no ``SELECT
  INTO``, no ``FOR UPDATE/SHARE`` and no data-modifying statement anywhere in the
  tree (``WITH d AS (DELETE ...) SELECT`` is refused).
* For PostgreSQL a query pglast cannot parse is refused. For MySQL/MariaDB and
  SQLite, whose dialects pglast does not know, a parse failure falls back to a
  conservative lexical check; that check also runs when pglast succeeds. It refuses
  more than strictly needed (any ``INTO``, ``FOR UPDATE``, ``LOCK``, a second
  statement, or a first keyword other than SELECT/WITH/VALUES), which is the safe side.
* Writes hidden in function calls (``SELECT my_func()``) cannot be seen statically;
  the read-only transaction the reader opens refuses them at run time.
"""
from __future__ import annotations

import json
import re
from typing import Any

from pglast.parser import ParseError, parse_sql_json

__all__ = ["check_select"]

_WRITE_NODES = frozenset({
    "InsertStmt", "UpdateStmt", "DeleteStmt", "MergeStmt", "CopyStmt", "CreateTableAsStmt",
})
_LEXICAL_FORBIDDEN = re.compile(
    r"\b(insert|update|delete|merge|into|call|lock|load_file|outfile|dumpfile|"
    r"pragma|attach|detach|vacuum|alter|drop|create|truncate|grant|revoke|handler|do|"
    r"set)\b", re.IGNORECASE)
_STRIP = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|`[^`]*`|--[^\n]*|#[^\n]*|/\*.*?\*/",
                    re.DOTALL)


def _walk(node: Any) -> str | None:
    """Return the first forbidden construct found in a pglast JSON tree."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in _WRITE_NODES:
                return "a data-modifying statement (" + key.removesuffix("Stmt").upper() + ")"
            if key == "intoClause" and value:
                return "SELECT INTO"
            if key == "lockingClause" and value:
                return "a locking clause (FOR UPDATE/SHARE)"
            found = _walk(value)
            if found:
                return found
    elif isinstance(node, list):
        for item in node:
            found = _walk(item)
            if found:
                return found
    return None


def _lexical(query: str) -> str | None:
    """Conservative check for dialects pglast does not know."""
    code = _STRIP.sub(lambda m: " " if m.group(0)[0] in "-#/" else "''", query).strip()
    code = code.rstrip(";").strip()
    if ";" in code:
        return "must be exactly one statement"
    first = code.split(None, 1)[0].lower() if code else ""
    if first.lstrip("(") not in ("select", "with", "values"):
        return "must be a SELECT statement"
    match = _LEXICAL_FORBIDDEN.search(code)
    if match:
        return f"must be a read-only SELECT (found {match.group(1).upper()})"
    if re.search(r"\bfor\s+(update|share)\b|\block\s+in\b", code, re.IGNORECASE):
        return "must not lock rows (FOR UPDATE/SHARE)"
    return None


def check_select(query: Any, backend: str) -> str | None:
    """``None`` if ``query`` is one read-only SELECT for ``backend``, else the problem.

    :param backend: the SQLAlchemy backend name (``postgresql``, ``mysql``, ``sqlite``...).
    """
    if not isinstance(query, str) or not query.strip():
        return "is required (one SELECT statement)"
    try:
        tree = json.loads(parse_sql_json(query))
    except ParseError as exc:
        if backend == "postgresql":
            return f"cannot be parsed as PostgreSQL ({str(exc).split(',', 1)[0]})"
        return _lexical(query)
    statements = tree.get("stmts", [])
    if len(statements) != 1:
        return "must be exactly one statement"
    statement = statements[0].get("stmt", {})
    if set(statement) != {"SelectStmt"}:
        kind = next(iter(statement), "empty").removesuffix("Stmt")
        return f"must be a SELECT statement (found {kind})"
    problem = _walk(statement)
    if problem:
        return f"must be a read-only SELECT (found {problem})"
    if backend != "postgresql":
        return _lexical(query)
    return None
