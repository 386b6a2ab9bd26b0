"""The distribution installs one import name, ``sso_harness`` (pyproject's ``[tool.setuptools]``).

The checkout keeps the design card's folders (``flows/`` is the package,
``mocks/`` installs as ``sso_harness.mocks``), so nothing but these tests
notices when a new package folder is left out of the explicit ``packages``
list, when a module still imports the folder names, or when the package data
the applications read at run time is missing from the wheel.

The wheel is built once per session (``conftest.built_wheel``, see
``wheel_build``), without build isolation, from a copy of the sources.
"""

from __future__ import annotations

import configparser
import re
import tomllib
import zipfile
from collections.abc import Iterator, Mapping
from pathlib import Path, PurePosixPath
from typing import Any

import pytest
from packaging.requirements import Requirement
from packaging.version import Version

REPO = Path(__file__).resolve().parents[2]
ROOT = "sso_harness"
PYPROJECT: dict[str, Any] = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
SETUPTOOLS: dict[str, Any] = PYPROJECT["tool"]["setuptools"]
PACKAGE_DIRS: Mapping[str, str] = SETUPTOOLS["package-dir"]
# Files an installed harness reads at run time: the tutorial specs, the Node
# servers and their manifests (npm installs from the lock files).
DATA_PATTERNS = ("apps/tutorials/specs/*.yaml", "apps/cli/init_templates/*.tmpl", "**/package.json", "**/package-lock.json",
                 "**/*.mjs")
FOLDER_IMPORT = re.compile(r"^\s*(from|import) (flows|mocks)\b", re.MULTILINE)


def _skipped(path: Path) -> bool:
    return "node_modules" in path.parts or "__pycache__" in path.parts


def _source_files() -> Iterator[tuple[Path, str]]:
    """Every file under the package folders with the name it has inside the wheel.

    A folder nested in another root (``mocks/`` is not, but one could be) is
    listed under its own, more specific prefix only.
    """
    roots = sorted(PACKAGE_DIRS.items(), key=lambda item: -len(item[0]))
    seen: set[Path] = set()
    for prefix, folder in roots:
        base = REPO / folder
        for path in sorted(base.rglob("*")):
            if path.is_file() and not _skipped(path.relative_to(REPO)) and path not in seen:
                seen.add(path)
                yield path, str(PurePosixPath(*prefix.split("."), *path.relative_to(base).parts))


def _package_folders() -> set[str]:
    return {
        wheel_path.rsplit("/", 1)[0].replace("/", ".")
        for path, wheel_path in _source_files()
        if path.name == "__init__.py"
    }


def test_the_packages_list_names_every_package_folder() -> None:
    listed: list[str] = SETUPTOOLS["packages"]
    assert len(listed) == len(set(listed)), "a package is listed twice"
    found = _package_folders()
    assert {"missing": sorted(found - set(listed)), "not a folder": sorted(set(listed) - found)} == {
        "missing": [],
        "not a folder": [],
    }
    assert all(name == ROOT or name.startswith(ROOT + ".") for name in listed)


def test_the_package_dirs_are_the_design_folders() -> None:
    assert dict(PACKAGE_DIRS) == {ROOT: "flows", f"{ROOT}.mocks": "mocks"}


def test_the_dev_extra_brings_the_build_backend() -> None:
    """``--no-build-isolation`` builds with this environment's packages, so the
    ``dev`` extra (what ``scripts/setup.sh`` installs) must bring what
    ``[build-system] requires`` names, and the environment must satisfy it.
    setuptools before 70.1 has no ``bdist_wheel`` of its own; the venv's
    bundled 65.5 fails with ``invalid command 'bdist_wheel'``."""
    from importlib.metadata import PackageNotFoundError, version

    dev = {Requirement(text).name: Requirement(text) for text in PYPROJECT["project"]["optional-dependencies"]["dev"]}
    for text in PYPROJECT["build-system"]["requires"]:
        needed = Requirement(text)
        assert needed.name in dev and dev[needed.name].specifier == needed.specifier, (
            f"build requirement {text!r}: add it to [project.optional-dependencies] dev as is"
        )
        try:
            installed = version(needed.name)
        except PackageNotFoundError:
            pytest.fail(f"build requirement {text!r} is not installed: pip install -e '.[dev]'")
        assert needed.specifier.contains(Version(installed), prereleases=True), (
            f"build requirement {text!r}, installed {installed}: pip install -e '.[dev]'"
        )


