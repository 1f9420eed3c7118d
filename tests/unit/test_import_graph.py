"""The import graph of app/: no cycles, and the pure layers stay pure (STYLE.md, "Layout").

A package importing its own submodules (a blueprint's __init__ registering its routes) is wiring,
not a dependency, so those edges are left out; every other import counts, function-level ones too.
"""
import ast
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parents[2] / "app"
PURE_LAYERS = ("app.parsing", "app.importers", "app.exporters", "app.formatting", "app.roles")
FORBIDDEN_IN_PURE = ("flask", "flask_login", "flask_wtf", "app.extensions", "app.services", "app.models")
FORBIDDEN_IN_SERVICES = ("flask_login", "flask_wtf")


def _modules() -> dict[str, Path]:
    modules = {}
    for path in APP.rglob("*.py"):
        parts = path.relative_to(APP.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        modules[name] = path
    return modules


def _imports(path: Path) -> set[str]:
    """Every module name an import statement in the file names (absolute imports only)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def import_graph() -> dict[str, set[str]]:
    modules = _modules()
    graph = {}
    for name, path in modules.items():
        targets = {target for target in _imports(path) if target in modules}
        graph[name] = {t for t in targets if t != name and not t.startswith(name + ".")}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (iterative Tarjan)."""
    index, low, on_stack, stack, found = {}, {}, set(), [], []
    counter = 0
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
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
    return found


def test_the_cycle_finder_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_app_has_no_import_cycle():
    assert cycles(import_graph()) == []


@pytest.mark.parametrize("layer", PURE_LAYERS)
def test_pure_layers_import_no_flask_database_or_services(layer):
    modules = _modules()
    offenders = []
    for name, path in modules.items():
        if name == layer or name.startswith(layer + "."):
            # unit kinds are plain constants the directory importer validates against
            bad = {t for t in _imports(path) if t.startswith(FORBIDDEN_IN_PURE)
                   and not t.startswith("app.models.units")}
            offenders += [f"{name} imports {t}" for t in sorted(bad)]
    assert offenders == []


def test_services_never_touch_the_request_layer():
    offenders = []
    for name, path in _modules().items():
        if name.startswith("app.services"):
            imports = _imports(path)
            offenders += [
                f"{name} imports {t}" for t in sorted(imports) if t.startswith(FORBIDDEN_IN_SERVICES)
            ]
            offenders += [f"{name} imports flask.{n}" for n in ("request", "session", "g")
                          if f"flask.{n}" in imports]
    assert offenders == []
