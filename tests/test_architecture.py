"""The package's shape: layers that import only downward, no import cycle, small modules and functions,
and docs/architecture.md naming every module there is."""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx
import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "ldngraph"
#: Lowest first: a module may import its own layer and the layers before it, never one after it.
LAYERS = ["core", "curation", "rdf", "sparql", "viewer", "explore", "cli"]
MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 80


def modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def imports_of(name: str, path: Path) -> set[str]:
    """Every ldngraph module a module imports, at the top or inside a function."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.startswith("ldngraph")}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.startswith("ldngraph"):
                found.add(target)
                found |= {f"{target}.{alias.name}" for alias in node.names}
    known = modules()
    return {target for target in found if target in known}


def layer(name: str) -> str | None:
    parts = name.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in LAYERS else None


def test_every_module_belongs_to_a_layer():
    loose = [name for name in modules() if layer(name) is None and name not in ("ldngraph", "ldngraph.__main__")]
    assert not loose, f"modules outside the layers {LAYERS}: {loose}"


def test_imports_only_point_down_the_layers():
    upward = []
    for name, path in modules().items():
        mine = layer(name)
        if mine is None:  # the package facade (lazy public API) and __main__ may reach any layer
            continue
        for target in imports_of(name, path):
            theirs = layer(target)
            if theirs is not None and LAYERS.index(theirs) > LAYERS.index(mine):
                upward.append(f"{name} ({mine}) imports {target} ({theirs})")
    assert not upward, "\n".join(upward)


def test_there_is_no_import_cycle():
    graph = nx.DiGraph()
    for name, path in modules().items():
        for target in imports_of(name, path):
            if target != name and not name.startswith(target + "."):  # a module importing its own package
                graph.add_edge(name, target)
    cycles = list(nx.simple_cycles(graph))
    assert not cycles, cycles[:5]


def test_no_module_is_over_the_size_limit():
    big = {name: path.read_text().count("\n") for name, path in modules().items()}
    assert {n: size for n, size in big.items() if size > MAX_MODULE_LINES} == {}


def test_no_function_is_over_the_size_limit():
    long = []
    for name, path in modules().items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                size = node.end_lineno - node.lineno + 1
                if size > MAX_FUNCTION_LINES:
                    long.append(f"{name}.{node.name}: {size} lines")
    assert not long, long


def test_docs_architecture_names_every_module():
    page = ROOT / "docs" / "architecture.md"
    if not page.exists():
        pytest.fail("docs/architecture.md is missing")
    text = page.read_text(encoding="utf-8")
    missing = [str(path.relative_to(PACKAGE)) for path in modules().values()
               if path.name != "__init__.py" and str(path.relative_to(PACKAGE)) not in text]
    assert not missing, f"docs/architecture.md does not mention {missing}"