@pytest.fixture(scope="module")
def wheel(built_wheel: Path) -> Iterator[zipfile.ZipFile]:
    """The session's wheel (``conftest.built_wheel``, built with a decoy ``node_modules`` folder inside)."""
    with zipfile.ZipFile(built_wheel) as archive:
        yield archive


def _dist_info(wheel: zipfile.ZipFile) -> str:
    folders = {name.split("/", 1)[0] for name in wheel.namelist() if name.split("/", 1)[0].endswith(".dist-info")}
    assert len(folders) == 1, folders
    return folders.pop()


def test_every_file_is_under_the_one_import_name(wheel: zipfile.ZipFile) -> None:
    dist_info = _dist_info(wheel)
    assert dist_info.startswith("sso_harness-")
    strays = [name for name in wheel.namelist() if name.split("/", 1)[0] not in (ROOT, dist_info)]
    assert strays == []


def test_top_level_names_only_sso_harness(wheel: zipfile.ZipFile) -> None:
    name = f"{_dist_info(wheel)}/top_level.txt"
    if name in wheel.namelist():
        assert wheel.read(name).decode().split() == [ROOT]


def test_entry_points_name_the_installed_modules(wheel: zipfile.ZipFile) -> None:
    points = configparser.ConfigParser(delimiters=("=",))
    points.read_string(wheel.read(f"{_dist_info(wheel)}/entry_points.txt").decode())
    assert dict(points["pytest11"]) == {"sso_harness": "sso_harness.plugin.hooks"}
    assert dict(points["console_scripts"]) == {"sso-harness": "sso_harness.apps.cli.main:main"}
    for section in points.sections():
        for value in points[section].values():
            assert value.split(".", 1)[0].split(":", 1)[0] == ROOT, f"[{section}] {value}"


def test_no_node_modules_inside(wheel: zipfile.ZipFile) -> None:
    assert [name for name in wheel.namelist() if "node_modules" in name.split("/")] == []


def test_no_module_imports_the_folder_names(wheel: zipfile.ZipFile) -> None:
    offending = [
        f"{name}:{text.count(chr(10), 0, match.start()) + 1}: {match.group(0).strip()}"
        for name in wheel.namelist() if name.endswith(".py")
        for text in [wheel.read(name).decode("utf-8")]
        for match in FOLDER_IMPORT.finditer(text)
    ]
    assert offending == []


def test_every_module_of_the_checkout_is_inside(wheel: zipfile.ZipFile) -> None:
    expected = {wheel_path for path, wheel_path in _source_files() if path.suffix == ".py"}
    assert len(expected) > 250
    assert sorted(expected - set(wheel.namelist())) == []


def test_the_package_data_the_code_reads_is_inside(wheel: zipfile.ZipFile) -> None:
    wanted = {
        f"{ROOT}/{path.relative_to(REPO / 'flows').as_posix()}"
        for pattern in DATA_PATTERNS
        for path in (REPO / "flows").glob(pattern)
        if not _skipped(path.relative_to(REPO))
    }
    # The ones named in the harness's code, so an empty glob cannot pass unnoticed.
    assert {
        f"{ROOT}/apps/peers/oidc_provider/server.mjs",
        f"{ROOT}/apps/peers/oidc_provider/package-lock.json",
        f"{ROOT}/apps/bench/npm/token_server.mjs",
        f"{ROOT}/apps/bench/npm/package-lock.json",
        f"{ROOT}/report/allure/package-lock.json",
        f"{ROOT}/apps/cli/init_templates/targets.yaml.tmpl",
    } <= wanted
    assert len([name for name in wanted if name.endswith(".yaml")]) >= 5
    assert sorted(wanted - set(wheel.namelist())) == []


def test_the_folder_import_pattern_catches_what_it_should() -> None:
    lines = "from flows.trace import x\n    import mocks\nimport flowsy\nfrom sso_harness.mocks import fleet\n# from flows\n"
    assert [m.group(0).strip() for m in FOLDER_IMPORT.finditer(lines)] == ["from flows", "import mocks"]
