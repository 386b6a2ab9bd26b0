"""SPs of a targets-file target, described for the battery, with a captured legitimate response.

A real IdP's key is not ours, so the "legitimately signed response for user
A" comes from a normal login: the browser signs in through the target's
login driver, and the IdP's POST to the ACS is intercepted (Playwright
routing catches the form submission) instead of delivered. The SP still
holds the AuthnRequest it sent, so the captured response answers an
outstanding request, as a stolen one would. Attacks that need the IdP to
sign something new come out INCONCLUSIVE.

Whether an attempt signed the browser in is decided by
:mod:`sso_harness.browser.signed_in` at the SP's landing page: the SP's
declared ``signed_in`` rule from the targets file, else the SAML default
(the ACS answered, a new cookie, the landing page loaded on the SP). As
whom is read from the same page: the first element whose own text mentions
one of the two people's names. The IdP's signing certificate (pinned
``signing_certs``, else the metadata's) is handed to the attacks that
clone it.
"""

from __future__ import annotations

import functools
from urllib.parse import parse_qsl, urlsplit

from cryptography import x509
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Route

from sso_harness.apps.security.driver import DeliveryFailed, Driver, IdentityProbe, origin_of
from sso_harness.apps.security.saml_forge import NotForgeable
from sso_harness.apps.security.saml_mint import Persona, SpFacts
from sso_harness.apps.security.subjects import CapturedLogin, SamlSpUnderAttack
from sso_harness.browser.login import Credentials, LoginDriver
from sso_harness.browser.signed_in import SignInRule
from sso_harness.capture.scope import is_loopback_host
from sso_harness.protocols import DecodeError
from sso_harness.protocols.encoding import b64decode_lenient
from sso_harness.protocols.xml.safe import parse_xml
from sso_harness.targets import SpSpec, Target, TestUser

__all__ = ["attackable", "target_saml_subjects", "capture_by_login", "mentions_xpath", "names_xpath", "sign_in_rule_of",
           "idp_certificate_of"]


def mentions_xpath(*names: str) -> str:
    """XPath to the first text node on the page that mentions one of ``names`` (exactly, once trimmed)."""
    tests = " or ".join(f"normalize-space(.)='{n}'" for n in names if "'" not in n)
    return f"(//body//*[not(self::script)][{tests}])[1]"


def names_xpath(*names: str) -> str:
    """XPath to the first element (``body`` included, scripts and styles not) whose own text mentions one of ``names``."""
    tests = " or ".join(f"contains(., '{n}')" for n in names if "'" not in n) or "false()"
    return f"(//body/descendant-or-self::*[not(self::script) and not(self::style)][text()[{tests}]])[1]"


def sign_in_rule_of(sp: SpSpec) -> SignInRule | None:
    """The SP's declared ``signed_in`` as the browser layer's rule (None: not declared, the SAML default applies)."""
    rule = sp.signed_in
    return rule if rule is not None and rule.declared else None


def idp_certificate_of(target: Target, sp: SpSpec) -> x509.Certificate | None:
    """The IdP's current signing certificate: the first pinned ``signing_certs`` file, else the first one
    of the SP's own IdP metadata or the IdP's. None when neither is declared or the metadata cannot be
    fetched (the cloning attack then falls back to the certificate a captured response carries).
    Raises :class:`ValueError` for a pinned file that cannot be read: that is the targets file's mistake."""
    from pathlib import Path

    from sso_harness.protocols.xml.dsig.keys import load_certificates
    from sso_harness.targets.metadata import fetch_idp_metadata

    for path in target.idp.signing_certs:
        try:
            certs = load_certificates(Path(path).read_bytes())
        except (OSError, ValueError) as exc:
            raise ValueError(f"target {target.name}: idp.signing_certs {path}: {exc}") from None
        if certs:
            return certs[0]
    for url in (sp.idp_metadata_url, target.idp.metadata_url):
        if not url:
            continue
        try:
            return fetch_idp_metadata(url).signing_certs[0]
        except (OSError, ValueError):
            continue  # unreachable or unreadable metadata: try the next source, then the captured response
    return None


def _persona(user: TestUser, sp: SpSpec) -> Persona:
    name_id = user.fill(sp.expect.name_id) or user.attributes.get("email") or user.username
    return Persona(name_id=name_id, shown=name_id)


