"""The nightly CI templates (examples/nightly.yml, examples/nightly.gitlab-ci.yml) run as written.

They validate against their published JSON schemas (check-jsonschema's
built-in copies, offline); every ``sso-harness`` command in them parses with
the real command line; they run on Debian 12 and install the base setup's
Debian packages and none of the peers'; the harness comes from a wheel
whose name matches what ``pip wheel`` builds; Allure's history is carried;
secrets reach scripts only through the environment.
"""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from sso_harness.apps.cli.main import build_parser
from sso_harness.version import __version__

REPO = Path(__file__).resolve().parents[3]
GITHUB = REPO / "examples" / "nightly.yml"
GITLAB = REPO / "examples" / "nightly.gitlab-ci.yml"
SCHEMAS = {GITHUB: "vendor.github-workflows", GITLAB: "vendor.gitlab-ci"}


def _check_jsonschema(schema: str, path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, str(path)],
                          capture_output=True, text=True, timeout=120, check=False)


def _apt_list(script: Path) -> set[str]:
    """The packages of the script's ``apt_wanted=(...)`` array (its first assignment)."""
    found = re.search(r"^apt_wanted=\(([^)]*)\)", script.read_text(), re.MULTILINE)
    assert found, script
    return set(found.group(1).split())


def _scripts_of(path: Path) -> str:
    """Every shell line of the template, one string."""
    document: Any = yaml.safe_load(path.read_text())
    lines: list[str] = []

    def walk(node: Any, key: str = "") -> None:
        if isinstance(node, dict):
            for k, v in node.items():
                walk(v, str(k))
        elif isinstance(node, list):
            for v in node:
                walk(v, key)
        elif isinstance(node, str) and key in ("run", "script", "before_script", "after_script"):
            lines.append(node)

    walk(document)
    return "\n".join(lines)


@pytest.mark.parametrize("template", [GITHUB, GITLAB], ids=["github", "gitlab"])
def test_template_validates_against_its_published_schema(template: Path, tmp_path: Path) -> None:
    done = _check_jsonschema(SCHEMAS[template], template)
    assert done.returncode == 0, done.stdout + done.stderr
    # ...and the schema is really applied: a misspelt key is refused.
    broken = tmp_path / template.name
    broken.write_text(template.read_text().replace("timeout", "time_out", 1))
    assert _check_jsonschema(SCHEMAS[template], broken).returncode != 0


@pytest.mark.parametrize("template", [GITHUB, GITLAB], ids=["github", "gitlab"])
def test_every_sso_harness_command_parses(template: Path) -> None:
    commands = re.findall(r"^\s*(sso-harness [^;\n|]*?)(?:\s*\|\||;|$)", _scripts_of(template), re.MULTILINE)
    assert {c.split()[1] for c in commands} == {"run", "report"}
    for command in commands:
        args = build_parser().parse_args(shlex.split(command)[1:])  # an unknown option exits here
        assert args.command in ("run", "report")
        if args.command == "report":
            assert str(args.history) == ".allure-history"


@pytest.mark.parametrize("template", [GITHUB, GITLAB], ids=["github", "gitlab"])
def test_debian_12_with_the_base_packages_only(template: Path) -> None:
    text = template.read_text()
    assert re.search(r"^\s+(container|image): debian:12$", text, re.MULTILINE)
    installed = set(re.search(r"--no-install-recommends\s+([^\n]+(?:\n\s+[^\n-][^\n]*)?)", text)
                    .group(1).replace("\\", " ").split())  # type: ignore[union-attr]
    base = _apt_list(REPO / "scripts" / "setup-base.sh")
    allure = {"default-jre-headless", "npm"}  # scripts/install-allure.sh's, for `sso-harness report`
    peers = _apt_list(REPO / "scripts" / "install-peers.sh")
    assert base | allure <= installed
    assert not installed & peers


@pytest.mark.parametrize("template", [GITHUB, GITLAB], ids=["github", "gitlab"])
def test_harness_installed_from_a_wheel_not_a_placeholder(template: Path, tmp_path: Path) -> None:
    text = template.read_text()
    assert "your-org" not in text and "git clone" not in text
    # What `pip wheel` names this project's wheel, which the template's glob must match.
    wheel = f"sso_harness-{__version__}-py3-none-any.whl"
    pattern = re.search(r"ci/(sso_harness-\*\.whl)", text)
    assert pattern and Path(wheel).match(pattern.group(1))
    assert "python3 -m pip wheel --no-deps -w ci/" in text


@pytest.mark.parametrize("template", [GITHUB, GITLAB], ids=["github", "gitlab"])
def test_history_is_restored_before_and_kept_after_the_report(template: Path) -> None:
    scripts = _scripts_of(template)
    assert scripts.index("--history .allure-history") < scripts.index("cp -r reports/allure-report/history .allure-history")
    document: Any = yaml.safe_load(template.read_text())
    text = yaml.safe_dump(document)
    assert ".allure-history" in (text.split("cache", 1)[1])  # the cache holds it between runs


def test_secrets_reach_the_scripts_only_through_the_environment() -> None:
    scripts = _scripts_of(GITHUB)
    assert "secrets." not in scripts
    document: Any = yaml.safe_load(GITHUB.read_text())
    steps = document["jobs"]["flows"]["steps"]
    used = {s["name"] for s in steps if "secrets." in yaml.safe_dump(s.get("env", {}))}
    assert used == {"Run the target's flows", "Refuse to upload a secret in clear"}
    upload = next(s for s in steps if s.get("uses", "").startswith("actions/upload-artifact"))
    assert "steps.clean.outcome == 'success'" in upload["if"]
