"""Fixtures shared by the end-to-end suites (mock lane)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from sso_harness.browser.journeys import sp_initiated_saml
from sso_harness.browser.login import Credentials, FormLogin
from sso_harness.trace.trace import Trace

# The mock IdP's sign-in form; a real IdP gets its own driver.
MOCK_IDP_LOGIN = FormLogin(username="input[name=username]", password="input[name=password]", submit="#signin")


@pytest.fixture
def b_simon(mock_fleet) -> Credentials:  # type: ignore[no-untyped-def]
    user = mock_fleet.users["b.simon@contoso.com"]
    return Credentials(user.username, user.password)


@pytest.fixture
def sp_initiated(page, mock_fleet, sso_capture, b_simon) -> Callable[..., Trace]:  # type: ignore[no-untyped-def]
    """Run an SP-initiated login through the mock fleet; returns the trace."""
    sso_capture.trusted_certs = [mock_fleet.idp.settings.signing.cert]

    def run(path: str = "/protected/reports?quarter=q3") -> Trace:
        return sp_initiated_saml(
            page,
            sso_capture,
            start_url=mock_fleet.sp.settings.base_url + path,
            login=MOCK_IDP_LOGIN,
            credentials=b_simon,
        )

    return run
