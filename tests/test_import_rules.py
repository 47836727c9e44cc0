"""Who may import whom, read from the modules' source with ``ast`` (nothing is imported).

* ``layers/`` is the lowest package: it never imports ``geo`` (nor ``app``);
* ``geo/`` and ``layers/`` never import the page's libraries (streamlit, folium, branca,
  joblib);
* ``geo/`` never imports ``app``: the engine knows nothing of the page;
* the project's modules (``geo/``, ``layers/``, ``app/``) import each other without a
  cycle, and no first-party import in ``geo/`` or ``layers/`` is hidden inside a function
  (the way a cycle used to be dodged);
* no Python file of the project patches the interpreter's import path: the project is
  installed (``pip install -e .``) instead.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

from helpers.paths import ROOT

FIRST_PARTY = ("geo", "layers", "app")
PAGE_LIBRARIES = ("streamlit", "streamlit_folium", "folium", "branca", "joblib")


@dataclass(frozen=True)
class Import:
    """One imported module, as written in a module of the project."""

    module: str  # the importing module, e.g. "geo.io.fetch"
    target: str  # the imported module, e.g. "geo.io.package" or "osmnx"
    line: int
    in_function: bool


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def package_files(*packages: str) -> list[Path]:
    return sorted(p for package in packages for p in (ROOT / package).rglob("*.py"))


def is_module(name: str) -> bool:
    path = ROOT.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def imports_of(path: Path) -> list[Import]:
    """Every import in a file, with relative imports and imported submodules resolved."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: list[Import] = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            inside = in_function or isinstance(
                child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda
            )
            if isinstance(child, ast.Import):
                for alias in child.names:
                    found.append(Import(name, alias.name, child.lineno, inside))
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    anchor = package.split(".")[: len(package.split(".")) - child.level + 1]
                    base = ".".join([*anchor, base] if base else anchor)
                for alias in child.names:
                    sub = f"{base}.{alias.name}"
                    target = sub if is_module(sub) else base
                    found.append(Import(name, target, child.lineno, inside))
            visit(child, inside)

    visit(ast.parse(path.read_text(encoding="utf-8")), False)
    return found


def top(name: str) -> str:
    return name.split(".")[0]


ENGINE = [i for path in package_files("geo", "layers") for i in imports_of(path)]
EVERYTHING = ENGINE + [i for path in package_files("app") for i in imports_of(path)]
IMPORT_PATH = "sys" + ".path"  # in two parts, so that this file does not match itself


def test_the_rules_see_the_imports_they_check():
    # a check that found no imports would pass for the wrong reason
    seen = {(i.module, i.target) for i in ENGINE}
    assert ("geo.io.sources", "geo.io.package") in seen
    assert ("layers", "layers.base") in seen
    assert ("geo.errors", "layers") in seen


def test_layers_import_nothing_of_geo_or_app():
    wrong = [i for i in ENGINE if top(i.module) == "layers" and top(i.target) in ("geo", "app")]
    assert not wrong, wrong


@pytest.mark.parametrize("library", PAGE_LIBRARIES)
def test_the_engine_never_imports_the_page_libraries(library):
    wrong = [i for i in ENGINE if top(i.target) == library]
    assert not wrong, wrong


def test_the_engine_never_imports_the_app():
    wrong = [i for i in ENGINE if top(i.target) == "app"]
    assert not wrong, wrong


def test_no_first_party_import_is_hidden_in_a_function():
    hidden = [i for i in ENGINE if i.in_function and top(i.target) in FIRST_PARTY]
    assert not hidden, hidden


def test_the_project_modules_import_each_other_without_a_cycle():
    graph: dict[str, set[str]] = {}
    for i in EVERYTHING:
        if top(i.target) in FIRST_PARTY and i.target != i.module:
            graph.setdefault(i.module, set()).add(i.target)
    cycles = [c for c in strongly_connected(graph) if len(c) > 1]
    assert not cycles, cycles


def strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's strongly connected components of a directed graph."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                connect(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            components.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return components


def test_the_cycle_finder_finds_a_cycle():
    cycles = strongly_connected({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}})
    assert [c for c in cycles if len(c) > 1] == [["a", "b", "c"]]


def test_no_project_file_patches_the_import_path():
    skip = {".venv", ".git", "node_modules"}
    offenders = [
        str(path.relative_to(ROOT))
        for path in ROOT.rglob("*.py")
        if not skip & set(path.relative_to(ROOT).parts)
        and IMPORT_PATH in path.read_text(encoding="utf-8", errors="replace")
    ]
    assert not offenders, f"these patch {IMPORT_PATH}; install the project instead: {offenders}"
