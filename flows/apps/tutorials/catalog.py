"""The specs shipped with the harness (``flows/apps/tutorials/specs/*.yaml``), and specs by path.

A tutorial is named by its file's stem (``my-guide``); a name
that is a path to a ``.yaml``/``.yml`` file loads that file instead, so a
team can run a guide of its own without adding it to the package.
"""

from __future__ import annotations

from pathlib import Path

from sso_harness.apps.tutorials.errors import SpecError
from sso_harness.apps.tutorials.spec import TutorialSpec
from sso_harness.apps.tutorials.spec_load import load_spec

__all__ = ["SPECS_DIR", "spec_names", "load_named"]

SPECS_DIR = Path(__file__).resolve().parent / "specs"


def spec_names() -> list[str]:
    return sorted(p.stem for p in SPECS_DIR.glob("*.yaml"))


def load_named(name: str) -> TutorialSpec:
    """A packaged spec by name, or a spec file by path; SpecError when neither exists."""
    as_path = Path(name)
    if as_path.suffix in (".yaml", ".yml") and as_path.exists():
        return load_spec(as_path)
    packaged = SPECS_DIR / f"{name}.yaml"
    if not packaged.exists():
        raise SpecError(f"no tutorial {name!r}; known: {', '.join(spec_names())} (or give a path to a .yaml spec)")
    spec = load_spec(packaged)
    if spec.name != name:
        raise SpecError(f"{packaged.name}: name: {spec.name!r} differs from the file name {name!r}")
    return spec
