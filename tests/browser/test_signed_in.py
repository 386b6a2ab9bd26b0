"""Signed-in detection (pure): a declared rule, or the SAML default over what the browser received."""

from __future__ import annotations

from sso_harness.browser.signed_in import Answer, SignInFacts, SignInRule, decide, facts_from_hops
from sso_harness.capture.hop import Hop

SP = "https://sp.example.test"
IDP = "https://idp.example.test"
ACS = f"{SP}/mellon/postResponse"


def _facts(**over: object) -> SignInFacts:
    base: dict[str, object] = dict(
        landing_url=f"{SP}/secret/", answers=(Answer("POST", ACS, 303, saml_response=True), Answer("GET", f"{SP}/secret/", 200)),
        chain=(f"{SP}/secret/",), landing_status=200, expected_origin=SP,
        cookies_before=frozenset({"idp_session=1"}), cookies_after=frozenset({"idp_session=1", "mellon-cookie=abc"}),
    )
    base.update(over)
    return SignInFacts(**base)  # type: ignore[arg-type]


def test_the_saml_default_holds_on_a_plain_text_page_with_a_new_cookie() -> None:
    verdict = decide(None, _facts(), acs_url=ACS)
    assert verdict.signed_in and verdict.basis == "saml-default"
    assert [c.name for c in verdict.conditions] == ["acs-answered", "session-cookie", "landing"]
    assert "mellon-cookie" in verdict.conditions[1].detail and verdict.failed is None


def test_the_saml_default_names_the_failed_condition_and_where() -> None:
    refused = decide(None, _facts(answers=(Answer("POST", ACS, 500, saml_response=True),)), acs_url=ACS)
    assert not refused.signed_in and refused.failed is not None and refused.failed.name == "acs-answered"
    assert "answered 500" in refused.explain() and "/mellon/postResponse" in refused.explain()

    no_cookie = decide(None, _facts(cookies_after=frozenset({"idp_session=1"})), acs_url=ACS)
    assert no_cookie.failed is not None and no_cookie.failed.name == "session-cookie"

    bounced = decide(None, _facts(chain=(f"{SP}/secret/", f"{IDP}/sso?SAMLRequest=abc"), landing_url=f"{IDP}/login"), acs_url=ACS)
    assert bounced.failed is not None and bounced.failed.name == "landing" and "back to the IdP" in bounced.failed.detail

    elsewhere = decide(None, _facts(landing_url=f"{IDP}/login", chain=()), acs_url=ACS)
    assert elsewhere.failed is not None and "off the SP" in elsewhere.failed.detail

    nothing = decide(None, _facts(answers=()), acs_url=ACS)
    assert nothing.failed is not None and nothing.failed.name == "acs-answered" and ACS in nothing.failed.detail


def test_a_replaced_cookie_value_counts_as_new_but_the_same_pair_does_not() -> None:
    regenerated = _facts(cookies_before=frozenset({"PHPSESSID=pre"}), cookies_after=frozenset({"PHPSESSID=post"}))
    assert decide(None, regenerated, acs_url=ACS).signed_in
    same = _facts(cookies_before=frozenset({"PHPSESSID=pre"}), cookies_after=frozenset({"PHPSESSID=pre"}))
    assert not decide(None, same, acs_url=ACS).signed_in


def test_a_declared_rule_decides_alone_and_every_field_must_hold() -> None:
    rule = SignInRule(url=f"{SP}/secret/*", text="Welcome", cookie="mellon-cookie")
    ok = decide(rule, _facts(page_text="Welcome back", answers=()))  # no ACS answer needed: the rule decides
    assert ok.signed_in and ok.basis == "declared" and [c.name for c in ok.conditions] == ["url", "text", "cookie"]
    missing = decide(rule, _facts(page_text="Please sign in"))
    assert not missing.signed_in and missing.failed is not None and missing.failed.name == "text"
    assert "'Welcome' not shown on https://sp.example.test/secret/" in missing.explain()


