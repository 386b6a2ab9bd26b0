"""A sign-in of many screens posting back to one URL is not a redirect loop; the same form posted again is.

The hops mirror a recorded run of the mock Entra's scripted screens
(account_picker, password, account_type, method_choice, totp, proofup,
consent, kmsi) through an SP-initiated SAML login: the same methods, paths,
answers, fetch metadata and form field names, six of them POSTs answered
with a page at ``/{tenant}/login``.
"""

from __future__ import annotations

from sso_harness.capture.hop import Hop
from sso_harness.diagnose import diagnose
from sso_harness.trace.trace import Trace

from .builders import IDP, SP, authn_request_url, hop

TENANT = "c0a8e5d2-3b1f-4e6a-9d47-5f2b8c1e7a90"
LOGIN = f"{IDP}/{TENANT}/login"
SAME_ORIGIN = (("Sec-Fetch-Site", "same-origin"), ("Referer", f"{IDP}/{TENANT}/"))
FLOW = {"canary": "0fnwolf", "ctx": "flowtok", "flowToken": "flowtok"}


def _post(i: int, url: str, **fields: str) -> Hop:
    return hop(i, "POST", url, 200, headers=SAME_ORIGIN, form={**FLOW, **fields})


def _entra_screens() -> list[Hop]:
    return [
        hop(0, "GET", f"{SP}/site/contoso", 302, resp_headers=(("Location", authn_request_url()),)),
        hop(1, "GET", authn_request_url(), 200, headers=(("Sec-Fetch-Site", "none"),)),
        _post(2, LOGIN, loginfmt="diego.siciliani@contoso.com", step="account_picker"),
        _post(3, LOGIN, loginfmt="diego.siciliani@contoso.com", passwd="not-a-real-one"),
        _post(4, LOGIN, account="work", step="account_type"),
        _post(5, LOGIN, method="totp", step="method_choice"),
        _post(6, f"{IDP}/common/SAS/ProcessAuth", otc="000000"),
        _post(7, LOGIN, skip="1", step="proofup"),
        _post(8, LOGIN, consent="accept", step="consent"),
        _post(9, f"{IDP}/kmsi", LoginOptions="1", step="kmsi"),
        hop(10, "POST", f"{SP}/login/callback", 302, headers=(("Sec-Fetch-Site", "same-site"),),
            form={"SAMLResponse": "PHNhbWxwOlJlc3BvbnNlLz4=", "RelayState": "/site/contoso"},
            resp_headers=(("Location", f"{SP}/site/contoso"),)),
        hop(11, "GET", f"{SP}/site/contoso", 200, headers=(("Sec-Fetch-Site", "same-site"),)),
    ]


def _loops(hops: list[Hop]) -> list[str]:
    return [f.what for f in diagnose(Trace.from_hops(hops)) if f.rule == "redirect-loop"]


def test_six_screens_posting_back_to_the_sign_in_url_are_not_a_loop() -> None:
    assert _loops(_entra_screens()) == []


def test_the_same_screen_posted_over_and_over_is_still_a_loop() -> None:
    hops = _entra_screens()[:2]
    hops += [_post(i, LOGIN, loginfmt="diego.siciliani@contoso.com", passwd="not-a-real-one") for i in range(2, 7)]
    found = _loops(hops)
    assert len(found) == 1 and f"POST {LOGIN} 5 times" in found[0]
    assert "passwd" not in found[0] and "not-a-real-one" not in found[0]


def test_one_screen_named_again_and_again_is_a_loop_whatever_else_it_carries() -> None:
    hops = _entra_screens()[:2] + [_post(i, LOGIN, method="totp", step="method_choice") for i in range(2, 7)]
    assert len(_loops(hops)) == 1
