"""SHACL validation of the portal's DCAT-AP output against the SEMIC DCAT-AP 3.0.0 shapes.

The shapes (``shapes/dcat-ap_3_shacl_shapes.ttl``, SEMIC's release vendored as ckanext-dcat
does for its conformance tests, CC BY 4.0) are parsed once per process: parsing them costs
far more than validating one dataset's graph. The quality score's "DCAT-AP compliant"
indicator and the test suite both validate through :func:`violations`.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SH

SHAPES_FILE = Path(__file__).with_name("shapes") / "dcat-ap_3_shacl_shapes.ttl"

_lock = threading.Lock()
_shapes: dict[Path, Graph] = {}


@dataclass(frozen=True)
class Violation:
    """One SHACL result of severity Violation, in words a publisher can act on."""

    focus: str
    path: str
    message: str
    shape: str

    def __str__(self) -> str:
        return f"{self.focus} {self.path}: {self.message}"


def load_shapes(path: Path = SHAPES_FILE) -> Graph:
    """The shapes graph at `path`, parsed once per process."""
    path = Path(path).resolve()
    with _lock:
        if path not in _shapes:
            graph = Graph()
            graph.parse(path, format="turtle")
            _shapes[path] = graph
        return _shapes[path]


def violations(data: Graph, shapes: Graph | None = None) -> list[Violation]:
    """Every SHACL violation of `data` (warnings and infos are not counted).

    No inference is run: the shapes' ``sh:class`` constraints need the objects' types
    written in the data itself, as a harvesting portal sees them.
    """
    from pyshacl import validate

    shapes = shapes if shapes is not None else load_shapes()
    _conforms, report, _text = validate(data, shacl_graph=shapes, inference="none",
                                        advanced=False, allow_warnings=True)
    found: list[Violation] = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        if report.value(result, SH.resultSeverity) != SH.Violation:
            continue
        found.append(Violation(
            focus=str(report.value(result, SH.focusNode)),
            path=_short(report.value(result, SH.resultPath)),
            message=str(report.value(result, SH.resultMessage) or ""),
            shape=_short(report.value(result, SH.sourceShape)),
        ))
    return found


def _short(node: object) -> str:
    if isinstance(node, URIRef):
        text = str(node)
        return text.rsplit("#", 1)[-1] if "#" in text else text.rsplit("/", 1)[-1]
    return str(node) if node is not None else ""
