"""Issue 15 item 2: planted canaries reach no file any of the harness's writers leave behind.

Distinct canaries stand for a password, a TOTP secret, a client secret, an
authorization code, access, refresh and ID tokens, two session cookies and
an ``Authorization`` header (:mod:`.canaries`). A small OpenID provider and
portal on loopback (:mod:`.canary_peer`) issue them for real; the mock
fleet, configured with the canary password and TOTP secret, serves the
SAML side. Then, as a user would:

- ``sso-harness run`` on a targets file with a passing flow and two failing
  ones (so Playwright traces are retained), one of them a single-page app
  that redeems its code in the browser;
- ``sso-harness capture`` of a sign-in to the portal (a support bundle);
- ``sso-harness tutorial`` and ``sso-harness attack`` against the fleet
  described as a target;
- a team's own pytest project on the plugin, with Allure, JUnit, the run
  summary and Playwright traces on failure.

Every file under the work root, archives opened recursively, and every
command's stdout and stderr, is searched for each canary's raw, URL-encoded
and base64 forms. Any hit fails, naming the file (``file!member`` inside an
archive), the canary and the form.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

from sso_harness.mocks.config import FleetConfig
from sso_harness.mocks.fleet import MockFleet
from sso_harness.targets.mock_target import fill_mock_templates, mock_values

from .canaries import FIXED, PASSWORD, TOTP_SECRET, id_token_canaries
from .canary_peer import canary_peers
from .scan import ScanResult, scan_tree
from .writers import Done, Workspace, canary_env, portal_plugin_project, run_targets, tenant_targets

pytestmark = pytest.mark.e2e

_MOCK_TENANT = Path(__file__).parents[1] / "tutorials" / "mock_tenant_targets.yaml"
_TENANT_USER = "b.simon@contoso.com"


@dataclass(frozen=True)
class Written:
    """What the writers did: each command's end, the ID tokens issued, and the scan of everything written."""

    done: dict[str, Done]
    id_tokens: tuple[str, ...] = field(repr=False)  # canaries: never in this test's own report
    scan: ScanResult
    root: Path


def _says(done: Done, text: str) -> bool:
    # A function, so a failed assertion shows this call and not the whole output (which may hold canaries).
    return text in done.output()


def _sso(*args: str) -> list[str]:
    return ["-m", "sso_harness", *args]


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Written]:
    root = tmp_path_factory.mktemp("canary")
    config = FleetConfig(users=({"upn": _TENANT_USER, "password": PASSWORD, "totp_secret": TOTP_SECRET},))
    with canary_peers() as (op, portal), MockFleet(config) as fleet:
        ws = Workspace(root, canary_env(op.issuer, portal.base_url))
        done: dict[str, Done] = {}
        (root / "run").mkdir()
        (root / "run" / "targets.yaml").write_text(run_targets(), encoding="utf-8")
        done["run"] = ws.run("run", _sso("run", "--target", "canary", "--config", "targets.yaml",
                                         "-k", "harness or spa", "--reports", "reports"))
        done["capture"] = ws.run("capture", _sso(
            "capture", f"{portal.base_url}/login", "--login", "jumpcloud", "--user-env", "CANARY_PLAIN_USER",
            "--password-env", "CANARY_PASSWORD", "--until", f"{portal.base_url}/home", "--signed-in-selector", "#signed-in",
            "--timeout", "60", "--loopback-only", "--out", "bundles/portal.zip"))
        template = fill_mock_templates(yaml.safe_load(_MOCK_TENANT.read_text(encoding="utf-8")), mock_values(fleet))
        for name in ("tutorial", "attack"):
            (root / name).mkdir()
            (root / name / "targets.yaml").write_text(tenant_targets(template["targets"]["mock-tenant"]), encoding="utf-8")
        done["tutorial"] = ws.run("tutorial", _sso("tutorial", "atlassian-cloud-saml", "--target", "canary-tenant",
                                                   "--config", "targets.yaml", "--sp", "atlassian"))
        done["attack"] = ws.run("attack", _sso("attack", "--target", "canary-tenant", "--config", "targets.yaml",
                                               "--sp", "atlassian", "--only", "saml-signature-exclusion"))
        portal_plugin_project(root / "plugin")
        done["plugin"] = ws.run("plugin", [
            "-m", "pytest", "-q", "-p", "no:cacheprovider", "--alluredir=reports/allure-results",
            "--junitxml=reports/junit.xml", "--sso-summary=reports/summary.md", "--output=reports/playwright",
            "--tracing=retain-on-failure"])
        id_tokens = tuple(op.id_tokens)
    canaries = {**FIXED, **id_token_canaries(id_tokens)}
    scan = scan_tree({".": root}, canaries)
    yield Written(done, id_tokens, scan, root)


def test_the_writers_really_ran_with_the_canaries(written: Written) -> None:
    """Not vacuous: each command got past the point where its canaries travel (the provider and the
    mock fleet accept a sign-in only with the canary password and TOTP code, the token endpoint only
    with the canary client secret), and wrote what the scan is about."""
    d = written.done
    assert d["run"].status == 1, d["run"].tail()  # one flow passes, two fail
    assert _says(d["run"], "2 failed, 1 passed"), d["run"].tail()
    reports = d["run"].folder / "reports"
    assert len(list((reports / "playwright").rglob("trace.zip"))) == 2, "a Playwright trace is retained per failed flow"
    assert (reports / "summary.md").exists() and (reports / "junit.xml").exists() and any((reports / "allure-results").iterdir())
    assert d["capture"].status == 0 and _says(d["capture"], "the landing URL was reached"), d["capture"].tail()
    assert (d["capture"].folder / "bundles" / "portal.zip").exists()
    assert d["tutorial"].status == 0 and _says(d["tutorial"], "13 of 15 checks ran"), d["tutorial"].tail()
    assert d["attack"].status == 0 and _says(d["attack"], "ACCEPTED (control)"), d["attack"].tail()
    assert _says(d["plugin"], "3 failed, 1 passed"), d["plugin"].tail()  # as the project's tests are written
    plugin_reports = d["plugin"].folder / "reports"
    assert len(list((plugin_reports / "playwright").rglob("trace.zip"))) == 3 and any((plugin_reports / "allure-results").iterdir())
    # One token call per OIDC sign-in: three in the run, one in the capture, four in the plugin project.
    assert len(written.id_tokens) == 8


def test_no_canary_in_any_file_written(written: Written, record_testsuite_property: Callable[[str, object], None],
                                       pytestconfig: pytest.Config) -> None:
    scan = written.scan
    assert scan.files > 0
    # The count is the closing note's evidence: in the JUnit XML (a suite property: xunit2 drops test
    # properties), and on the terminal, past pytest's output capture, whatever the capture mode.
    record_testsuite_property("canary_files_scanned", scan.scanned)
    record_testsuite_property("canary_hits", len(scan.hits))
    reporter = pytestconfig.pluginmanager.get_plugin("terminalreporter")
    capture = pytestconfig.pluginmanager.get_plugin("capturemanager")
    if reporter is not None and capture is not None:
        with capture.global_and_fixture_disabled():
            reporter.write_line(f"canary scan: {scan.scanned} files ({scan.files} on disk, {scan.members} archive members), "
                                f"{len(scan.hits)} hits")
    listing = "\n  ".join(str(h) for h in scan.hits)
    assert not scan.hits, (f"{len(scan.hits)} canary hits in {scan.scanned} files scanned under {written.root} "
                           f"({scan.files} on disk, {scan.members} archive members):\n  {listing}")
