"""The attack matrix as Allure attachments (HTML table and JSON)."""

from __future__ import annotations

import json
from collections.abc import Sequence

import allure

from sso_harness.apps.security.matrix import matrix_html, matrix_json
from sso_harness.apps.security.verdicts import BatteryRun

__all__ = ["attach_matrix"]


def attach_matrix(runs: Sequence[BatteryRun], *, name: str = "attack matrix") -> None:
    """Attach the matrix to the current Allure test: an HTML table and the same rows as JSON."""
    allure.attach(matrix_html(runs, title=name), name=name, attachment_type=allure.attachment_type.HTML)
    allure.attach(json.dumps(matrix_json(runs), indent=2), name=f"{name} (JSON)", attachment_type=allure.attachment_type.JSON)
