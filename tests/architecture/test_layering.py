"""The layering contract: arrows point down only, and nothing loops (docs/architecture.md).

Checked on the source as text (:mod:`.import_graph`), so a violation is
reported with the two modules and the layers they sit in, without importing
anything. The last tests plant a violation in a scratch tree to prove the
checks can fail.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest

from .import_graph import ImportGraph, package_roots, strongly_connected
from .layers import layer_of, may_import

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def graph() -> ImportGraph:
    return ImportGraph.read(package_roots(REPO))


def upward_imports(graph: ImportGraph) -> list[str]:
    return [
        f"{a} ({layer_of(a)}) imports {b} ({layer_of(b)})"
        for a in sorted(graph.edges) for b in sorted(graph.edges[a]) if not may_import(a, b)
    ]


def folder_cycles(graph: ImportGraph) -> list[list[str]]:
    """Loops between folders (packages). A package's ``__init__`` re-exporting its own
    subpackages is its public face, not a dependency, so those edges are left out."""
    def folder(module: str) -> str:
        if graph.files[module].name == "__init__.py":
            return module
        parent = module.rsplit(".", 1)[0]
        # A module directly under the root (version, expect) is a unit of its own.
        return module if parent == "sso_harness" else parent

    edges: dict[str, set[str]] = defaultdict(set)
    for a, targets in graph.edges.items():
        for b in targets:
            fa, fb = folder(a), folder(b)
            if fa == fb or (graph.files[a].name == "__init__.py" and fb.startswith(a + ".")):
                continue
            edges[fa].add(fb)
    return [sorted(c) for c in strongly_connected({k: frozenset(v) for k, v in edges.items()}) if len(c) > 1]


def test_the_graph_covers_the_whole_package(graph: ImportGraph) -> None:
    assert "sso_harness.trace.trace" in graph.files and "sso_harness.mocks.fleet" in graph.files
    assert len(graph.files) > 250
    assert sum(len(e) for e in graph.edges.values()) > 1000


def test_every_module_sits_in_a_layer(graph: ImportGraph) -> None:
    assert [m for m in graph.files if layer_of(m) == "root"] == ["sso_harness"]


def test_arrows_point_down_only(graph: ImportGraph) -> None:
    assert upward_imports(graph) == []


def test_no_module_imports_in_a_loop(graph: ImportGraph) -> None:
    assert graph.cycles() == []


def test_no_folder_imports_in_a_loop(graph: ImportGraph) -> None:
    assert folder_cycles(graph) == []


def test_the_package_face_imports_only_the_version(graph: ImportGraph) -> None:
    assert graph.edges["sso_harness"] <= {"sso_harness.version"}


def _scratch(tmp_path: Path, files: dict[str, str]) -> ImportGraph:
    for rel, text in files.items():
        path = tmp_path / "flows" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    (tmp_path / "mocks").mkdir(exist_ok=True)
    (tmp_path / "mocks" / "__init__.py").write_text("")
    return ImportGraph.read(package_roots(tmp_path))


def test_an_upward_import_and_a_hidden_loop_are_caught(tmp_path: Path) -> None:
    graph = _scratch(tmp_path, {
        "__init__.py": "",
        "capture/__init__.py": "",
        "capture/addon.py": "def done():\n    from sso_harness.report.redact import Redactor\n",
        "report/__init__.py": "",
        "report/redact.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from sso_harness.report.har import x\n",
        "report/har.py": "from sso_harness.report import redact\n",
    })
    assert upward_imports(graph) == [
        "sso_harness.capture.addon (capture) imports sso_harness.report.redact (analysis)"
    ]
    assert graph.cycles() == [["sso_harness.report.har", "sso_harness.report.redact"]]


def test_a_reexport_resolves_to_the_defining_module_and_folders_loop(tmp_path: Path) -> None:
    graph = _scratch(tmp_path, {
        "__init__.py": "",
        "protocols/__init__.py": "from sso_harness.protocols.saml.model import Response\n",
        "protocols/saml/__init__.py": "",
        "protocols/saml/model.py": "from sso_harness.protocols.wsfed.view import v\n",
        "protocols/wsfed/__init__.py": "",
        "protocols/wsfed/view.py": "from sso_harness.protocols import Response\n",
    })
    assert graph.edges["sso_harness.protocols.wsfed.view"] == {"sso_harness.protocols.saml.model"}
    assert folder_cycles(graph) == [["sso_harness.protocols.saml", "sso_harness.protocols.wsfed"]]


def test_mocks_import_only_protocols() -> None:
    assert may_import("sso_harness.mocks.saml.idp", "sso_harness.protocols.xml.dsig")
    assert not may_import("sso_harness.mocks.fleet", "sso_harness.trace.trace")
    assert not may_import("sso_harness.browser.oidc_client", "sso_harness.mocks.web.http")
    assert may_import("sso_harness.plugin.fixtures", "sso_harness.mocks.fleet")
