"""Pages the SP emulations share: the refusal page that names each failed check.

Every SP shows a refused login the same way, so a test (or a person) can
read *which* check failed: ``<ul id="failed-checks">`` with one
``<li data-check="<name>">`` per failure.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from sso_harness.mocks.web.http import Response, html_page
from sso_harness.mocks.saml.sp_checks import CheckFailure

__all__ = ["refused_page", "failure_list"]


def failure_list(failures: Sequence[CheckFailure]) -> str:
    items = "".join(
        f"<li data-check='{html.escape(f.check)}'><b>{html.escape(f.check)}</b>: {html.escape(f.detail)}</li>"
        for f in failures
    )
    return f"<ul id='failed-checks'>{items}</ul>"


def refused_page(failures: Sequence[CheckFailure], *, brand: str = "", status: int = 403) -> Response:
    heading = f"{brand}: single sign-on failed" if brand else "SAML response rejected"
    body = f"<h1 id='sso-error'>{html.escape(heading)}</h1>{failure_list(failures)}"
    return html_page("SAML response rejected", body, status=status)