def _victim(target: Target, sp: SpSpec) -> Persona:
    if len(target.users) > 1:
        return _persona(target.users[1], sp)
    return Persona(name_id="victim@sso-harness.invalid", shown="victim@sso-harness.invalid")


def capture_by_login(driver: Driver, *, sign_on_url: str, acs_url: str, login: LoginDriver, credentials: Credentials) -> CapturedLogin:
    """Sign in normally and keep the Response the IdP posts to ``acs_url`` (Playwright only).

    Waits on states (the sign-on page loaded, the browser at the ACS or the
    Response held), each over as soon as it is reached and bounded by the
    driver's own ``timeout_ms``, the bound of every other move of the
    battery: past it the login is :class:`DeliveryFailed`."""
    from sso_harness.apps.security.driver_browser import BrowserDriver

    if not isinstance(driver, BrowserDriver):
        raise NotForgeable("capturing a response needs the browser (a normal login runs the IdP's pages)")
    acs = acs_url.split("?")[0]
    held: dict[str, str] = {}

    def hold(route: Route) -> None:
        held.update(parse_qsl(route.request.post_data or "", keep_blank_values=True))
        route.fulfill(status=200, content_type="text/html", body="<title>held by the attacker</title>")

    def matches(url: str) -> bool:
        return url.split("?")[0] == acs

    driver.context.route(matches, hold)
    try:
        page = driver.page
        page.goto(sign_on_url, timeout=driver.timeout_ms)
        if "SAMLResponse" not in held:
            if origin_of(page.url) == origin_of(sign_on_url):
                raise DeliveryFailed(f"the SP did not send the browser to its IdP (it stayed at {page.url})")
            login.sign_in(page, credentials)
            page.wait_for_url(lambda u: matches(u) or "SAMLResponse" in held, timeout=driver.timeout_ms)
    except (PlaywrightError, AssertionError) as exc:  # a login driver reports a page it does not know as an AssertionError
        raise DeliveryFailed(f"the normal login did not complete: {str(exc).splitlines()[0]}") from exc
    finally:
        driver.context.unroute(matches, hold)
    if "SAMLResponse" not in held:
        raise NotForgeable("the normal login did not post a SAMLResponse to the ACS")
    try:
        root = parse_xml(b64decode_lenient(held["SAMLResponse"], where="SAMLResponse"), where="SAMLResponse")
    except DecodeError as exc:
        raise NotForgeable(f"the captured response is unreadable: {exc}") from None
    return CapturedLogin(root, held.get("RelayState"))


def attackable(sp: SpSpec) -> bool:
    """A SAML SP the battery can sign in to SP-initiated: it has an ACS, an entity ID and a sign-on URL."""
    return bool(sp.acs and sp.sign_on_url and sp.entity_id and {"sp_initiated", "idp_initiated"} & set(sp.flows))


def target_saml_subjects(target: Target, login: LoginDriver) -> dict[str, SamlSpUnderAttack]:
    """One subject per SP of ``target`` that can be signed in to SP-initiated (it has ``acs`` and ``sign_on_url``).

    Fetches the IdP metadata when the target names one (for the certificate); raises ``ValueError`` for an
    unreadable pinned certificate file."""
    if not target.users:
        return {}
    user = target.users[0]
    credentials = Credentials(user.username, user.password)
    out: dict[str, SamlSpUnderAttack] = {}
    for sp in target.sps:
        if not attackable(sp):
            continue
        assert sp.acs and sp.sign_on_url and sp.entity_id  # attackable() says so
        me, victim = _persona(user, sp), _victim(target, sp)
        landing = sp.landing_url or sp.sign_on_url
        sign_on, acs = sp.sign_on_url, sp.acs
        out[sp.name] = SamlSpUnderAttack(
            name=sp.name, facts=SpFacts(sp.entity_id, acs), user=me, victim=victim,
            probe=IdentityProbe(landing, names_xpath(victim.shown, me.shown), names=(victim.shown, me.shown)),
            sign_on_url=sign_on, sp_initiated_only="idp_initiated" not in sp.flows,
            capture=functools.partial(capture_by_login, sign_on_url=sign_on, acs_url=acs, login=login, credentials=credentials),
            loopback=is_loopback_host(urlsplit(acs).hostname or ""),
            idp_certificate=idp_certificate_of(target, sp), detect_sign_in=True, sign_in_rule=sign_in_rule_of(sp),
        )
    return out
