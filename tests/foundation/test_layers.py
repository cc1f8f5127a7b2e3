"""The package's imports: no cycle, and no arrow back up the layers.

The layer rule (docs/ARCHITECTURE.md), bottom to top; a module may import its own layer
(without a cycle) or any layer below it, never one above:

    0 reference       domains, departments, code lists, licences, labels/language/time
    1 readers/privacy readers/, privacy/, config.py (the typed option reader)
    2 pipeline        pipeline/, explore/ (table profiles, default views) but its plugin/cli
    3 harvesters/uploads
                      harvesters/, uploads/, search/, dcat/, quality/, datapackage/, and
                      logic/write_checks.py (the privacy checks of CKAN's writes, which
                      the upload loader calls too: it imports only the layers below)
    4 logic/web       logic/, web/, cli/, ops/ (metrics, proxy, backups), plugin.py,
                      explore's plugin and cli, the blueprints of dcat/, quality/ and
                      datapackage/
                      (templates sit here too)

Every import counts, also those inside functions: a late import still makes the two
modules depend on each other. Run it alone with
``python -m pytest tests/foundation/test_layers.py -q -p no:ckan`` (no CKAN, no services).
"""
from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = "ckanext.smartcity"
ROOT = Path(__file__).resolve().parents[2] / "ckanext" / "smartcity"

#: (layer name, module prefixes relative to the package); the longest prefix decides
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    ("reference", ("reference",)),
    ("readers/privacy", ("readers", "privacy", "config")),
    ("pipeline", ("pipeline", "explore")),
    ("harvesters/uploads", ("harvesters", "uploads", "search", "dcat", "quality",
                            "datapackage", "logic.write_checks")),
    ("logic/web", ("logic", "web", "cli", "ops", "plugin", "explore.plugin", "explore.cli",
                   "dcat.views", "quality.views", "datapackage.views")),
]


def modules(root: Path = ROOT) -> dict[str, Path]:
    """``{dotted name relative to the package: file}`` of every module of the package."""
    found = {}
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def imports(mods: dict[str, Path]) -> dict[str, set[str]]:
    """``{module: modules of the package it imports}`` (relative dotted names; ``""`` is
    the package itself)."""
    graph: dict[str, set[str]] = {}
    for name, path in mods.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        targets: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                candidates = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = [p for p in package.split(".") if p]
                    base = base[:len(base) - (node.level - 1)]
                    module = ".".join([PACKAGE, *base, *([node.module] if node.module else [])])
                else:
                    module = node.module or ""
                candidates = [f"{module}.{alias.name}" for alias in node.names] + [module]
            else:
                continue
            for candidate in candidates:
                if candidate != PACKAGE and not candidate.startswith(PACKAGE + "."):
                    continue
                relative = candidate[len(PACKAGE) + 1:]
                if relative in mods:
                    targets.add(relative)
                    if isinstance(node, ast.ImportFrom):
                        break  # `from a import b`: b is the module, else a is
        targets.discard(name)
        graph[name] = targets
    return graph


def layer(module: str) -> int:
    best, level = -1, None
    for index, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > best:
                best, level = len(prefix), index
    if level is None:
        raise AssertionError(f"{PACKAGE}.{module} is in no layer: add its room to LAYERS")
    return level


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_walk_sees_late_and_relative_imports():
    graph = imports(modules())
    # a late import inside a function, and a relative one (readers/file.py)
    assert "reference.codelists" in graph["web.citation"]
    assert "readers.netguard" in graph["readers.file"]
    assert "pipeline.publish" in graph["harvesters.base"]


def test_no_import_cycle():
    found = cycles(imports(modules()))
    assert not found, "import cycles: " + "; ".join(" ↔ ".join(c) for c in found)


def test_no_arrow_back_up_the_layers():
    graph = imports(modules())
    upward = sorted(
        f"{source} ({LAYERS[layer(source)][0]}) → {target} ({LAYERS[layer(target)][0]})"
        for source, targets in graph.items() if source
        for target in targets if target and layer(target) > layer(source))
    assert not upward, "imports back up the layers:\n" + "\n".join(upward)
