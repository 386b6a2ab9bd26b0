"""Shared helpers of the capture suites (imported by the tests and the conftest)."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

from sso_harness.browser.login import Credentials, FormLogin
from sso_harness.diagnose import Finding
from sso_harness.trace.trace import Trace

SCREENSHOTS = Path(__file__).resolve().parents[2] / "reports" / "screenshots"
MOCK_IDP_LOGIN = FormLogin(username="input[name=username]", password="input[name=password]", submit="#signin")
SIMON = Credentials("b.simon@contoso.com", "Pa55w.rd-simon")


@dataclass(frozen=True)
class Captured:
    path: Path
    stopped: str
    findings: tuple[Finding, ...]
    trace: Trace

    def rules(self) -> set[str]:
        return {f.rule for f in self.findings}

    def finding(self, rule: str) -> Finding:
        found = [f for f in self.findings if f.rule == rule]
        assert found, f"no {rule!r} finding; the diagnosis was:\n" + "\n".join(f.line() for f in self.findings)
        return found[0]

    def read(self, name: str) -> str:
        with zipfile.ZipFile(self.path) as z:
            return z.read(name).decode("utf-8")



def extract(bundle: Path, dest: Path) -> Path:
    with zipfile.ZipFile(bundle) as z:
        z.extractall(dest)
    return dest / "index.html"
