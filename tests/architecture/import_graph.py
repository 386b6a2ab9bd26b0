"""The package's import graph, read from the source with :mod:`ast` (nothing is imported).

Every ``import`` counts, wherever it stands: at module level, inside a
function (a lazy import still couples the two modules) or under
``TYPE_CHECKING`` (mypy follows it, and it is how loops get hidden).
``from package import name`` is resolved to the module that defines
``name`` when the package's ``__init__`` re-exports it, so an edge points at
the code actually used.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

__all__ = ["ImportGraph", "package_roots", "strongly_connected"]

ROOT = "sso_harness"


def package_roots(repo: Path) -> dict[str, Path]:
    """Where each installed package prefix lives in the checkout (mirrors pyproject's package-dir)."""
    return {ROOT: repo / "flows", f"{ROOT}.mocks": repo / "mocks"}


@dataclass(frozen=True)
class ImportGraph:
    """``edges[a]`` is the set of our modules that module ``a`` imports."""

    files: Mapping[str, Path]
    edges: Mapping[str, frozenset[str]]

    @classmethod
    def read(cls, roots: Mapping[str, Path]) -> ImportGraph:
        files: dict[str, Path] = {}
        for prefix, folder in roots.items():
            for path in sorted(folder.rglob("*.py")):
                if "node_modules" in path.parts:
                    continue
                rel = path.relative_to(folder).with_suffix("").parts
                if rel[-1] == "__init__":
                    rel = rel[:-1]
                name = ".".join((prefix, *rel))
                # mocks/ is its own root; don't also count it under flows/
                if name not in files:
                    files[name] = path
        trees = {name: ast.parse(path.read_text(encoding="utf-8"), str(path)) for name, path in files.items()}
        reexports = {name: _reexports(tree, name, files) for name, tree in trees.items()}
        edges = {name: frozenset(_imports(tree, name, files, reexports)) - {name} for name, tree in trees.items()}
        return cls(files, edges)

    def cycles(self) -> list[list[str]]:
        """Strongly connected components with more than one module, each sorted."""
        return [sorted(c) for c in strongly_connected(self.edges) if len(c) > 1]


def _is_package(name: str, files: Mapping[str, Path]) -> bool:
    return files[name].name == "__init__.py"


def _absolute(node: ast.ImportFrom, module: str, files: Mapping[str, Path]) -> str | None:
    if node.level == 0:
        return node.module
    base = module.split(".") if _is_package(module, files) else module.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _reexports(tree: ast.Module, name: str, files: Mapping[str, Path]) -> dict[str, str]:
    """For a package ``__init__``: each name it imports at module level, and the module it comes from."""
    if not _is_package(name, files):
        return {}
    out: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.ImportFrom):
            source = _absolute(node, name, files)
            if source and source.split(".")[0] == ROOT:
                for alias in node.names:
                    out[alias.asname or alias.name] = source
    return out


def _imports(
    tree: ast.Module, name: str, files: Mapping[str, Path], reexports: Mapping[str, Mapping[str, str]]
) -> Iterator[str]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in files:
                    yield alias.name
        elif isinstance(node, ast.ImportFrom):
            source = _absolute(node, name, files)
            if source is None or source not in files:
                continue
            for alias in node.names:
                full = f"{source}.{alias.name}"
                if full in files:
                    yield full
                else:
                    yield _defining(source, alias.name, files, reexports)


def _defining(source: str, attr: str, files: Mapping[str, Path], reexports: Mapping[str, Mapping[str, str]]) -> str:
    seen = set()
    while attr in reexports.get(source, {}) and source not in seen:
        seen.add(source)
        nxt = reexports[source][attr]
        if f"{nxt}.{attr}" in files:
            return f"{nxt}.{attr}"
        source = nxt
    return source


def strongly_connected(edges: Mapping[str, frozenset[str]]) -> list[list[str]]:
    """Tarjan's algorithm, iterative (the graph is a few hundred nodes deep at most)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []
    counter = 0
    for start in sorted(edges):
        if start in index:
            continue
        work: list[tuple[str, Iterator[str]]] = [(start, iter(sorted(edges.get(start, ()))))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            advanced = False
            for child in children:
                if child not in edges:
                    continue
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges.get(child, ())))))
                    advanced = True
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    item = stack.pop()
                    on_stack.discard(item)
                    component.append(item)
                    if item == node:
                        break
                out.append(component)
    return out