def test_a_probe_rule_checks_status_and_body() -> None:
    rule = SignInRule(probe_url=f"{SP}/whoami", probe_text="qa@example.com")
    assert decide(rule, _facts(probe_status=200, probe_text="user: qa@example.com")).signed_in
    redirected = decide(rule, _facts(probe_status=302, probe_text=""))
    assert not redirected.signed_in and redirected.failed is not None and "answered 302 (wanted status 200)" in redirected.failed.detail
    wrong_body = decide(rule, _facts(probe_status=200, probe_text="anonymous"))
    assert wrong_body.failed is not None and "does not contain 'qa@example.com'" in wrong_body.failed.detail
    exact = SignInRule(probe_url=f"{SP}/status", probe_status=204)
    assert decide(exact, _facts(probe_status=204)).signed_in and not decide(exact, _facts(probe_status=200)).signed_in


def test_text_with_a_selector_is_looked_for_in_the_selected_element() -> None:
    rule = SignInRule(selector="#user", text="qa@example.com")
    assert decide(rule, _facts(selector_found=True, selector_text="qa@example.com", page_text="")).signed_in
    elsewhere = decide(rule, _facts(selector_found=True, selector_text="Guest", page_text="qa@example.com"))
    assert elsewhere.failed is not None and elsewhere.failed.name == "text" and "in '#user'" in elsewhere.failed.detail
    assert decide(rule, _facts(selector_found=False, selector_text="")).failed.name == "selector"  # type: ignore[union-attr]


def test_a_declared_rule_refuses_a_landing_that_started_a_new_login() -> None:
    rule = SignInRule(url=f"{SP}/secret/*")
    # The IdP still held a session and signed the user in again on its own while the landing page opened.
    silent = _facts(chain=(f"{SP}/secret/", f"{IDP}/sso?SAMLRequest=abc", ACS, f"{SP}/secret/"))
    verdict = decide(rule, silent)
    assert not verdict.signed_in and verdict.failed is not None and verdict.failed.name == "landing"


def test_an_empty_rule_declares_nothing() -> None:
    assert not SignInRule().declared and decide(SignInRule(), _facts(), acs_url=ACS).basis == "saml-default"


def _hop(index: int, method: str, url: str, status: int, *, body: bytes = b"", sent: str = "", set_cookie: str = "") -> Hop:
    req = (("cookie", sent),) if sent else ()
    resp = (("set-cookie", set_cookie),) if set_cookie else ()
    return Hop(index, method, url, req, body, status, resp, 0.0, 0.0)


def test_recorded_hops_give_the_saml_default_its_facts() -> None:
    hops = [
        _hop(1, "GET", f"{SP}/secret/", 302, set_cookie="mellon-state=s1; Path=/"),
        _hop(2, "GET", f"{IDP}/sso?SAMLRequest=x", 200, sent="idp=1"),
        _hop(3, "POST", ACS, 303, body=b"SAMLResponse=PHNhbWw%2B&RelayState=r", sent="mellon-state=s1",
             set_cookie="mellon-cookie=abc; Path=/; HttpOnly"),
        _hop(4, "GET", f"{SP}/secret/", 200, sent="mellon-cookie=abc"),
    ]
    facts = facts_from_hops(hops, landing_url=f"{SP}/secret/")
    assert facts.answers[2].saml_response and facts.landing_status == 200 and facts.chain == (f"{SP}/secret/",)
    verdict = decide(None, facts)
    assert verdict.signed_in, verdict.explain()
    assert "mellon-cookie" in verdict.conditions[1].detail and "mellon-state" not in verdict.conditions[1].detail


def test_recorded_hops_of_a_refused_response_fail_where_the_sp_answered() -> None:
    hops = [
        _hop(1, "POST", ACS, 400, body=b"SAMLResponse=PHNhbWw%2B", sent="mellon-state=s1"),
    ]
    verdict = decide(None, facts_from_hops(hops, landing_url=ACS))
    assert not verdict.signed_in and verdict.explain() == (
        "not signed in (SAML default): acs-answered: POST https://sp.example.test/mellon/postResponse answered 400")


def test_hops_without_a_saml_response_say_none_was_posted() -> None:
    verdict = decide(None, facts_from_hops([_hop(1, "GET", f"{SP}/", 200)], landing_url=f"{SP}/"))
    assert verdict.failed is not None and verdict.failed.detail == "no SAMLResponse was posted"
