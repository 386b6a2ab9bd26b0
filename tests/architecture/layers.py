"""The layers of ``sso_harness`` and who may import whom (docs/architecture.md draws them).

Arrows point down only: a module imports its own layer or the layers below
it, never above. ``mocks`` stands beside the stack: it imports only
``protocols``, and only the layers that run a fleet (targets, the plugin,
applications) import it.
"""

from __future__ import annotations

__all__ = ["LAYERS", "MOCKS", "MOCK_USERS", "layer_of", "may_import"]

# Bottom to top; each entry is a layer name and the packages it holds.
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("base", ("sso_harness.version", "sso_harness.tools_dir")),
    ("protocols", ("sso_harness.protocols",)),
    ("capture", ("sso_harness.capture",)),
    ("trace", ("sso_harness.trace",)),
    ("analysis", ("sso_harness.expect", "sso_harness.diagnose", "sso_harness.report")),
    # sso_harness.api: the public names for tests, re-exported from this layer and the ones below (docs/api.md).
    ("harness", ("sso_harness.browser", "sso_harness.targets", "sso_harness.plugin", "sso_harness.api")),
    ("apps", ("sso_harness.apps", "sso_harness.__main__")),
)
MOCKS = "sso_harness.mocks"
MOCK_USERS = ("sso_harness.targets", "sso_harness.plugin", "sso_harness.apps")


def _under(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def layer_of(module: str) -> str:
    """The layer's name; ``mocks`` for the mock fleet and ``root`` for the package face."""
    if _under(module, MOCKS):
        return "mocks"
    for name, packages in LAYERS:
        if any(_under(module, p) for p in packages):
            return name
    return "root"


def _rank(layer: str) -> int:
    names = [name for name, _ in LAYERS]
    return names.index(layer) if layer in names else len(names)


def may_import(importer: str, imported: str) -> bool:
    """Whether the layering allows ``importer`` to import ``imported``."""
    low, high = layer_of(imported), layer_of(importer)
    if high == "mocks":
        return low in ("mocks", "protocols", "base")
    if low == "mocks":
        return any(_under(importer, p) for p in MOCK_USERS)
    if low == "root":
        return high == "root"
    return _rank(low) <= _rank(high)
